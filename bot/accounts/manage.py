"""`/account`'s use cases: add, list, show, set a field, archive."""

from bot.accounts import fields
from bot.accounts.names import find, find_active, name_key
from bot.accounts.values import AccountView
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import Account
from storage.queries import accounts as account_queries
from storage.queries import calls as call_queries
from storage.queries import home as home_queries

NAME_MAX = 80
SHOWN_CALLS = 5
# Verbs of /account and /grade: a name starting with one could never be typed after them.
COMMAND_WORDS = {
    "add",
    "list",
    "show",
    "set",
    "archive",
    "help",
    "pending",
    "history",
    "every",
    "cadence",
}


def add(rapport: Rapport, *, user: Person, name: str) -> Account:
    name = " ".join(name.split())
    if not name:
        raise UserError("Give the account a name: `/account add Acme Corp`.")
    if len(name) > NAME_MAX:
        raise UserError(f"Account names can be at most {NAME_MAX} characters.")
    if any(char in name for char in ':<>@#"“”'):
        raise UserError("Account names can't contain `:`, `<`, `>`, `@`, `#` or quotes.")
    if name.split()[0].lower() in COMMAND_WORDS:
        raise UserError(f"Account names can't start with “{escape(name.split()[0])}”.")
    with rapport.sessions.begin() as s:
        existing = account_queries.by_name_key(s, team_id=user.team_id, name_key=name_key(name))
        if existing is not None:
            state = " (archived)" if existing.archived_at else ""
            raise UserError(f"There is already an account called *{escape(existing.name)}*{state}.")
        account = Account(
            team_id=user.team_id,
            name=name,
            name_key=name_key(name),
            owner_id=user.user_id,
            created_by=user.user_id,
            created_at=rapport.clock.now(),
        )
        s.add(account)
        home_queries.changed(
            s, team_id=user.team_id, user_ids=[user.user_id], now=account.created_at
        )
    return account


def listing(rapport: Rapport, *, team_id: str) -> list[AccountView]:
    with rapport.reads.begin() as s:
        accounts = account_queries.active(s, team_id=team_id)
        contacts = account_queries.last_contacts(s, team_id=team_id)
        return [AccountView(account, contacts.get(account.id), []) for account in accounts]


def matching(rapport: Rapport, *, team_id: str, typed: str) -> list[Account]:
    """Accounts whose name starts with `typed`, then those that contain it."""
    key = name_key(typed)
    with rapport.reads.begin() as s:
        found = [a for a in account_queries.active(s, team_id=team_id) if key in a.name_key]
    return sorted(found, key=lambda a: (not a.name_key.startswith(key), a.name_key))


def show(rapport: Rapport, *, team_id: str, query: str) -> AccountView:
    with rapport.reads.begin() as s:
        account = find_active(s, team_id=team_id, query=_named(query))
        calls = call_queries.latest(s, team_id=team_id, account_id=account.id, limit=SHOWN_CALLS)
        return AccountView(account, calls[0].occurred_at if calls else None, calls)


def set_field(rapport: Rapport, *, user: Person, text: str) -> tuple[Account, str]:
    """`<name> <field> <value>`: change one field; returns the account and the field set."""
    words = text.split()
    positions = [i for i, word in enumerate(words) if word.lower() in fields.FIELDS and i > 0]
    if not positions:
        raise UserError(
            "Say which field to set: `/account set <name> <field> <value>`, where field is "
            + ", ".join(f"`{field}`" for field in fields.FIELDS)
            + ". Example: `/account set Acme Corp arr 120k`."
        )
    with rapport.sessions.begin() as s:
        account, i = _name_before_field(
            account_queries.active(s, team_id=user.team_id), words, positions
        )
        field, value = words[i].lower(), " ".join(words[i + 1 :])
        if not value:
            raise UserError(f"Give a value for `{field}`: {fields.EXAMPLES[field]}.")
        owner_before, now = account.owner_id, rapport.clock.now()
        fields.apply(
            account,
            field,
            value,
            user=user,
            now=now,
            languages=user.languages(rapport.settings.date_languages),
        )
        owners = {owner_before, account.owner_id}
        home_queries.changed(s, team_id=user.team_id, user_ids=owners, now=now)
    return account, field


def _name_before_field(
    accounts: list[Account], words: list[str], positions: list[int]
) -> tuple[Account, int]:
    """The account named before one of the field words at `positions`, and that position.

    An exact name wins (the longest, so "Blue Channel Media arr 1M" is not read as
    field "channel" of "Blue"); then the first run of words that `find` accepts.
    """
    by_key = {account.name_key: account for account in accounts}
    for i in reversed(positions):
        if account := by_key.get(name_key(" ".join(words[:i]))):
            return account, i
    for i in positions[1:]:
        try:
            return find(accounts, " ".join(words[:i])), i
        except UserError:
            continue
    return find(accounts, " ".join(words[: positions[0]])), positions[0]


def archive(rapport: Rapport, *, team_id: str, query: str) -> Account:
    with rapport.sessions.begin() as s:
        account = find_active(s, team_id=team_id, query=_named(query))
        account.archived_at = rapport.clock.now()
        home_queries.changed(
            s, team_id=team_id, user_ids=[account.owner_id], now=account.archived_at
        )
    return account


def _named(query: str) -> str:
    if not query.strip():
        raise UserError("Name the account, e.g. `Acme Corp`.")
    return query
