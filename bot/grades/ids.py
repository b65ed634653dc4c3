"""Ids of the grades feature's Block Kit elements, shared by its builders and listeners."""

# Grade prompts: one button per grade, action_id GRADE_BUTTON_PREFIX + label, value
# "<request id>:<label>"; the reason modal that follows.
GRADE_BUTTON_PREFIX = "grade:"
GRADE_REASON_VIEW = "grade_reason"
GRADE_REASON = "reason"

# The "Ask for a grade" modal (opened from the Home tab): its account picker is the
# accounts feature's (bot/accounts/ids.py) in block ASK_GRADE_ACCOUNT; its other blocks
# each hold one element whose action_id is the block's id.
ASK_GRADE_VIEW = "ask_grade"
ASK_GRADE_ACCOUNT = "account"
ASK_GRADE_GRADER = "grader"
ASK_GRADE_QUESTION = "question"
