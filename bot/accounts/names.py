"""How accounts are named and found by what people type: any case, or the first letters
of one account's name."""

import difflib

from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import _, isolate
from bot.letters import fold
from bot.mrkdwn import escape
from storage.models import Account
from storage.queries import accounts as account_queries


def name_key(name: str) -> str:
    """How names compare: any case, spaces folded, letter variants and accents optional
    (bot/letters.py fold): `شركت` finds `شرکت`, `cong ty hoa binh` finds `Công ty Hòa Bình`."""
    return fold(name)


def find_active(s: Session, *, team_id: str, query: str) -> Account:
    """The workspace's active account named `query` (see `find`), or UserError."""
    return find(account_queries.active(s, team_id=team_id), query)


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
        raise UserError(_ambiguous(query, starting))
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
            raise UserError(_ambiguous(typed, starting))
    return None


def unknown_account_message(accounts: list[Account], query: str) -> str:
    close = difflib.get_close_matches(
        name_key(query), [account.name_key for account in accounts], n=3, cutoff=0.5
    )
    named = [account for account in accounts if account.name_key in close]
    typed = isolate(escape(query))
    if not accounts:
        text = _(
            "I don't know an account called “{typed}”. "
            "There are no accounts yet: add one with `/account add <name>`."
        )
    elif named:
        text = _("I don't know an account called “{typed}”. Did you mean {names}?")
    else:
        text = _("I don't know an account called “{typed}”. See `/account list` for the names.")
    return text.format(typed=typed, names=_names(named))


def _ambiguous(typed: str, starting: list[Account]) -> str:
    return _("“{typed}” could be {names}. Which one?").format(
        typed=isolate(escape(typed)), names=_names(starting)
    )


def _names(accounts: list[Account]) -> str:
    """The accounts' names, for a choice: "*A*", "*A* or *B*", "*A*, *B* or *C*"."""
    names = [f"*{isolate(escape(account.name))}*" for account in accounts]
    if len(names) <= 1:
        return "".join(names)
    # Translators: what separates account names in a list ("*A*, *B* or *C*").
    first = _(", ").join(names[:-1])
    # Translators: the last of a list of account names to choose from: "*A*, *B* or *C*".
    return _("{names} or {last}").format(names=first, last=names[-1])
