"""`python -m bot serve` over loopback HTTP: /logcall under 1, 8 and 32 concurrent clients,
and the server's resident memory.

Starts the real `python -m bot serve` as its own process (tests/support/serve_processes.py),
with tests/support/fake_slack.py as Slack's Web API and a fresh database; adds an account
and logs a few calls untimed (the first request caches the user's timezone from
users.info); then, for each number of clients, several runs of signed `/logcall Acme <when>: <notes>` slash
commands to POST /slack/events. Per run: requests a second, median and p99 latency from
sending a request to reading its whole response, and errors (not 200, or an ack not
saying "Logged a call"). Each figure printed is the median across runs, except errors,
which are summed. The server is then stopped with SIGTERM, which must end it cleanly, and
the calls stored must be exactly the requests that succeeded.

Memory: the server's VmRSS (/proc/<pid>/status) once started and warmed up ("idle"), and
after 10,000 requests in all (more /logcalls, untimed, top the runs up to that number).

The load generator is one separate process, so it shares no interpreter lock with the fake
Slack in this one, which the server calls after each ack (views.publish of the Home tab).
In it each client is a thread with one keep-alive http.client connection, opened before
the clock starts, as are the bodies signed (Slack accepts a signature for 5 minutes).
Threads are enough: a client spends its time waiting for the server, and its own work per
request (a send, a parse of a short answer) is tens of microseconds; the client's CPU time
per request is printed next to the server's to show that the server is what is measured.

The fake Slack answers at once; `--slack-ms 200` makes it take as long as Slack does to
answer each views.publish, which the server's listener threads wait for after each ack.
The server's output is collected: waitress warns each time a request waits for one of its
16 threads ("Task queue depth"), which under 32 clients is expected; other lines are shown.

    .venv/bin/python bench/serve_load.py                      # a fresh SQLite file
    .venv/bin/python bench/serve_load.py --database-url postgresql://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throwaway schema that is dropped afterwards. Exits 1 if the numbers
are worthless (the server failed, or the calls stored are not the requests that succeeded).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from storage.db import make_engine, make_sessions  # noqa: E402
from storage.models import Call  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.serve_processes import serve_processes  # noqa: E402
from support.slack_requests import USER_ID, post, signed_headers, slash_command  # noqa: E402

SECRET = "serve-load-secret"
TZ = "America/New_York"
LEVELS = (1, 8, 32)
REQUESTS = 1000  # per run
TOTAL = 10_000  # requests served before the second memory reading
WARM_UP = 20
TOP_UP_CLIENTS = 8
BATCH = 2000  # requests signed at once: sent well within the 5 minutes a signature lasts
WHEN = ("yesterday 3pm", "2 hours ago", "", "last friday 10am", "30 minutes ago")
ACKED = b"Logged a call"
QUEUED = "WARNING waitress.queue: Task queue depth"  # a request waited for a server thread


class Failed(Exception):
    """The server or the data failed: the numbers would be worthless."""


def logcall_texts(first: int, n: int) -> list[str]:
    """`/logcall` texts numbered from `first`, each naming Acme and logging one call."""
    return [
        f"{' '.join(filter(None, ('Acme', WHEN[i % len(WHEN)])))}: load call #{i}"
        for i in range(first, first + n)
    ]


def load(base: str, texts: list[str], clients: int, team_id: str, response_url: str) -> dict:
    """Send each text as a signed /logcall from `team_id` over `clients` keep-alive
    connections, the texts dealt out in turn; runs in the load generator's process.

    Returns seconds per request, failures (descriptions), wall seconds from the start of
    the first request to the end of the last, and this process's CPU seconds meanwhile."""
    signed = []
    for text in texts:
        body = slash_command("/logcall", text, team_id=team_id, response_url=response_url)
        signed.append((body.encode(), signed_headers(SECRET, body)))
    address = urlsplit(base)
    connections = [
        HTTPConnection(address.hostname, address.port, timeout=30) for _ in range(clients)
    ]
    for connection in connections:
        connection.connect()
    latencies, failures = [], []  # list.append is atomic: the threads share them
    start_line = threading.Barrier(clients + 1)

    def client(connection: HTTPConnection, share: list) -> None:
        start_line.wait()
        for body, headers in share:
            began = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body, headers)
                with connection.getresponse() as response:
                    answer = response.read()
                failure = None
                if response.status != 200 or ACKED not in answer:
                    failure = f"{response.status} {answer[:300].decode(errors='replace')}"
            except (OSError, HTTPException) as error:
                connection.close()  # the next request opens a new connection
                failure = repr(error)
            latencies.append(time.perf_counter() - began)
            if failure:
                failures.append(failure)

    threads = [
        threading.Thread(target=client, args=(connections[k], signed[k::clients]))
        for k in range(clients)
    ]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu
    for connection in connections:
        connection.close()
    return {"latencies": latencies, "failures": failures, "seconds": seconds, "cpu": cpu}


@contextmanager
def load_generator() -> Iterator[Callable[..., dict]]:
    """The load generator's process (this file with --generate), started once: it reads a
    job (the arguments of load) a line from its stdin and writes each outcome a line."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--generate"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def run(**job) -> dict:
        process.stdin.write(json.dumps(job) + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:
            raise Failed(f"the load generator exited {process.wait()}")
        return json.loads(answer)

    try:
        yield run
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def generate() -> int:
    """The load generator's side of load_generator()."""
    for job in sys.stdin:
        print(json.dumps(load(**json.loads(job))), flush=True)
    return 0


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid`, in MiB (VmRSS is in kB)."""
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def add_account(base: str, fake: FakeSlack, team_id: str) -> None:
    """The user's first request: acked at once, answered after users.info (then cached)."""
    body = slash_command(
        "/account", "add Acme Corp", team_id=team_id, response_url=fake.response_url()
    )
    status, _, _ = post(f"{base}/slack/events", body, signed_headers(SECRET, body))
    [reply] = fake.wait_for("response_url", timeout=10)
    if status != 200 or not reply.args.get("text", "").startswith("Added"):
        raise Failed(f"/account add answered {status}, then {reply.args}")


def calls_stored(url: str, team_id: str) -> int:
    engine = make_engine(url)
    try:
        with make_sessions(engine).begin() as s:
            return s.scalar(select(func.count()).where(Call.team_id == team_id))
    finally:
        engine.dispose()


def measure(
    database_url: str,
    *,
    runs: int = 3,
    requests: int = REQUESTS,
    levels=LEVELS,
    slack_ms: int = 0,
) -> dict:
    """Serve `database_url` (migrated on start) and load it; see the module docstring.
    With `slack_ms`, the fake Slack takes that long to answer each views.publish. The
    requests come from a workspace of their own, so a database can be measured again.

    Returns {"levels": [{"clients", "rps", "median_ms", "p99_ms", "errors",
    "server_cpu_ms", "client_cpu_ms", "failures" (a few)}, ...], "rss_idle_mb",
    "rss_after_mb", "requests_total", "queued" (waitress's warnings that a request waited
    for a thread), "log" (the server's other output lines)}; raises Failed when the numbers
    would be worthless."""
    team_id = f"T{uuid.uuid4().hex[:10].upper()}"
    with tempfile.TemporaryFile("w+") as log:
        outcome, succeeded = load_served(
            database_url, team_id, log, runs, requests, levels, slack_ms
        )
        log.seek(0)
        lines = log.read().splitlines()
    stored = calls_stored(database_url, team_id)
    if stored != succeeded:
        raise Failed(f"{stored} calls stored for {succeeded} /logcall requests that succeeded")
    return {
        **outcome,
        "queued": sum(QUEUED in line for line in lines),
        "log": [line for line in lines if QUEUED not in line],
    }


def load_served(url: str, team_id: str, log, runs: int, requests: int, levels, slack_ms: int):
    """measure() while the server runs (its output to `log`): the figures, and how many
    /logcall requests succeeded. The server has stopped cleanly when this returns."""
    with (
        FakeSlack() as fake,
        serve_processes(url=url, fake=fake, secret=SECRET, tick_seconds=3600, log=log) as [served],
        load_generator() as generator,
    ):
        fake.add_user(USER_ID, tz=TZ)
        if slack_ms:
            publishes = TOTAL + len(levels) * runs * requests  # at most one per request
            fake.delay_next("views.publish", slack_ms / 1000, times=publishes)
        pid, sent, succeeded = served.process.pid, 1, 0

        def send(n: int, clients: int) -> dict:
            nonlocal sent, succeeded
            texts = logcall_texts(sent, n)
            before = cpu_seconds(pid)
            outcome = generator(
                base=served.base,
                texts=texts,
                clients=clients,
                team_id=team_id,
                response_url=fake.response_url(),
            )
            outcome["server_cpu"] = cpu_seconds(pid) - before
            sent += n
            succeeded += n - len(outcome["failures"])
            if served.process.poll() is not None:
                raise Failed(f"serve exited {served.process.returncode} under load")
            return outcome

        add_account(served.base, fake, team_id)
        send(WARM_UP, 1)
        rss_idle = rss_mb(pid)
        results = [
            summary(clients, [send(requests, clients) for _ in range(runs)]) for clients in levels
        ]
        while sent < TOTAL:
            send(min(BATCH, TOTAL - sent), TOP_UP_CLIENTS)
        rss_after = rss_mb(pid)
    figures = {
        "levels": results,
        "rss_idle_mb": rss_idle,
        "rss_after_mb": rss_after,
        "requests_total": sent,
    }
    return figures, succeeded


def summary(clients: int, outcomes: list[dict]) -> dict:
    """One level's figures: the median across runs of each run's figure; errors summed."""

    def across(figure) -> float:
        return statistics.median(figure(outcome) for outcome in outcomes)

    def ms(seconds: list[float], percentile: int) -> float:
        return statistics.quantiles(seconds, n=100)[percentile - 1] * 1000

    return {
        "clients": clients,
        "rps": across(lambda o: len(o["latencies"]) / o["seconds"]),
        "median_ms": across(lambda o: statistics.median(o["latencies"]) * 1000),
        "p99_ms": across(lambda o: ms(o["latencies"], 99)),
        "errors": sum(len(o["failures"]) for o in outcomes),
        "server_cpu_ms": across(lambda o: o["server_cpu"] / len(o["latencies"]) * 1000),
        "client_cpu_ms": across(lambda o: o["cpu"] / len(o["latencies"]) * 1000),
        "failures": [f for o in outcomes for f in o["failures"]][:3],
    }


def report(backend: str, outcome: dict, runs: int, requests: int, slack_ms: int) -> None:
    print(
        f"machine:  {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"database: {backend}")
    print(
        f"load:     signed /logcall slash commands over keep-alive loopback HTTP, "
        f"{requests:,} per run; median of {runs} runs (errors: all runs)"
    )
    print(f"slack:    the fake answers views.publish after {slack_ms} ms\n")
    print("clients    req/s  median ms  p99 ms  errors  server CPU ms/req  client CPU ms/req")
    for level in outcome["levels"]:
        print(
            f"{level['clients']:7d} {level['rps']:8.1f} {level['median_ms']:10.1f} "
            f"{level['p99_ms']:7.1f} {level['errors']:7d} {level['server_cpu_ms']:18.2f} "
            f"{level['client_cpu_ms']:18.2f}"
        )
        for failure in level["failures"]:
            print(f"          e.g. {failure}")
    print(
        f"\nserve resident memory: {outcome['rss_idle_mb']:.1f} MiB idle after start-up, "
        f"{outcome['rss_after_mb']:.1f} MiB after {outcome['requests_total']:,} requests"
    )
    print(
        f"serve log: {outcome['queued']:,} waitress warnings that a request waited for one of "
        f"its threads, {len(outcome['log'])} other lines"
    )
    for line in outcome["log"][:20]:
        print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--runs", type=int, default=3, help="runs per number of clients")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per run")
    parser.add_argument(
        "--slack-ms", type=int, default=0, help="the fake Slack's time to answer views.publish"
    )
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        return generate()
    with scratch_database(args.database_url, prefix="bench") as database:
        try:
            outcome = measure(
                database.url, runs=args.runs, requests=args.requests, slack_ms=args.slack_ms
            )
        except Failed as failure:
            print(f"FAIL: {failure}")
            return 1
    report(database.backend, outcome, args.runs, args.requests, args.slack_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
