"""What people enter in the app's modals, as Slack sends it in a view submission's
view.state.values: {block_id: {action_id: element state}}."""

from bot.calls import ids as call_ids
from bot.grades import ids as grade_ids
from bot.recovery import ids as recovery_ids


def _one(block_id: str, state: dict) -> dict:
    """A block whose one element's action_id is its block's id."""
    return {block_id: {block_id: state}}


def call_form(
    account_id: int,
    *,
    when: str,
    notes: str,
    private: bool = False,
    follow_up: str = "2026-12-07",
    name: str = "Acme Corp",
) -> dict:
    """The log-call modal: account `account_id` (shown as `name`) picked, `when` and
    `notes` typed, no next step, a follow-up date picked, the private box as given."""
    checked = (
        [{"value": "private", "text": {"type": "plain_text", "text": "Private note"}}]
        if private
        else []
    )
    option = {"value": str(account_id), "text": {"type": "plain_text", "text": name}}
    return {
        **_one(call_ids.CALL_ACCOUNT, {"type": "external_select", "selected_option": option}),
        **_one(call_ids.CALL_WHEN, {"type": "plain_text_input", "value": when}),
        **_one(call_ids.CALL_NOTES, {"type": "plain_text_input", "value": notes}),
        **_one(call_ids.CALL_NEXT_STEP, {"type": "plain_text_input", "value": None}),
        **_one(call_ids.CALL_FOLLOW_UP, {"type": "datepicker", "selected_date": follow_up}),
        **_one(call_ids.CALL_PRIVATE, {"type": "checkboxes", "selected_options": checked}),
    }


def reason_form(reason: str) -> dict:
    """The reason modal that follows a grade button, with `reason` typed."""
    return _one(grade_ids.GRADE_REASON, {"type": "plain_text_input", "value": reason})


def plan_form(day: str, what_it_takes: str) -> dict:
    """The "Plan follow-up" modal: `day` (YYYY-MM-DD) picked, `what_it_takes` typed."""
    return {
        **_one(recovery_ids.PLAN_DATE, {"type": "datepicker", "selected_date": day}),
        **_one(
            recovery_ids.PLAN_WHAT_IT_TAKES, {"type": "plain_text_input", "value": what_it_takes}
        ),
    }
