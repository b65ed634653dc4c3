"""Engine and session factory, tuned per database.

SQLite runs in WAL mode with a busy timeout, and every writing transaction begins
with BEGIN IMMEDIATE: a writer waits for the lock up front instead of failing with
"database is locked" when it upgrades a read lock under concurrent writers. Reading
transactions (make_read_sessions) begin plainly and never wait for writers. The writers
of one engine take turns on a lock of their own before BEGIN IMMEDIATE: SQLite's busy
handler polls with sleeps growing to 100 ms, so among many threads an unlucky writer kept
missing its turn (`serve` under 32 clients: p99 over a second).

PostgreSQL sessions run in UTC, and connections are pinged when taken from the pool, so a connection dropped
between two use cases (a restart, a killed backend) is replaced unseen. A database that
cannot be reached at all, or a connection lost during a use case, is told apart from
other errors by `unreachable(error)`; at start, `Unreachable` says so in a line.
"""

import logging
import threading

from sqlalchemy import Engine, ExceptionContext, create_engine, event, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_SECONDS = 30
READ_ONLY = "rapport_read_only"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_on_connect)
        turn = _WritersTurn()
        event.listen(engine, "begin", turn.begin)
        event.listen(engine, "commit", turn.end)
        event.listen(engine, "rollback", turn.end)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        event.listen(engine, "connect", _postgresql_on_connect)
    event.listen(engine, "handle_error", _failed_connect_is_a_disconnect)
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Use as `with sessions.begin() as s:`, one transaction per use case."""
    return sessionmaker(engine, expire_on_commit=False)


def make_read_sessions(engine: Engine) -> sessionmaker[Session]:
    """Like make_sessions, for use cases that only read."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def unreachable(error: BaseException) -> bool:
    """Whether `error` means the database is out of reach: no connection could be opened,
    or the one in use was lost (its transaction is then rolled back by the server)."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


class Unreachable(Exception):
    """`engine`'s database cannot be connected to: which (its password hidden) and why, in
    a line."""

    def __init__(self, engine: Engine, error: DBAPIError):
        why = str(error.orig).partition("\n")[0]
        super().__init__(f"{engine.url.render_as_string(hide_password=True)}: {why}")


def reachable(sessions: sessionmaker[Session]) -> bool:
    """Whether the database answers a trivial query (the health check)."""
    try:
        with sessions() as s:
            s.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        log.warning("health check: database unreachable", exc_info=True)
        return False


def _failed_connect_is_a_disconnect(context: ExceptionContext) -> None:
    # SQLAlchemy flags a lost connection (DBAPIError.connection_invalidated) but not one
    # that could not be opened ("connection refused", "unable to open database file").
    if context.connection is None and not context.is_pre_ping:
        context.is_disconnect = True


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN, instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _postgresql_on_connect(dbapi_connection, _record) -> None:
    # Sessions in UTC, whatever the server's or the client's (PGTZ) setting: the driver
    # reads a timestamptz in the session's zone, and west of UTC a stored year-1 moment
    # would be a year before 1, which no datetime holds.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_connection.commit()


class _WritersTurn:
    """The writers of one SQLite engine, one at a time (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder = None  # the Connection whose transaction has the turn

    def begin(self, connection) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        if options.get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
            return
        # Bounded: a writer opened on a thread that already writes falls back to SQLite's
        # busy timeout (and its error) instead of waiting here for ever.
        if self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_SECONDS):
            self._holder = connection
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(connection)
            raise

    def end(self, connection) -> None:
        """`connection`'s transaction ended (commit or rollback): the next writer's turn."""
        if self._holder is connection:
            self._holder = None
            self._lock.release()
