"""`serve`'s worker processes. The listening socket is opened once, then `workers`
processes are forked to take connections from it, each with its own app, database
connections, after-ack pool and scheduler (the scheduler's claims make several safe).
Python runs one thread at a time per process: workers are how `serve` uses every core.

SIGTERM to the parent is passed to every worker, and the parent ends once they have. A
worker that dies on its own stops the others too, so that whatever runs Rapport (systemd,
a container platform) sees the exit and starts it again whole."""

import logging
import os
import signal
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)


def run(workers: int, serve: Callable[[], int]) -> int:
    """Run `serve` (one worker's server, returning its exit code) in `workers` processes;
    in this one when there is one."""
    if workers == 1:
        return serve()
    children = {_forked(serve) for _ in range(workers)}
    stopping = False

    def stop(*_) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    code = 0
    while children:
        pid, status = os.wait()
        children.discard(pid)
        ended = os.waitstatus_to_exitcode(status)
        # A worker still starting when told to stop ends by the signal: it had no work.
        if not stopping or ended not in (0, -signal.SIGTERM):
            log.error("worker %s ended (%s): stopping the others", pid, ended)
            code = 1
            if not stopping:
                stop()
    return code


def _forked(serve: Callable[[], int]) -> int:
    """A child process that runs `serve` and exits with its code; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = serve()
    except BaseException:
        log.exception("worker failed")
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
