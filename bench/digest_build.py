"""How long does building a digest take, compared with one SQL statement gathering its facts?

Seeds one workspace with 10,000 accounts, 500,000 calls and 50,000 grades (with their
grade requests, 2,000 of them still open, and 5,000 recovery plans), analyses the
tables as autovacuum would, then times, in the same run, median of 5 after one
untimed run of each:

  digest:    bot.digests.content.gather + bot.digests.messages for an "all"
             subscription (every account), since 24 hours ago; also shown apart, with
             the number of SELECT statements it issued;
  statement: ONE aggregate SELECT returning, per account, the same facts: latest call
             (when, follow-up), calls logged since, latest and previous grade, new
             grades since, pending requests (count, oldest), renewal and ARR, open
             recovery plan (target, follow-up).

Goal: digest <= 2 x statement.

    .venv/bin/python bench/digest_build.py                      # fresh SQLite file
    .venv/bin/python bench/digest_build.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throwaway schema that is dropped afterwards. Exits 0 whether or
not the goal is met.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, insert, literal, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.digests import content  # noqa: E402
from bot.digests import messages as digest_messages  # noqa: E402
from bot.grades.scale import POINTS, SCALE  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import make_engine, make_read_sessions, make_sessions  # noqa: E402
from storage.models import OPEN_PLAN_STATUSES as OPEN_STATUSES  # noqa: E402
from storage.models import (  # noqa: E402
    Account,
    Call,
    Grade,
    GradeRequest,
    RecoveryPlan,
)
from support.databases import scratch_database  # noqa: E402
from support.rows import subscription  # noqa: E402
from support.stored import statements_sent  # noqa: E402

TEAM = "T0001"
TZ = "America/New_York"
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=1)
ACCOUNTS, CALLS, GRADES, OPEN_REQUESTS, PLANS = 10_000, 500_000, 50_000, 2_000, 5_000
BATCH = 10_000
RUNS = 5
NOTES = (
    "Discussed the renewal and their budget for next year; they want a proposal by March.\n"
    "Competitor pitched them last week."
)


def seed(engine: Engine) -> None:
    """Bulk inserts of deterministic random data, ids given so rows can refer to each other."""
    rng = random.Random(4)
    owners = [f"U{n:04d}" for n in range(1, 51)]
    accounts = [
        {
            "id": i,
            "team_id": TEAM,
            "name": f"Account {i:05d} & Co",
            "name_key": f"account {i:05d} & co",
            "owner_id": rng.choice(owners),
            "renewal_on": NOW.date() + timedelta(days=rng.randint(-30, 365))
            if rng.random() < 0.8
            else None,
            "arr": rng.randint(10, 2000) * 1000 if rng.random() < 0.9 else None,
            "created_by": "U0001",
            "created_at": NOW - timedelta(days=rng.randint(30, 1000)),
            "archived_at": NOW - timedelta(days=3) if rng.random() < 0.01 else None,
        }
        for i in range(1, ACCOUNTS + 1)
    ]
    calls = []
    for i in range(1, CALLS + 1):
        occurred = NOW - timedelta(seconds=rng.randint(60, 365 * 86400))
        follow_up = rng.random() < 0.1
        calls.append(
            {
                "id": i,
                "team_id": TEAM,
                "account_id": rng.randint(1, ACCOUNTS),
                "logged_by": rng.choice(owners),
                "occurred_at": occurred,
                "notes": f"#{i} {NOTES}",
                "next_step": "Send the proposal" if follow_up else None,
                "follow_up_on": occurred.date() + timedelta(days=rng.randint(3, 21))
                if follow_up
                else None,
                "private": rng.random() < 0.05,
                "source": "command",
                "created_at": min(occurred + timedelta(minutes=rng.randint(0, 120)), NOW),
            }
        )
    requests, grades = [], []
    for i in range(1, GRADES + 1):
        graded = NOW - timedelta(seconds=rng.randint(60, 365 * 86400))
        account_id, letter = rng.randint(1, ACCOUNTS), rng.choice(SCALE)
        requests.append(request(i, account_id, graded - timedelta(days=2), "answered", graded))
        grades.append(
            {
                "id": i,
                "team_id": TEAM,
                "account_id": account_id,
                "request_id": i,
                "grader_id": "U0100",
                "grade": letter,
                "points": POINTS[letter],
                "reason": "Proposals come late.",
                "graded_at": graded,
            }
        )
    for i in range(GRADES + 1, GRADES + OPEN_REQUESTS + 1):
        asked = NOW - timedelta(seconds=rng.randint(60, 20 * 86400))
        requests.append(request(i, rng.randint(1, ACCOUNTS), asked, "open", None))
    plans = []
    for i, grade in enumerate(rng.sample(grades, PLANS), start=1):
        plans.append(
            {
                "id": i,
                "team_id": TEAM,
                "account_id": grade["account_id"],
                "grade_id": grade["id"],
                "target": "B-",
                "follow_up_on": grade["graded_at"].date() + timedelta(days=14),
                "status": rng.choice(("proposed", "planned", "overdue", "met", "dismissed")),
                "created_at": grade["graded_at"],
                "updated_at": grade["graded_at"],
            }
        )
    sessions = make_sessions(engine)
    for model, rows in (
        (Account, accounts),
        (Call, calls),
        (GradeRequest, requests),
        (Grade, grades),
        (RecoveryPlan, plans),
    ):
        for start in range(0, len(rows), BATCH):
            with sessions.begin() as s:
                s.execute(insert(model), rows[start : start + BATCH])
    # Planner statistics; on PostgreSQL also the visibility map, as autovacuum would.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def request(i: int, account_id: int, asked: datetime, status: str, closed: datetime | None):
    return {
        "id": i,
        "team_id": TEAM,
        "account_id": account_id,
        "asked_by": "U0001",
        "grader_id": "U0100",
        "question": "What grade would you give our proposals?",
        "status": status,
        "asked_at": asked,
        "closed_at": closed,
    }


def aggregate_statement():
    """One SELECT: per active account, the facts the digest reports (see the docstring).

    Written as the digest's own queries are, so both get the same plans: per-account
    scalar subqueries on the (account_id, time) indexes, and grouped CTEs for the
    tables that have no such index. The calls logged since are read in a MATERIALIZED
    CTE: grouped directly, SQLite walks the whole calls index to skip a sort."""
    recent_calls = (
        select(Call.account_id)
        .where(Call.team_id == TEAM, Call.created_at >= SINCE, Call.created_at < NOW)
        .cte("recent_calls")
        .prefix_with("MATERIALIZED")
    )
    recent = (
        select(recent_calls.c.account_id, func.count().label("calls_since"))
        .group_by(recent_calls.c.account_id)
        .cte("recent")
    )
    new_grades = (
        select(Grade.account_id, func.count().label("grades_since"))
        .where(Grade.team_id == TEAM, Grade.graded_at >= SINCE, Grade.graded_at < NOW)
        .group_by(Grade.account_id)
        .cte("new_grades")
    )
    pending = (
        select(
            GradeRequest.account_id,
            func.count().label("pending"),
            func.min(GradeRequest.asked_at).label("oldest_asked_at"),
        )
        .where(GradeRequest.team_id == TEAM, GradeRequest.status == "open")
        .group_by(GradeRequest.account_id)
        .cte("pending")
    )
    open_plan = (
        select(RecoveryPlan.account_id, func.max(RecoveryPlan.id).label("plan_id"))
        .where(RecoveryPlan.team_id == TEAM, RecoveryPlan.status.in_(OPEN_STATUSES))
        .group_by(RecoveryPlan.account_id)
        .cte("open_plan")
    )

    def latest(column, model, moment, offset=0):
        return (
            select(column)
            .where(model.team_id == TEAM, model.account_id == Account.id)
            .order_by(moment.desc(), model.id.desc())
            .limit(1)
            .offset(offset)
            .scalar_subquery()
        )

    last_call_at = (
        select(func.max(Call.occurred_at))
        .where(Call.team_id == TEAM, Call.account_id == Account.id)
        .scalar_subquery()
    )
    return (
        select(
            Account.id,
            Account.name,
            Account.owner_id,
            Account.created_at,
            Account.renewal_on,
            Account.arr,
            last_call_at.label("last_call_at"),
            latest(Call.follow_up_on, Call, Call.occurred_at).label("follow_up_on"),
            func.coalesce(recent.c.calls_since, literal(0)).label("calls_since"),
            latest(Grade.grade, Grade, Grade.graded_at).label("grade"),
            latest(Grade.grade, Grade, Grade.graded_at, offset=1).label("previous_grade"),
            func.coalesce(new_grades.c.grades_since, literal(0)).label("grades_since"),
            func.coalesce(pending.c.pending, literal(0)).label("pending"),
            pending.c.oldest_asked_at,
            RecoveryPlan.target,
            RecoveryPlan.follow_up_on.label("plan_follow_up_on"),
        )
        .select_from(Account)
        .outerjoin(recent, recent.c.account_id == Account.id)
        .outerjoin(new_grades, new_grades.c.account_id == Account.id)
        .outerjoin(pending, pending.c.account_id == Account.id)
        .outerjoin(open_plan, open_plan.c.account_id == Account.id)
        .outerjoin(RecoveryPlan, RecoveryPlan.id == open_plan.c.plan_id)
        .where(Account.team_id == TEAM, Account.archived_at.is_(None))
    )


def timed(work) -> list[float]:
    """Seconds taken by each of RUNS calls of work(), after one untimed call that warms
    the database's caches and SQLAlchemy's statement cache."""
    work()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def run(url: str) -> dict:
    engine = make_engine(url)
    migrate.upgrade(engine)
    start = time.perf_counter()
    seed(engine)
    seeded = time.perf_counter() - start
    every_account = subscription(id=1, team_id=TEAM, channel_id="C0001", tz=TZ, created_at=NOW)
    reads, settings = make_read_sessions(engine), Settings(database_url=url)
    result, parts = {}, {"gather": [], "messages": []}

    def digest() -> None:
        start = time.perf_counter()
        with reads.begin() as s:
            built = content.gather(
                s,
                subscription=every_account,
                since=SINCE,
                now=NOW,
                stale_days=settings.stale_days,
            )
        gathered = time.perf_counter()
        message, replies = digest_messages.messages(built, subscription=every_account, tz=TZ)
        parts["gather"].append(gathered - start)
        parts["messages"].append(time.perf_counter() - gathered)
        result.update(built=built, message=message, replies=replies)

    with statements_sent(engine) as statements:
        digests = timed(digest)
    statement = aggregate_statement()

    def aggregate() -> None:
        with reads.begin() as s:
            result["rows"] = s.execute(statement).all()

    aggregates = timed(aggregate)
    engine.dispose()
    return {
        "seeded": seeded,
        "digest": statistics.median(digests),
        "gather": statistics.median(parts["gather"][1:]),
        "messages": statistics.median(parts["messages"][1:]),
        "selects": sum(s.lstrip().startswith("SELECT") for s in statements) / (RUNS + 1),
        "statement": statistics.median(aggregates),
        **result,
    }


def report(backend: str, outcome: dict) -> None:
    digest, statement = outcome["digest"], outcome["statement"]
    ratio = digest / statement
    counts = ", ".join(f"{k} {v}" for k, v in outcome["built"].counts.items())
    replies = outcome["replies"]
    print(
        f"machine:   {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"database:  {backend}")
    print(
        f"data:      {ACCOUNTS:,} accounts, {CALLS:,} calls, {GRADES:,} grades, "
        f"{GRADES + OPEN_REQUESTS:,} grade requests ({OPEN_REQUESTS:,} open), "
        f"{PLANS:,} recovery plans; seeded in {outcome['seeded']:.1f} s"
    )
    print(f"digest:    {counts}")
    print(
        f"           {outcome['selects']:g} SELECT statements; channel message "
        f"{len(outcome['message']['blocks'])} block(s), {len(replies)} thread replies, "
        f"{sum(len(r['blocks']) for r in replies)} blocks in all"
    )
    print(f"statement: {len(outcome['rows']):,} rows, one per active account\n")
    print(f"median of {RUNS} runs (ms)")
    print(f"  digest: gather + messages       {digest * 1000:9.1f}")
    print(f"    gather (queries and facts)    {outcome['gather'] * 1000:9.1f}")
    print(f"    messages (Block Kit)          {outcome['messages'] * 1000:9.1f}")
    print(f"  one aggregate statement         {statement * 1000:9.1f}")
    print(f"  ratio digest / statement        {ratio:9.2f}\n")
    print(f"goal ratio <= 2: {'PASS' if ratio <= 2 else 'FAIL'} ({ratio:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    with scratch_database(args.database_url, prefix="bench") as database:
        outcome = run(database.url)
    report(database.backend, outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
