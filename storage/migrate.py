"""Bring a database to the newest migration, safely when several replicas start at once."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from storage.db import Unreachable, unreachable

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed 64-bit number; every replica takes this advisory lock around migrations.
ADVISORY_LOCK_KEY = 0x5241_5050_4F52_54


def upgrade(engine: Engine) -> None:
    """Every mode's first use of the database: Unreachable if it cannot be reached."""
    try:
        with locked_connection(engine) as connection:
            command.upgrade(config(connection), "head")
    except DBAPIError as error:
        if not unreachable(error):
            raise
        raise Unreachable(engine, error) from None


def config(connection: Connection) -> Config:
    """Alembic's configuration for running the migrations on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def locked_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction that holds the migration lock.

    PostgreSQL: a transaction-scoped advisory lock, so replicas on many hosts wait
    for each other. SQLite: the engine begins with BEGIN IMMEDIATE, which holds the
    file's write lock for the whole migration.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        yield connection
