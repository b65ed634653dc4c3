"""At-risk alerts: "Plan follow-up" (a modal) and "Dismiss", for the account's owner."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.recovery import ids, messages, plans
from handlers import payloads
from handlers.after_ack import listener
from handlers.replies import member, open_modal


def register(app: App) -> None:
    app.action(ids.PLAN_FOLLOW_UP)(handle_plan_follow_up)
    app.view(ids.PLAN_FOLLOW_UP_VIEW)(handle_plan_form)
    app.action(ids.DISMISS_PLAN)(handle_dismiss_plan)


@listener
def handle_plan_follow_up(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
):
    """ "Plan follow-up" on an at-risk alert: open the plan modal (the account's owner or an admin);
    anyone else is told whose it is."""
    ack()
    rapport = context["rapport"]
    plan = plans.proposed(
        rapport, user=member(context, client), plan_id=payloads.record_id(action.get("value"))
    )
    channel_id, message_ts = payloads.message_at(body)
    view = messages.plan_modal(plan, channel_id=channel_id, message_ts=message_ts)
    open_modal(client, context, body["trigger_id"], view)


@listener
def handle_plan_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The plan modal was submitted: store the plan (a mistake keeps the modal open with
    what was wrong); then the alert shows the plan in place of its buttons."""
    rapport = context["rapport"]
    alert = payloads.metadata(view, plan_id=int, channel=str, ts=str)
    values = view["state"]["values"]
    person = member(context, client)
    plan = plans.plan(
        rapport,
        user=person,
        plan_id=payloads.record_id(alert["plan_id"]),
        follow_up_on=payloads.day(payloads.state(values, ids.PLAN_DATE)),
        what_it_takes=payloads.text(payloads.state(values, ids.PLAN_WHAT_IT_TAKES), "value"),
    )
    ack()
    client.chat_update(channel=alert["channel"], ts=alert["ts"], **messages.planned(plan))


@listener
def handle_dismiss_plan(
    ack: Ack, action: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """ "Dismiss" on an at-risk alert: no follow-up is tracked (the owner or an admin only);
    the alert says so in place."""
    ack()
    plan = plans.dismiss(
        context["rapport"],
        user=member(context, client),
        plan_id=payloads.record_id(action.get("value")),
    )
    respond(replace_original=True, **messages.dismissed(plan))
