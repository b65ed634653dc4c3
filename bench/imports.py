"""How fast does an import store a book of accounts, compared with bare inserts of the
same rows?

Builds a CSV (tests/support/books.py) of --accounts accounts (10,000 by default), two
contacts each and --calls past calls (100,000), each call with one attendee, and times,
in a fresh database each, once:

  preview:  reading the file and checking every row against the database (nothing stored),
            as a DM's preview does;
  import:   the same, then storing every row in one transaction, as the Import button
            and `python -m bot import` do (bot/imports/importing.py store);
  again:    importing the same file once more (everything found unchanged: nothing stored);
  bare:     the rows already built, inserted with one executemany INSERT per table and no
            checks (accounts, contacts, calls, attendees): the baseline.

Prints rows a second (accounts + contacts + calls) and the ratio import / bare. No goal:
the figure is the issue's "rows a second"; the ratio shows what reading, checking and
deduplication cost over writing alone.

    .venv/bin/python bench/imports.py
    .venv/bin/python bench/imports.py --accounts 500 --calls 5000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.imports import importing  # noqa: E402
from bot.runtime.context import make_rapport  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage import migrate  # noqa: E402
from storage.models import Account, Call, CallContact, CallSource, Contact  # noqa: E402
from support.books import Book, book  # noqa: E402
from support.clock import START, FakeClock  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.workspace import ALEX  # noqa: E402

ACCOUNTS, CALLS = 10_000, 100_000


def measure(database_url: str | None, accounts: int = ACCOUNTS, calls: int = CALLS) -> dict:
    """The figures, in seconds, of importing a book of `accounts` and `calls`."""
    sample = book(accounts, calls, bad=False)
    content = sample.csv()
    rows = sample.accounts + sample.contacts + sample.calls
    with scratch_database(database_url, prefix="bench") as database:
        rapport = make_rapport(Settings(database_url=database.url), clock=FakeClock(START))
        migrate.upgrade(rapport.engine)
        importer = importing.importer(rapport, ALEX)
        timed = {}
        for step, how in (
            ("preview", importing.preview),
            ("import", importing.store),
            ("again", importing.store),
        ):
            start = time.perf_counter()
            plan = how(
                rapport,
                None,
                importer=importer,
                content=content,
                filename="book.csv",
                max_rows=None,
            )
            timed[step] = time.perf_counter() - start
            if plan.bad or (step == "again" and plan.calls):
                raise RuntimeError(f"{step}: {plan.bad[:3]}, {len(plan.calls)} calls")
        rapport.engine.dispose()
    with scratch_database(database_url, prefix="bench") as database:
        rapport = make_rapport(Settings(database_url=database.url))
        migrate.upgrade(rapport.engine)
        built = bare_rows(sample)
        start = time.perf_counter()
        with rapport.engine.begin() as connection:
            for model, values in built:
                connection.execute(insert(model.__table__), values)
        timed["bare"] = time.perf_counter() - start
        rapport.engine.dispose()
    return {
        "backend": database.backend,
        "accounts": sample.accounts,
        "contacts": sample.contacts,
        "calls": sample.calls,
        "bytes": len(content),
        "rows_per_s": rows / timed["import"],
        "ratio": timed["import"] / timed["bare"],
        **timed,
    }


def bare_rows(sample: Book) -> list[tuple[type, list[dict]]]:
    """The book's rows as the tables hold them, ids given, ready to insert."""
    now = START
    accounts, contacts, calls, attendees = [], [], [], []
    ids, contact_ids = {}, {}
    for row in sample.rows:
        kind, name = row[0], row[1]
        if kind == "account":
            ids[name] = len(accounts) + 1
            accounts.append(
                {"id": ids[name], "team_id": "T0001", "name": name, "name_key": name.lower()}
                | {"owner_id": row[2], "renewal_on": datetime.fromisoformat(row[3]).date()}
                | {"arr": int(row[4]), "growth_target_pct": 15.0, "competitors": row[6]}
                | {"created_by": ALEX.user_id, "created_at": now}
            )
        elif kind == "contact":
            contact_ids[(name, row[8])] = len(contacts) + 1
            contacts.append(
                {"id": len(contacts) + 1, "team_id": "T0001", "account_id": ids[name]}
                | {"name": row[8], "name_key": row[8].lower(), "role": row[9]}
                | {"department": row[10], "email": row[11], "created_by": ALEX.user_id}
                | {"created_at": now}
            )
        else:
            call_id = len(calls) + 1
            calls.append(
                {"id": call_id, "team_id": "T0001", "account_id": ids[name]}
                | {"logged_by": ALEX.user_id, "occurred_at": _moment(row[13]), "notes": row[14]}
                | {"next_step": row[15], "follow_up_on": datetime.fromisoformat(row[16]).date()}
                | {"private": False, "source": CallSource.IMPORT, "created_at": now}
                | {"import_key": f"{call_id:064d}"}
            )
            attendees.append(
                {"team_id": "T0001", "call_id": call_id, "contact_id": contact_ids[(name, row[17])]}
            )
    return [(Account, accounts), (Contact, contacts), (Call, calls), (CallContact, attendees)]


def _moment(typed: str) -> datetime:
    return datetime.fromisoformat(typed).replace(tzinfo=UTC)


def report(found: dict) -> None:
    rows = found["accounts"] + found["contacts"] + found["calls"]
    print(
        f"{found['backend']}: {found['accounts']:,} accounts, {found['contacts']:,} contacts, "
        f"{found['calls']:,} calls ({rows:,} rows, {found['bytes'] / 1e6:.1f} MB of CSV)"
    )
    print(
        f"preview {found['preview']:.1f} s, import {found['import']:.1f} s, "
        f"again {found['again']:.1f} s, bare inserts {found['bare']:.1f} s"
    )
    print(
        f"import: {found['rows_per_s']:,.0f} rows/s; ratio import / bare inserts: "
        f"{found['ratio']:.1f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--calls", type=int, default=CALLS)
    args = parser.parse_args()
    report(measure(args.database_url, args.accounts, args.calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
