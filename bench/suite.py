"""Rapport's benchmark suite: every measurement of issue 11 in one table, each goal with its
verdict; and a before/after table of two runs.

Runs on SQLite (a fresh file), and also on PostgreSQL when TEST_DATABASE_URL is set
(or --database-url is given), each part in a throwaway database of its own
(tests/support/databases.py). The requests come from the 200 people of bench/workload.py:

  acks     bench/acks.py: in-process acknowledgement of /logcall, a grade button and a
           view submission against their unavoidable work (a bare Bolt ack with
           process_before_response=True; for /logcall also one date parse and one insert),
           timed in turn in the same run; and the SQL statements and transactions of one
           whole /logcall, a person's first and a cached one (counted);
  serve    bench/serve_load.py: `python -m bot serve` and a bare Bolt app on the same
           waitress (16 threads, process_before_response=True) over loopback HTTP at 1, 8
           and 32 clients: req/s, p50, p99, the server's CPU and context switches per
           request; req/s with SERVE_WORKERS=1 and 2 at 8 and 32 clients; cold start to
           /healthz and the first /logcall after it; resident memory idle and after
           10,000 requests;
  digest   bench/digest_build.py: the digest of 10,000 and of 100,000 accounts against
           one aggregate SQL statement gathering the same facts (100,000 accounts with a
           shorter history, to stay affordable: see its docstring);
  imports  bench/imports.py: a CSV of 10,000 accounts, 20,000 contacts and 100,000 past
           calls previewed, imported (rows a second) and imported again, against bare
           inserts of the same rows;
  pages    bench/grade_page.py: 1,000 concurrent loads of the grade page of people outside
           Slack against as many GET /healthz, then 200 concurrent submissions and
           their replays: none lost, none doubled;
  when     bench/when_parse.py: one "when" phrase of ../shared/lang/corpus.json read as
           /logcall reads it, median and p99, against the reader before issue 13;
  reports  bench/reports.py: `/account report` of 10,000 accounts and 500,000 calls (and
           50,000 grades, ARR history) gathered and written, this quarter's and one of
           every call: wall time and the peak memory of the process building it.

Each figure is the median of several runs: acks and serve are run --runs times (each
run itself a median over its requests: --requests acks of each kind, --serve-requests
HTTP requests per server and number of clients), cold start --starts times, the digest is
timed 5 times after a warm-up. With the defaults a whole run took 5 minutes on SQLite
and 6 on PostgreSQL on a 2-CPU machine (acks 0.5, serve 2.5, digests 2-3 minutes a
database; `serve` at 10,000 requests and the digest at 100,000 accounts are most of it),
11 for both; bench/reports.py adds under 2 minutes a database. The goals are issue 11's (and
issue 6's p99 < 50 ms for acks, issue 16's for reports):

    make bench                                  # SQLite, and PostgreSQL if TEST_DATABASE_URL is set
    .venv/bin/python bench/suite.py --runs 3 --requests 500 --database-url postgresql://...
    .venv/bin/python bench/suite.py --json after.json
    .venv/bin/python bench/suite.py --compare before.json after.json

--json writes every figure to a file; --compare prints one table of two such files, per
database the figure before, after, and the goal's verdict on "after", without measuring.
Exits 1 if a measurement failed (a request or check went wrong), else 0; the goals'
verdicts are printed.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent), str(BENCH.parent / "tests")]

import acks  # noqa: E402
import digest_build  # noqa: E402
import grade_page  # noqa: E402
import imports  # noqa: E402
import reports  # noqa: E402
import serve_load  # noqa: E402
import when_parse  # noqa: E402

from support.databases import scratch_database  # noqa: E402

DIGEST_ACCOUNTS = (10_000, 100_000)


def median_of(values: list):
    """The median of numbers; of dicts, the median of each key; else the first value."""
    first = values[0]
    if isinstance(first, dict):
        return {key: median_of([value[key] for value in values]) for key in first}
    if isinstance(first, int | float) and not isinstance(first, bool):
        return statistics.median(values)
    return first


def measure(database_url: str | None, *, runs: int, requests: int, serve_requests: int) -> dict:
    """Every figure for one database; each part in a throwaway database of its own (the
    digest's seed gives its rows fixed ids)."""
    started = time.perf_counter()
    with scratch_database(database_url, prefix="bench") as database:
        ack_runs = [acks.measure(database.url, requests) for _ in range(runs)]
        sql = acks.count_sql(database.url)
    with scratch_database(database_url, prefix="bench") as database:
        serve = serve_load.measure(database.url, runs=runs, requests=serve_requests)
    with scratch_database(database_url, prefix="bench") as database:
        pages = grade_page.measure(database.url)
    if grade_page.check(pages):
        raise grade_page.Failed("; ".join(grade_page.check(pages)))
    digests = {}
    for accounts in DIGEST_ACCOUNTS:
        with scratch_database(database_url, prefix="bench") as database:
            digests[str(accounts)] = digest_build.run(database.url, accounts)
    return {
        "backend": database.backend,
        "acks": [median_of(list(kinds)) for kinds in zip(*ack_runs, strict=True)],
        "sql": sql,
        "serve": serve,
        "digest": digests,
        "when": when_parse.measure(rounds=20),
        "imports": imports.measure(database_url),
        "grade_page": pages,
        "reports": reports.measure(database_url),
        "seconds": time.perf_counter() - started,
    }


# -- the table: what each row shows of one database's results, and its goal


@dataclass(frozen=True)
class Figure:
    """A row of the table: its label, its cell from one database's results, and its goal
    (the text, and whether those results meet it)."""

    label: str
    cell: Callable[[dict], str]
    goal: str = ""
    passed: Callable[[dict], bool] | None = None


def level(r: dict, server: str, clients: int) -> dict:
    """The HTTP figures of `server` ("rapport", "bare", "workers=1") at `clients` clients."""
    return next(lv for lv in r["serve"]["levels"][server] if lv["clients"] == clients)


def starts(r: dict, key: str) -> float:
    """The median of a cold start's figure `key` ("start_s", "ack_ms", "shown_ms", ...)."""
    return statistics.median(start[key] for start in r["serve"]["starts"])


def first_over_warm(r: dict) -> float:
    return starts(r, "shown_ms") / level(r, "rapport", 1)["median_ms"]


def p50_over_bare(r: dict) -> float:
    return level(r, "rapport", 1)["median_ms"] / level(r, "bare", 1)["median_ms"]


def rps_share_of_bare(r: dict) -> float:
    return level(r, "rapport", 8)["rps"] / level(r, "bare", 8)["rps"]


def cpu_growth(r: dict) -> float:
    return level(r, "rapport", 32)["server_cpu_ms"] / level(r, "rapport", 1)["server_cpu_ms"]


def digest_ratio(r: dict, accounts: int) -> float:
    digest = r["digest"][str(accounts)]
    return digest["digest"] / digest["statement"]


def unavoidable(ack: dict) -> str:
    """ "1.62 = 0.11 + 0.79 + 0.72": the unavoidable work, and its parts if several."""
    several = f" = {acks.parts(ack, named=False)}" if len(ack["parts_ms"]) > 1 else ""
    return f"{ack['unavoidable_ms']:.2f}{several}"


def ack_figures(i: int, what: str, parts: str, ratio_goal: bool) -> list[Figure]:
    """The rows of the i-th kind of ack, whose unavoidable work is `parts`."""

    def ack(r: dict) -> dict:
        return r["acks"][i]

    ratio = Figure("  ratio p50 / unavoidable", lambda r: f"{ack(r)['ratio']:.2f}")
    if ratio_goal:
        ratio = Figure(
            ratio.label,
            ratio.cell,
            f"<= {acks.RATIO_GOAL:g}",
            lambda r: ack(r)["ratio"] <= acks.RATIO_GOAL,
        )
    return [
        Figure(
            f"{what} in-process ack: p50 / p99 ms",
            lambda r: f"{ack(r)['median_ms']:.2f} / {ack(r)['p99_ms']:.2f}",
            f"p99 < {acks.P99_GOAL_MS:g} ms (issue 6)",
            lambda r: ack(r)["p99_ms"] < acks.P99_GOAL_MS,
        ),
        Figure(f"  unavoidable ms: {parts}", lambda r: unavoidable(ack(r))),
        ratio,
    ]


def speed(lv: dict) -> str:
    """ "86, 11.0 / 15.2": req/s, p50 / p99 ms, and errors if any."""
    errors = f" ({lv['errors']} errors)" if lv["errors"] else ""
    return f"{lv['rps']:.0f}, {lv['median_ms']:.1f} / {lv['p99_ms']:.1f}{errors}"


def http_figures(server: str, clients: int) -> list[Figure]:
    """The rows of `server` at `clients` clients."""
    return [
        Figure(
            f"HTTP {server}, {clients} client(s): req/s, p50 / p99 ms",
            lambda r: speed(level(r, server, clients)),
        ),
        Figure(
            "  server CPU ms / context switches, per request",
            lambda r: (
                f"{level(r, server, clients)['server_cpu_ms']:.2f} / "
                f"{level(r, server, clients)['switches']:.1f}"
            ),
        ),
    ]


def scaling_figure(clients: int) -> Figure:
    return Figure(
        f"serve req/s at {clients} clients, SERVE_WORKERS=1 / 2",
        lambda r: " / ".join(
            f"{level(r, f'workers={n}', clients)['rps']:.0f}" for n in serve_load.WORKERS
        ),
    )


def digest_figures(accounts: int) -> list[Figure]:
    def digest(r: dict) -> dict:
        return r["digest"][str(accounts)]

    return [
        Figure(
            f"digest {accounts:,} accounts: build / statement ms",
            lambda r: f"{digest(r)['digest'] * 1000:.0f} / {digest(r)['statement'] * 1000:.0f}",
        ),
        Figure(
            "  ratio build / statement",
            lambda r: f"{digest_ratio(r, accounts):.2f}",
            f"<= {digest_build.RATIO_GOAL:g}",
            lambda r: digest_ratio(r, accounts) <= digest_build.RATIO_GOAL,
        ),
    ]


FIGURES = [
    *ack_figures(0, "/logcall", "bare ack + parse + insert", ratio_goal=True),
    *ack_figures(1, "grade button", "bare ack", ratio_goal=False),
    *ack_figures(2, "view submission", "bare ack", ratio_goal=False),
    Figure(
        "SQL per /logcall, cached person",
        lambda r: acks.sql_summary(r["sql"]["cached"]),
        "<= 2 txn, 0 repeated",
        lambda r: r["sql"]["cached"]["transactions"] <= 2 and r["sql"]["cached"]["repeated"] == 0,
    ),
    Figure("SQL per /logcall, person's first", lambda r: acks.sql_summary(r["sql"]["first"])),
    *(f for clients in serve_load.LEVELS for f in http_figures("rapport", clients)),
    *(f for clients in serve_load.LEVELS for f in http_figures("bare", clients)),
    Figure(
        "HTTP p50 at 1 client, rapport / bare",
        lambda r: f"{p50_over_bare(r):.1f}x",
        "<= 8x",
        lambda r: p50_over_bare(r) <= 8,
    ),
    Figure(
        "HTTP req/s at 8 clients, rapport / bare",
        lambda r: f"{rps_share_of_bare(r):.1%}",
        ">= 10%",
        lambda r: rps_share_of_bare(r) >= 0.10,
    ),
    Figure(
        "HTTP p99 at 32 clients, rapport ms",
        lambda r: f"{level(r, 'rapport', 32)['p99_ms']:.1f}",
        "< 150 ms",
        lambda r: level(r, "rapport", 32)["p99_ms"] < 150,
    ),
    Figure(
        "CPU per /logcall, 32 clients / 1 client",
        lambda r: f"{cpu_growth(r):.2f}x",
        "<= 1.3x",
        lambda r: cpu_growth(r) <= 1.3,
    ),
    *(scaling_figure(clients) for clients in serve_load.SCALING_LEVELS),
    Figure("cold start to /healthz s", lambda r: f"{starts(r, 'start_s'):.2f}"),
    Figure(
        "first /logcall after start: ack / shown ms",
        lambda r: f"{starts(r, 'ack_ms'):.0f} / {starts(r, 'shown_ms'):.0f}",
    ),
    Figure(
        "  then a newcomer's (users.info): ack / shown ms",
        lambda r: (
            f"{starts(r, 'newcomer_ack_ms'):.0f} / {starts(r, 'newcomer_shown_ms'):.0f}"
            if "newcomer_ack_ms" in r["serve"]["starts"][0]
            else "(not measured)"
        ),
    ),
    Figure(
        "  shown / warm p50 at 1 client",
        lambda r: f"{first_over_warm(r):.1f}x",
        "<= 2x",
        lambda r: first_over_warm(r) <= 2,
    ),
    Figure(
        "serve RSS MiB: idle / after 10,000 requests",
        lambda r: (
            f"{r['serve']['rss_idle_mb']:.0f} / {r['serve']['rss_after_mb']:.0f} "
            f"({r['serve']['processes']} process(es))"
        ),
    ),
    Figure(
        "  PSS (shared pages counted once)",
        lambda r: f"{r['serve']['pss_idle_mb']:.0f} / {r['serve']['pss_after_mb']:.0f}",
    ),
    *(f for accounts in DIGEST_ACCOUNTS for f in digest_figures(accounts)),
    Figure(
        "'when' phrase read (corpus): median / p99 ms",
        lambda r: (
            f"{r['when']['median_ms']:.2f} / {r['when']['p99_ms']:.2f}"
            if r.get("when")
            else "(no corpus)"
        ),
    ),
    Figure(
        "  median / before issue 13",
        lambda r: (
            f"{r['when']['median_ms'] / when_parse.BASELINE_MS:.2f}x" if r.get("when") else ""
        ),
        "<= 2x",
        lambda r: not r.get("when") or r["when"]["median_ms"] / when_parse.BASELINE_MS <= 2,
    ),
]


def measured(r: dict, bench: str, cell: Callable[[dict], str]) -> str:
    """A figure of `bench` (its key in the results: "imports", "grade_page"), or a note that
    this run has none (an older run)."""
    return cell(r[bench]) if r.get(bench) else "(not measured)"


FIGURES += [
    Figure(
        "import 10,000 accounts + 100,000 calls: rows/s",
        lambda r: measured(r, "imports", lambda i: f"{i['rows_per_s']:,.0f}"),
    ),
    Figure(
        "  preview / import / again / bare inserts s",
        lambda r: measured(
            r,
            "imports",
            lambda i: (
                f"{i['preview']:.1f} / {i['import']:.1f} / {i['again']:.1f} / {i['bare']:.1f}"
            ),
        ),
    ),
    Figure(
        "  ratio import / bare inserts",
        lambda r: measured(r, "imports", lambda i: f"{i['ratio']:.2f}x"),
    ),
]


FIGURES += [
    Figure(
        "grade page, 1,000 concurrent loads: p50 / p99 ms",
        lambda r: measured(
            r, "grade_page", lambda g: f"{g['pages']['p50_ms']:.0f} / {g['pages']['p99_ms']:.0f}"
        ),
    ),
    Figure(
        "  p99 / GET /healthz p99 (as many at once)",
        lambda r: measured(
            r, "grade_page", lambda g: f"{g['pages']['p99_ms'] / g['healthz']['p99_ms']:.2f}x"
        ),
    ),
    Figure(
        "  200 concurrent submissions: p99 ms; grades stored",
        lambda r: measured(
            r,
            "grade_page",
            lambda g: f"{g['submissions']['p99_ms']:.0f}; {g['stored']} of {g['requests']}",
        ),
        "one per request",
        lambda r: (
            not r.get("grade_page") or r["grade_page"]["stored"] == r["grade_page"]["requests"]
        ),
    ),
]


def report_figure(name: str, label: str) -> Figure:
    """The row of report `name` ("quarter", "all" of bench/reports.py)."""

    def cell(found: dict) -> str:
        built = found[name]
        return (
            f"{built['seconds']:.1f} / {built['peak_mb']:.0f} "
            f"({built['calls']:,} calls, {built['bytes'] / 1e6:.0f} MB)"
        )

    return Figure(
        label,
        lambda r: measured(r, "reports", cell),
        f"< {reports.SECONDS_GOAL} s, < {reports.MB_GOAL} MB",
        lambda r: not r.get("reports") or reports.met(r["reports"][name]),
    )


FIGURES += [
    report_figure("quarter", "report of 10,000 accounts, this quarter: s / peak MB"),
    report_figure("all", "  of all 500,000 calls (24 months): s / peak MB"),
]


def verdict(figure: Figure, results: dict) -> str:
    return "" if figure.passed is None else "PASS" if figure.passed(results) else "FAIL"


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(f"{cell:<{width}}" for cell, width in cells).rstrip())


def table(results: dict) -> None:
    """Each figure on each database, and the goal with its verdicts."""
    rows = [
        [
            figure.label,
            *(figure.cell(r) for r in results.values()),
            f"{figure.goal}: {' '.join(verdict(figure, r) for r in results.values())}"
            if figure.goal
            else "",
        ]
        for figure in FIGURES
    ]
    print_table(["figure", *results, "goal: verdict per database"], rows)


def comparison(before: dict, after: dict) -> None:
    """Each figure on each database before and after, and the goal's verdict after."""
    kinds = [kind for kind in after if kind in before]
    rows = [
        [
            figure.label,
            *(
                cell
                for kind in kinds
                for cell in (
                    figure.cell(before[kind]),
                    figure.cell(after[kind]),
                    verdict(figure, after[kind]),
                )
            ),
            figure.goal,
        ]
        for figure in FIGURES
    ]
    header = [f"figure ({', '.join(kinds)})"]
    for kind in kinds:
        header += [f"{kind} before", f"{kind} after", "verdict"]
    print_table([*header, "goal"], rows)


def describe(run: dict, name: str = "") -> None:
    print(f"{name}machine:  {run['machine']}")
    print(f"{name}when:     {run['when']}")
    print(
        f"{name}runs:     median of {run['runs']} runs: {run['requests']} timed acks of "
        f"each kind, {run['serve_requests']} HTTP requests per server and level, "
        f"{serve_load.STARTS} cold starts; the digest: median of {digest_build.RUNS} builds"
    )
    results = run["results"].values()
    print(f"{name}on:       {', '.join(r['backend'] for r in results)}")
    took = ", ".join(f"{r['seconds']:.0f} s" for r in results)
    print(f"{name}took:     {took}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the acks and serve benches")
    parser.add_argument("--requests", type=int, default=500, help="timed acks of each kind a run")
    parser.add_argument(
        "--serve-requests",
        type=int,
        default=serve_load.REQUESTS,
        help="HTTP requests per server and number of clients, a run",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL to run on besides SQLite (default: $TEST_DATABASE_URL)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="print the table of two --json files instead of measuring",
    )
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        describe(before, "before ")
        describe(after, "after  ")
        print()
        comparison(before["results"], after["results"])
        return 0
    run = {
        "machine": f"{platform.node()}: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "runs": args.runs,
        "requests": args.requests,
        "serve_requests": args.serve_requests,
        "results": {},
    }
    for database_url in (None, args.database_url) if args.database_url else (None,):
        print(f"measuring on {database_url or 'sqlite'} ...", file=sys.stderr, flush=True)
        try:
            measured = measure(
                database_url,
                runs=args.runs,
                requests=args.requests,
                serve_requests=args.serve_requests,
            )
        except (acks.Failed, serve_load.Failed, grade_page.Failed) as failure:
            print(f"FAILED on {database_url or 'sqlite'}: {failure}")
            return 1
        run["results"][measured["backend"].split()[0]] = measured
    if args.json:
        args.json.write_text(json.dumps(run, indent=1))
    describe(run)
    print()
    table(run["results"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
