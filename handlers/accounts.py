"""/account: add, list, show, set, archive, unarchive and rename client accounts, show
their change history, and send reports; the account picker's type-ahead."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.accounts import history, manage, messages
from bot.accounts.ids import ACCOUNT_PICKER
from bot.people import Person
from bot.reports import account_report
from bot.reports import messages as report_messages
from bot.runtime.context import Rapport
from handlers.after_ack import listener
from handlers.replies import Reply, answer, command_words, member, show_help

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
    • `/account archive Acme`: hide an account; its history is kept. `/account unarchive Acme` brings it back.
    • `/account rename Acme to Acme Corp`: a new name; the history keeps the old one.
    • `/account history Acme`: who changed what, and when, newest first.
    • `/account report last quarter mine`: a spreadsheet (.xlsx) of accounts, calls and grades, sent to your DM; also `this quarter` (the default), `last 30 days`, `Oct 1 to Nov 15`, and `all` (the default), `mine` or `@owner`.
    • `/account export`: the same accounts as a CSV file, with the same choices.
    Names match in any case, or by their first letters when only one account starts that way.
    Everyone in the workspace reads accounts; an account's owner and Rapport admins change it, and the owner hears of changes others make.
    """
    verb, rest = command_words(command)
    rapport = context["rapport"]
    if verb in UPLOADS:  # they talk to Slack: acknowledge first, answer when uploaded
        ack()
        person = member(context, client)
        sent = account_report.send(rapport, client, person=person, text=rest, as_csv=UPLOADS[verb])
        message = report_messages.sent(sent, context.channel_id)
        respond(response_type="ephemeral", replace_original=False, **message)
        return
    action = ACTIONS.get(verb)
    if action is None:
        show_help(ack, command, context, handle_account, verb)
        return
    answer(
        ack,
        respond,
        client,
        context,
        lambda person, reply: action(rapport, client, person, rest, reply),
    )


@listener
def handle_account_options(ack: Ack, payload: dict, client: WebClient, context: BoltContext):
    """Type-ahead for a modal's account picker: names starting with, then containing, the text."""
    found = manage.matching(
        context["rapport"], team_id=member(context, client).team_id, typed=payload.get("value", "")
    )
    ack(options=messages.account_options(found))


def _add(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    reply(**messages.added(manage.add(rapport, user=person, name=rest)))


def _list(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    reply(**messages.account_list(manage.listing(rapport, team_id=person.team_id), person.tz))


def _show(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    view = manage.show(rapport, team_id=person.team_id, query=rest)
    reply(**messages.account_details(view, person.tz, person.user_id))


def _history(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    found = history.listing(rapport, team_id=person.team_id, query=rest)
    reply(**messages.history(*found, person.tz))


def _set(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    account, field, changes = manage.set_field(rapport, user=person, text=rest)
    reply(**messages.updated(account, field))
    history.tell_owners(rapport, client, account, changes)


def _archive(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    account, changes = manage.archive(rapport, user=person, query=rest)
    reply(**messages.archived(account))
    history.tell_owners(rapport, client, account, changes)


def _unarchive(
    rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply
) -> None:
    account, changes = manage.unarchive(rapport, user=person, query=rest)
    reply(**messages.unarchived(account))
    history.tell_owners(rapport, client, account, changes)


def _rename(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    account, changes = manage.rename(rapport, user=person, text=rest)
    reply(**messages.renamed(account, changes))
    history.tell_owners(rapport, client, account, changes)


ACTIONS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "history": _history,
    "set": _set,
    "archive": _archive,
    "unarchive": _unarchive,
    "rename": _rename,
}
# Verbs that upload a file, and whether it is the CSV export (else the workbook).
UPLOADS = {"report": False, "export": True}
