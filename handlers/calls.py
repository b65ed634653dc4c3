"""Logging client calls: /logcall, its modal, the message shortcut, a DM to the bot, and
Undo."""

import functools

from slack_bolt import Ack, App, BoltContext, Respond, Say
from slack_sdk import WebClient

from bot import deliveries, people
from bot.accounts.ids import ACCOUNT_PICKER
from bot.calls import ids, logcall, messages
from bot.calls.logcall import CallForm
from bot.mrkdwn import unescape
from bot.people import Person
from bot.when import local_phrase
from handlers import payloads
from handlers.after_ack import listener
from handlers.replies import Reply, answer, member, open_modal, show_help, speak_as_cached
from storage.models import CallSource

COMMANDS = ("/logcall",)
SHORTCUTS = (ids.LOG_CALL_SHORTCUT,)
EVENTS = ("message.im",)


def register(app: App) -> None:
    app.command("/logcall")(handle_logcall)
    app.view(ids.LOG_CALL_VIEW)(handle_call_form)
    app.shortcut(ids.LOG_CALL_SHORTCUT)(handle_log_from_message)
    app.action(ids.UNDO_CALL)(handle_undo_call)
    app.event("message")(handle_direct_message)


@listener
def handle_logcall(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Log a client call*: `/logcall <account> <when>: <notes>`
    • `/logcall Acme yesterday 3pm: discussed renewal, they want a proposal`
    • `/logcall Acme Corp 2 hours ago: kickoff with their CFO`
    • `/logcall Acme: quick check-in` (no time means now)
    Times are read in your Slack timezone. `/logcall` alone opens a form with next step,
    follow-up date and a private-note option. You can also DM me `log Acme yesterday: ...`.
    """
    text = unescape(command.get("text", "")).strip()
    rapport = context["rapport"]
    if not text:
        ack()
        speak_as_cached(context)  # the modal opens before Slack could be asked who this is
        open_modal(client, context, command["trigger_id"], messages.call_modal())
        return
    if text.lower() == "help":
        show_help(ack, command, context, handle_logcall)
        return

    def log(person: Person, reply: Reply) -> None:
        call = logcall.log_text(rapport, user=person, text=text, source=CallSource.COMMAND)
        logcall.confirm(rapport, client, call, tz=person.tz, reply=reply)

    answer(ack, respond, client, context, log)


@listener
def handle_call_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The log-call modal was submitted: store the call (a mistake keeps the modal open
    with what was wrong); then confirm in a DM with an Undo button."""
    rapport = context["rapport"]
    person = member(context, client)
    call = logcall.log_form(rapport, user=person, form=_form(view["state"]["values"]))
    ack()
    dm = functools.partial(client.chat_postMessage, channel=person.user_id)
    from_home = bool(view.get("private_metadata"))  # the only metadata it carries
    logcall.confirm(rapport, client, call, tz=person.tz, reply=dm, from_home=from_home)


@listener
def handle_log_from_message(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext):
    """ "Log as client call" on a message: open the modal with its text and time filled in."""
    ack()
    person = member(context, client)
    message = shortcut["message"]
    sent = payloads.message_time(message.get("ts"))
    view = messages.call_modal(
        when=local_phrase(sent, person.tz), notes=payloads.text(message, "text")
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


@listener
def handle_undo_call(
    ack: Ack, action: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """Undo on a call confirmation: delete the call (its author only) and say so in place."""
    ack()
    member(context, client)
    call = logcall.undo(
        context["rapport"],
        team_id=context.team_id,
        user_id=context.user_id,
        call_id=payloads.record_id(action.get("value")),
    )
    respond(replace_original=True, **messages.call_undone(call))


@listener
def handle_direct_message(
    event: dict, body: dict, say: Say, client: WebClient, context: BoltContext
):
    """A DM to the bot: `log <account> <when>: <notes>` logs a call, anything else gets help.
    Slack's retries of the same delivery are recognised and do nothing."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    if not (isinstance(event.get("text"), str) and isinstance(event.get("user"), str)):
        return  # nothing typed, or nobody typed it: not a message a person wrote
    rapport = context["rapport"]
    delivery = deliveries.keys(body)
    verb, _, rest = unescape(event["text"]).strip().partition(" ")
    if verb.lower() != "log":
        if deliveries.first_time(rapport, team_id=context.team_id, delivery=delivery):
            writer = people.person(rapport, client, team_id=context.team_id, user_id=event["user"])
            with writer.speaking(rapport.settings.default_language):
                say(**messages.dm_help())
        return
    person = member(context, client)
    call = logcall.log_text(
        rapport, user=person, text=rest, source=CallSource.DM, delivery=delivery
    )
    if call is not None:
        logcall.confirm(rapport, client, call, tz=person.tz, reply=say)


def _form(values: dict) -> CallForm:
    """The modal's state.values as a CallForm."""
    account = payloads.option(payloads.state(values, ids.CALL_ACCOUNT, ACCOUNT_PICKER))
    return CallForm(
        account_id=payloads.record_id(account) if account else None,
        when=payloads.text(payloads.state(values, ids.CALL_WHEN), "value"),
        notes=payloads.text(payloads.state(values, ids.CALL_NOTES), "value"),
        next_step=payloads.text(payloads.state(values, ids.CALL_NEXT_STEP), "value"),
        follow_up_on=payloads.day(payloads.state(values, ids.CALL_FOLLOW_UP)),
        private=bool(payloads.state(values, ids.CALL_PRIVATE).get("selected_options")),
    )
