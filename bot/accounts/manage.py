"""`/account`'s use cases: add, show, set a field, archive, unarchive, rename.
Each change is kept in the account's history (bot/accounts/history.py) and returned, to
be told to the owner."""

import re
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import access
from bot.accounts import fields, history
from bot.accounts.names import find, find_active, name_key
from bot.accounts.values import AccountView
from bot.errors import UserError
from bot.i18n import _, isolate, ngettext
from bot.letters import plain
from bot.mrkdwn import escape
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import Account, AccountChange, ChangeKind
from storage.queries import accounts as account_queries
from storage.queries import arr as arr_queries
from storage.queries import calls as call_queries
from storage.queries import home as home_queries
from storage.queries.inserts import insert_new_key

NAME_MAX = 80
SHOWN_CALLS = 5
# Verbs of /account and /grade: a name starting with one could never be typed after them.
COMMAND_WORDS = {
    "add",
    "list",
    "show",
    "set",
    "archive",
    "unarchive",
    "rename",
    "help",
    "pending",
    "history",
    "every",
    "cadence",
    "contact",
    "contacts",
    "calls",
    "search",
    "import",
    "edit",
}


def add(rapport: Rapport, *, user: Person, name: str) -> Account:
    name = checked_name(name)
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        # One statement: of two adding the name at once, one adds it, the other is told.
        account_id = insert_new_key(
            s,
            Account,
            team_id=user.team_id,
            name=name,
            name_key=name_key(name),
            owner_id=user.user_id,
            created_by=user.user_id,
            created_at=now,
        )
        if account_id is None:
            raise UserError(
                _taken(
                    account_queries.by_name_key(s, team_id=user.team_id, name_key=name_key(name))
                )
            )
        home_queries.changed(s, team_id=user.team_id, user_ids=[user.user_id], now=now)
        return account_queries.by_id(s, team_id=user.team_id, account_id=account_id)


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


def set_field(
    rapport: Rapport, *, user: Person, text: str
) -> tuple[Account, str, list[AccountChange]]:
    """`<name> <field> <value>`: change one field (the owner or an admin); returns the
    account, the field set and the change (none when the value was already so)."""
    words = text.split()
    positions = [i for i, word in enumerate(words) if word.lower() in fields.FIELDS and i > 0]
    if not positions:
        raise UserError(
            _(
                "Say which field to set: `/account set <name> <field> <value>`, where field is "
                "{fields}. Example: `/account set Acme Corp arr 120k`."
            ).format(fields=", ".join(f"`{field}`" for field in fields.FIELDS))
        )
    with rapport.sessions.begin() as s:
        account, i = _name_before_field(
            account_queries.active(s, team_id=user.team_id), words, positions
        )
        access.require_change(s, user, account)
        field, value = words[i].lower(), " ".join(words[i + 1 :])
        if not value:
            raise UserError(
                _("Give a value for `{field}`: {example}.").format(
                    field=field, example=fields.example(field)
                )
            )
        owner_before, before, now = (
            account.owner_id,
            fields.stored(account, field),
            rapport.clock.now(),
        )
        reading = user.reading(rapport.settings.date_languages)
        if field == "arr":
            value, effective_on = fields.arr_from(value, user=user, now=now, reading=reading)
            current = account.arr
        fields.apply(account, field, value, user=user, now=now, reading=reading)
        changes = None
        if field == "arr":
            changes = _keep_arr(s, account, current, effective_on, by=user.user_id, now=now)
        if changes is None and (after := fields.stored(account, field)) != before:
            changes = [
                history.record(
                    s,
                    account,
                    by=user.user_id,
                    now=now,
                    kind=ChangeKind.SET,
                    field=field,
                    old=before,
                    new=after,
                )
            ]
        if changes:
            owners = {owner_before, account.owner_id}
            home_queries.changed(s, team_id=user.team_id, user_ids=owners, now=now)
    return account, field, changes or []


def _keep_arr(
    s: Session, account: Account, current: int | None, effective_on: date, *, by: str, now
) -> list[AccountChange] | None:
    """Keep the ARR just set in the ARR history, effective on `effective_on`. A value older
    than the latest one leaves `current` the account's ARR and is itself the change returned
    (none when it was already the value that day); else None: the change, if any, is the
    account's new ARR."""
    team_id, value = account.team_id, account.arr
    latest = arr_queries.latest_effective_on(s, team_id=team_id, account_id=account.id)
    back_dated = latest is not None and latest > effective_on
    if back_dated:
        account.arr = current
        then = arr_queries.account_on(s, team_id=team_id, account_id=account.id, day=effective_on)
        if then == value:
            return []
    elif current == value and latest is not None:
        return None  # the value it has had since `latest`: nothing new to keep
    arr_queries.record(
        s,
        team_id=team_id,
        account_id=account.id,
        arr=value,
        effective_on=effective_on,
        by=by,
        now=now,
    )
    if not back_dated:
        return None
    return [
        history.record(
            s,
            account,
            by=by,
            now=now,
            kind=ChangeKind.ARR_BACKDATED,
            field="arr",
            old=None if then is None else str(then),
            new=f"{value}\n{effective_on.isoformat()}",
        )
    ]


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


def archive(rapport: Rapport, *, user: Person, query: str) -> tuple[Account, list[AccountChange]]:
    """Hide an active account (the owner or an admin); `unarchive` brings it back."""
    with rapport.sessions.begin() as s:
        account = find_active(s, team_id=user.team_id, query=_named(query))
        return account, [_archiving(s, rapport, user, account, ChangeKind.ARCHIVED)]


def unarchive(rapport: Rapport, *, user: Person, query: str) -> tuple[Account, list[AccountChange]]:
    """Bring an archived account back, with its history (the owner or an admin)."""
    with rapport.sessions.begin() as s:
        archived = account_queries.archived(s, team_id=user.team_id)
        if not archived:
            raise UserError(_("No account is archived."))
        account = find(archived, _named(query))
        return account, [_archiving(s, rapport, user, account, ChangeKind.UNARCHIVED)]


def _archiving(
    s: Session, rapport: Rapport, user: Person, account: Account, kind: ChangeKind
) -> AccountChange:
    """Archive or unarchive `account` (the owner or an admin), in its history."""
    name = isolate(escape(account.name))
    if kind == ChangeKind.ARCHIVED:
        # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
        doing = _("archive *{name}*")
    else:
        # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
        doing = _("unarchive *{name}*")
    access.require_change(s, user, account, doing.format(name=name))
    now = rapport.clock.now()
    account.archived_at = now if kind == ChangeKind.ARCHIVED else None
    home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    return history.record(s, account, by=user.user_id, now=now, kind=kind)


RENAME = re.compile(r"\s+to\s+", re.IGNORECASE)


def rename(rapport: Rapport, *, user: Person, text: str) -> tuple[Account, list[AccountChange]]:
    """`<name> to <new name>` (the owner or an admin): the new name must be free, among
    archived accounts too; the history keeps the old one."""
    splits = list(RENAME.finditer(text))
    if not splits:
        raise UserError(_("Say the new name: `/account rename Acme to Acme Corp`."))
    try:
        with rapport.sessions.begin() as s:
            accounts = account_queries.active(s, team_id=user.team_id)
            account, new_name = _renamed(accounts, text, splits)
            # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
            doing = _("rename *{name}*").format(name=isolate(escape(account.name)))
            access.require_change(s, user, account, doing)
            old_name, now = account.name, rapport.clock.now()
            if new_name == old_name:
                return account, []
            taken = account_queries.by_name_key(
                s, team_id=user.team_id, name_key=name_key(new_name)
            )
            if taken is not None and taken.id != account.id:
                raise UserError(_taken(taken))
            account.name, account.name_key = new_name, name_key(new_name)
            change = history.record(
                s,
                account,
                by=user.user_id,
                now=now,
                kind=ChangeKind.RENAMED,
                old=old_name,
                new=new_name,
            )
            home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    except IntegrityError:  # renamed or added under that name meanwhile
        with rapport.reads.begin() as s:
            taken = account_queries.by_name_key(
                s, team_id=user.team_id, name_key=name_key(new_name)
            )
        raise UserError(_taken(taken) if taken else _("That name was just taken.")) from None
    return account, [change]


def _renamed(accounts: list[Account], text: str, splits: list[re.Match]) -> tuple[Account, str]:
    """The account named before one of the " to "s, and the checked new name after it:
    an exact name first (so "Back to Basics to B2B" renames "Back to Basics")."""
    by_key = {account.name_key: account for account in accounts}
    for split in reversed(splits):
        if account := by_key.get(name_key(text[: split.start()])):
            return account, checked_name(text[split.end() :])
    return find(accounts, text[: splits[0].start()]), checked_name(text[splits[0].end() :])


def checked_name(name: str) -> str:
    """A new account's name, spaces folded, as typed but for invisible marks (composed:
    bot/letters.py plain); UserError when it can't be one."""
    name = " ".join(plain(name).split())
    if not name_key(name):  # blank, or only accents and marks
        raise UserError(_("Give the account a name: `/account add Acme Corp`."))
    if len(name) > NAME_MAX or len(name_key(name)) > NAME_MAX:  # "ß" folds to "ss"
        raise UserError(
            ngettext(
                "Account names can be at most {n} character.",
                "Account names can be at most {n} characters.",
                NAME_MAX,
            ).format(n=isolate(str(NAME_MAX)))
        )
    if any(char in name for char in ':<>@#"“”'):
        raise UserError(_("Account names can't contain `:`, `<`, `>`, `@`, `#` or quotes."))
    if name.split()[0].lower() in COMMAND_WORDS:
        raise UserError(
            _("Account names can't start with “{word}”.").format(
                word=isolate(escape(name.split()[0]))
            )
        )
    return name


def _taken(existing: Account) -> str:
    name = isolate(escape(existing.name))
    if existing.archived_at:
        return _("There is already an account called *{name}* (archived).").format(name=name)
    return _("There is already an account called *{name}*.").format(name=name)


def _named(query: str) -> str:
    if not query.strip():
        raise UserError(_("Name the account, e.g. `Acme Corp`."))
    return query
