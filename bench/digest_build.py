"""How long does building a digest take, compared with one SQL statement gathering its facts?

Seeds one workspace with --accounts accounts (10,000 by default; bench/suite.py runs
10,000 and 100,000). Up to 10,000 accounts, each has a year of history: 50 calls and 5
grades (with their grade requests); besides, 0.2 open grade requests per account, and
recovery plans for a tenth of the grades. 10,000 accounts: 500,000 calls, 50,000 grades.
Beyond 10,000 accounts the history is shortened to keep the same 500,000 calls and
50,000 grades (100,000 accounts: 5 calls and 0.5 grades each, over the last 36.5 days),
so that seeding stays under half a minute; calls and grades come at the same rate per
account and day, so the digest's window, staleness and grade changes look the same.
It analyses the tables as autovacuum would, then times, in the same run, median of 5
after one untimed run of each:

  digest:    bot.digests.content.gather + bot.digests.messages for an "all"
             subscription (every account), since 24 hours ago; also shown apart, with
             the number of SELECT statements it issued;
  statement: ONE aggregate SELECT returning, per account, the same facts: latest call
             (when, follow-up), calls logged since, latest and previous grade, new
             grades since, pending requests (count, oldest), renewal and ARR, open
             recovery plan (target, follow-up).

Goal (issue 11): digest <= 1.5 x statement, at 10,000 and at 100,000 accounts.

    .venv/bin/python bench/digest_build.py                      # fresh SQLite file
    .venv/bin/python bench/digest_build.py --accounts 100000 \\
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
from dataclasses import asdict, dataclass
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
ACCOUNTS = 10_000
# A year of history per account: calls and grades (each with its answered request);
# open grade requests per account; recovery plans per grade.
YEAR, CALLS, GRADES, OPEN_REQUESTS, PLANS = 365, 50, 5, 0.2, 0.1
HISTORY_ACCOUNTS = 10_000  # beyond this many accounts, the history is shortened
RATIO_GOAL = 1.5
BATCH = 10_000
RUNS = 5
NOTES = (
    "Discussed the renewal and their budget for next year; they want a proposal by March.\n"
    "Competitor pitched them last week."
)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind are seeded."""

    accounts: int
    days: float  # of history: calls and grades happened within these last days
    calls: int
    grades: int
    open_requests: int
    plans: int

    @classmethod
    def of(cls, accounts: int) -> "Sizes":
        """The rows for `accounts` accounts (see the module docstring)."""
        history = min(1.0, HISTORY_ACCOUNTS / accounts)  # of a year
        grades = round(accounts * GRADES * history)
        return cls(
            accounts=accounts,
            days=YEAR * history,
            calls=round(accounts * CALLS * history),
            grades=grades,
            open_requests=round(accounts * OPEN_REQUESTS),
            plans=round(grades * PLANS),
        )


def seed(engine: Engine, sizes: Sizes) -> None:
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
        for i in range(1, sizes.accounts + 1)
    ]
    calls = []
    for i in range(1, sizes.calls + 1):
        occurred = NOW - timedelta(seconds=rng.randint(60, round(sizes.days * 86400)))
        follow_up = rng.random() < 0.1
        calls.append(
            {
                "id": i,
                "team_id": TEAM,
                "account_id": rng.randint(1, sizes.accounts),
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
    for i in range(1, sizes.grades + 1):
        graded = NOW - timedelta(seconds=rng.randint(60, round(sizes.days * 86400)))
        account_id, letter = rng.randint(1, sizes.accounts), rng.choice(SCALE)
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
    for i in range(sizes.grades + 1, sizes.grades + sizes.open_requests + 1):
        asked = NOW - timedelta(seconds=rng.randint(60, 20 * 86400))
        requests.append(request(i, rng.randint(1, sizes.accounts), asked, "open", None))
    plans = []
    for i, grade in enumerate(rng.sample(grades, sizes.plans), start=1):
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


def run(url: str, accounts: int = ACCOUNTS) -> dict:
    """Seed `accounts` accounts (and their rows, Sizes.of) in the database at `url` and
    time the digest and the statement; the figures in seconds, the sizes and what the
    digest showed."""
    sizes = Sizes.of(accounts)
    engine = make_engine(url)
    migrate.upgrade(engine)
    start = time.perf_counter()
    seed(engine, sizes)
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
        "sizes": asdict(sizes),
        "seeded": seeded,
        "digest": statistics.median(digests),
        "gather": statistics.median(parts["gather"][1:]),
        "messages": statistics.median(parts["messages"][1:]),
        "selects": sum(s.lstrip().startswith("SELECT") for s in statements) / (RUNS + 1),
        "statement": statistics.median(aggregates),
        "counts": dict(result["built"].counts),
        "blocks": len(result["message"]["blocks"]),
        "replies": len(result["replies"]),
        "reply_blocks": sum(len(r["blocks"]) for r in result["replies"]),
        "rows": len(result["rows"]),
    }


def report(backend: str, outcome: dict) -> None:
    digest, statement = outcome["digest"], outcome["statement"]
    ratio = digest / statement
    counts = ", ".join(f"{k} {v}" for k, v in outcome["counts"].items())
    sizes = outcome["sizes"]
    print(
        f"machine:   {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"database:  {backend}")
    print(
        f"data:      {sizes['accounts']:,} accounts, {sizes['calls']:,} calls, "
        f"{sizes['grades']:,} grades, {sizes['grades'] + sizes['open_requests']:,} grade "
        f"requests ({sizes['open_requests']:,} open), {sizes['plans']:,} recovery plans; "
        f"seeded in {outcome['seeded']:.1f} s"
    )
    print(f"digest:    {counts}")
    print(
        f"           {outcome['selects']:g} SELECT statements; channel message "
        f"{outcome['blocks']} block(s), {outcome['replies']} thread replies, "
        f"{outcome['reply_blocks']} blocks in all"
    )
    print(f"statement: {outcome['rows']:,} rows, one per active account\n")
    print(f"median of {RUNS} runs (ms)")
    print(f"  digest: gather + messages       {digest * 1000:9.1f}")
    print(f"    gather (queries and facts)    {outcome['gather'] * 1000:9.1f}")
    print(f"    messages (Block Kit)          {outcome['messages'] * 1000:9.1f}")
    print(f"  one aggregate statement         {statement * 1000:9.1f}")
    print(f"  ratio digest / statement        {ratio:9.2f}\n")
    verdict = "PASS" if ratio <= RATIO_GOAL else "FAIL"
    print(f"goal ratio <= {RATIO_GOAL:g}: {verdict} ({ratio:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--accounts", type=int, default=ACCOUNTS, help="accounts seeded")
    args = parser.parse_args()
    with scratch_database(args.database_url, prefix="bench") as database:
        outcome = run(database.url, args.accounts)
    report(database.backend, outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
