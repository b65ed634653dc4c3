"""What an import reads and writes in bulk: a workspace's accounts, contacts and imported
calls' keys; new rows inserted many at a time (INSERT .. ON CONFLICT DO NOTHING, so that
an import pressed twice at once adds each row once)."""

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.models import Account, AccountChange, Call, CallContact, Contact
from storage.queries.inserts import dialect_insert


def contacts(s: Session, *, team_id: str) -> list[Contact]:
    """Every contact of the workspace's accounts, removed ones too."""
    return list(s.scalars(select(Contact).where(Contact.team_id == team_id)))


def import_keys(s: Session, *, team_id: str) -> set[str]:
    """The keys of the workspace's imported calls."""
    query = select(Call.import_key).where(Call.team_id == team_id, Call.import_key.is_not(None))
    return set(s.scalars(query))


def add_accounts(s: Session, rows: list[dict]) -> None:
    """Insert the accounts whose name key is not taken."""
    _insert_new(s, Account, rows, ("team_id", "name_key"))


def account_ids(s: Session, *, team_id: str) -> dict[str, int]:
    """The id of each of the workspace's accounts, by name key."""
    query = select(Account.name_key, Account.id).where(Account.team_id == team_id)
    return {key: id_ for key, id_ in s.execute(query)}


def add_contacts(s: Session, rows: list[dict]) -> None:
    """Insert the contacts whose name key is not taken at their account."""
    _insert_new(s, Contact, rows, ("account_id", "name_key"))


def contact_ids(s: Session, *, team_id: str) -> dict[tuple[int, str], int]:
    """The id of each contact of the workspace, by (account id, name key)."""
    query = select(Contact.account_id, Contact.name_key, Contact.id).where(
        Contact.team_id == team_id
    )
    return {(account_id, key): id_ for account_id, key, id_ in s.execute(query)}


def add_calls(s: Session, rows: list[dict]) -> None:
    """Insert the calls whose import key is new."""
    _insert_new(s, Call, rows, ("team_id", "import_key"))


def imported_call_ids(s: Session, *, team_id: str) -> dict[str, int]:
    """The ids of the workspace's imported calls, by import key."""
    query = select(Call.import_key, Call.id).where(
        Call.team_id == team_id, Call.import_key.is_not(None)
    )
    return {key: id_ for key, id_ in s.execute(query)}


def add_attendees(s: Session, rows: list[dict]) -> None:
    """Record who was on which call (rows of call_id, contact_id, team_id)."""
    _insert_new(s, CallContact, rows, ("call_id", "contact_id"))


def add_changes(s: Session, rows: list[dict]) -> None:
    """Add entries to accounts' change histories."""
    if rows:
        s.execute(dialect_insert(s)(AccountChange.__table__), rows)


def _insert_new(s: Session, model: type, rows: list[dict], keys: tuple[str, ...]) -> None:
    if rows:
        statement = dialect_insert(s)(model.__table__).on_conflict_do_nothing(
            index_elements=list(keys)
        )
        s.execute(statement, rows)


def refresh_statistics(s: Session) -> None:
    """On PostgreSQL, the planner's statistics of the tables an import fills (ANALYZE,
    which counts this transaction's own rows): until autovacuum gathers them, up to a
    minute later, a report of a freshly imported book was planned as for empty tables,
    scanning the calls once per account (bench/reports.py: 113 s instead of 8)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("ANALYZE accounts, contacts, calls, call_contacts, arr_history"))
