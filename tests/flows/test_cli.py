"""`python -m bot` as a newcomer runs it: clear exits, one-line errors, idempotent migrate."""

import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect, text

from storage.models import Base
from support.databases import sqlite_file
from support.processes import environment


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: what a newcomer starts with."""
    return sqlite_file(tmp_path)


@pytest.fixture
def run(tmp_path, database_url):
    """Run `python -m bot *args` in an empty folder with only `settings` configured."""

    def run(*args, stdin="", **settings):
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=environment(DATABASE_URL=database_url, **settings),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def test_without_credentials_it_starts_the_local_console(run):
    result = run()
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert "local console" in first and "Set up the Slack app" in first


def test_the_readme_console_example_prints_three_replies(run):
    result = run(
        "console",
        stdin="/account add Acme\n/logcall Acme yesterday 3pm: kickoff\n/digest preview\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Added Acme" in out
    assert "Logged a call with Acme on" in out and "15:00" in out
    assert "Daily digest: 1 call" in out and "Acme, @you" in out and "kickoff" in out
    assert "Traceback" not in out + result.stderr


def test_the_console_demo_seeds_a_team(run):
    result = run("console", "--demo", stdin="/account list\n")
    assert result.returncode == 0, result.stderr
    assert "3 accounts" in result.stdout and "Globex, @sam" in result.stdout


def test_serve_without_signing_secret_fails_in_one_line(run):
    result = run("serve", SLACK_BOT_TOKEN="xoxb-1-2-abc")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_port_fails_naming_it(run):
    result = run("serve", PORT="abc")
    assert result.returncode == 2
    assert "PORT" in result.stderr
    assert "Traceback" not in result.stderr


def _schema(database_url: str) -> tuple[set[str], str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            version = connection.scalar(text("SELECT version_num FROM alembic_version"))
            return set(inspect(connection).get_table_names()), version
    finally:
        engine.dispose()


def test_migrate_creates_the_tables_and_is_idempotent(run, database_url):
    first = run("migrate")
    assert first.returncode == 0, first.stderr
    tables, version = _schema(database_url)
    assert set(Base.metadata.tables) <= tables

    second = run("migrate")
    assert second.returncode == 0, second.stderr
    assert _schema(database_url) == (tables, version)
