"""Ids of the follow-up DM's Block Kit elements, shared by its builders and listeners.

Each follow-up shown has a section (block id `followup:<kind>:<id>`) and a row of buttons
(the same id with `:do`). "Log the call" carries the account's id; Snooze and Done carry
`<kind>:<id>` (kind: bot/followups/due.py Kind)."""

LOG_CALL = "followup_log_call"
SNOOZE = "followup_snooze"
DONE = "followup_done"

ITEM = "followup:{kind}:{id}"
BUTTONS = "followup:{kind}:{id}:do"
