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

# Grade prompts: one button per grade, action_id GRADE_BUTTON_PREFIX + label, value
# "<request id>:<label>"; the reason modal that follows.
GRADE_BUTTON_PREFIX = "grade:"
GRADE_REASON_VIEW = "grade_reason"
GRADE_REASON = "reason"

# At-risk alerts: buttons carry the recovery plan's id as value.
PLAN_FOLLOW_UP = "plan_follow_up"
DISMISS_PLAN = "dismiss_plan"

# The "Plan follow-up" modal: its callback, and its blocks (each holds one element
# whose action_id is the block's id).
PLAN_FOLLOW_UP_VIEW = "plan_follow_up_form"
PLAN_DATE = "follow_up_on"
PLAN_WHAT_IT_TAKES = "what_it_takes"

# The App Home: its buttons, and the "Ask for a grade" modal. The modal's account
# picker reuses the log-call modal's external select (CALL_ACCOUNT), whose options
# handlers/calls.py serves; its other blocks each hold one element whose action_id is
# the block's id.
HOME_LOG_CALL = "home_log_call"
HOME_ASK_GRADE = "home_ask_grade"
ASK_GRADE_VIEW = "ask_grade"
ASK_GRADE_ACCOUNT = CALL_ACCOUNT
ASK_GRADE_GRADER = "grader"
ASK_GRADE_QUESTION = "question"
