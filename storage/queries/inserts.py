"""INSERT ... ON CONFLICT DO NOTHING, for the rows that many replicas or requests may
try to insert at once (claims, deliveries)."""

from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_new(s: Session, model: type, **values) -> bool:
    """INSERT the row unless one with the same key exists; True if this call inserted it.
    Concurrent callers on PostgreSQL wait for each other: exactly one gets True."""
    insert = postgresql_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**values).on_conflict_do_nothing()
    key = inspect(model).primary_key[0]
    return s.scalar(statement.returning(key)) is not None
