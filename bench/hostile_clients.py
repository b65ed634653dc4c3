"""`python -m bot serve` against clients Slack never is: what they get, what they cost the
server, and whether Slack's signed requests are still answered meanwhile.

One `python -m bot serve` process (SERVE_WORKERS=1, so its memory is one process's) on
tests/support/fake_slack.py and a fresh database, with the clients of
tests/support/hostile_clients.py:

  bodies     unsigned bodies of 100 MB (Content-Length, then chunked), 900 kB and 1 MB,
             and JSON nested 100,000 deep: each one's status, and the server's resident
             memory after it (VmRSS) and the most it has been (VmHWM), against the idle
             figure (after 20 signed requests);
  slowloris  --slow connections (150) that sent the start of a request's headers, and a
             header line every 5 seconds, held for --seconds (30); meanwhile a signed
             /account list every half second, each on a new connection as Slack sends
             them: p50 and max seconds to its answer, and how many took over 3 seconds or
             failed; then as many connections that go silent after half their headers,
             all of which the server must have closed a few seconds past IDLE_SECONDS.
             Then the same with SERVE_WORKERS=2.

    .venv/bin/python bench/hostile_clients.py
    .venv/bin/python bench/hostile_clients.py --database-url postgresql://postgres@127.0.0.1:5432/test

Exits 1 if a signed request went unanswered within 3 seconds, a silent connection was
left open, memory grew by more than 20 MiB, or the log shows a traceback.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.runtime.server import CLEANUP_SECONDS, IDLE_SECONDS  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.hostile_clients import (  # noqa: E402
    MIB,
    memory_mib,
    nested_json,
    post_raw,
    post_unsigned,
    slowloris,
)
from support.serve_processes import serve_processes  # noqa: E402
from support.slack_requests import post, signed_headers, slash_command  # noqa: E402

SECRET = "hostile-clients-secret"
SLACK_TIMEOUT = 3.0  # seconds Slack waits for an answer
TRICKLE_SECONDS = 5
MEMORY_SLACK_MIB = 20


def signed_request(base: str, fake: FakeSlack) -> float:
    """Seconds until a signed /account list is answered 200 (inf if it is not in 10 s)."""
    body = slash_command("/account", "list", response_url=fake.response_url())
    began = time.monotonic()
    try:
        status, _, _ = post(f"{base}/slack/events", body, signed_headers(SECRET, body), timeout=10)
    except OSError:
        return float("inf")
    return time.monotonic() - began if status == 200 else float("inf")


def bodies(base: str, pid: int, fake: FakeSlack) -> bool:
    for _ in range(20):
        signed_request(base, fake)
    idle = memory_mib(pid)
    print(f"idle: {idle:.1f} MiB resident, {memory_mib(pid, 'VmHWM'):.1f} MiB at most so far")
    for name, send in (
        ("100 MB, Content-Length", lambda: post_unsigned(base, 100 * 10**6)),
        ("100 MB, chunked", lambda: post_unsigned(base, 100 * 10**6, chunked=True)),
        ("900 kB", lambda: post_unsigned(base, 900_000)),
        ("1 MiB", lambda: post_unsigned(base, MIB)),
        ("nested 100,000 deep", lambda: _status_line(post_raw(base, nested_json())[1])),
    ):
        began = time.monotonic()
        answer = send()
        after, peak = memory_mib(pid), memory_mib(pid, "VmHWM")
        print(
            f"{name:>24}: {answer or 'no answer'!r:44} in {time.monotonic() - began:5.2f} s;"
            f" resident {after:.1f} MiB, at most {peak:.1f} ({peak - idle:+.1f})"
        )
    return peak - idle <= MEMORY_SLACK_MIB


def _status_line(answer: bytes) -> str:
    return answer.split(b"\r\n", 1)[0].decode()


def held_slowly(base: str, fake: FakeSlack, slow: int, seconds: float) -> bool:
    with slowloris(base, slow) as held:
        stop = threading.Event()

        def trickle():
            while not stop.wait(TRICKLE_SECONDS):
                held.trickle()

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        took = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            took.append(signed_request(base, fake))
            time.sleep(0.5)
        stop.set()
        trickler.join()
        still = held.trickle()
    late = sum(t > SLACK_TIMEOUT for t in took)
    print(
        f"  {len(took)} signed requests: p50 {statistics.median(took):.3f} s, "
        f"max {max(took):.3f} s, {late} over {SLACK_TIMEOUT:.0f} s or unanswered; "
        f"{still} of {slow} slow connections still open at the end"
    )
    return late == 0


def held_silently(base: str, slow: int) -> bool:
    """Connections that sent half their headers and then nothing are closed in time."""
    with slowloris(base, slow) as held:
        time.sleep(IDLE_SECONDS + CLEANUP_SECONDS + 1)
        still = held.trickle()
    print(
        f"  {slow - still} of {slow} silent connections closed by the server within "
        f"{IDLE_SECONDS + CLEANUP_SECONDS + 1} s"
    )
    return still == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (default: a SQLite file)")
    parser.add_argument("--slow", type=int, default=150, help="slowloris connections")
    parser.add_argument("--seconds", type=float, default=30, help="how long they are held")
    args = parser.parse_args()
    ok = True
    with (
        scratch_database(args.database_url, prefix="hostile") as database,
        FakeSlack() as fake,
        tempfile.TemporaryFile("w+") as log,
    ):
        print(f"database: {database.backend}")
        for workers in (1, 2):
            with serve_processes(
                url=database.url,
                fake=fake,
                secret=SECRET,
                tick_seconds=3600,
                log=log,
                settings={"SERVE_WORKERS": str(workers)},
            ) as [served]:
                if workers == 1:
                    ok &= bodies(served.base, served.process.pid, fake)
                print(f"slowloris, SERVE_WORKERS={workers}:")
                ok &= held_slowly(served.base, fake, args.slow, args.seconds)
                ok &= held_silently(served.base, args.slow)
        log.seek(0)
        output = log.read()
    if "Traceback" in output:
        print("the server logged a traceback:\n" + output[-3000:])
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
