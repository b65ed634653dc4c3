"""/account: add, list, show, set and archive client accounts."""

import inspect

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import accounts, blocks, people, reports
from bot.mrkdwn import escape, unescape
from bot.people import Person
from handlers.errors import reported
from handlers.replies import answer

COMMANDS = ("/account",)


def register(app: App) -> None:
    app.command("/account")(handle_account)


@reported
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
    verb, _, rest = unescape(command.get("text", "")).strip().partition(" ")
    action = ACTIONS.get(verb.lower())
    if action is None:
        help_text = inspect.getdoc(handle_account)
        if verb and verb.lower() != "help":
            help_text = f"I don't know `/account {escape(verb)}`.\n\n{help_text}"
        ack(response_type="ephemeral", **blocks.text_message(help_text))
        return
    rapport = context["rapport"]
    if action in UPLOADS:  # they talk to Slack: acknowledge first, answer when uploaded
        ack()
        person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
        message = action(rapport, person, rest.strip(), client, context.channel_id)
        respond(response_type="ephemeral", replace_original=False, **message)
        return
    answer(ack, respond, client, context, lambda person: action(rapport, person, rest.strip()))


def _add(rapport, person: Person, rest: str) -> dict:
    account = accounts.add(rapport, user=person, name=rest)
    return blocks.text_message(
        f"Added *{escape(account.name)}*, owned by you. "
        f"Log a call with `/logcall {escape(account.name)} yesterday 3pm: what was said`."
    )


def _list(rapport, person: Person, rest: str) -> dict:
    return blocks.account_list(accounts.listing(rapport, team_id=person.team_id), person.tz)


def _show(rapport, person: Person, rest: str) -> dict:
    view = accounts.show(rapport, team_id=person.team_id, query=rest)
    return blocks.account_details(view, person.tz, person.user_id)


def _set(rapport, person: Person, rest: str) -> dict:
    account, field = accounts.set_field(
        rapport, user=person, text=rest, extra_languages=rapport.settings.date_languages
    )
    return blocks.text_message(
        f"Updated *{escape(account.name)}*. {blocks.account_fields(account)[field]}"
    )


def _archive(rapport, person: Person, rest: str) -> dict:
    account = accounts.archive(rapport, team_id=person.team_id, query=rest)
    return blocks.text_message(f"Archived *{escape(account.name)}*. Its calls are kept.")


def _report(rapport, person: Person, rest: str, client: WebClient, channel_id: str) -> dict:
    return _sent(reports.send(rapport, client, person=person, text=rest, as_csv=False), channel_id)


def _export(rapport, person: Person, rest: str, client: WebClient, channel_id: str) -> dict:
    return _sent(reports.send(rapport, client, person=person, text=rest, as_csv=True), channel_id)


def _sent(sent: reports.Sent, channel_id: str) -> dict:
    where = "here" if sent.channel_id == channel_id else "to our direct messages"
    count = "1 account" if sent.accounts == 1 else f"{sent.accounts} accounts"
    return blocks.text_message(
        f"Sent `{escape(sent.filename)}` {where}: {escape(sent.title)}, {count}."
    )


ACTIONS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "set": _set,
    "archive": _archive,
    "report": _report,
    "export": _export,
}
UPLOADS = (_report, _export)
