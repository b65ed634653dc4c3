"""The scheduler: every replica ticks; claims in the database decide who does each job.

Each `serve` and `socket` process runs `Scheduler`, which runs every job it was given
(bot/app.py lists them) every DIGEST_TICK_SECONDS. A job looks for what is due and does
each piece through bot.runtime.claims.run_once, which runs it only in the replica that
claims it. Tests call `tick` directly and move the injected clock instead of waiting.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence

from slack_sdk import WebClient

from bot.runtime.context import Rapport

log = logging.getLogger(__name__)
Job = Callable[[Rapport, WebClient], object]


def tick(rapport: Rapport, client: WebClient, jobs: Sequence[Job]) -> None:
    """One pass over everything due. A job that fails does not stop the others; their
    errors are raised together at the end."""
    errors = []
    for job in jobs:
        try:
            job(rapport, client)
        except Exception as error:
            errors.append(error)
    if errors:
        raise ExceptionGroup("scheduler jobs failed", errors)


class Scheduler(threading.Thread):
    """Ticks every `interval` seconds for as long as the process runs; a failed tick is
    logged and the next one tries again (a job whose claim was left unfinished is retried
    after its lease)."""

    def __init__(self, rapport: Rapport, client: WebClient, interval: int, jobs: Sequence[Job]):
        super().__init__(name="rapport-scheduler", daemon=True)
        self.rapport, self.client, self.interval, self.jobs = rapport, client, interval, jobs

    def run(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                tick(self.rapport, self.client, self.jobs)
            except Exception:
                log.exception("scheduler tick failed; the next tick retries")
