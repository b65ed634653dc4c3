"""Grades: /grade (asking, pending, history, cadences), the grade buttons on a prompt, the
reason modal that follows them, and the "Ask for a grade" modal."""

import contextlib
import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import people
from bot.accounts.ids import ACCOUNT_PICKER
from bot.blocks import text_message
from bot.errors import UserError
from bot.grades import answering, asking, cadences, history, ids, messages, scale
from bot.grades.answering import Reason
from bot.grades.asking import AskForm
from bot.grades.values import Asked
from bot.i18n import _
from bot.mrkdwn import unescape
from bot.people import Person
from bot.runtime.context import Rapport
from handlers import payloads
from handlers.after_ack import listener
from handlers.replies import help_of, member, speak_as_cached

COMMANDS = ("/grade",)


def register(app: App) -> None:
    app.command("/grade")(handle_grade)
    app.action(re.compile("^" + re.escape(ids.GRADE_BUTTON_PREFIX)))(handle_grade_button)
    app.view(ids.GRADE_REASON_VIEW)(handle_grade_reason)
    app.view(ids.ASK_GRADE_VIEW)(handle_ask_grade_form)


@listener
def handle_grade(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Grades*: ask a client or colleague for an A-F grade on an account, and why.
    • `/grade Acme @client`: DM them the account's question with a button per grade; they're asked why.
    • `/grade Acme @client What grade would you give our proposals?`: ask your own question.
    • `/grade Acme Dana`: ask the account's contact Dana, through their Slack user (`/account contact edit Acme Dana slack @dana`); without one, by a personal link.
    • `/grade Acme dana@client.com`: ask someone outside Slack (they become a contact): you get a personal link to send, or Rapport emails it when set up to.
    • `/grade pending`: the requests you sent that are still unanswered.
    • `/grade history Acme`: every grade with its reason, the average and the trend.
    • `/grade every month Acme @client`: ask every month (or `quarter`); `/grade cadence` lists them, `/grade cadence stop Acme` ends them.
    A grade below B marks the account at risk, and its owner is sent a recovery target.
    """
    ack()
    rapport = context["rapport"]
    person = member(context, client)
    text = unescape(command.get("text", "")).strip()
    verb, _space, rest = text.partition(" ")
    action = VERBS.get(verb.lower() or "help")
    if action is not None:
        message = action(rapport, client, person, rest.strip())
    else:  # anything else names an account to ask about
        asked = asking.ask_text(rapport, client, user=person, text=text)
        if isinstance(asked, Asked):
            message = messages.asked_by_link(asked, expiry_days=rapport.settings.expiry_days)
        else:
            message = messages.asked(asked)
    respond(response_type="ephemeral", replace_original=False, **message)


def _help(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    return text_message(help_of(handle_grade))


def _pending(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    requests = asking.pending(rapport, team_id=person.team_id, asked_by=person.user_id)
    return messages.pending(requests, now=rapport.clock.now(), tz=person.tz)


def _history(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    return messages.history(history.history(rapport, team_id=person.team_id, query=rest), person.tz)


def _every(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    cadence = cadences.start(rapport, client, user=person, text=rest)
    return messages.cadence_started(cadence, person.tz)


def _cadence(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    verb, _space, name = rest.partition(" ")
    if verb.lower() == "stop":
        account, count = cadences.stop(rapport, user=person, account_name=name)
        return messages.cadences_stopped(account, count)
    if verb:
        raise UserError(_("Use `/grade cadence` to list them, or `/grade cadence stop Acme`."))
    return messages.cadences(cadences.active(rapport, team_id=person.team_id), person.tz)


# /grade's verbs; anything else names an account to ask about.
VERBS = {
    "help": _help,
    "pending": _pending,
    "history": _history,
    "every": _every,
    "cadence": _cadence,
}


@listener
def handle_grade_button(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
):
    """A grade button on a prompt: the person asked is shown the reason modal; anyone else
    is told whose question it is, and nothing is recorded."""
    ack()
    rapport = context["rapport"]
    # A grader may be a guest, whom member() refuses: cache their profile for their language.
    with contextlib.suppress(UserError):  # gone from Slack: the workspace's language
        people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    speak_as_cached(context)
    request_id, _colon, grade = payloads.text(action, "value").partition(":")
    if grade not in scale.POINTS:
        raise payloads.stale()
    request = answering.check_answerable(
        rapport,
        team_id=context.team_id,
        request_id=payloads.record_id(request_id),
        user_id=context.user_id,
    )
    channel_id, message_ts = payloads.message_at(body)
    view = messages.reason_modal(request, grade, channel_id=channel_id, message_ts=message_ts)
    client.views_open(trigger_id=body["trigger_id"], view=view)


@listener
def handle_grade_reason(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The reason modal was submitted: a blank reason keeps it open; else the grade is
    recorded once, the prompt shows it (no buttons left), and recovery looks at it."""
    rapport = context["rapport"]
    speak_as_cached(context)  # cached when they clicked the grade: no call to Slack
    reason = Reason(
        payloads.text(payloads.state(view["state"]["values"], ids.GRADE_REASON), "value")
    )
    ack()
    prompt = payloads.metadata(view, request_id=int, grade=str, channel=str, ts=str)
    answering.record(
        rapport,
        client,
        team_id=context.team_id,
        request_id=payloads.record_id(prompt["request_id"]),
        user_id=context.user_id,
        grade=prompt["grade"],
        reason=reason,
        prompt=(prompt["channel"], prompt["ts"]),
    )


@listener
def handle_ask_grade_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The "Ask for a grade" modal was submitted: a missing field keeps it open; else the
    person is DMed the question, as with /grade, and the asker is told so in a DM."""
    rapport = context["rapport"]
    speak_as_cached(context)
    form = _ask_form(view["state"]["values"])
    ack()
    request = asking.ask_form(rapport, client, user=member(context, client), form=form)
    client.chat_postMessage(channel=context.user_id, **messages.asked(request))


def _ask_form(values: dict) -> AskForm:
    """The modal's state.values as an AskForm (which checks them)."""
    account = payloads.option(payloads.state(values, ids.ASK_GRADE_ACCOUNT, ACCOUNT_PICKER))
    return AskForm(
        account_id=payloads.record_id(account) if account else None,
        grader_id=payloads.text(payloads.state(values, ids.ASK_GRADE_GRADER), "selected_user")
        or None,
        question=payloads.text(payloads.state(values, ids.ASK_GRADE_QUESTION), "value"),
    )
