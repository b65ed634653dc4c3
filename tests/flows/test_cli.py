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
            env=environment(**{"DATABASE_URL": database_url, **settings}),
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


def test_the_console_demo_seeds_a_team_and_leaves_your_database_alone(run):
    run("console", stdin="/account add Acme Corp\n/account set Acme arr 5k\n")
    for _ in range(2):  # twice: nothing duplicated either
        result = run("console", "--demo", stdin="/account list\n/grade history Acme\n")
        assert result.returncode == 0, result.stderr
        assert "3 accounts" in result.stdout and "Globex, @sam" in result.stdout
    mine = run("console", stdin="/account list\n/account show Acme\n").stdout
    assert "] 1 account\n" in mine and "ARR: 5,000" in mine and "Renewal: not set" in mine


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


# What each mode needs, with the bot token, to get as far as the database (None: nothing).
NEEDS = {
    "migrate": None,
    "console": None,
    "serve": {"SLACK_SIGNING_SECRET": "secret"},
    "socket": {"SLACK_APP_TOKEN": "xapp-1-A1-1-abc"},
}
UNREACHABLE = {
    "postgresql://u:secret@127.0.0.1:1/x": "rapport: cannot connect to DATABASE_URL "
    'postgresql+psycopg://u:***@127.0.0.1:1/x: connection failed: connection to server at "127.0.0.1", '
    "port 1 failed: Connection refused\n",
    "sqlite:////nonexistent/dir/r.db": "rapport: cannot connect to DATABASE_URL "
    "sqlite:////nonexistent/dir/r.db: unable to open database file\n",
}
USE = "use e.g. sqlite:///rapport.db or postgresql://user@host/dbname"
MALFORMED = {
    "postgresql://u:secret@db:port/x": "postgresql://u:***@db:port/x",
    "postgres//u:secret@db/x": "postgres//u:***@db/x",
}


def credentials(mode: str, fake) -> dict:
    """The settings `mode` starts with, Slack being `fake`."""
    if NEEDS[mode] is None:
        return {}
    return {"SLACK_BOT_TOKEN": fake.bot_token, "SLACK_API_URL": fake.url, **NEEDS[mode]}


@pytest.mark.parametrize("url", UNREACHABLE)
@pytest.mark.parametrize("mode", NEEDS)
def test_an_unreachable_database_fails_in_one_line_with_its_password_hidden(run, fake, mode, url):
    result = run(mode, DATABASE_URL=url, **credentials(mode, fake))
    assert (result.returncode, result.stderr) == (2, UNREACHABLE[url])
    assert result.stdout == ""


@pytest.mark.parametrize("url", MALFORMED)
@pytest.mark.parametrize("mode", ["migrate", "serve"])
def test_a_malformed_database_url_fails_in_one_line_with_its_password_hidden(run, fake, mode, url):
    result = run(mode, DATABASE_URL=url, **credentials(mode, fake))
    assert result.returncode == 2
    assert result.stderr == (
        f"rapport: DATABASE_URL is not a database URL (got {MALFORMED[url]!r}); {USE}\n"
    )


@pytest.mark.parametrize("mode", ["serve", "socket"])
def test_a_bot_token_slack_refuses_fails_in_one_line(run, fake, mode):
    result = run(mode, **{**credentials(mode, fake), "SLACK_BOT_TOKEN": "xoxb-revoked"})
    assert result.returncode == 2
    assert result.stderr == (
        "rapport: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): the Bot User OAuth "
        "Token (xoxb-...) under OAuth & Permissions at https://api.slack.com/apps\n"
    )
    assert [call.method for call in fake.calls] == ["auth.test"]


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
