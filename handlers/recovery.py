"""At-risk alerts: "Plan follow-up" (a modal) and "Dismiss", for the account's owner."""

import json
from datetime import date

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids, people, recovery, recovery_blocks
from bot.calls import FormErrors
from handlers.errors import reported


def register(app: App) -> None:
    app.action(ids.PLAN_FOLLOW_UP)(handle_plan_follow_up)
    app.view(ids.PLAN_FOLLOW_UP_VIEW)(handle_plan_form)
    app.action(ids.DISMISS_PLAN)(handle_dismiss_plan)


@reported
def handle_plan_follow_up(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
):
    """ "Plan follow-up" on an at-risk alert: open the plan modal (the account's owner only);
    anyone else is told whose it is."""
    ack()
    rapport = context["rapport"]
    plan = recovery.proposed(
        rapport, team_id=context.team_id, plan_id=int(action["value"]), user_id=context.user_id
    )
    alert = body["container"]
    view = recovery_blocks.plan_modal(
        plan, channel_id=alert["channel_id"], message_ts=alert["message_ts"]
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
    # Cached now, so the submission is checked against the owner's today without waiting.
    people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)


@reported
def handle_plan_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The plan modal was submitted: store the plan, or keep the modal open with errors;
    then the alert shows the plan in place of its buttons."""
    rapport = context["rapport"]
    alert = json.loads(view["private_metadata"])
    values = view["state"]["values"]
    day = _element(values, ids.PLAN_DATE).get("selected_date")
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    try:
        plan = recovery.plan(
            rapport,
            user=person,
            plan_id=int(alert["plan_id"]),
            follow_up_on=date.fromisoformat(day) if day else None,
            what_it_takes=_element(values, ids.PLAN_WHAT_IT_TAKES).get("value") or "",
        )
    except FormErrors as problems:
        ack(response_action="errors", errors=problems.errors)
        return
    ack()
    client.chat_update(channel=alert["channel"], ts=alert["ts"], **recovery_blocks.planned(plan))


@reported
def handle_dismiss_plan(ack: Ack, action: dict, respond: Respond, context: BoltContext):
    """ "Dismiss" on an at-risk alert: no follow-up is tracked (the owner only); the alert
    says so in place."""
    ack()
    plan = recovery.dismiss(
        context["rapport"],
        team_id=context.team_id,
        user_id=context.user_id,
        plan_id=int(action["value"]),
    )
    respond(replace_original=True, **recovery_blocks.dismissed(plan))


def _element(values: dict, block_id: str) -> dict:
    """The state of a block's single element (its action_id is the block's id)."""
    return values.get(block_id, {}).get(block_id, {})
