"""/account: add, list, show, set and archive client accounts, and send reports; the
account picker's type-ahead."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import people
from bot.accounts import manage, messages
from bot.accounts.ids import ACCOUNT_PICKER
from bot.people import Person
from bot.reports import account_report
from bot.reports import messages as report_messages
from bot.runtime.context import Rapport
from handlers.after_ack import listener
from handlers.replies import answer, command_words, show_help

COMMANDS = ("/account",)


def register(app: App) -> None:
    app.command("/account")(handle_account)
    app.options(ACCOUNT_PICKER)(handle_account_options)


@listener
def handle_account(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Accounts*: keep each client account's owner, renewal, revenue and contacts.
    • `/account add Acme Corp`: add an account; you own it.
    • `/account list`: every account, with its owner and last contact.
    • `/account show Acme`: details and the latest calls.
    • `/account set Acme owner @alex`: also `renewal March 31 2027`, `arr 120k`, `target 15%`, `channel #acme`, `competitors Globex, Initech`, `question What grade would you give our onboarding?` (asked by `/grade`).
    • `/account archive Acme`: hide an account; its history is kept.
    • `/account report last quarter mine`: a spreadsheet (.xlsx) of accounts, calls and grades, sent to your DM; also `this quarter` (the default), `last 30 days`, `Oct 1 to Nov 15`, and `all` (the default), `mine` or `@owner`.
    • `/account export`: the same accounts as a CSV file, with the same choices.
    Names match in any case, or by their first letters when only one account starts that way.
    """
    verb, rest = command_words(command)
    rapport = context["rapport"]
    if verb in UPLOADS:  # they talk to Slack: acknowledge first, answer when uploaded
        ack()
        person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
        sent = account_report.send(rapport, client, person=person, text=rest, as_csv=UPLOADS[verb])
        message = report_messages.sent(sent, context.channel_id)
        respond(response_type="ephemeral", replace_original=False, **message)
        return
    action = ACTIONS.get(verb)
    if action is None:
        show_help(ack, command, handle_account, verb)
        return
    answer(
        ack, respond, client, context, lambda person, reply: reply(**action(rapport, person, rest))
    )


@listener
def handle_account_options(ack: Ack, payload: dict, context: BoltContext):
    """Type-ahead for a modal's account picker: names starting with, then containing, the text."""
    found = manage.matching(
        context["rapport"], team_id=context.team_id, typed=payload.get("value", "")
    )
    ack(options=messages.account_options(found))


def _add(rapport: Rapport, person: Person, rest: str) -> dict:
    return messages.added(manage.add(rapport, user=person, name=rest))


def _list(rapport: Rapport, person: Person, rest: str) -> dict:
    return messages.account_list(manage.listing(rapport, team_id=person.team_id), person.tz)


def _show(rapport: Rapport, person: Person, rest: str) -> dict:
    view = manage.show(rapport, team_id=person.team_id, query=rest)
    return messages.account_details(view, person.tz, person.user_id)


def _set(rapport: Rapport, person: Person, rest: str) -> dict:
    return messages.updated(*manage.set_field(rapport, user=person, text=rest))


def _archive(rapport: Rapport, person: Person, rest: str) -> dict:
    return messages.archived(manage.archive(rapport, team_id=person.team_id, query=rest))


ACTIONS = {"add": _add, "list": _list, "show": _show, "set": _set, "archive": _archive}
# Verbs that upload a file, and whether it is the CSV export (else the workbook).
UPLOADS = {"report": False, "export": True}
