"""Ids of the recovery feature's Block Kit elements, shared by its builders and listeners."""

# At-risk alerts: buttons carry the recovery plan's id as value.
PLAN_FOLLOW_UP = "plan_follow_up"
DISMISS_PLAN = "dismiss_plan"

# The "Plan follow-up" modal: its callback, and its blocks (each holds one element
# whose action_id is the block's id).
PLAN_FOLLOW_UP_VIEW = "plan_follow_up_form"
PLAN_DATE = "follow_up_on"
PLAN_WHAT_IT_TAKES = "what_it_takes"
