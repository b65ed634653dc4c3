"""`python -m bot serve` over loopback HTTP, against a bare Bolt app on the same server:
/logcall under 1, 8 and 32 concurrent clients, the scaling from 1 to 2 worker processes,
the cold start and first request, and resident memory.

Against tests/support/fake_slack.py as Slack's Web API and a fresh database holding the
ten accounts of bench/workload.py, the /logcall requests come from its 200 people
(workload.logcall), each signed as Slack signs it. Started as processes of their own
(tests/support/serve_processes.py), each on its own port, all up at once:

  rapport          `python -m bot serve`, SERVE_WORKERS unset (the app's default);
  bare             bench/workload.py's bare Bolt app (process_before_response=True, its
                   listener only acks with a short text) on waitress with 16 threads, in
                   one process;
  workers=1, =2    `python -m bot serve` with SERVE_WORKERS=1 and 2 (code that does not
                   know the setting ignores it), loaded at 8 and 32 clients only.

Each Rapport server first gets one untimed /logcall from each of the 200 people (their
profiles are cached from then on); the bare one 50. Then, for each number of clients,
`runs` runs of `requests` requests, the servers taking turns within each run so that they
see the same load on the machine. Per run: requests a second, p50 and p99 latency from
sending a request to reading its whole response, errors (not 200, or an ack not saying
"Logged a call"), and the server's CPU time and context switches per request. Each
figure printed is the median across runs, except errors, which are summed.

The server's figures are summed over its process tree (the serve process and any worker
processes it started, found through /proc/<pid>/task/*/children): CPU from
/proc/<pid>/stat (utime + stime, all of the process's threads, those ended included; in
clock ticks of 10 ms), context switches from /proc/<pid>/task/*/status
(voluntary_ctxt_switches + nonvoluntary_ctxt_switches), resident memory from VmRSS in
/proc/<pid>/status (and PSS from /proc/<pid>/smaps_rollup, which counts the pages worker
processes share once): `rapport`'s once warmed up ("idle") and after 10,000 requests in
all (more /logcalls at 8 clients, untimed, top the runs up to that number).

Cold start, `starts` times before the rest: wall time from spawning `python -m bot serve`
(default workers) until GET /healthz answers 200 (polled every 20 ms), then the first
/logcall, signed, from a person the database knows but the new process has not seen (a
restart or a deploy): the time until the person sees "Logged a call", compared with the
warm p50 at 1 client; then a /logcall from a person the app has never seen (it asks
users.info, and answers on the response_url), shown for what it is.

All servers are then stopped with SIGTERM, which must end each cleanly, and the calls
stored must be exactly the /logcall requests that succeeded.

The load generator is one separate process, so it shares no interpreter lock with the fake
Slack in this one. In it each client is a thread with one keep-alive http.client
connection, opened before the clock starts, as are the bodies signed (Slack accepts a
signature for 5 minutes). The client's CPU time per request is printed next to the
server's, to show that the server is what is measured. The servers' output is collected:
waitress warns each time a request waits for one of its threads ("Task queue depth"),
which is expected under 32 clients; other lines are shown.

    .venv/bin/python bench/serve_load.py                      # a fresh SQLite file
    .venv/bin/python bench/serve_load.py --database-url postgresql://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throwaway schema that is dropped afterwards. Exits 1 if the numbers
are worthless (a server failed, or the calls stored are not the requests that succeeded).
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import workload  # noqa: E402

from bot import people  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage.models import Call  # noqa: E402
from support.app import migrated  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.serve_processes import Served, serve_processes  # noqa: E402
from support.slack_requests import post, signed_headers, slash_command  # noqa: E402

SECRET = "serve-load-secret"
LEVELS = (1, 8, 32)
SCALING_LEVELS = (8, 32)
WORKERS = (1, 2)
REQUESTS = 500  # per run
STARTS = 3
TOTAL = 10_000  # requests `rapport` serves before the second memory reading
WARM_UP = 50  # the bare server's
WARM_UP_CLIENTS = TOP_UP_CLIENTS = 8
BATCH = 2000  # requests signed at once: sent well within the 5 minutes a signature lasts
QUEUED = "WARNING waitress.queue: Task queue depth"  # a request waited for a server thread
LOG_LINES = 20  # of the servers' other output, kept
# People the database knows (as after a deploy), one for each cold start's first request,
# and people the app has never seen, one for each cold start's second.
KNOWN = tuple(f"UK{n:04d}" for n in range(1, 10))
NEWCOMERS = tuple(f"UF{n:04d}" for n in range(1, 10))


class Failed(Exception):
    """A server or the data failed: the numbers would be worthless."""


def load(
    base: str,
    requests: list[list[str]],
    clients: int,
    team_id: str,
    response_url: str,
    expected: str,
) -> dict:
    """Send each (user, text) of `requests` as a signed /logcall from `team_id` over
    `clients` keep-alive connections, the requests dealt out in turn; a request fails
    unless answered 200 with `expected` in its body. Runs in the load generator's process.

    Returns seconds per request, failures (descriptions), wall seconds from the start of
    the first request to the end of the last, and this process's CPU seconds meanwhile."""
    signed = []
    for user, text in requests:
        body = slash_command(
            "/logcall", text, user_id=user, team_id=team_id, response_url=response_url
        )
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
                    answer = response.read().decode(errors="replace")
                failure = None
                if response.status != 200 or expected not in answer:
                    failure = f"{response.status} {answer[:300]}"
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


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, as /proc lists each thread's children."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
    return [pid, *(p for child in children for p in process_tree(int(child)))]


def status_fields(path: Path, *names: str) -> int:
    """The sum of fields `names` ("VmRSS", ...) of a /proc file of "Name: value" lines
    (status, smaps_rollup); 0 if the process is gone."""
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return 0
    return sum(int(line.split()[1]) for line in lines if line.split(":")[0] in names)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` so far, all its threads (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def context_switches(pid: int) -> int:
    """Voluntary and involuntary context switches of every thread of process `pid`."""
    return sum(
        status_fields(task / "status", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
        for task in Path(f"/proc/{pid}/task").glob("*")
    )


def usage(pid: int) -> dict:
    """CPU seconds, context switches, and resident MiB of `pid`'s process tree: RSS, and PSS
    (pages shared between processes, as forked workers share theirs, counted once)."""
    tree = process_tree(pid)
    return {
        "cpu": sum(cpu_seconds(p) for p in tree),
        "switches": sum(context_switches(p) for p in tree),
        "rss_mb": sum(status_fields(Path(f"/proc/{p}/status"), "VmRSS") for p in tree) / 1024,
        "pss_mb": sum(status_fields(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in tree) / 1024,
        "processes": len(tree),
    }


@dataclass
class Server:
    """One server under load: its name in the tables, its process, the numbers of clients
    it is loaded with, whether it stores the calls, and how many requests it was sent."""

    name: str
    served: Served
    levels: tuple[int, ...]
    stores: bool
    sent: int = 0


class Loader:
    """Sends workload.logcall(i), i counting on across servers, through the load generator;
    counts the /logcalls that succeeded on servers that store them."""

    def __init__(self, generator: Callable[..., dict], fake: FakeSlack, team_id: str):
        self.generator, self.fake, self.team_id = generator, fake, team_id
        self.next = 0
        self.succeeded = 0

    def take(self, n: int) -> list[tuple[str, str]]:
        """The next `n` requests: (user, text)."""
        taken = [
            (sent.user, sent.text)
            for sent in map(workload.logcall, range(self.next, self.next + n))
        ]
        self.next += n
        return taken

    def send(self, server: Server, n: int, clients: int, expected=workload.ACKED) -> dict:
        """The next `n` requests to `server` over `clients` connections: load()'s outcome,
        with the server's CPU seconds and context switches meanwhile."""
        pid = server.served.process.pid
        before = usage(pid)
        outcome = self.generator(
            base=server.served.base,
            requests=self.take(n),
            clients=clients,
            team_id=self.team_id,
            response_url=self.fake.response_url(),
            expected=expected,
        )
        after = usage(pid)
        outcome["server_cpu"] = after["cpu"] - before["cpu"]
        outcome["switches"] = after["switches"] - before["switches"]
        server.sent += n
        if server.stores:
            self.succeeded += n - len(outcome["failures"])
        if server.served.process.poll() is not None:
            raise Failed(f"{server.name} exited {server.served.process.returncode} under load")
        return outcome


def first_logcall(served: Served, loader: Loader, user: str, *, newcomer: bool) -> dict:
    """Time a /logcall from `user`, whom this server process has not seen (a `newcomer`
    the app asks users.info about): until its ack ("ack_ms"), and until "Logged a call"
    is shown, in the ack or on the response_url ("shown_ms")."""
    _, text = loader.take(1)[0]
    fake = loader.fake
    body = slash_command(
        "/logcall", text, user_id=user, team_id=loader.team_id, response_url=fake.response_url()
    )
    answered = len(fake.calls_to("response_url"))
    start = time.perf_counter()
    status, _, ack = post(f"{served.base}/slack/events", body, signed_headers(SECRET, body))
    acked = time.perf_counter() - start
    shown = ack
    if status == 200 and workload.ACKED not in ack:
        shown = json.dumps(fake.wait_for("response_url", answered + 1, timeout=30)[-1].args)
    seconds = time.perf_counter() - start
    asked = [call for call in fake.calls_to("users.info") if call.args.get("user") == user]
    if status != 200 or workload.ACKED not in shown or bool(asked) != newcomer:
        raise Failed(
            f"first /logcall: {status} {ack[:200]}, then {shown[:200]}, {len(asked)} users.info"
        )
    loader.succeeded += 1
    return {"ack_ms": acked * 1000, "shown_ms": seconds * 1000}


def cold_start(url: str, loader: Loader, log: IO, known: str, newcomer: str) -> dict:
    """Seconds from spawning `serve` to /healthz answering; then its first /logcall, from a
    person the database knows, and its second, from a newcomer."""
    began = time.perf_counter()
    with serve_processes(url=url, fake=loader.fake, secret=SECRET, tick_seconds=3600, log=log) as [
        served
    ]:
        started = time.perf_counter() - began
        first = first_logcall(served, loader, known, newcomer=False)
        second = first_logcall(served, loader, newcomer, newcomer=True)
        return {
            "start_s": started,
            **first,
            "newcomer_ack_ms": second["ack_ms"],
            "newcomer_shown_ms": second["shown_ms"],
        }


@contextmanager
def servers(url: str, fake: FakeSlack, log: IO) -> Iterator[list[Server]]:
    """rapport, bare, workers=1 and workers=2 (see the module docstring), all up."""
    with ExitStack() as stack:

        def start(**options) -> Served:
            [served] = stack.enter_context(
                serve_processes(
                    url=url, fake=fake, secret=SECRET, tick_seconds=3600, log=log, **options
                )
            )
            return served

        yield [
            Server("rapport", start(), LEVELS, stores=True),
            Server("bare", start(argv=[workload.__file__]), LEVELS, stores=False),
            *(
                Server(
                    f"workers={n}",
                    start(settings={"SERVE_WORKERS": str(n)}),
                    SCALING_LEVELS,
                    stores=True,
                )
                for n in WORKERS
            ),
        ]


def summary(clients: int, outcomes: list[dict]) -> dict:
    """One level's figures: the median across runs of each run's figure; errors summed."""

    def across(figure) -> float:
        return statistics.median(figure(outcome) for outcome in outcomes)

    def ms(seconds: list[float], percentile: int) -> float:
        return statistics.quantiles(seconds, n=100)[percentile - 1] * 1000

    def per_request(key: str, scale: float = 1) -> float:
        return across(lambda o: o[key] / len(o["latencies"]) * scale)

    return {
        "clients": clients,
        "rps": across(lambda o: len(o["latencies"]) / o["seconds"]),
        "median_ms": across(lambda o: statistics.median(o["latencies"]) * 1000),
        "p99_ms": across(lambda o: ms(o["latencies"], 99)),
        "errors": sum(len(o["failures"]) for o in outcomes),
        "server_cpu_ms": per_request("server_cpu", 1000),
        "switches": per_request("switches"),
        "client_cpu_ms": per_request("cpu", 1000),
        "failures": [f for o in outcomes for f in o["failures"]][:3],
    }


def load_all(loader: Loader, running: list[Server], runs: int, requests: int) -> dict:
    """Warm up, then every server's runs at each of its levels, in turn; `rapport` topped
    up to TOTAL requests. Figures by server name, and `rapport`'s memory."""
    for server in running:
        warm_up = len(workload.USERS) if server.stores else WARM_UP
        loader.send(server, warm_up, WARM_UP_CLIENTS, expected="")
    rapport = running[0]
    idle = usage(rapport.served.process.pid)
    outcomes = {server.name: {clients: [] for clients in server.levels} for server in running}
    for clients in LEVELS:
        for _ in range(runs):
            for server in running:
                if clients in server.levels:
                    outcomes[server.name][clients].append(loader.send(server, requests, clients))
    while rapport.sent < TOTAL:
        loader.send(rapport, min(BATCH, TOTAL - rapport.sent), TOP_UP_CLIENTS)
    after = usage(rapport.served.process.pid)
    return {
        "levels": {
            name: [summary(clients, each) for clients, each in levels.items()]
            for name, levels in outcomes.items()
        },
        "rss_idle_mb": idle["rss_mb"],
        "rss_after_mb": after["rss_mb"],
        "pss_idle_mb": idle["pss_mb"],
        "pss_after_mb": after["pss_mb"],
        "processes": after["processes"],
        "requests_total": rapport.sent,
    }


def calls_stored(url: str, team_id: str) -> int:
    rapport = migrated(Settings(database_url=url))
    try:
        with rapport.reads.begin() as s:
            return s.scalar(select(func.count()).where(Call.team_id == team_id))
    finally:
        rapport.engine.dispose()


def seeded(url: str) -> str:
    """A new team with workload.ACCOUNTS in the database at `url` (migrated), and the
    profiles of the KNOWN people; its id."""
    team_id = f"T{uuid.uuid4().hex[:10].upper()}"
    rapport = migrated(Settings(database_url=url))
    try:
        workload.add_accounts(rapport, team_id)
        for user_id in KNOWN:
            user = {"id": user_id, "tz": workload.TIMEZONES[0]}
            people.remember(rapport, team_id=team_id, user=user)
    finally:
        rapport.engine.dispose()
    return team_id


def measure(database_url: str, *, runs: int = 3, requests: int = REQUESTS, starts=STARTS) -> dict:
    """Start the servers on `database_url` and load them; see the module docstring. The
    requests come from a team of their own, so a database can be measured again.

    Returns {"starts": [{"start_s", "ack_ms", "shown_ms", "newcomer_ack_ms",
    "newcomer_shown_ms"}, ...], "levels": {server name:
    [{"clients", "rps", "median_ms", "p99_ms", "errors", "server_cpu_ms", "switches",
    "client_cpu_ms", "failures" (a few)}, ...]}, "rss_idle_mb", "rss_after_mb",
    "pss_idle_mb", "pss_after_mb", "processes" (in rapport's tree), "requests_total",
    "queued" (waitress's warnings that a request waited for a thread), "log" (the servers'
    first other output lines), "log_lines" (how many there were)}; raises Failed when the
    numbers would be worthless."""
    team_id = seeded(database_url)
    with tempfile.TemporaryFile("w+") as log:
        try:
            with FakeSlack() as fake, load_generator() as generator:
                workload.add_users(fake, NEWCOMERS)
                loader = Loader(generator, fake, team_id)
                cold = [
                    cold_start(database_url, loader, log, known, newcomer)
                    for known, newcomer in zip(KNOWN[:starts], NEWCOMERS, strict=False)
                ]
                with servers(database_url, fake, log) as running:
                    outcome = load_all(loader, running, runs, requests)
        except RuntimeError as failed:  # a server did not start, or did not stop cleanly
            raise Failed(str(failed)) from failed
        log.seek(0)
        lines = log.read().splitlines()
    stored = calls_stored(database_url, team_id)
    if stored != loader.succeeded:
        raise Failed(
            f"{stored} calls stored for {loader.succeeded} /logcall requests that succeeded"
        )
    return {
        "starts": cold,
        **outcome,
        "queued": sum(QUEUED in line for line in lines),
        "log": [line for line in lines if QUEUED not in line][:LOG_LINES],
        "log_lines": sum(QUEUED not in line for line in lines),
    }


def report(backend: str, outcome: dict, runs: int, requests: int) -> None:
    print(
        f"machine:  {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"database: {backend}")
    print(
        f"load:     signed /logcall slash commands from {len(workload.USERS)} people over "
        f"keep-alive loopback HTTP, {requests:,} per run; median of {runs} runs (errors: all)\n"
    )
    print(
        "server      clients    req/s  p50 ms  p99 ms  errors  server CPU ms/req  "
        "switches/req  client CPU ms/req"
    )
    for name, levels in outcome["levels"].items():
        for level in levels:
            print(
                f"{name:<10} {level['clients']:8d} {level['rps']:8.1f} {level['median_ms']:7.1f} "
                f"{level['p99_ms']:7.1f} {level['errors']:7d} {level['server_cpu_ms']:18.2f} "
                f"{level['switches']:13.1f} {level['client_cpu_ms']:18.2f}"
            )
            for failure in level["failures"]:
                print(f"          e.g. {failure}")
    for start in outcome["starts"]:
        print(
            f"\ncold start {start['start_s']:.2f} s to /healthz; first /logcall acked in "
            f"{start['ack_ms']:.0f} ms, shown in {start['shown_ms']:.0f} ms"
        )
    print(
        f"\nrapport resident memory ({outcome['processes']} process(es)), RSS (PSS): "
        f"{outcome['rss_idle_mb']:.1f} ({outcome['pss_idle_mb']:.1f}) MiB idle after warm-up, "
        f"{outcome['rss_after_mb']:.1f} ({outcome['pss_after_mb']:.1f}) MiB after "
        f"{outcome['requests_total']:,} requests"
    )
    print(
        f"servers' log: {outcome['queued']:,} waitress warnings that a request waited for one "
        f"of its threads, {outcome['log_lines']} other lines"
    )
    for line in outcome["log"]:
        print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--runs", type=int, default=3, help="runs per number of clients")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per run")
    parser.add_argument("--starts", type=int, default=STARTS, help="cold starts timed")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        return generate()
    with scratch_database(args.database_url, prefix="bench") as database:
        try:
            outcome = measure(
                database.url, runs=args.runs, requests=args.requests, starts=args.starts
            )
        except Failed as failure:
            print(f"FAIL: {failure}")
            return 1
    report(database.backend, outcome, args.runs, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
