"""The migrations are the schema: they go up and down, match the models, and are safe
when several replicas start at once. Every test runs on SQLite and on PostgreSQL."""

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, select, text
from sqlalchemy.exc import IntegrityError

from bot.runtime.settings import load
from storage import migrate
from storage.db import make_engine, make_sessions
from storage.models import (
    Account,
    ArrValue,
    Base,
    CadencePeriod,
    Call,
    GradeCadence,
    UserProfile,
)
from support.migrations import downgrade
from support.processes import environment, finish
from support.rows import account, call
from support.workspace import NEW_YORK

REPLICAS = 3
# Full-text search (migration 0011) is no model: on SQLite its FTS5 table, which FTS5
# backs with shadow tables of its own (calls_search_data, _idx, _content, _docsize,
# _config), and on PostgreSQL its GIN index on an expression. The tests leave them out of
# what they compare with the models, and test them in tests/flows/test_flow_search.py.
SEARCH_TABLE = "calls_search"
SEARCH_INDEX = "ix_calls_search"


def is_search(name: str | None) -> bool:
    return name is not None and (
        name == SEARCH_INDEX or name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_")
    )


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def head() -> str:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def tables(engine) -> set[str]:
    """The tables of the models (full-text search's left out)."""
    with engine.connect() as connection:
        return {name for name in inspect(connection).get_table_names() if not is_search(name)}


def search_schema(engine) -> set[str]:
    """What full-text search made: its table and shadow tables, or its index."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        names = set(inspector.get_table_names())
        names |= {index["name"] for index in inspector.get_indexes("calls")}
    return {name for name in names if is_search(name)}


def versions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def test_upgrade_downgrade_upgrade(engine):
    migrate.upgrade(engine)
    assert tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
    assert versions(engine) == [head()]
    assert search_schema(engine)

    downgrade(engine, "base")
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) == {"alembic_version"}
    assert versions(engine) == []

    migrate.upgrade(engine)
    assert tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
    assert versions(engine) == [head()]


def test_the_migrated_database_matches_the_models(engine):
    migrate.upgrade(engine)
    options = {"include_name": lambda name, kind, parent: not is_search(name)}
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_table_is_scoped_to_a_workspace(engine):
    migrate.upgrade(engine)
    with engine.connect() as connection:
        inspector = inspect(connection)
        unscoped = [
            table
            for table in inspector.get_table_names()
            if table != "alembic_version"
            and not table.startswith(f"{SEARCH_TABLE}_")  # FTS5's shadow tables
            and "team_id" not in {column["name"] for column in inspector.get_columns(table)}
        ]
    assert unscoped == []


def test_datetimes_come_back_as_the_same_instant_in_utc(engine):
    migrate.upgrade(engine)
    sessions = make_sessions(engine)
    in_new_york = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo(NEW_YORK))
    now = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)
    with sessions.begin() as s:
        acme = account("Acme", team_id="T1", owner_id="U1", created_at=now)
        s.add(call("renewal", of=acme, at=in_new_york, logged_at=now))

    with sessions.begin() as s:
        occurred_at = s.scalars(select(Call.occurred_at)).one()
    assert occurred_at == in_new_york
    assert occurred_at.tzinfo is timezone.utc
    assert occurred_at == datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)


def test_naive_datetimes_are_refused(engine):
    migrate.upgrade(engine)
    with pytest.raises(Exception, match="naive datetime"):
        with make_sessions(engine).begin() as s:
            s.add(
                account(
                    "Acme", team_id="T1", owner_id="U1", created_at=datetime(2026, 11, 23, 17, 0)
                )
            )


def test_0006_stops_all_but_the_oldest_running_cadence_of_an_account_and_person(engine):
    """Running cadences repeated before 0006 (two `/grade every` at once): the oldest of
    each account and person (the first stored, of two as old) runs on; then the unique
    index refuses another."""
    migrate.upgrade(engine)
    downgrade(engine, "0005")
    sessions = make_sessions(engine)
    day = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)

    def cadence(label: str, of, grader_id: str, created_on: int, stopped_at=None):
        return GradeCadence(
            team_id="T1",
            account=of,
            asked_by="U1",
            grader_id=grader_id,
            question=label,
            every=CadencePeriod.MONTH,
            next_due_at=day + timedelta(days=30),
            created_at=day + timedelta(days=created_on),
            stopped_at=stopped_at,
        )

    with sessions.begin() as s:
        acme = account("Acme", team_id="T1", owner_id="U1", created_at=day)
        globex = account("Globex", team_id="T1", owner_id="U1", created_at=day)
        s.add_all(
            [
                cadence("newer", acme, "U3", created_on=2),
                cadence("oldest", acme, "U3", created_on=1),
                cadence("as old, stored later", acme, "U3", created_on=1),
                cadence("stopped before", acme, "U3", created_on=0, stopped_at=day),
                cadence("another person", acme, "U4", created_on=2),
                cadence("another account", globex, "U3", created_on=2),
            ]
        )

    migrate.upgrade(engine)

    with sessions.begin() as s:
        stopped = dict(s.execute(select(GradeCadence.question, GradeCadence.stopped_at)).all())
    assert {label for label, at in stopped.items() if at is None} == {
        "oldest",
        "another person",
        "another account",
    }
    assert stopped["stopped before"] == day  # not restarted, nor stopped again
    with pytest.raises(IntegrityError), sessions.begin() as s:
        s.add(cadence("a second one", s.merge(acme), "U3", created_on=5))


def as_a_deployment_writes_it(database_url: str) -> str:
    """PostgreSQL URLs as hosting providers hand them out, without the driver name."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def test_settings_keep_the_database_url_query(database_url):
    """The `options` parameter (here the test's schema) survives the postgresql:// rewrite."""
    given = as_a_deployment_writes_it(database_url)
    loaded = load({"DATABASE_URL": given}).database_url
    assert make_url(loaded).query == make_url(database_url).query
    assert make_url(loaded).get_backend_name() == make_url(database_url).get_backend_name()


def test_replicas_starting_together_migrate_once(database_url, engine, tmp_path):
    env = environment(DATABASE_URL=as_a_deployment_writes_it(database_url))
    replicas = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "migrate"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    results = finish(replicas, timeout=120)

    assert [code for code, _, _ in results] == [0] * REPLICAS, results
    assert versions(engine) == [head()]
    assert tables(engine) == set(Base.metadata.tables) | {"alembic_version"}


def test_0007_folds_every_name_key_and_keeps_apart_names_that_fold_alike(engine):
    """Keys made before 0007 (the name in any case) are folded: `شركت` is then found as
    `شرکت`. Of two names that fold alike, the older keeps the key; both stay unique."""
    migrate.upgrade(engine)
    downgrade(engine, "0006")
    sessions = make_sessions(engine)
    typed = {"Hoa Binh": "T1", "Hòa Bình": "T1", "شركت": "T1", "Hòa Bình ": "T2"}
    with sessions.begin() as s:
        for name, team_id in typed.items():
            row = account(name, team_id=team_id)
            row.name_key = " ".join(name.split()).casefold()  # the key before 0007
            s.add(row)
            s.flush()

    migrate.upgrade(engine)
    with sessions.begin() as s:
        keys = s.execute(select(Account.team_id, Account.name, Account.name_key, Account.id))
        by_name = {(team_id, name): (key, id) for team_id, name, key, id in keys}
    assert by_name[("T1", "Hoa Binh")][0] == "hoa binh"
    newer_key, newer_id = by_name[("T1", "Hòa Bình")]
    assert newer_key == f"hoa binh #{newer_id}"
    assert by_name[("T1", "شركت")][0] == "شرکت"
    assert by_name[("T2", "Hòa Bình ")][0] == "hoa binh"  # another workspace's

    downgrade(engine, "0006")
    with sessions.begin() as s:
        keys = set(s.execute(select(Account.name, Account.name_key)))
    assert keys == {(name, " ".join(name.split()).casefold()) for name in typed}


def test_0013_keeps_each_accounts_arr_from_its_first_day_in_utc(engine):
    """Each account with an ARR gets one history row effective on the UTC day it was
    created (21:30 in New York on 1 March is already 2 March in UTC); none without."""
    migrate.upgrade(engine)
    downgrade(engine, "0012")
    sessions = make_sessions(engine)
    created = datetime(2026, 3, 2, 2, 30, tzinfo=timezone.utc)
    with sessions.begin() as s:
        s.add(account("Acme", arr=150_000, created_at=created, created_by="U0009"))
        s.add(account("Globex", arr=None))
    migrate.upgrade(engine)
    with sessions.begin() as s:
        rows = s.execute(
            select(Account.name, ArrValue.arr, ArrValue.effective_on, ArrValue.recorded_by).join(
                Account, Account.id == ArrValue.account_id
            )
        ).all()
    assert [tuple(row) for row in rows] == [("Acme", 150_000, date(2026, 3, 2), "U0009")]
    downgrade(engine, "0012")
    assert "arr_history" not in tables(engine)


def test_0014_keeps_each_cached_profile_without_a_name_yet(engine):
    """Profiles cached before 0014 keep their timezone and get no name: the next
    users.info answer gives them one (tests/unit/test_people_names.py)."""
    migrate.upgrade(engine)
    downgrade(engine, "0013")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user_profiles (team_id, user_id, tz, is_bot, is_admin, is_guest, "
                "fetched_at) VALUES ('T0001', 'U0001', :tz, false, false, false, :at)"
            ),
            {"tz": NEW_YORK, "at": datetime(2026, 11, 30, tzinfo=timezone.utc)},
        )
    migrate.upgrade(engine)
    with make_sessions(engine).begin() as s:
        assert s.execute(select(UserProfile.tz, UserProfile.display_name)).all() == [
            (NEW_YORK, None)
        ]
    downgrade(engine, "0013")
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("user_profiles")}
    assert "display_name" not in columns and "tz" in columns
