"""What the database holds, read back in a transaction of its own; and the statements
the app sends it."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from storage.models import DigestPost


def count(rapport, model) -> int:
    """How many rows of `model` are stored."""
    with rapport.reads.begin() as s:
        return s.scalar(select(func.count()).select_from(model))


def row(rapport, model, id: int):
    """The row of `model` whose primary key is `id`, as stored now (None if there is none)."""
    with rapport.reads.begin() as s:
        return s.get(model, id)


def all_rows(rapport, model) -> list:
    """Every row of `model`, in the order they were stored."""
    with rapport.reads.begin() as s:
        return list(s.scalars(select(model).order_by(*model.__mapper__.primary_key)))


def stored_posts(rapport) -> list[DigestPost]:
    """The digests posted, or being posted: one row per subscription and local date."""
    return all_rows(rapport, DigestPost)


@contextmanager
def statements_sent(engine) -> Iterator[list[str]]:
    """The SQL statements sent through `engine` inside the block, in order."""
    with _recorded(engine, "before_cursor_execute", lambda *args: args[2]) as statements:
        yield statements


@contextmanager
def transactions_begun(engine) -> Iterator[list[object]]:
    """The transactions begun on `engine` inside the block (their connections)."""
    with _recorded(engine, "begin", lambda connection: connection) as begun:
        yield begun


@contextmanager
def _recorded(engine, name: str, what) -> Iterator[list]:
    seen = []

    def record(*args) -> None:
        seen.append(what(*args))

    event.listen(engine, name, record)
    try:
        yield seen
    finally:
        event.remove(engine, name, record)
