"""Logging client calls: /logcall, its modal, the message shortcut, a DM to the bot,
Undo and Edit; the pages of `/account calls`."""

import functools
import logging

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import deliveries, people
from bot.accounts.ids import ACCOUNT_PICKER
from bot.calls import editing, history, ids, logcall, messages
from bot.calls.logcall import CallForm
from bot.calls.values import Cursor
from bot.calls.written import written
from bot.contacts import manage as contacts
from bot.contacts import messages as contact_messages
from bot.errors import slack_failed, unless_slack_fails
from bot.mrkdwn import unescape
from bot.people import Person
from bot.when import local_phrase
from handlers import imports, payloads
from handlers.after_ack import listener
from handlers.replies import Reply, answer, member, open_modal, show_help, speak_as_cached
from storage.models import CallSource

log = logging.getLogger(__name__)
COMMANDS = ("/logcall",)
SHORTCUTS = (ids.LOG_CALL_SHORTCUT,)
EVENTS = ("message.im",)
# Message subtypes a person sends: a file with its text, a thread reply also sent to the
# conversation. (A thread reply has no subtype, only a thread_ts.)
PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")


def register(app: App) -> None:
    app.command("/logcall")(handle_logcall)
    app.view(ids.LOG_CALL_VIEW)(handle_call_form)
    app.options(ids.CALL_CONTACTS)(handle_contact_options)
    app.shortcut(ids.LOG_CALL_SHORTCUT)(handle_log_from_message)
    app.action(ids.UNDO_CALL)(handle_undo_call)
    app.action(ids.EDIT_CALL)(handle_edit_call)
    app.view(ids.EDIT_CALL_VIEW)(handle_edit_form)
    app.action(ids.OLDER_CALLS)(handle_older_calls)
    app.event("message")(handle_direct_message)


@listener
def handle_logcall(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Log a client call*: `/logcall <account> <when>: <notes>`
    • `/logcall Acme yesterday 3pm: discussed renewal, they want a proposal`
    • `/logcall Acme Corp 2 hours ago: kickoff with their CFO`
    • `/logcall Acme: quick check-in` (no time means now)
    • `/logcall Acme yesterday with Dana, Lee: renewal talk`: who of the account's contacts was on the call (`/account contact add`), after the time.
    • `/logcall Acme yesterday: went through the renewal; next: send proposal; follow up Friday`: after the notes, `; next: <step>` and `; follow up <day>` (`follow-up`, `followup`; "in 2 weeks", "Dec 3"), in either order, each optional; I DM the account's owner on the morning it is due.
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
    notes = written(context["rapport"], client, team_id=context.team_id, message=message)
    view = messages.call_modal(when=local_phrase(sent, person.tz), notes=notes)
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
def handle_edit_call(ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext):
    """Edit on a call confirmation: open the log-call modal filled with the call, for its
    author, the account's owner or a Rapport admin; anyone else is told who may."""
    ack()
    person = member(context, client)
    call_id = payloads.record_id(action.get("value"))
    view = editing.opened(context["rapport"], user=person, call_id=call_id)
    client.views_open(trigger_id=body["trigger_id"], view=view)


@listener
def handle_edit_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The edit modal was submitted: change the call (a mistake keeps the modal open with
    what was wrong), confirm in a DM, and tell the owner when someone else edited it."""
    rapport = context["rapport"]
    person = member(context, client)
    sent = payloads.metadata(view, call_id=int, when=str, notes_kept=bool, version=str)
    edited = editing.edit(
        rapport,
        user=person,
        call_id=payloads.record_id(sent["call_id"]),
        form=_form(view["state"]["values"]),
        shown=sent["when"],
        version=sent["version"],
        notes_kept=sent["notes_kept"],
    )
    ack()
    message = messages.call_edited(edited.call, bool(edited.changes), person.tz)
    client.chat_postMessage(channel=person.user_id, **message)
    editing.tell_owners(rapport, client, edited, person.user_id)


@listener
def handle_older_calls(
    ack: Ack, action: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """ "Older calls" under `/account calls`: the next page, in place of the one shown."""
    ack()
    person = member(context, client)
    try:
        cursor = Cursor.read(action.get("value"))
    except ValueError:
        raise payloads.stale() from None
    page = history.older(context["rapport"], user=person, cursor=cursor)
    respond(replace_original=True, **messages.calls_page(page, person.tz, person.user_id))


@listener
def handle_direct_message(event: dict, body: dict, client: WebClient, context: BoltContext):
    """A DM to the bot: `log <account> <when>: <notes>` logs a call, a .csv or .xlsx file is
    previewed for import (handlers/imports.py), anything else gets help;
    a message with a file, a thread reply and one also sent to the conversation count too,
    and the answer goes to its thread. Edits, deletions and apps' messages are not a person
    writing to the bot: they are let be. Slack's retries of the same delivery do nothing."""
    if event.get("channel_type") != "im" or not _written_by_a_person(event, context):
        return
    rapport = context["rapport"]
    delivery = deliveries.keys(body)
    # "@Rapport log Acme ...": naming the bot it is written to changes nothing.
    typed = event["text"].strip().removeprefix(f"<@{context.bot_user_id}>")
    text = written(rapport, client, team_id=context.team_id, message={"text": typed})
    verb, _, rest = text.strip().partition(" ")
    # In the thread it was written in: Bolt's say() there would first read the thread
    # (conversations.replies, for its assistant threads), and could fail after the call
    # was stored.
    reply = functools.partial(
        client.chat_postMessage, channel=event["channel"], thread_ts=event.get("thread_ts")
    )
    if verb.lower() != "log" and imports.is_import(event):  # a CSV or .xlsx: its preview
        imports.preview_file(event, context, client, delivery, reply)
        return
    if verb.lower() != "log":
        if deliveries.first_time(rapport, team_id=context.team_id, delivery=delivery):
            writer = people.person(rapport, client, team_id=context.team_id, user_id=event["user"])
            with writer.speaking(rapport.settings.default_language):
                reply(**messages.dm_help())
        return
    person = member(context, client)
    call = logcall.log_text(
        rapport, user=person, text=rest, source=CallSource.DM, delivery=delivery
    )
    if call is not None:
        _confirm_stored(rapport, client, call, person, reply)


def _confirm_stored(rapport, client: WebClient, call, person: Person, reply: Reply) -> None:
    """Confirm a stored call. When Slack fails to take the confirmation (a 5xx, no answer:
    it may even have been posted), the person is told, in other words, that the call is
    stored, never that it did not go through (they would send it again)."""
    try:
        logcall.confirm(rapport, client, call, tz=person.tz, reply=reply)
    except Exception as error:
        if not slack_failed(error):
            raise
        log.warning("call %s is stored; Slack did not take its confirmation: %s", call.id, error)
        with unless_slack_fails(f"telling that call {call.id} is stored"):
            reply(**messages.call_kept(call))


def _written_by_a_person(event: dict, context: BoltContext) -> bool:
    """Whether `event` is a message a person wrote to the bot: no subtype, or one of
    PERSON_SUBTYPES; with its text and its author; not from an app (this one included)."""
    return (
        event.get("subtype") in PERSON_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and isinstance(event.get("text"), str)
        and isinstance(event.get("user"), str)
        and event["user"] != context.bot_user_id
    )


@listener
def handle_contact_options(ack: Ack, payload: dict, client: WebClient, context: BoltContext):
    """Type-ahead for the log-call modal's "With": the contacts of the account picked in
    the same modal (none until one is picked), whose name contains the text."""
    values = (payload.get("view") or {}).get("state", {}).get("values", {})
    account = payloads.option(payloads.state(values, ids.CALL_ACCOUNT, ACCOUNT_PICKER))
    found = []
    if account:
        found = contacts.matching(
            context["rapport"],
            team_id=member(context, client).team_id,
            account_id=payloads.record_id(account),
            typed=payload.get("value", ""),
        )
    ack(options=contact_messages.contact_options(found))


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
        contact_ids=tuple(
            payloads.record_id(payloads.text(chosen, "value"))
            for chosen in payloads.state(values, ids.CALL_CONTACTS).get("selected_options") or []
        ),
    )
