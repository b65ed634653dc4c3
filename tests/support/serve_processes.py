"""`python -m bot serve` as its own process, configured only by its environment: Slack's
Web API is a fake (support/fake_slack.py) and the database is the caller's. For black-box
tests (tests/flows/test_serve_process.py) and benchmarks (bench/serve_load.py,
bench/replicas.py), which also start a bare Bolt app this way (bench/workload.py)."""

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from support.processes import environment

STARTUP_SECONDS = 30
STOP_SECONDS = 10
POLL_SECONDS = 0.02  # fine enough for bench/serve_load.py to time a start-up
SERVE = ("-m", "bot", "serve")


@dataclass(frozen=True)
class Served:
    process: subprocess.Popen
    base: str  # http://127.0.0.1:<port>


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_processes(
    *,
    url: str,
    fake,
    secret: str,
    tick_seconds: int,
    replicas: int = 1,
    log: IO | None = None,
    cwd: Path | None = None,
    settings: dict[str, str] | None = None,
    argv: Sequence[str] = SERVE,
) -> Iterator[list[Served]]:
    """`replicas` serve processes, each on a free port, yielded once all answer /healthz;
    stopped with SIGTERM (as a deploy does) on the way out, which must end them cleanly.
    Their output goes to `log` when given, else to this process's; they run in `cwd`.
    `settings` adds to their environment or overrides it (e.g. SERVE_WORKERS, LOG_LEVEL);
    `argv` is what Python runs instead of `-m bot serve` (a script serving on PORT just as
    well)."""
    env = environment(
        **{
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": fake.url,
            "DATABASE_URL": url,
            "DIGEST_TICK_SECONDS": str(tick_seconds),
            "LOG_LEVEL": "WARNING",
            **(settings or {}),
        }
    )
    started = []
    try:
        for _ in range(replicas):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, *argv],
                env={**env, "PORT": str(port)},
                cwd=cwd,
                stdout=log,
                stderr=log,
            )
            started.append(Served(process, f"http://127.0.0.1:{port}"))
        for served in started:
            wait_healthy(served)
        yield started
    finally:
        for served in started:
            served.process.send_signal(signal.SIGTERM)
        codes = [stopped(served.process) for served in started]
    if any(codes):
        raise RuntimeError(f"serve exited {codes} on SIGTERM, expected 0")


def stopped(process: subprocess.Popen) -> int:
    """The exit code of a process sent SIGTERM; killed (-9) if it does not end in time."""
    try:
        return process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def wait_healthy(served: Served) -> None:
    """Poll /healthz until it answers 200 (bounded: start-up includes migrations)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"serve exited {served.process.returncode} while starting")
        try:
            with urllib.request.urlopen(f"{served.base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"serve did not answer {served.base}/healthz in {STARTUP_SECONDS} s")
