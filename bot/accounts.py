"""Accounts: naming and finding them, and the /account use cases."""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.mrkdwn import escape
from bot.people import Person
from bot.services import Rapport
from bot.when import parse_day
from storage import queries
from storage.models import Account, Call

NAME_MAX = 80
COMPETITORS_MAX = 500
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
FIELDS = ("owner", "renewal", "arr", "target", "channel", "competitors", "question")
QUESTION_MAX = 300
USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
MONEY = re.compile(r"^\$?\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?$", re.IGNORECASE)
PERCENT = re.compile(r"^\+?(-?\d+(?:\.\d+)?)\s*%?(?:\s*(?:a|per|/)\s*(?:year|yr))?$", re.IGNORECASE)


def name_key(name: str) -> str:
    """How names compare: case-insensitive, spaces folded."""
    return " ".join(name.split()).casefold()


def find(accounts: list[Account], query: str) -> Account:
    """The account named `query`: exact (any case), else the only one it starts; else UserError."""
    key = name_key(query)
    for account in accounts:
        if account.name_key == key:
            return account
    starting = [account for account in accounts if account.name_key.startswith(key)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise UserError(f"“{escape(query)}” could be {_names(starting)}. Which one?")
    raise UserError(unknown_account_message(accounts, query))


def split_name(accounts: list[Account], words: list[str]) -> tuple[Account, list[str]] | None:
    """The account named by the first words of `words`, and the words after it.

    The longest exact name wins; then the longest run of words that starts exactly
    one account's name. None when no run of leading words names an account.
    """
    runs = range(len(words), 0, -1)
    by_key = {account.name_key: account for account in accounts}
    for k in runs:
        if account := by_key.get(name_key(" ".join(words[:k]))):
            return account, words[k:]
    for k in runs:
        typed = " ".join(words[:k])
        starting = [account for account in accounts if account.name_key.startswith(name_key(typed))]
        if len(starting) == 1:
            return starting[0], words[k:]
        if starting:
            raise UserError(f"“{escape(typed)}” could be {_names(starting)}. Which one?")
    return None


def unknown_account_message(accounts: list[Account], query: str) -> str:
    close = difflib.get_close_matches(
        name_key(query), [account.name_key for account in accounts], n=3, cutoff=0.5
    )
    named = [account for account in accounts if account.name_key in close]
    if not accounts:
        hint = "There are no accounts yet: add one with `/account add <name>`."
    elif named:
        hint = f"Did you mean {_names(named)}?"
    else:
        hint = "See `/account list` for the names."
    return f"I don't know an account called “{escape(query)}”. {hint}"


def _names(accounts: list[Account]) -> str:
    names = [f"*{escape(account.name)}*" for account in accounts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class AccountView:
    account: Account
    last_contact: datetime | None
    calls: list[Call]


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
        existing = queries.account_by_name_key(s, team_id=user.team_id, name_key=name_key(name))
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
    return account


def listing(rapport: Rapport, *, team_id: str) -> list[AccountView]:
    with rapport.reads.begin() as s:
        accounts = queries.active_accounts(s, team_id=team_id)
        contacts = queries.last_contacts(s, team_id=team_id)
        return [AccountView(account, contacts.get(account.id), []) for account in accounts]


def matching(rapport: Rapport, *, team_id: str, typed: str) -> list[Account]:
    """Accounts whose name starts with `typed`, then those that contain it."""
    key = name_key(typed)
    with rapport.reads.begin() as s:
        found = [a for a in queries.active_accounts(s, team_id=team_id) if key in a.name_key]
    return sorted(found, key=lambda a: (not a.name_key.startswith(key), a.name_key))


def show(rapport: Rapport, *, team_id: str, query: str) -> AccountView:
    with rapport.reads.begin() as s:
        account = _active(s, team_id=team_id, query=query)
        calls = queries.latest_calls(s, team_id=team_id, account_id=account.id, limit=SHOWN_CALLS)
        return AccountView(account, calls[0].occurred_at if calls else None, calls)


def set_field(
    rapport: Rapport, *, user: Person, text: str, extra_languages=()
) -> tuple[Account, str]:
    """`<name> <field> <value>`: change one field; returns the account and the field set."""
    words = text.split()
    positions = [i for i, word in enumerate(words) if word.lower() in FIELDS and i > 0]
    if not positions:
        raise UserError(
            "Say which field to set: `/account set <name> <field> <value>`, where field is "
            + ", ".join(f"`{field}`" for field in FIELDS)
            + ". Example: `/account set Acme Corp arr 120k`."
        )
    with rapport.sessions.begin() as s:
        account, i = _name_before_field(
            queries.active_accounts(s, team_id=user.team_id), words, positions
        )
        field, value = words[i].lower(), " ".join(words[i + 1 :])
        if not value:
            raise UserError(f"Give a value for `{field}`: {FIELD_EXAMPLES[field]}.")
        _apply(account, field, value, user, rapport.clock.now(), extra_languages)
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
        account = _active(s, team_id=team_id, query=query)
        account.archived_at = rapport.clock.now()
    return account


def _active(s: Session, *, team_id: str, query: str) -> Account:
    if not query.strip():
        raise UserError("Name the account, e.g. `Acme Corp`.")
    return find(queries.active_accounts(s, team_id=team_id), query)


FIELD_EXAMPLES = {
    "owner": "`owner @alex`",
    "renewal": "`renewal March 31 2027` or `renewal in 6 months`",
    "arr": "`arr 120k`, `arr 1.2M` or `arr 120,000`",
    "target": "`target 15%` (growth a year)",
    "channel": "`channel #acme-team`",
    "competitors": "`competitors Globex, Initech`",
    "question": "`question What grade would you give our onboarding?`",
}


def _apply(
    account: Account, field: str, value: str, user: Person, now: datetime, extra_languages
) -> None:
    if field == "owner":
        account.owner_id = _match(USER_MENTION, value, field)
    elif field == "channel":
        account.channel_id = _match(CHANNEL_MENTION, value, field)
    elif field == "renewal":
        account.renewal_on = parse_day(
            value, tz=user.tz, now=now, languages=user.languages(extra_languages)
        )
    elif field == "arr":
        account.arr = _money(value)
    elif field == "target":
        account.growth_target_pct = float(_match(PERCENT, value, field))
    elif field == "question":
        if len(value) > QUESTION_MAX:
            raise UserError(f"Keep the question under {QUESTION_MAX} characters.")
        account.grade_question = value
    else:
        if len(value) > COMPETITORS_MAX:
            raise UserError(f"Keep competitors under {COMPETITORS_MAX} characters.")
        account.competitors = ", ".join(part.strip() for part in value.split(",") if part.strip())


def _match(pattern: re.Pattern, value: str, field: str) -> str:
    found = pattern.match(value.strip())
    if not found:
        raise UserError(f"“{escape(value)}” isn't a valid `{field}`. Try {FIELD_EXAMPLES[field]}.")
    return found.group(1)


def _money(value: str) -> int:
    found = MONEY.match(value.strip())
    if not found:
        raise UserError(f"“{escape(value)}” isn't an amount. Try {FIELD_EXAMPLES['arr']}.")
    amount = float(found.group(1).replace(",", ""))
    scale = {"k": 1_000, "m": 1_000_000}.get((found.group(2) or "").lower(), 1)
    return round(amount * scale)
