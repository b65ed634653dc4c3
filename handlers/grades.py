"""Grades: /grade, the grade buttons on a prompt, and the reason modal that follows them."""

import inspect
import re

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks, grade_blocks, grades, grading, home, ids, people, recovery
from bot.errors import UserError
from bot.mrkdwn import unescape
from bot.people import Person
from bot.services import Rapport
from handlers import cadence, payloads
from handlers.errors import reported

COMMANDS = ("/grade",)


def register(app: App) -> None:
    app.command("/grade")(handle_grade)
    app.action(re.compile("^" + re.escape(ids.GRADE_BUTTON_PREFIX)))(handle_grade_button)
    app.view(ids.GRADE_REASON_VIEW)(handle_grade_reason)


@reported
def handle_grade(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Grades*: ask a client or colleague for an A-F grade on an account, and why.
    • `/grade Acme @client`: DM them the account's question with a button per grade; they're asked why.
    • `/grade Acme @client What grade would you give our proposals?`: ask your own question.
    • `/grade pending`: the requests you sent that are still unanswered.
    • `/grade history Acme`: every grade with its reason, the average and the trend.
    • `/grade every month Acme @client`: ask every month (or `quarter`); `/grade cadence` lists them, `/grade cadence stop Acme` ends them.
    A grade below B marks the account at risk, and its owner is sent a recovery target.
    """
    ack()
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    text = unescape(command.get("text", "")).strip()
    verb, _, rest = text.partition(" ")
    verb = verb.lower()
    action = VERBS.get(verb or "help")
    if action is not None:
        message = action(rapport, client, person, rest.strip())
    else:
        message = grade_blocks.asked(grades.ask_text(rapport, client, user=person, text=text))
    respond(response_type="ephemeral", replace_original=False, **message)


def _help(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    return blocks.text_message(inspect.getdoc(handle_grade))


def _pending(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    requests = grades.pending(rapport, team_id=person.team_id, asked_by=person.user_id)
    return grade_blocks.pending(requests, now=rapport.clock.now(), tz=person.tz)


def _history(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    return grade_blocks.history(
        grades.history(rapport, team_id=person.team_id, query=rest), person.tz
    )


# /grade's verbs (every and cadence from handlers.cadence); anything else names an
# account to ask about.
VERBS = {"help": _help, "pending": _pending, "history": _history, **cadence.VERBS}


@reported
def handle_grade_button(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
):
    """A grade button on a prompt: the person asked is shown the reason modal; anyone else
    is told whose question it is, and nothing is recorded."""
    ack()
    request_id, _, grade = payloads.text(action, "value").partition(":")
    if grade not in grading.POINTS:
        raise UserError(payloads.STALE)
    request = grades.check_answerable(
        context["rapport"],
        team_id=context.team_id,
        request_id=payloads.record_id(request_id),
        user_id=context.user_id,
    )
    channel_id, message_ts = payloads.message_at(body)
    view = grade_blocks.reason_modal(request, grade, channel_id=channel_id, message_ts=message_ts)
    client.views_open(trigger_id=body["trigger_id"], view=view)


@reported
def handle_grade_reason(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The reason modal was submitted: a blank reason keeps it open; else the grade is
    recorded once, the prompt shows it (no buttons left), and recovery looks at it."""
    reason = payloads.text(payloads.state(view["state"]["values"], ids.GRADE_REASON), "value")
    if not reason.strip():
        ack(
            response_action="errors",
            errors={ids.GRADE_REASON: "Please say why you gave this grade."},
        )
        return
    ack()
    rapport = context["rapport"]
    prompt = payloads.metadata(view, request_id=int, grade=str, channel=str, ts=str)
    grade = grades.answer(
        rapport,
        team_id=context.team_id,
        request_id=payloads.record_id(prompt["request_id"]),
        user_id=context.user_id,
        grade=prompt["grade"],
        reason=reason,
    )
    if grade is None:  # a double click, a second tab, a retry, or the request expired
        raise UserError(
            "Nothing more was recorded: this question was already answered or has expired."
        )
    try:
        recovery.on_grade(rapport, client, grade)
    finally:  # the prompt shows the grade even if the owner could not be alerted
        client.chat_update(
            channel=prompt["channel"], ts=prompt["ts"], **grade_blocks.answered(grade)
        )
    home.refresh(rapport, client, team_id=context.team_id, user_id=grade.account.owner_id)
