"""Rapport's benchmark suite: every measurement of issue #6 in one table.

Runs on SQLite (a fresh file), and also on PostgreSQL when TEST_DATABASE_URL is set
(or --database-url is given), each in a throwaway database (tests/support/databases.py):

  acks     bench/acks.py: in-process acknowledgement of /logcall, a grade button and
           a view submission, against the unavoidable work measured in the same run;
  serve    bench/serve_load.py: `python -m bot serve` over loopback HTTP with 1, 8 and
           32 concurrent clients, and its resident memory idle and after 10,000 requests;
  digest   bench/digest_build.py: the digest of 10,000 accounts, 500,000 calls and
           50,000 grades against one aggregate SQL statement gathering the same facts.

Each figure is the median of several runs: acks and serve are run --runs times (each
run itself a median over its requests), the digest is timed 5 times after a warm-up.
Goals (from the feature issues): median ack <= 1.5 x its unavoidable work, p99 ack
< 50 ms, digest <= 2 x its statement.

    make bench                                  # SQLite, and PostgreSQL if TEST_DATABASE_URL is set
    .venv/bin/python bench/suite.py --runs 3 --requests 500 --database-url postgresql://...

Exits 1 if a measurement failed (a request or check went wrong), else 0; the goals'
verdicts are printed.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent), str(BENCH.parent / "tests")]

import acks  # noqa: E402
import digest_build  # noqa: E402
import serve_load  # noqa: E402

from support.databases import scratch_database  # noqa: E402

ACK_RATIO_GOAL, ACK_P99_GOAL_MS, DIGEST_RATIO_GOAL = 1.5, 50.0, 2.0


def median_rows(runs: list[list[dict]]) -> list[dict]:
    """Per kind (`what`), the median of each numeric figure across runs."""
    merged = []
    for rows in zip(*runs, strict=True):
        first = rows[0]
        merged.append(
            {
                key: statistics.median(row[key] for row in rows)
                if isinstance(value, int | float)
                else value
                for key, value in first.items()
            }
        )
    return merged


def measure(database_url: str | None, *, runs: int, requests: int) -> dict:
    """Every figure for one database; each part in a throwaway database of its own (the
    digest's seed gives its rows fixed ids)."""
    started = time.perf_counter()
    with scratch_database(database_url, prefix="bench") as database:
        ack_rows = median_rows([acks.measure(database.url, requests) for _ in range(runs)])
    with scratch_database(database_url, prefix="bench") as database:
        serve = serve_load.measure(database.url, runs=runs)
    with scratch_database(database_url, prefix="bench") as database:
        digest = digest_build.run(database.url)
    return {
        "backend": database.backend,
        "acks": ack_rows,
        "serve": serve,
        "digest": digest,
        "seconds": time.perf_counter() - started,
    }


def rows(results: dict) -> list[tuple[str, list[str], str]]:
    """(figure, one cell per database, goal and verdicts) for the table."""
    table = []
    backends = list(results.values())

    def add(figure: str, cells: list[str], goal: str = "") -> None:
        table.append((figure, cells, goal))

    def verdicts(passed) -> str:
        return " ".join("PASS" if ok else "FAIL" for ok in passed)

    for i, first in enumerate(backends[0]["acks"]):
        kinds = [b["acks"][i] for b in backends]
        goal = bool(first["goal"])
        add(
            f"ack {first['what']}: median / p99 ms",
            [f"{k['median_ms']:.2f} / {k['p99_ms']:.2f}" for k in kinds],
            f"p99 < {ACK_P99_GOAL_MS:g} ms: "
            + verdicts(k["p99_ms"] < ACK_P99_GOAL_MS for k in kinds)
            if goal
            else "(no goal)",
        )
        add(
            "  unavoidable work ms",
            [f"{k['unavoidable_ms']:.2f} ({k['unavoidable']})" for k in kinds],
        )
        add(
            "  ratio median / unavoidable",
            [f"{k['ratio']:.2f}" for k in kinds],
            f"<= {ACK_RATIO_GOAL:g}: " + verdicts(k["ratio"] <= ACK_RATIO_GOAL for k in kinds)
            if goal
            else "",
        )
    for i, first in enumerate(backends[0]["serve"]["levels"]):
        add(
            f"serve /logcall, {first['clients']} client(s): req/s, median / p99 ms, errors",
            [
                f"{lv['rps']:.0f}, {lv['median_ms']:.1f} / {lv['p99_ms']:.1f}, "
                f"{lv['errors']:g} (server CPU {lv['server_cpu_ms']:.1f} ms/req)"
                for lv in (b["serve"]["levels"][i] for b in backends)
            ],
        )
    add(
        "serve resident memory MB: idle / after requests",
        [
            f"{b['serve']['rss_idle_mb']:.0f} / {b['serve']['rss_after_mb']:.0f} "
            f"(after {b['serve']['requests_total']:,.0f})"
            for b in backends
        ],
    )
    digests = [b["digest"] for b in backends]
    add(
        "digest 10k accounts: build / statement ms",
        [f"{d['digest'] * 1000:.0f} / {d['statement'] * 1000:.0f}" for d in digests],
    )
    add(
        "  ratio build / statement",
        [f"{d['digest'] / d['statement']:.2f}" for d in digests],
        f"<= {DIGEST_RATIO_GOAL:g}: "
        + verdicts(d["digest"] / d["statement"] <= DIGEST_RATIO_GOAL for d in digests),
    )
    return table


def report(results: dict, *, runs: int, requests: int) -> None:
    print(
        f"machine:  {platform.node()}: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"when:     {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"runs:     median of {runs} runs ({requests} timed acks of each kind a run); "
        f"the digest: median of {digest_build.RUNS} timed builds"
    )
    print(
        "took:     "
        + ", ".join(f"{name} {r['seconds']:.0f} s" for name, r in results.items())
        + "\n"
    )
    table = rows(results)
    header = ("figure", list(results), "goal: verdict per database")
    widths = [max(len(r[0]) for r in [*table, header])]
    widths += [max(len(r[1][i]) for r in [*table, header]) for i in range(len(results))]
    for figure, cells, goal in [header, *table]:
        line = f"{figure:<{widths[0]}}"
        for cell, width in zip(cells, widths[1:], strict=True):
            line += f"  {cell:<{width}}"
        print(f"{line}  {goal}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the acks and serve benches")
    parser.add_argument("--requests", type=int, default=500, help="timed acks of each kind a run")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL to run on besides SQLite (default: $TEST_DATABASE_URL)",
    )
    args = parser.parse_args()
    results = {}
    for database_url in (None, args.database_url) if args.database_url else (None,):
        print(f"measuring on {database_url or 'sqlite'} ...", file=sys.stderr, flush=True)
        try:
            measured = measure(database_url, runs=args.runs, requests=args.requests)
        except (acks.Failed, serve_load.Failed) as failure:
            print(f"FAILED on {database_url or 'sqlite'}: {failure}")
            return 1
        results[measured["backend"]] = measured
    report(results, runs=args.runs, requests=args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
