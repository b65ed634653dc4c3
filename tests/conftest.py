"""Fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
the fake Slack Web API, a movable clock, and the real `serve` HTTP server on port 0."""

import contextlib
import json
import os
import threading
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import slackrequests
from fakeslack import FakeSlack
from slack_sdk import WebClient
from sqlalchemy import create_engine, make_url, text
from testing import tick

from bot.accounts import manage
from bot.app import create_app
from bot.calls import logcall
from bot.people import Person
from bot.runtime.console import SettlingExecutor
from bot.runtime.context import make_rapport
from bot.runtime.server import make_server
from bot.runtime.settings import Settings
from storage import migrate
from storage.models import DigestSubscription

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
NEW_YORK = "America/New_York"
ALEX = Person("T0001", "U0001", NEW_YORK, "en-US", False)
DIGEST_CHANNEL = "C0DIGEST"
# Monday 23 November 2026, 12:00 in New York.
START = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, now: datetime = START):
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database URL per backend; each PostgreSQL test gets a schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_DATABASE_URL must be set in CI: the PostgreSQL tests may not skip")
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    base = make_url(base).set(drivername="postgresql+psycopg")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def fake():
    with FakeSlack(bot_token=BOT_TOKEN) as slack:
        slack.add_user("U0001", tz=NEW_YORK, locale="en-US", name="alex")
        slack.add_user("U0002", tz="Europe/Paris", locale="fr-FR", name="camille")
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
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
        database_url=database_url,
    )


@pytest.fixture
def rapport(settings, clock):
    """The app's dependencies, on a database brought to the newest migration."""
    rapport = make_rapport(settings, clock=clock)
    migrate.upgrade(rapport.engine)
    yield rapport
    rapport.engine.dispose()


class TrackedExecutor(SettlingExecutor):
    """Bolt's pool for listener work; tests wait until the work after each ack is done."""

    def settle(self, timeout: float = 10.0) -> None:
        super().settle(timeout)
        assert not self._pending, "listener work did not finish"


@pytest.fixture
def slack(settings, rapport, fake):
    """The real HTTP server of `serve` on a free port, and a Slack that talks to it."""
    executor = TrackedExecutor()
    client = WebClient(token=BOT_TOKEN, base_url=fake.url)
    app = create_app(settings, client=client, rapport=rapport, executor=executor)
    with serving(app, rapport) as base_url:
        yield SlackClient(base_url, fake, executor)
    executor.shutdown()


@contextlib.contextmanager
def serving(app, rapport):
    """`serve`'s HTTP server for `app` on a free port, in a thread; yields its base URL."""
    server = make_server(app, rapport, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Closed from the server's own loop, which then ends at once instead of after the
        # select() it is waiting in times out (a second).
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)


class SlackClient:
    """Sends what Slack would send to the app, signed, and decodes the acknowledgements."""

    def __init__(self, base_url: str, fake: FakeSlack, executor: TrackedExecutor):
        self.base_url = base_url
        self.fake = fake
        self.settle = executor.settle

    def post(self, body: str, *, content_type="application/x-www-form-urlencoded", **signing):
        headers = slackrequests.signed_headers(
            SIGNING_SECRET, body, content_type=content_type, **signing
        )
        return slackrequests.post(f"{self.base_url}/slack/events", body, headers)

    def command(self, command: str, text: str = "", *, user_id="U0001", **extra) -> "Ack":
        body = slackrequests.slash_command(
            command, text, user_id=user_id, response_url=self.fake.response_url(), **extra
        )
        return Ack(*self.post(body))

    def event(self, event: dict, *, event_id="Ev0001", retry_num=None) -> "Ack":
        body = slackrequests.event_callback(event, event_id=event_id)
        return Ack(*self.post(body, content_type="application/json", retry_num=retry_num))

    def action(self, **payload) -> "Ack":
        payload.setdefault("response_url", self.fake.response_url())
        return Ack(*self.post(slackrequests.block_actions(**payload)))

    def submit(self, **payload) -> "Ack":
        return Ack(*self.post(slackrequests.view_submission(**payload)))

    def shortcut(self, **payload) -> "Ack":
        payload.setdefault("response_url", self.fake.response_url())
        return Ack(*self.post(slackrequests.message_shortcut(**payload)))

    def options(self, **payload) -> "Ack":
        return Ack(*self.post(slackrequests.block_suggestion(**payload)))

    def ask(self, command: str, text: str = "", *, user_id="U0001") -> dict:
        """What the person sees: the acknowledgement's message, or the reply sent after it."""
        seen = len(self.fake.calls_to("response_url"))
        ack = self.command(command, text, user_id=user_id)
        assert ack.status == 200, ack.raw
        if ack.json.get("text"):
            return ack.json
        return self.fake.wait_for("response_url", seen + 1)[-1].args


class Ack:
    def __init__(self, status: int, headers: dict, body: str):
        self.status = status
        self.headers = headers
        self.raw = body
        self.json = json.loads(body) if body.startswith("{") else {}


def visible(message: dict) -> str:
    """Everything a message shows: its text and its blocks, as one string."""
    return "\n".join(
        [message.get("text", ""), json.dumps(message.get("blocks", []), ensure_ascii=False)]
    )


def tick_together(rapports, client) -> None:
    """Every replica (a Rapport of its own on the same database) ticks at the same moment."""
    start = threading.Barrier(len(rapports))
    errors = []

    def replica(rapport):
        start.wait(timeout=10)
        try:
            tick(rapport, client)
        except Exception as error:  # surfaced below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=replica, args=(r,)) for r in rapports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


# -- a digest subscription, for the digest tests


def subscription(**overrides) -> DigestSubscription:
    values = dict(
        team_id="T0001",
        channel_id=DIGEST_CHANNEL,
        created_by="U0001",
        at_time="09:00",
        tz="America/New_York",
        days="weekdays",
        scope="all",
        skip_quiet=False,
        status="active",
        created_at=START - timedelta(days=7),
    )
    return DigestSubscription(**{**values, **overrides})


@pytest.fixture
def subscribed(rapport, clock):
    """Acme with a call at 07:00 on Monday 23 November in New York whose note tries to
    ping the channel, and a 09:00 weekday digest."""
    at(clock, datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(NEW_YORK)))
    manage.add(rapport, user=ALEX, name="Acme Corp")
    logcall.log_text(
        rapport, user=ALEX, text="Acme 1 hour ago: <!channel> renewal & pricing", source="command"
    )
    with rapport.sessions.begin() as s:
        s.add(subscription())
    return subscription


def at(clock, moment: datetime) -> None:
    clock.current = moment.astimezone(ZoneInfo("UTC"))
