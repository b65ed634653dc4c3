"""/account: add, list, show, set, archive, unarchive and rename client accounts, show
their change history, and send reports; the account picker's type-ahead."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.accounts import history, listing, manage, messages
from bot.accounts.ids import ACCOUNT_PICKER, LIST_NEXT, LIST_PREVIOUS
from bot.calls import history as call_history
from bot.calls import messages as call_messages
from bot.calls import search as call_search
from bot.contacts import manage as contacts
from bot.contacts import messages as contact_messages
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.reports import account_report
from bot.reports import messages as report_messages
from bot.runtime.context import Rapport
from handlers import imports, payloads
from handlers.after_ack import listener
from handlers.replies import Reply, answer, command_words, member, show_help

COMMANDS = ("/account",)


def register(app: App) -> None:
    app.command("/account")(handle_account)
    app.options(ACCOUNT_PICKER)(handle_account_options)
    app.action(LIST_NEXT)(handle_list_page)
    app.action(LIST_PREVIOUS)(handle_list_page)


@listener
def handle_account(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Accounts*: keep each client account's owner, renewal, revenue and contacts.
    • `/account add Acme Corp`: add an account; you own it.
    • `/account list`: every account, with its owner and last contact. Narrow it with `mine` or `@owner`, `at risk` (latest grade below B), `stale` (no call lately, or ever), `renewing in 60 days`; order it `by last contact`, `by renewal` or `by arr`; the words combine, in any order: `/account list mine at risk by arr`.
    • `/account show Acme`: details, contacts (when each was last on a call, and the client's teams no call reached in 90 days) and the latest calls.
    • `/account contact add Acme Dana Lee, CFO, Finance, dana@acme.com @dana fa`: a contact; after the name, all optional and separated by commas: role, team, email, Slack user, language (`en`, `fa`, `ar`, `vi`; or `language fa`). Adding a removed name brings it back.
    • `/account contact list Acme`; `/account contact edit Acme Dana role VP Finance` (fields: `name`, `role`, `team`, `email`, `slack`, `language`; `none` clears one); `/account contact remove Acme Dana`.
    • `/account set Acme owner @alex`: also `renewal March 31 2027`, `arr 120k`, `target 15%`, `channel #acme`, `competitors Globex, Initech`, `question What grade would you give our onboarding?` (asked by `/grade`).
    • `/account set Acme arr 150k from 2026-10-01`: an ARR change that took effect on a past day (kept in the ARR history, from which growth is computed).
    • `/account archive Acme`: hide an account; its history is kept. `/account unarchive Acme` brings it back.
    • `/account rename Acme to Acme Corp`: a new name; the history keeps the old one.
    • `/account history Acme`: who changed what, and when, newest first.
    • `/account calls Acme`: every call, newest first, with whole notes, page by page; `/account calls Acme last 90 days` (or `this quarter`, `Oct 1 to Nov 15`) for a period.
    • `/account search renewal pricing`: calls whose notes or next step hold every word, best match first, and accounts with those words in their name.
    • `/account report last quarter mine`: sent to your DM, the headline numbers with a chart, and a spreadsheet (.xlsx) for leads: a summary per owner, accounts with growth against target, renewals by quarter, a forecast, calls, grades and charts; also `this quarter` (the default), `Q3`, `Q3 2026`, `this month`, `last month`, `this year`, `YTD`, `last 30 days`, `last 12 months`, `Oct 1 to Nov 15`, and `all` (the default), `mine` or `@owner`.
    • `/account export`: the report's accounts as a CSV file, with the same choices.
    • `/account import`: how to bring many accounts, contacts and past calls in from a CSV or .xlsx file DMed to me (a preview first, then Import); `/account import template` sends the template.
    Names match in any case, or by their first letters when only one account starts that way.
    Everyone in the workspace reads accounts; an account's owner and Rapport admins change it, and the owner hears of changes others make.
    """
    verb, rest = command_words(command)
    rapport = context["rapport"]
    if verb in UPLOADS:  # they talk to Slack: acknowledge first, answer when uploaded
        ack()
        person = member(context, client)
        request = account_report.asked(rapport, person=person, text=rest)
        building = report_messages.building(request)
        respond(response_type="ephemeral", replace_original=False, **building)
        sent = account_report.send(
            rapport, client, person=person, request=request, as_csv=UPLOADS[verb]
        )
        message = report_messages.sent(sent, context.channel_id)
        respond(response_type="ephemeral", replace_original=False, **message)
        return
    if verb == "import":  # the template is uploaded: acknowledge first
        ack()
        message = imports.account_import(client, context, rest)
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


@listener
def handle_list_page(
    ack: Ack, action: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """Previous or Next page under `/account list`: the page its button names, in place."""
    ack()
    person = member(context, client)
    try:
        filters, offset = listing.pressed(action.get("value"), user_id=person.user_id)
    except ValueError:
        raise payloads.stale() from None
    found = listing.page(context["rapport"], person=person, filters=filters, offset=offset)
    respond(replace_original=True, **messages.account_page(found, person.tz))


def _list(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    filters = listing.parse(rest, user_id=person.user_id)
    found = listing.page(rapport, person=person, filters=filters)
    reply(**messages.account_page(found, person.tz))


def _show(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    view = manage.show(rapport, team_id=person.team_id, query=rest)
    people = contacts.overview(rapport, account=view.account)
    lines = contact_messages.overview_lines(view.account, people, person.tz)
    reply(**messages.account_details(view, person.tz, person.user_id, lines))


def _contact(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    """`/account contact add|list|edit|remove ...`."""
    verb, _space, text = rest.partition(" ")
    verb, text = verb.lower(), text.strip()
    if verb == "list":
        account, people = contacts.listing(rapport, team_id=person.team_id, query=text)
        reply(**contact_messages.contact_list(account, people, person.tz))
        return
    if verb == "add":
        account, contact, changes = contacts.add(rapport, user=person, text=text)
        reply(**contact_messages.added(account, contact))
    elif verb == "edit":
        account, contact, changes = contacts.edit(rapport, user=person, text=text)
        reply(**contact_messages.edited(account, contact, bool(changes)))
    elif verb == "remove":
        account, contact, changes = contacts.remove(rapport, user=person, text=text)
        reply(**contact_messages.removed(account, contact))
    else:
        raise UserError(
            _(
                "Use `/account contact add`, `list`, `edit` or `remove`: "
                "`/account contact add Acme Dana Lee, CFO, Finance`."
            )
        )
    history.tell_owners(rapport, client, account, changes)


def _history(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    found = history.listing(rapport, team_id=person.team_id, query=rest)
    reply(**messages.history(*found, person.tz))


def _set(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    account, field, changes = manage.set_field(rapport, user=person, text=rest)
    reply(**messages.updated(account, field, changes))
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


def _calls(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    page = call_history.listing(rapport, user=person, text=rest)
    reply(**call_messages.calls_page(page, person.tz, person.user_id))


def _search(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    found = call_search.search(rapport, user=person, text=rest)
    reply(**call_messages.search_results(found, person.tz, person.user_id))


ACTIONS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "history": _history,
    "set": _set,
    "archive": _archive,
    "unarchive": _unarchive,
    "rename": _rename,
    "calls": _calls,
    "search": _search,
    "contact": _contact,
    "contacts": _contact,
}
# Verbs that upload a file, and whether it is the CSV export (else the workbook).
UPLOADS = {"report": False, "export": True}
