"""INSERT ... ON CONFLICT, for the rows that many replicas or requests may write at once
(claims, deliveries, Home tabs, profiles, account names, digest subscriptions, running
grade cadences)."""

from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_new(s: Session, model: type, **values) -> bool:
    """INSERT the row unless one with the same key exists; True if this call inserted it."""
    return insert_new_key(s, model, **values) is not None


def insert_new_key(s: Session, model: type, **values) -> int | str | None:
    """INSERT the row unless it would repeat the key of a unique constraint or index (a
    partial one too); the new row's primary key (its first column), or None. Concurrent
    callers on PostgreSQL wait for each other: exactly one gets the key."""
    statement = dialect_insert(s)(model).values(**values).on_conflict_do_nothing()
    return s.scalar(statement.returning(inspect(model).primary_key[0]))


def upsert(s: Session, model: type, rows: list[dict], *, update: tuple[str, ...]) -> None:
    """INSERT `rows`, or where one with the same primary key exists, set its `update`
    columns to the new values."""
    if not rows:
        return
    table = inspect(model).local_table  # a Core statement: no ORM bulk-insert machinery
    statement = dialect_insert(s)(table).values(rows)
    keys = [column.name for column in table.primary_key]
    s.execute(
        statement.on_conflict_do_update(
            index_elements=keys, set_={name: statement.excluded[name] for name in update}
        )
    )


def dialect_insert(s: Session):
    """The INSERT construct of the session's database, which knows ON CONFLICT."""
    return postgresql_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
