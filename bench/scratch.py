"""A throwaway database for a benchmark run: a fresh SQLite file, or a PostgreSQL schema
created for the run and dropped after it."""

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine


@contextmanager
def scratch_database(database_url: str | None) -> Iterator[tuple[str, str]]:
    """Yields (the URL to use, a description of the backend for the printed report)."""
    if database_url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db", "sqlite (file, WAL)"
        return
    base = make_url(database_url)
    if base.get_backend_name() != "postgresql":
        yield database_url, database_url
        return
    base = base.set(drivername="postgresql+psycopg")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base.render_as_string(hide_password=False))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        version = connection.scalar(text("SHOW server_version"))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False), f"postgresql {version}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
