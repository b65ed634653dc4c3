"""Ids of the calls feature's Block Kit elements, shared by its builders and listeners."""

UNDO_CALL = "undo_call"
EDIT_CALL = "edit_call"  # the Edit button of a logged call; its value is the call's id
EDIT_CALL_VIEW = "edit_call"  # the log-call modal, filled, editing a call
OLDER_CALLS = "older_calls"  # under a page of `/account calls`; its value is a Cursor
LOG_CALL_VIEW = "log_call"
LOG_CALL_SHORTCUT = "log_call_from_message"

# Blocks of the log-call modal, by form field; each holds one element whose action_id is
# the block's id, except the account picker (bot/accounts/ids.py).
CALL_ACCOUNT = "account"
CALL_WHEN = "when"
CALL_NOTES = "notes"
CALL_NEXT_STEP = "next_step"
CALL_FOLLOW_UP = "follow_up"
CALL_PRIVATE = "private"
# The contacts on the call: a multi external select, its options the picked account's
# contacts (handlers/calls.py).
CALL_CONTACTS = "contacts"
