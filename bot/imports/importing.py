"""Importing a file: its preview (nothing stored), and its import, every good row in one
transaction or none. Accounts are matched by name key, contacts by account and name key,
calls by their import key (checking.py import_key): importing the same file again changes
nothing."""

import csv
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.accounts import fields
from bot.contacts.manage import changed_value
from bot.i18n import _
from bot.imports import checking, reading, slack_files
from bot.imports.checking import Importer, Plan
from bot.imports.owners import Owners
from bot.imports.values import Summary
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import CallSource, ChangeKind
from storage.queries import arr as arr_queries
from storage.queries import home as home_queries
from storage.queries import imports as import_queries

ACCOUNT_COLUMNS = ("owner_id", *(c for c in fields.COLUMNS.values() if c != "owner_id"))
CONTACT_COLUMNS = ("role", "department", "email", "slack_user_id", "language")
# The template's columns, and an example row of each kind (README.md, "Importing accounts").
TEMPLATE = [
    ["kind", "account", "owner", "renewal", "arr", "growth target", "competitors", "channel",
     "contact", "role", "department", "email", "slack", "language",
     "when", "notes", "next step", "follow-up", "with"],
    ["account", "Acme Corp", "alex@example.com", "2027-03-31", "120000", "15%",
     "Globex, Initech", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["contact", "Acme Corp", "", "", "", "", "", "", "Dana Lee", "CFO", "Finance",
     "dana@acme.example", "", "en", "", "", "", "", ""],
    ["call", "Acme Corp", "", "", "", "", "", "", "", "", "", "", "", "",
     "2026-11-02 15:00", "Went through the renewal; they want a proposal", "Send the proposal",
     "2026-11-20", "Dana Lee"],
]  # fmt: skip
TEMPLATE_NAME = "rapport-import-template.csv"


def importer(rapport: Rapport, person: Person) -> Importer:
    """`person` importing now: new accounts without an owner are theirs."""
    return Importer(
        person=person,
        reading=person.reading(rapport.settings.date_languages),
        now=rapport.clock.now(),
        owner=person.user_id,
    )


def preview(
    rapport: Rapport,
    client: WebClient | None,
    *,
    importer: Importer,
    content: bytes,
    filename: str,
    max_rows: int | None = reading.MAX_ROWS,
) -> Plan:
    """What importing the file would do, as stored now; stores nothing."""
    table, owners = _read(client, content, filename, max_rows)
    with rapport.reads.begin() as s:
        return checking.check(s, table, importer, owners)


def store(
    rapport: Rapport,
    client: WebClient | None,
    *,
    importer: Importer,
    content: bytes,
    filename: str,
    max_rows: int | None = reading.MAX_ROWS,
) -> Plan:
    """Import the file: checked again against what is stored now, then every good row
    stored in one transaction (rows that can't be imported skipped); what was done."""
    table, owners = _read(client, content, filename, max_rows)
    with rapport.sessions.begin() as s:
        plan = checking.check(s, table, importer, owners)
        _write(s, plan, importer)
        import_queries.refresh_statistics(s)
    return plan


def template() -> bytes:
    """The template CSV: the columns, and an example row of each kind."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(TEMPLATE)
    return out.getvalue().encode("utf-8-sig")


def _read(client: WebClient | None, content: bytes, filename: str, max_rows: int | None):
    """The file's rows, and its owners asked of Slack (before any transaction begins)."""
    table = reading.read(content, filename, max_rows=max_rows)
    owners = Owners(client)
    owners.prepare(checking.owner_cells(table))
    return table, owners


def _write(s: Session, plan: Plan, importer: Importer) -> None:
    team_id, by, now = importer.person.team_id, importer.person.user_id, importer.now
    changes: list[dict] = []

    def change(account_id: int, kind: ChangeKind, **what) -> None:
        entry = {"field": None, "old_value": None, "new_value": None, **what}
        changes.append(
            {"team_id": team_id, "account_id": account_id, "changed_by": by, "changed_at": now}
            | {"kind": kind, **entry}
        )

    owners = {by}
    new_accounts = []
    today = now.astimezone(ZoneInfo(importer.person.tz)).date()
    arr_values: list[dict] = []  # ARR history rows, by account key until ids are known

    def arr_value(key: str, arr: int | None) -> None:
        arr_values.append(
            {"team_id": team_id, "account_id": key, "arr": arr, "effective_on": today}
            | {"recorded_by": by, "recorded_at": now}
        )

    for row in plan.accounts:
        if row.existing is None:
            values = dict.fromkeys(ACCOUNT_COLUMNS) | row.values
            new_accounts.append(
                {"team_id": team_id, "name": row.name, "name_key": row.key}
                | {"created_by": by, "created_at": now, "archived_at": None, **values}
            )
            owners.add(values["owner_id"])
            if values["arr"] is not None:
                arr_value(row.key, values["arr"])
            continue
        account = row.existing
        owners.add(account.owner_id)
        for field in row.changed:
            before = fields.stored(account, field)
            setattr(account, fields.COLUMNS[field], row.values[fields.COLUMNS[field]])
            after = fields.stored(account, field)
            change(account.id, ChangeKind.SET, field=field, old_value=before, new_value=after)
            if field == "arr" and after != before:
                arr_value(row.key, account.arr)
        owners.add(account.owner_id)
    import_queries.add_accounts(s, new_accounts)
    s.flush()
    account_ids = import_queries.account_ids(s, team_id=team_id)
    arr_queries.record_many(
        s, [value | {"account_id": account_ids[value["account_id"]]} for value in arr_values]
    )

    new_contacts = []
    for row in plan.contacts:
        account_id = account_ids[row.account_key]
        contact = row.existing
        if contact is None:
            values = dict.fromkeys(CONTACT_COLUMNS) | row.values
            new_contacts.append(
                {"team_id": team_id, "account_id": account_id, "name": row.name}
                | {"name_key": row.key, "created_by": by, "created_at": now}
                | {"removed_at": None, **values}
            )
            change(account_id, ChangeKind.CONTACT_ADDED, new_value=row.name)
            continue
        for column in row.changed:
            if column == "removed_at":
                contact.removed_at = None
                change(account_id, ChangeKind.CONTACT_ADDED, new_value=contact.name)
                continue
            before, after = getattr(contact, column), row.values[column]
            setattr(contact, column, after)
            change(
                account_id,
                ChangeKind.CONTACT_CHANGED,
                field="team" if column == "department" else column,
                old_value=changed_value(contact.name, before),
                new_value=changed_value(contact.name, after),
            )
    import_queries.add_contacts(s, new_contacts)
    s.flush()
    contact_ids = import_queries.contact_ids(s, team_id=team_id) if plan.calls else {}

    import_queries.add_calls(
        s,
        [
            {
                "team_id": team_id,
                "account_id": account_ids[row.account_key],
                "logged_by": by,
                "next_step": None,
                "follow_up_on": None,
                **row.values,
                "private": False,
                "source": CallSource.IMPORT,
                "created_at": now,
                "import_key": row.import_key,
            }
            for row in plan.calls
        ],
    )
    attended = any(row.with_keys for row in plan.calls)
    call_ids = import_queries.imported_call_ids(s, team_id=team_id) if attended else {}
    import_queries.add_attendees(
        s,
        [
            {
                "team_id": team_id,
                "call_id": call_ids[row.import_key],
                "contact_id": contact_ids[(account_ids[row.account_key], key)],
            }
            for row in plan.calls
            if row.import_key in call_ids
            for key in dict.fromkeys(row.with_keys)
        ],
    )
    import_queries.add_changes(s, changes)
    home_queries.changed(s, team_id=team_id, user_ids=owners, now=now)


def preview_shared(rapport: Rapport, client: WebClient, *, person: Person, file_id: str) -> Summary:
    """The preview of a file `person` shared with Rapport in a DM."""
    return _shared(preview, rapport, client, person=person, file_id=file_id)


def import_shared(rapport: Rapport, client: WebClient, *, person: Person, file_id: str) -> Summary:
    """Import the file `person` shared (read again from Slack: files are immutable)."""
    return _shared(store, rapport, client, person=person, file_id=file_id)


def _shared(
    step: Callable[..., Plan], rapport: Rapport, client: WebClient, *, person: Person, file_id: str
) -> Summary:
    """`step` (preview or store) done with the file `person` shared, fetched from Slack."""
    shared = slack_files.fetch(client, file_id)
    plan = step(
        rapport,
        client,
        importer=importer(rapport, person),
        content=shared.content,
        filename=shared.name,
    )
    return plan.summary(shared.name, file_id)


def send_template(client: WebClient, *, person: Person) -> str:
    """Upload the template to `person`'s DM with Rapport; the DM's channel id."""
    channel_id = client.conversations_open(users=person.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel_id,
        file=template(),
        filename=TEMPLATE_NAME,
        title=_("Rapport import template"),
        initial_comment=_(
            "Fill it in (one row per account, contact or call), then send it back to me here."
        ),
    )
    return channel_id
