"""The grade page of people outside Slack under load: `python -m bot serve` (the real
waitress server, SERVE_WORKERS unset: the app's default) over loopback HTTP.

A fresh database gets one account and `requests` grade requests by link (bot/grades/links.py,
each to a contact of its own). Then, each wave started at once from a barrier, every client
a thread with a connection of its own (as browsers are):

  page loads     `loads` GETs of the pages, the tokens dealt out in turn; each must be
                 200 and show the form;
  baseline       as many GET /healthz, the cheapest request `serve` answers with the
                 database (one SELECT 1): the page's latency is shown as a ratio to it;
  submissions    one POST of each request (a grade cycling through the scale, half of them
                 below B, so the owner's at-risk alert goes to the fake Slack), all at once;
                 each must say "recorded";
  replays        the same POSTs again, all at once: each must say "already answered".

Then the grades stored are counted: exactly one per request (none lost, none doubled).
Printed: p50 and p99 latency of each wave (from sending a request to reading its whole
response), requests a second, and p50/p99 of page loads over the baseline's.

The clients run in this process, beside the fake Slack (which only takes the alerts), so
the latencies include the client's own scheduling on a busy machine: compare the ratio
rather than the milliseconds across machines.

    .venv/bin/python bench/grade_page.py
    .venv/bin/python bench/grade_page.py --database-url postgresql://postgres@127.0.0.1:5432/test

Exits 1 if a request failed or the grades stored are not one per request."""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.accounts import manage  # noqa: E402
from bot.grades import links  # noqa: E402
from bot.grades.scale import SCALE  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage.models import Grade  # noqa: E402
from support.app import migrated  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.serve_processes import serve_processes  # noqa: E402
from support.workspace import ALEX, BOT_TOKEN, add_people  # noqa: E402

SECRET = "grade-page-secret"
LOADS = 1000
REQUESTS = 200
PUBLIC_URL = "https://rapport.example.com"
QUEUED = "WARNING waitress.queue: Task queue depth"
LOG_LINES = 20


class Failed(Exception):
    """A request or the data went wrong: the numbers would be worthless."""


def wave(base: str, requests: list[tuple[str, str, bytes | None]], expected: str) -> dict:
    """Every (method, path, body) of `requests` at once, each from a thread and connection
    of its own, released together; a request fails unless its answer has `expected`."""
    address = urlsplit(base)
    latencies, failures = [], []
    start_line = threading.Barrier(len(requests) + 1)

    def client(method: str, path: str, body: bytes | None) -> None:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection = HTTPConnection(address.hostname, address.port, timeout=60)
        start_line.wait()
        began = time.perf_counter()
        try:
            connection.request(method, path, body, headers)
            with connection.getresponse() as response:
                text = response.read().decode(errors="replace")
            if expected not in text:
                failures.append(f"{response.status} {text[:200]}")
        except (OSError, HTTPException) as error:
            failures.append(repr(error))
        finally:
            connection.close()
        latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=client, args=request) for request in requests]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return summary(latencies, failures, seconds)


def summary(latencies: list[float], failures: list[str], seconds: float) -> dict:
    ms = sorted(1000 * latency for latency in latencies)
    return {
        "requests": len(ms),
        "p50_ms": statistics.median(ms),
        "p99_ms": ms[min(len(ms) - 1, round(0.99 * len(ms)) - 1)],
        "rps": len(ms) / seconds,
        "failures": failures,
    }


def measure(database_url: str, *, loads: int = LOADS, requests: int = REQUESTS) -> dict:
    """The four waves against a fresh `serve` on `database_url`."""
    with FakeSlack(bot_token=BOT_TOKEN) as fake:
        add_people(fake)
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=fake.url,
            database_url=database_url,
            public_url=PUBLIC_URL,
        )
        rapport = migrated(settings)
        account = manage.add(rapport, user=ALEX, name="Acme Corp")
        tokens = [
            links.ask(
                rapport, user=ALEX, account=account, contact=f"c{n}@client.com", question=None
            ).link.rsplit("/", 1)[1]
            for n in range(requests)
        ]
        log = tempfile.TemporaryFile("w+")
        with serve_processes(
            url=database_url,
            fake=fake,
            secret=SECRET,
            tick_seconds=3600,
            settings={"PUBLIC_URL": PUBLIC_URL},
            log=log,
        ) as [served]:
            base = served.base
            pages = [("GET", f"/g/{tokens[n % requests]}", None) for n in range(loads)]
            wave(base, pages[:50], "<form")  # warm: templates, connections, caches
            results = {"pages": wave(base, pages, "<form")}
            results["healthz"] = wave(base, [("GET", "/healthz", None)] * loads, "ok")
            answers = [
                (
                    "POST",
                    f"/g/{token}",
                    urlencode({"grade": SCALE[n % len(SCALE)], "reason": f"Reason {n}"}).encode(),
                )
                for n, token in enumerate(tokens)
            ]
            results["submissions"] = wave(base, answers, "have been recorded")
            results["replays"] = wave(base, answers, "already answered")
        with rapport.reads.begin() as s:
            stored = s.scalar(select(func.count()).select_from(Grade))
            per_request = s.scalar(
                select(func.count()).select_from(
                    select(Grade.request_id)
                    .group_by(Grade.request_id)
                    .having(func.count() == 1)
                    .subquery()
                )
            )
        rapport.engine.dispose()
    log.seek(0)
    # waitress says so each time a request waits for a thread, as most do here.
    results["server_log"] = [line for line in log if QUEUED not in line][:LOG_LINES]
    results.update(requests=requests, stored=stored, answered_once=per_request)
    return results


def check(results: dict) -> list[str]:
    """What makes the numbers worthless: failed requests, grades lost or doubled."""
    problems = [
        f"{name}: {len(results[name]['failures'])} failed, e.g. {results[name]['failures'][0]}"
        for name in ("pages", "healthz", "submissions", "replays")
        if results[name]["failures"]
    ]
    if results["stored"] != results["requests"] or results["answered_once"] != results["requests"]:
        problems.append(
            f"{results['stored']} grades stored for {results['requests']} requests "
            f"({results['answered_once']} answered exactly once)"
        )
    return problems


def report(results: dict, backend: str) -> None:
    print(f"grade page on `serve`, {backend}:")
    print(f"  {'wave':<28} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, label in (
        ("pages", "page loads (GET /g/<token>)"),
        ("healthz", "baseline (GET /healthz)"),
        ("submissions", "submissions (POST)"),
        ("replays", "replayed submissions"),
    ):
        r = results[name]
        print(
            f"  {label:<28} {r['requests']:>8} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
            f"{r['rps']:>8.0f}"
        )
    pages, healthz = results["pages"], results["healthz"]
    print(
        f"  page load / baseline: p50 {pages['p50_ms'] / healthz['p50_ms']:.2f}x, "
        f"p99 {pages['p99_ms'] / healthz['p99_ms']:.2f}x"
    )
    print(
        f"  grades stored: {results['stored']} for {results['requests']} requests "
        f"({results['answered_once']} answered exactly once)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (default: a SQLite file)")
    parser.add_argument("--loads", type=int, default=LOADS)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    with scratch_database(args.database_url, prefix="bench") as database:
        results = measure(database.url, loads=args.loads, requests=args.requests)
        backend = database.backend
    report(results, backend)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    problems = check(results)
    for line in results["server_log"]:
        print(f"  serve: {line.rstrip()}")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
