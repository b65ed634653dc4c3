"""Logging client calls: /logcall, its modal, the message shortcut, and Undo."""

import inspect

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import accounts, blocks, calls, home, ids, people
from bot.calls import CallForm, FormErrors
from bot.mrkdwn import unescape
from bot.when import local_phrase
from handlers import payloads
from handlers.errors import reported
from handlers.replies import answer

COMMANDS = ("/logcall",)
SHORTCUTS = (ids.LOG_CALL_SHORTCUT,)


def register(app: App) -> None:
    app.command("/logcall")(handle_logcall)
    app.view(ids.LOG_CALL_VIEW)(handle_call_form)
    app.options(ids.CALL_ACCOUNT)(handle_account_options)
    app.shortcut(ids.LOG_CALL_SHORTCUT)(handle_log_from_message)
    app.action(ids.UNDO_CALL)(handle_undo_call)


@reported
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
        client.views_open(trigger_id=command["trigger_id"], view=blocks.call_modal())
        # Cached now, so the submission is validated in the writer's timezone without waiting.
        people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
        return
    if text.lower() == "help":
        ack(response_type="ephemeral", **blocks.text_message(inspect.getdoc(handle_logcall)))
        return
    answer(
        ack,
        respond,
        client,
        context,
        lambda person: blocks.call_logged(
            calls.log_text(rapport, user=person, text=text, source="command"), person.tz
        ),
    )
    home.refresh(rapport, client, team_id=context.team_id, user_id=context.user_id)


@reported
def handle_call_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The log-call modal was submitted: store the call, or keep the modal open with errors;
    then confirm in a DM with an Undo button."""
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    try:
        call = calls.log_form(
            rapport, user=person, form=_form(view["state"]["values"]), source="modal"
        )
    except FormErrors as problems:
        ack(response_action="errors", errors=problems.errors)
        return
    ack()
    client.chat_postMessage(channel=person.user_id, **blocks.call_logged(call, person.tz))
    home.refresh(rapport, client, team_id=context.team_id, user_id=person.user_id)


def handle_account_options(ack: Ack, payload: dict, context: BoltContext):
    """Type-ahead for the modal's account picker: names starting with, then containing, the text."""
    found = accounts.matching(
        context["rapport"], team_id=context.team_id, typed=payload.get("value", "")
    )
    ack(options=blocks.account_options(found))


@reported
def handle_log_from_message(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext):
    """ "Log as client call" on a message: open the modal with its text and time filled in."""
    ack()
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    message = shortcut["message"]
    sent = payloads.message_time(message.get("ts"))
    view = blocks.call_modal(
        when=local_phrase(sent, person.tz), notes=payloads.text(message, "text")
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


@reported
def handle_undo_call(ack: Ack, action: dict, respond: Respond, context: BoltContext):
    """Undo on a call confirmation: delete the call (its author only) and say so in place."""
    ack()
    call = calls.undo(
        context["rapport"],
        team_id=context.team_id,
        user_id=context.user_id,
        call_id=payloads.record_id(action.get("value")),
    )
    respond(replace_original=True, **blocks.call_undone(call))


def _form(values: dict) -> CallForm:
    """The modal's state.values as a CallForm."""

    account = payloads.option(payloads.state(values, ids.CALL_ACCOUNT))
    return CallForm(
        account_id=payloads.record_id(account) if account else None,
        when=payloads.text(payloads.state(values, ids.CALL_WHEN), "value"),
        notes=payloads.text(payloads.state(values, ids.CALL_NOTES), "value"),
        next_step=payloads.text(payloads.state(values, ids.CALL_NEXT_STEP), "value"),
        follow_up_on=payloads.day(payloads.state(values, ids.CALL_FOLLOW_UP)),
        private=bool(payloads.state(values, ids.CALL_PRIVATE).get("selected_options")),
    )
