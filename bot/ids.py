"""Action, block and callback ids shared by the Block Kit builders and the listeners."""

UNDO_CALL = "undo_call"
LOG_CALL_VIEW = "log_call"
LOG_CALL_SHORTCUT = "log_call_from_message"

# Blocks (and their single element's action) of the log-call modal, by form field.
CALL_ACCOUNT = "account"
CALL_WHEN = "when"
CALL_NOTES = "notes"
CALL_NEXT_STEP = "next_step"
CALL_FOLLOW_UP = "follow_up"
CALL_PRIVATE = "private"
