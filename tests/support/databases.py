"""Throwaway databases for a test or a benchmark run: a fresh SQLite file, or a schema of
its own on a PostgreSQL server, created for the run and dropped after it."""

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool


@dataclass(frozen=True)
class Scratch:
    url: str  # what the app is given as DATABASE_URL
    backend: str  # for a printed report: "sqlite (file, WAL)", "postgresql 16.4"


def sqlite_file(folder: Path) -> str:
    """The URL of a SQLite file in `folder` (created on first connection)."""
    return f"sqlite:///{Path(folder) / 'rapport.db'}"


@contextmanager
def scratch_database(
    server_url: str | None, *, folder: Path | None = None, prefix: str = "scratch"
) -> Iterator[Scratch]:
    """A database nobody else uses. Without `server_url`, a SQLite file in `folder` (by
    default a temporary folder, removed after). With a PostgreSQL `server_url`, a schema
    named `<prefix>_<random>` on that server, which the URL's connections use and which is
    dropped after. Any other `server_url` is used as it is."""
    if server_url is None:
        if folder is not None:
            yield Scratch(sqlite_file(folder), "sqlite (file, WAL)")
            return
        with tempfile.TemporaryDirectory() as temporary:
            yield Scratch(sqlite_file(Path(temporary)), "sqlite (file, WAL)")
        return
    base = make_url(server_url)
    if base.get_backend_name() != "postgresql":
        yield Scratch(server_url, server_url)
        return
    base = base.set(drivername="postgresql+psycopg")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        version = connection.scalar(text("SHOW server_version"))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield Scratch(url.render_as_string(hide_password=False), f"postgresql {version}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
