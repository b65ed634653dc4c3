"""Database faults: connections killed between requests and during one, and a database
that cannot be reached. Every request is still answered; people are told plainly when
the database is out of reach; a use case is stored whole or not at all."""

import urllib.error
import urllib.request
import uuid

import pytest
from slack_sdk import WebClient
from sqlalchemy import create_engine, event, make_url, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bot.accounts import manage
from bot.runtime.context import make_rapport
from handlers.errors import describe
from storage.models import Call, EventDelivery, GradeRequest
from support import slack_requests
from support.app import settings_for, tick
from support.grading import asked
from support.serving import served
from support.shown import visible
from support.stored import count
from support.workspace import ALEX, BOT_TOKEN

UNREACHABLE = "I can't reach my database right now, so nothing was saved."


@pytest.fixture
def database_url(database_url):
    """On PostgreSQL, the app's connections carry a name of this test's own, so that they
    and no other session on the shared server can be killed."""
    if not database_url.startswith("postgresql"):
        return database_url
    name = f"rapport-faults-{uuid.uuid4().hex[:12]}"
    return (
        make_url(database_url)
        .update_query_dict({"application_name": name})
        .render_as_string(hide_password=False)
    )


# A SQLite connection cannot be dropped from outside the process: these run on PostgreSQL.
postgresql_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def kill(database_url):
    """kill() terminates every server connection the app holds (as a PostgreSQL restart
    would), waits until they are gone, and returns how many there were."""
    url = make_url(database_url)
    admin = create_engine(
        url.update_query_dict({"application_name": "rapport-faults-admin"}), poolclass=NullPool
    )

    def kill_all() -> int:
        with admin.connect() as connection:
            killed = connection.scalars(
                text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE application_name = :name AND datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                ),
                {"name": url.query["application_name"]},
            ).all()
        assert all(killed), "a connection outlived pg_terminate_backend's 5 s wait"
        return len(killed)

    yield kill_all
    admin.dispose()


def notes(rapport) -> list[str]:
    with rapport.reads.begin() as s:
        return list(s.scalars(select(Call.notes).order_by(Call.id)))


@postgresql_only
def test_requests_after_the_connections_were_killed_are_answered_and_stored_once(
    slack, rapport, fake, kill
):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 2 hours ago: before the restart")
    slack.settle()

    assert kill() > 0
    logged = visible(slack.ask("/logcall", "Acme 1 hour ago: after the restart"))
    assert "Logged a call with *Acme Corp*" in logged
    slack.settle()

    assert kill() > 0
    slack.event(slack_requests.direct_message("log Acme: by DM after the restart"), event_id="Ev1")
    [dm] = fake.wait_for("chat.postMessage")
    assert "Logged a call with *Acme Corp*" in visible(dm.args)
    slack.settle()

    assert kill() > 0
    assert "Acme Corp" in visible(slack.ask("/account", "list"))

    assert kill() > 0
    with urllib.request.urlopen(f"{slack.base_url}/healthz") as health:
        assert health.status == 200  # a load balancer keeps the replica

    assert notes(rapport) == ["before the restart", "after the restart", "by DM after the restart"]


@postgresql_only
def test_the_scheduler_ticks_on_after_its_connections_were_killed(
    rapport, clock, fake, client, kill
):
    acme = manage.add(rapport, user=ALEX, name="Acme Corp")
    request = asked(rapport, client, acme.id)
    tick(rapport, client)
    fake.reset()

    assert kill() > 0
    clock.advance(days=rapport.settings.reminder_days)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1  # the reminder

    assert kill() > 0
    clock.advance(days=rapport.settings.expiry_days)
    tick(rapport, client)
    assert len(fake.calls_to("chat.update")) == 1  # the prompt loses its buttons
    with rapport.reads.begin() as s:
        assert s.get(GradeRequest, request.id).status == "expired"


@postgresql_only
def test_a_connection_killed_inside_a_use_case_stores_none_of_it(slack, rapport, fake, kill):
    """The DM's delivery is claimed, then the connection dies before the call is inserted:
    the person is told, neither row is kept, so the same delivery sent again logs the call."""
    slack.ask("/account", "add Acme Corp")
    slack.settle()
    killed = []

    @event.listens_for(rapport.engine, "before_cursor_execute")
    def drop_before_the_call_is_inserted(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO calls") and not killed:
            killed.append(kill())

    dm = slack_requests.direct_message("log Acme: renewal", client_msg_id=str(uuid.uuid4()))
    assert slack.event(dm, event_id="Ev1").status == 200
    [told] = fake.wait_for("chat.postMessage")
    slack.settle()
    assert len(killed) == 1 and killed[0] > 0
    assert told.args["channel"] == "D0001" and UNREACHABLE in visible(told.args)
    assert count(rapport, Call) == 0 and count(rapport, EventDelivery) == 0

    assert slack.event(dm, event_id="Ev1", retry_num=1).status == 200
    logged = fake.wait_for("chat.postMessage", 2)[-1]
    assert "Logged a call with *Acme Corp*" in visible(logged.args)
    slack.settle()
    assert notes(rapport) == ["renewal"]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-rapport-folder/deeper/rapport.db",
        "postgresql+psycopg://postgres@127.0.0.1:9/rapport?connect_timeout=2",
    ],
    ids=["sqlite in a missing folder", "postgresql on a closed port"],
)
def test_an_unreachable_database_is_explained_in_plain_words(fake, url):
    """People are told in a sentence, and /healthz answers 503 (for the load balancer)."""
    settings = settings_for(fake, url)
    rapport = make_rapport(settings)  # not migrated: there is no database to migrate
    client = WebClient(token=BOT_TOKEN, base_url=fake.url)
    try:
        with served(settings, rapport, fake, client) as slack:
            answer = visible(slack.ask("/logcall", "Acme 2 hours ago: renewal"))
            slack.event(slack_requests.direct_message("log Acme: renewal"), event_id="Ev1")
            [dm] = fake.wait_for("chat.postMessage")
            slack.settle()
            with pytest.raises(urllib.error.HTTPError) as health:
                urllib.request.urlopen(f"{slack.base_url}/healthz", timeout=10)
            with health.value:
                assert health.value.code == 503
                assert health.value.read() == b"database unreachable\n"
    finally:
        rapport.engine.dispose()
    for shown in (answer, visible(dm.args)):
        assert UNREACHABLE in shown and "Please try again in a minute." in shown
        assert "reference" not in shown and "Traceback" not in shown


def test_other_database_errors_still_show_a_reference(rapport):
    """Only an unreachable database is explained; any other database error is a bug to report
    (on SQLite, a missing table is an OperationalError too)."""
    with pytest.raises(DBAPIError) as raised, rapport.sessions.begin() as s:
        s.execute(text("SELECT * FROM no_such_table"))
    shown = describe(raised.value)
    assert "reference `" in shown and UNREACHABLE not in shown
