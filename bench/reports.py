"""How long does `/account report` take to build and write for a large team, and how much
memory does it need?

A fresh database gets, by bare bulk inserts (as bench/imports.py's baseline): --accounts
accounts (10,000) of 20 owners with two contacts each and an ARR history (every account's
first value two years back, a third of them changed since, a tenth new in the last
year), --calls calls (500,000) spread over the last 24 months, and --grades grades
(50,000, each answering a request) likewise; on PostgreSQL, ANALYZE. Then, each in a
fresh child process, the report is gathered and its workbook written, with its charts,
as `send` does (account_report.gather and files.xlsx; no Slack): (a) this quarter's,
(b) the last 24 months', which holds every call and grade.

Prints per report: wall time (gather and write), peak resident memory of the child
(ru_maxrss) and what it held before building (the interpreter, Rapport and openpyxl
imported), the workbook's size. Goals (issue 16): under 10 s and 300 MB.

    .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --calls 50000 --database-url postgresql://...
    .venv/bin/python bench/reports.py --profile     # where (b)'s time goes, in this process
"""

import argparse
import cProfile
import pstats
import resource
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.grades.scale import POINTS, SCALE  # noqa: E402
from bot.reports import account_report, periods  # noqa: E402
from bot.reports.files import xlsx  # noqa: E402
from bot.runtime.context import make_rapport  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage import migrate  # noqa: E402
from storage.models import (  # noqa: E402
    Account,
    ArrValue,
    Call,
    CallSource,
    Contact,
    Grade,
    GradeRequest,
)
from support.clock import START, FakeClock  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.workspace import CLIENT, NEW_YORK, TEAM  # noqa: E402

ACCOUNTS, CALLS, GRADES = 10_000, 500_000, 50_000
OWNERS = [f"U{n:04d}" for n in range(1, 21)]
SPAN = timedelta(days=720)  # calls and grades: within the last 24 months before START
BATCH = 10_000
REPORTS = {"quarter": "this quarter", "all": "last 24 months"}
SECONDS_GOAL, MB_GOAL = 10, 300
NOTES = [
    "Quarterly review with their CFO: budget confirmed for next year.",
    "Short check-in.",
    "They asked for a proposal covering the Berlin and Lisbon teams, and for a call with "
    "our support lead about the tickets that took more than a week.",
    "Renewal talk.\nProcurement wants a three-year term.\nLegal to review the DPA.",
    "=SUM(A1:A9) pasted from their spreadsheet",
]


def measure(database_url: str | None, accounts=ACCOUNTS, calls=CALLS, grades=GRADES) -> dict:
    """The figures of both reports over a seeded team, in a throwaway database."""
    with scratch_database(database_url, prefix="bench") as database:
        rapport = make_rapport(Settings(database_url=database.url), clock=FakeClock(START))
        migrate.upgrade(rapport.engine)
        start = time.perf_counter()
        seed(rapport.engine, accounts, calls, grades)
        seeded = time.perf_counter() - start
        rapport.engine.dispose()
        built = {}
        for name, phrase in REPORTS.items():
            # A child of its own for each: its peak memory is this report's alone.
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as child:
                built[name] = child.submit(build, database.url, phrase).result()
    return {
        "backend": database.backend,
        "accounts": accounts,
        "calls": calls,
        "grades": grades,
        "seed_s": seeded,
        **built,
    }


def build(database_url: str, phrase: str) -> dict:
    """One report gathered and written, as account_report.send does before uploading."""
    import openpyxl.chart  # noqa: F401  (imported before measuring, as in a running app)

    rapport = make_rapport(Settings(database_url=database_url), clock=FakeClock(START))
    request = periods.parse(phrase, tz=NEW_YORK, user_id=OWNERS[0], now=START)
    before = _max_rss_mb()
    start = time.perf_counter()
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=request) as report:
        content = xlsx(report.sheets, charts=report.charts)
    seconds = time.perf_counter() - start
    rapport.engine.dispose()
    return {
        "period": request.period.label,
        "calls": report.totals.calls,
        "grades": report.totals.grades,
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": _max_rss_mb(),
        "bytes": len(content),
    }


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def met(built: dict) -> bool:
    """Whether one report's figures meet the goals."""
    return built["seconds"] < SECONDS_GOAL and built["peak_mb"] < MB_GOAL


def passed(found: dict) -> bool:
    return all(met(found[name]) for name in REPORTS)


# -- the seed: rows built in batches, inserted with one executemany per batch


def seed(engine, accounts: int, calls: int, grades: int) -> None:
    with engine.begin() as connection:
        for model, rows in (
            (Account, _accounts(accounts)),
            (ArrValue, _arr_history(accounts)),
            (Contact, _contacts(accounts)),
            (Call, _calls(accounts, calls)),
            (GradeRequest, _requests(accounts, grades)),
            (Grade, _grades(accounts, grades)),
        ):
            for batch in _batches(rows):
                connection.execute(insert(model.__table__), batch)
    if engine.dialect.name == "postgresql":
        # The statistics autovacuum gathers within a minute of a bulk load. Without them
        # the planner scans the calls once per account: (a) took 113 s instead of 8.
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def _batches(rows: Iterator[dict]) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _moment(n: int, of: int) -> datetime:
    """The n-th of `of` moments spread evenly over SPAN, up to START."""
    return START - SPAN + SPAN * (n + 0.5) / of


def _accounts(count: int) -> Iterator[dict]:
    for n in range(count):
        name = f"Account {n:05d}"
        yield {
            "id": n + 1,
            "team_id": TEAM,
            "name": name,
            "name_key": name.lower(),
            "owner_id": _owner(n + 1),
            "renewal_on": START.date() + timedelta(days=n * 7 % 450),
            "arr": _arr(n, START.date()),
            "growth_target_pct": 10.0 + n % 11,
            "competitors": "Globex, Initech" if n % 3 == 0 else None,
            "created_by": _owner(n + 1),
            "created_at": START - SPAN,
        }


def _arr(n: int, on: date) -> int:
    """Account n's ARR effective on `on` (as _arr_history records it)."""
    first = 10_000 + n % 50 * 2_000
    return first + first // 5 if n % 3 == 0 and on >= _changed_on(n) else first


def _changed_on(n: int) -> date:
    return (START - SPAN + timedelta(days=30 + n % 660)).date()


def _new_on(n: int) -> date:
    """The day a new account's ARR took effect (a tenth of them are new in the last year)."""
    return (START - timedelta(days=5 + n * 13 % 360)).date()


def _arr_history(count: int) -> Iterator[dict]:
    history_id = 0
    for n in range(count):
        first_on = _new_on(n) if n % 10 == 0 else (START - SPAN).date()
        values = [(first_on, _arr(n, first_on))]
        if n % 3 == 0 and _changed_on(n) > first_on:
            values.append((_changed_on(n), _arr(n, _changed_on(n))))
        for effective_on, arr in values:
            history_id += 1
            yield {
                "id": history_id,
                "team_id": TEAM,
                "account_id": n + 1,
                "arr": arr,
                "effective_on": effective_on,
                "recorded_by": _owner(n + 1),
                "recorded_at": START - SPAN,
            }


def _contacts(count: int) -> Iterator[dict]:
    for n in range(2 * count):
        name = f"Contact {n:06d}"
        yield {
            "id": n + 1,
            "team_id": TEAM,
            "account_id": n // 2 + 1,
            "name": name,
            "name_key": name.lower(),
            "role": "CFO" if n % 2 else "Head of Operations",
            "created_by": OWNERS[0],
            "created_at": START - SPAN,
        }


def _of(n: int, accounts: int) -> int:
    """The id of the account of the n-th call (or grade): consecutive ones far apart."""
    return n * 7919 % accounts + 1


def _owner(account_id: int) -> str:
    return OWNERS[(account_id - 1) % len(OWNERS)]


def _calls(accounts: int, count: int) -> Iterator[dict]:
    for n in range(count):
        at = _moment(n, count)
        yield {
            "id": n + 1,
            "team_id": TEAM,
            "account_id": _of(n, accounts),
            "logged_by": _owner(_of(n, accounts)),
            "occurred_at": at,
            "notes": NOTES[n % len(NOTES)],
            "next_step": "Send the proposal" if n % 2 else None,
            "follow_up_on": (at + timedelta(days=14)).date() if n % 2 else None,
            "private": n % 20 == 0,
            "source": CallSource.COMMAND,
            "created_at": at,
        }


def _requests(accounts: int, count: int) -> Iterator[dict]:
    for n in range(count):
        yield {
            "id": n + 1,
            "team_id": TEAM,
            "account_id": _of(n, accounts),
            "asked_by": _owner(_of(n, accounts)),
            "grader_id": CLIENT,
            "question": "What grade would you give our proposals?",
            "status": "answered",
            "asked_at": _moment(n, count) - timedelta(days=1),
        }


def _grades(accounts: int, count: int) -> Iterator[dict]:
    for n in range(count):
        letter = SCALE[n * 5 % len(SCALE)]
        yield {
            "id": n + 1,
            "team_id": TEAM,
            "account_id": _of(n, accounts),
            "request_id": n + 1,
            "grader_id": CLIENT,
            "grade": letter,
            "points": POINTS[letter],
            "reason": "Proposals come late." if n % 2 else "Good support, slow proposals.",
            "graded_at": _moment(n, count),
        }


def report(found: dict) -> None:
    print(
        f"{found['backend']}: {found['accounts']:,} accounts, {found['calls']:,} calls, "
        f"{found['grades']:,} grades (seeded in {found['seed_s']:.0f} s)"
    )
    for name in REPORTS:
        r = found[name]
        print(
            f"{r['period']}: {r['calls']:,} calls, {r['grades']:,} grades: {r['seconds']:.1f} s, "
            f"peak {r['peak_mb']:.0f} MB (before building {r['rss_before_mb']:.0f} MB), "
            f"{r['bytes'] / 1e6:.1f} MB of .xlsx"
        )
    print(f"goal < {SECONDS_GOAL} s and < {MB_GOAL} MB: {'PASS' if passed(found) else 'FAIL'}")


def profile(database_url: str | None, accounts: int, calls: int, grades: int) -> None:
    """Seed, then build the report of every call in this process under cProfile."""
    with scratch_database(database_url, prefix="bench") as database:
        rapport = make_rapport(Settings(database_url=database.url), clock=FakeClock(START))
        migrate.upgrade(rapport.engine)
        seed(rapport.engine, accounts, calls, grades)
        rapport.engine.dispose()
        profiler = cProfile.Profile()
        profiler.runcall(build, database.url, REPORTS["all"])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--calls", type=int, default=CALLS)
    parser.add_argument("--grades", type=int, default=GRADES)
    parser.add_argument("--profile", action="store_true", help="profile (b) instead")
    args = parser.parse_args()
    sizes = (args.accounts, args.calls, args.grades)
    if args.profile:
        profile(args.database_url, *sizes)
        return 0
    found = measure(args.database_url, *sizes)
    report(found)
    return 0 if passed(found) else 1


if __name__ == "__main__":
    sys.exit(main())
