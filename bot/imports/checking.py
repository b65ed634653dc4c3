"""An import file's rows checked against what is stored: which accounts are new, which
change (and which fields), which contacts and calls are new, and each row that can't be
imported with its line and why. Nothing is written here: importing.py stores the plan.

Values are read by the readers `/account set` uses (bot/accounts/fields.py), in the
importer's timezone and languages. An empty cell leaves a stored value as it is.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import access
from bot.accounts import fields
from bot.accounts.manage import checked_name
from bot.accounts.names import name_key
from bot.calls.logcall import NOTES_MAX, notes_too_long
from bot.contacts import fields as contact_fields
from bot.errors import UserError
from bot.i18n import _, isolate, number
from bot.imports.owners import Owners
from bot.imports.reading import Row, Table
from bot.imports.values import Summary
from bot.mrkdwn import escape, in_range
from bot.people import Person
from bot.when import FUTURE_TOLERANCE, parse_day, parse_moment
from storage.models import Account, Contact
from storage.queries import accounts as account_queries
from storage.queries import imports as import_queries

CHANNEL = re.compile(r"<?#?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?")
# Account fields read by bot/accounts/fields.py apply(), as `/account set` reads them.
READ_BY_FIELDS = ("renewal", "arr", "target", "competitors", "question")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
WITH_SEPARATORS = re.compile(r"[,;]")


@dataclass(frozen=True)
class Importer:
    """Who imports (their changes are theirs in the history), in which workspace, reading
    in their timezone and languages; `owner` owns new accounts whose owner cell is empty
    (None: such a row is refused)."""

    person: Person
    reading: dict
    now: datetime
    owner: str | None


@dataclass
class AccountRow:
    line: int
    name: str
    key: str
    values: dict  # column -> value, only those given
    existing: Account | None = None
    changed: tuple[str, ...] = ()  # fields of `/account set`


@dataclass
class ContactRow:
    line: int
    account_key: str
    name: str
    key: str
    values: dict  # column -> value, only those given
    existing: Contact | None = None
    changed: tuple[str, ...] = ()  # columns


@dataclass
class CallRow:
    line: int
    account_key: str
    values: dict  # occurred_at, notes, next_step, follow_up_on
    with_keys: tuple[str, ...]
    import_key: str


@dataclass
class Plan:
    accounts: list[AccountRow] = field(default_factory=list)  # new or changed
    contacts: list[ContactRow] = field(default_factory=list)  # new or changed
    calls: list[CallRow] = field(default_factory=list)  # new
    bad: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    unchanged_accounts: int = 0
    unchanged_contacts: int = 0
    known_calls: int = 0  # imported before
    ignored: tuple[str, ...] = ()  # headers of no known column

    def summary(self, filename: str, file_id: str = "") -> Summary:
        new_accounts = sum(row.existing is None for row in self.accounts)
        new_contacts = sum(row.existing is None for row in self.contacts)
        return Summary(
            filename=filename,
            file_id=file_id,
            new_accounts=new_accounts,
            updated_accounts=len(self.accounts) - new_accounts,
            unchanged_accounts=self.unchanged_accounts,
            new_contacts=new_contacts,
            updated_contacts=len(self.contacts) - new_contacts,
            unchanged_contacts=self.unchanged_contacts,
            new_calls=len(self.calls),
            known_calls=self.known_calls,
            bad=tuple(self.bad),
            ignored=self.ignored,
        )


def where(row: Row) -> str:
    """The row's place, for a person looking at the file: its line number as the
    spreadsheet shows it (no grouping, Latin digits)."""
    if row.sheet:
        return _("line {line} of sheet {sheet}").format(
            line=isolate(str(row.line)), sheet=isolate(escape(row.sheet))
        )
    return _("line {line}").format(line=isolate(str(row.line)))


def owner_cells(table: Table) -> list[str]:
    """The owner cells of the account rows, to ask Slack about before checking."""
    return [str(row.cells["owner"]) for row in table.rows if "owner" in row.cells]


def check(s: Session, table: Table, importer: Importer, owners: Owners) -> Plan:
    """The plan of importing `table` into the importer's workspace, as stored now."""
    team_id = importer.person.team_id
    stored = {account.name_key: account for account in account_queries.all_of(s, team_id=team_id)}
    plan = Plan(ignored=table.ignored)
    checker = _Checker(s, importer, owners, stored, plan)
    bad = list(table.bad)
    for kind in ("account", "contact", "call"):
        for row in table.rows:
            if row.kind == kind:
                try:
                    getattr(checker, kind)(row)
                except UserError as error:
                    bad.append((row, str(error)))
    sheets = {row.sheet: None for row in table.rows}  # in the file's order
    order = {sheet: i for i, sheet in enumerate(sheets)}
    bad.sort(key=lambda found: (order.get(found[0].sheet, -1), found[0].line))
    plan.bad = [(where(row), why) for row, why in bad]
    return plan


class _Checker:
    def __init__(self, s, importer: Importer, owners: Owners, stored: dict, plan: Plan):
        self.s, self.importer, self.owners, self.stored, self.plan = (
            s,
            importer,
            owners,
            stored,
            plan,
        )
        self.team_id = importer.person.team_id
        self.is_admin = access.is_admin(s, importer.person)
        self.accounts_seen: dict[str, Row] = {}  # name key -> its first row, good or bad
        self.accounts_good: set[str] = set()
        self.contacts_seen: dict[tuple[str, str], Row] = {}
        self.contacts_known: set[tuple[str, str]] = set()  # (account key, contact key)
        self.stored_contacts: dict[tuple[int, str], Contact] = {}
        self.calls_seen: dict[str, Row] = {}
        self.import_keys: set[str] | None = None
        self.keys: dict[str, str] = {}  # name_key of each name read, once

    def key(self, name: str) -> str:
        if (key := self.keys.get(name)) is None:
            key = self.keys[name] = name_key(name)
        return key

    # -- accounts

    def account(self, row: Row) -> None:
        name = checked_name(str(row.cells.get("account") or row.cells.get("name") or ""))
        key = self.key(name)
        self._once(self.accounts_seen, key, row, _("*{name}* is already on {where}."), name)
        existing = self.stored.get(key)
        values = self._account_values(row, existing)
        changed = tuple(
            f
            for f, column in fields.COLUMNS.items()
            if column in values
            and (existing is None or getattr(existing, column) != values[column])
        )
        if existing is not None and not changed:
            self.plan.unchanged_accounts += 1
        else:
            if existing is not None:
                self._may_change(existing)
            self.plan.accounts.append(AccountRow(row.line, name, key, values, existing, changed))
        self.accounts_good.add(key)

    def _account_values(self, row: Row, existing: Account | None) -> dict:
        cells, values = row.cells, {}
        if "owner" in cells:
            values["owner_id"] = self.owners(str(cells["owner"]))
        elif existing is None:
            if self.importer.owner is None:
                raise UserError(_("Give the account an owner: a Slack user id (U0123ABC)."))
            values["owner_id"] = self.importer.owner
        if "channel" in cells:
            found = CHANNEL.fullmatch(str(cells["channel"]))
            if not found:
                raise UserError(
                    _(
                        "“{typed}” isn't a channel: give its id (C0123ABC), found in its details."
                    ).format(typed=isolate(escape(str(cells["channel"]))))
                )
            values["channel_id"] = found.group(1)
        renewal = cells.get("renewal")
        if isinstance(renewal, datetime | date):
            values["renewal_on"] = renewal.date() if isinstance(renewal, datetime) else renewal
        elif isinstance(renewal, str) and ISO_DAY.fullmatch(renewal):
            values["renewal_on"] = _iso_day(renewal)
        scratch = Account()
        for f in READ_BY_FIELDS:
            column = fields.COLUMNS[f]
            if f in cells and column not in values:
                fields.apply(
                    scratch,
                    f,
                    _typed(cells[f]),
                    user=self.importer.person,
                    now=self.importer.now,
                    reading=self.importer.reading,
                )
                values[column] = getattr(scratch, column)
        return values

    def _may_change(self, account: Account) -> None:
        if not self.is_admin and account.owner_id != self.importer.person.user_id:
            access.require_change(self.s, self.importer.person, account)

    def _account_named(self, row: Row, *columns: str) -> str:
        """The key of the account a contact or call row names: in the file or stored."""
        typed = next((str(row.cells[c]) for c in columns if row.cells.get(c)), "")
        if not typed:
            raise UserError(_("Say which account: fill in the `account` column."))
        key = self.key(typed)
        if key in self.accounts_good or key in self.stored:
            return key
        if key in self.accounts_seen:
            raise UserError(
                _(
                    "The account *{name}* on {where} can't be imported, so neither can this row."
                ).format(name=isolate(escape(typed)), where=where(self.accounts_seen[key]))
            )
        raise UserError(
            _("There is no account *{name}*, in this file or in Rapport.").format(
                name=isolate(escape(typed))
            )
        )

    # -- contacts

    def contact(self, row: Row) -> None:
        account_key = self._account_named(row, "account")
        cells = row.cells
        checked = contact_fields.checked_contact(
            str(cells.get("contact") or cells.get("name") or ""),
            role=_text(cells.get("role")),
            department=_text(cells.get("department")),
            email=_text(cells.get("email")),
            slack_user=_text(cells.get("slack")),
            language=_text(cells.get("language")),
        )
        name, key = checked.name, self.key(checked.name)
        self._once(
            self.contacts_seen, (account_key, key), row, _("*{name}* is already on {where}."), name
        )
        values = {c: v for c, v in checked.values().items() if v is not None and c != "name"}
        account = self.stored.get(account_key)
        existing = self._stored_contacts().get((account.id, key)) if account else None
        if existing is None:
            changed = tuple(values)
        else:
            changed = tuple(c for c, v in values.items() if getattr(existing, c) != v)
            if existing.removed_at is not None:
                changed += ("removed_at",)
        if existing is not None and not changed:
            self.plan.unchanged_contacts += 1
        else:
            if account is not None:
                self._may_change(account)
            self.plan.contacts.append(
                ContactRow(row.line, account_key, name, key, values, existing, changed)
            )
        self.contacts_known.add((account_key, key))

    def _stored_contacts(self) -> dict[tuple[int, str], Contact]:
        if not self.stored_contacts:
            self.stored_contacts = {
                (c.account_id, c.name_key): c
                for c in import_queries.contacts(self.s, team_id=self.team_id)
            }
        return self.stored_contacts

    # -- calls

    def call(self, row: Row) -> None:
        account_key = self._account_named(row, "account", "name")
        cells = row.cells
        if "when" not in cells:
            raise UserError(_("Say when the call was: fill in the `when` column."))
        notes = str(cells.get("notes", ""))
        if not notes:
            raise UserError(_("Say what was said: fill in the `notes` column."))
        if len(notes) > NOTES_MAX:
            raise UserError(notes_too_long())
        occurred_at = self._moment(cells["when"])
        values = {"occurred_at": occurred_at, "notes": notes}
        if next_step := str(cells.get("next_step", "")):
            if len(next_step) > NOTES_MAX:
                raise UserError(
                    _("Keep the next step under {n} characters.").format(
                        n=isolate(number(NOTES_MAX))
                    )
                )
            values["next_step"] = next_step
        if "follow_up" in cells:
            values["follow_up_on"] = self._day(cells["follow_up"])
        with_keys = tuple(self._attendees(account_key, str(cells.get("with", ""))))
        key = import_key(account_key, occurred_at, notes)
        self._once(self.calls_seen, key, row, _("The same call is already on {where}."), "")
        if self.import_keys is None:
            self.import_keys = import_queries.import_keys(self.s, team_id=self.team_id)
        if key in self.import_keys:
            self.plan.known_calls += 1
            return
        self.plan.calls.append(CallRow(row.line, account_key, values, with_keys, key))

    def _attendees(self, account_key: str, typed: str):
        account = self.stored.get(account_key)
        for name in filter(None, (part.strip() for part in WITH_SEPARATORS.split(typed))):
            key = self.key(name)
            stored = self._stored_contacts().get((account.id, key)) if account else None
            if (account_key, key) not in self.contacts_known and (
                stored is None or stored.removed_at is not None
            ):
                raise UserError(
                    _("*{name}* isn't a contact of this account: add a contact row first.").format(
                        name=isolate(escape(name))
                    )
                )
            yield key

    def _moment(self, value) -> datetime:
        tz = ZoneInfo(self.importer.person.tz)
        now = self.importer.now
        if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif isinstance(value, str) and ISO_DAY.fullmatch(value):
            value = _iso_day(value)
        if isinstance(value, datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=tz)
        elif isinstance(value, date):
            moment = datetime.combine(value, time(), tzinfo=tz)
        else:
            return parse_moment(
                _typed(value), tz=self.importer.person.tz, now=now, **self.importer.reading
            )
        moment = moment.astimezone(ZoneInfo("UTC"))
        if moment > now + FUTURE_TOLERANCE or not in_range(moment):
            raise UserError(
                _("“{typed}” isn't the time of a past call.").format(
                    typed=isolate(escape(_typed(value)))
                )
            )
        return moment

    def _day(self, value) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if ISO_DAY.fullmatch(str(value)):
            return _iso_day(str(value))
        return parse_day(
            _typed(value),
            tz=self.importer.person.tz,
            now=self.importer.now,
            **self.importer.reading,
        )

    def _once(self, seen: dict, key, row: Row, repeated: str, name: str) -> None:
        """Remember where `key` first is; UserError if it was on an earlier row."""
        if key in seen:
            raise UserError(repeated.format(name=isolate(escape(name)), where=where(seen[key])))
        seen[key] = row


def import_key(account_key: str, occurred_at: datetime, notes: str) -> str:
    """An imported call's key: the same account, moment and notes are the same call."""
    moment = occurred_at.astimezone(ZoneInfo("UTC")).replace(microsecond=0).isoformat()
    return hashlib.sha256(f"{account_key}\x1f{moment}\x1f{notes}".encode()).hexdigest()


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(_("“{typed}” isn't a date.").format(typed=isolate(escape(text)))) from None


def _text(value) -> str | None:
    return None if value is None else _typed(value)


def _typed(value) -> str:
    """A cell as the text a person would type: numbers without a needless `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
