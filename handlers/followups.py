"""The follow-up DM's buttons: Log the call (the log-call modal, its account picked),
Snooze and Done (the follow-up changes in place in the DM)."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.calls import messages as call_messages
from bot.followups import due, ids, messages
from bot.followups.values import Due, Kind
from handlers import payloads
from handlers.after_ack import listener
from handlers.replies import member, open_modal


def register(app: App) -> None:
    app.action(ids.LOG_CALL)(handle_log_call)
    app.action(ids.SNOOZE)(handle_snooze)
    app.action(ids.DONE)(handle_done)


@listener
def handle_log_call(ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext):
    """ "Log the call" on a follow-up: the log-call modal opens with its account picked."""
    ack()
    person = member(context, client)
    account = due.account_to_log(
        context["rapport"], user=person, account_id=payloads.record_id(action.get("value"))
    )
    view = call_messages.call_modal(account=account)
    open_modal(client, context, body["trigger_id"], view)


@listener
def handle_snooze(ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext):
    """ "Snooze": the follow-up is due SNOOZE_DAYS from today; the DM says so in its place."""
    _settle(ack, action, body, client, context, due.snooze)


@listener
def handle_done(ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext):
    """ "Done": no more reminders of this follow-up; the DM says so in its place."""
    _settle(ack, action, body, client, context, due.done)


def _follow_up(action: dict) -> tuple[Kind, int]:
    """The follow-up a button names: `<kind>:<id>`."""
    value = action.get("value")
    kind, _colon, item_id = value.partition(":") if isinstance(value, str) else ("", "", "")
    if kind not in set(Kind):
        raise payloads.stale()
    return Kind(kind), payloads.record_id(item_id)


def _settle(
    ack: Ack,
    action: dict,
    body: dict,
    client: WebClient,
    context: BoltContext,
    settle: Callable[..., Due],
) -> None:
    """`settle` (snooze or done) the follow-up the button names; the DM's follow-up and its
    buttons become what was done with it, the rest stays."""
    ack()
    person = member(context, client)
    kind, item_id = _follow_up(action)
    settled = settle(context["rapport"], user=person, kind=kind, item_id=item_id)
    channel_id, message_ts = payloads.message_at(body)
    message = body.get("message")
    blocks = message.get("blocks") if isinstance(message, dict) else None
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise payloads.stale()
    today = context["rapport"].clock.now().astimezone(ZoneInfo(person.tz)).date()
    section_id, buttons_id = messages.block_ids(settled.kind, settled.id)
    updated = []
    for block in blocks:
        if block.get("block_id") == section_id:
            updated.append(messages.settled(settled, today=today))
        elif block.get("block_id") != buttons_id:
            updated.append(block)
    client.chat_update(
        channel=channel_id, ts=message_ts, text=message.get("text") or "", blocks=updated
    )
