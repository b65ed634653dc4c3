"""Fixtures, built from support/: a migrated database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), the fake Slack Web API, a movable clock, and the real `serve`
HTTP server on a free port.

Without TEST_DATABASE_URL the PostgreSQL variants are deselected, and one line at the end
of the run says how many; in CI (CI=true) they may not be left out, and fail instead."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.accounts import manage
from bot.calls import logcall
from bot.runtime.context import make_rapport
from support.app import migrated, settings_for
from support.clock import FakeClock
from support.databases import scratch_database
from support.fake_slack import FakeSlack
from support.report_sample import add_sample
from support.rows import add, subscription
from support.serving import served
from support.workspace import ALEX, BOT_TOKEN, NEW_YORK, add_people

LEFT_OUT = pytest.StashKey[int]()  # how many PostgreSQL variants were deselected


def pytest_collection_modifyitems(config, items):
    """Without a PostgreSQL server to use, its half of the tests is deselected (not skipped
    one by one), except in CI, where it runs and fails."""
    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("CI") == "true":
        return
    postgresql = [item for item in items if _database(item) == "postgresql"]
    if postgresql:
        config.hook.pytest_deselected(items=postgresql)
        items[:] = [item for item in items if _database(item) != "postgresql"]
    config.stash[LEFT_OUT] = len(postgresql)


def _database(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database_url") if callspec else None


def pytest_terminal_summary(terminalreporter, config):
    if left_out := config.stash.get(LEFT_OUT, 0):
        terminalreporter.write_line(
            f"PostgreSQL half skipped: {left_out} tests deselected; set TEST_DATABASE_URL "
            "(e.g. postgresql://postgres@127.0.0.1:5432/test) to run them."
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database URL per backend; each PostgreSQL test gets a schema of its own."""
    server = None
    if request.param == "postgresql":
        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            pytest.fail("TEST_DATABASE_URL must be set in CI: the PostgreSQL tests may not skip")
    with scratch_database(server, folder=tmp_path, prefix="t") as database:
        yield database.url


@pytest.fixture
def fake():
    """Slack's Web API, faked, knowing the workspace's people (support/workspace.py)."""
    with FakeSlack(bot_token=BOT_TOKEN) as slack:
        add_people(slack)
        yield slack


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def client(fake):
    """A Web API client of the fake Slack, as the app's is of Slack's."""
    return WebClient(token=BOT_TOKEN, base_url=fake.url)


@pytest.fixture
def settings(database_url, fake):
    return settings_for(fake, database_url)


@pytest.fixture
def rapport(settings, clock):
    """The app's dependencies, on a database brought to the newest migration."""
    rapport = migrated(settings, clock=clock)
    yield rapport
    rapport.engine.dispose()


@pytest.fixture
def replicas(settings, clock):
    """Two more replicas: Rapports of their own on the same database and clock, as other
    processes would be."""
    others = [make_rapport(settings, clock=clock) for _ in range(2)]
    yield others
    for other in others:
        other.engine.dispose()


@pytest.fixture
def slack(settings, rapport, fake):
    """The real HTTP server of `serve` on a free port, and a Slack that talks to it."""
    with served(settings, rapport, fake, WebClient(token=BOT_TOKEN, base_url=fake.url)) as slack:
        yield slack


@pytest.fixture
def subscribed(rapport, clock):
    """Acme with a call at 07:00 on Monday 23 November in New York whose note tries to
    ping the channel, and a 09:00 weekday digest of the digest channel."""
    clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(NEW_YORK)))
    manage.add(rapport, user=ALEX, name="Acme Corp")
    logcall.log_text(
        rapport, user=ALEX, text="Acme 1 hour ago: <!channel> renewal & pricing", source="command"
    )
    with rapport.sessions.begin() as s:
        return add(s, subscription())


@pytest.fixture
def report_sample(rapport):
    """The report tests' known sample (support/report_sample.py), stored."""
    with rapport.sessions.begin() as s:
        add_sample(s)
