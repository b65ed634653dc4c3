"""The scheduler: every replica ticks; claims in the database decide who does each job.

Each `serve` and `socket` process runs `Scheduler`, which calls `tick` every
DIGEST_TICK_SECONDS. A tick looks for what is due and hands each job to
bot.jobs.run_once, which runs it only in the replica that claims it. Tests call `tick`
directly and move the injected clock instead of waiting.
"""

import logging
import threading

from slack_sdk import WebClient

from bot import digests, grade_schedule, recovery
from bot.services import Rapport

log = logging.getLogger(__name__)


JOBS = (
    digests.post_due,
    grade_schedule.remind,
    grade_schedule.expire,
    grade_schedule.send_cadences,
    lambda rapport, client: recovery.mark_overdue(rapport),
)


def tick(rapport: Rapport, client: WebClient) -> None:
    """One pass over everything due. A job that fails does not stop the others; their
    errors are raised together at the end."""
    errors = []
    for job in JOBS:
        try:
            job(rapport, client)
        except Exception as error:
            errors.append(error)
    if errors:
        raise ExceptionGroup("scheduler jobs failed", errors)


class Scheduler(threading.Thread):
    """Ticks every `interval` seconds until stopped; a failed tick is logged and the next
    one tries again (a job whose claim was left unfinished is retried after its lease)."""

    def __init__(self, rapport: Rapport, client: WebClient, interval: int):
        super().__init__(name="rapport-scheduler", daemon=True)
        self.rapport, self.client, self.interval = rapport, client, interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            try:
                tick(self.rapport, self.client)
            except Exception:
                log.exception("scheduler tick failed; the next tick retries")

    def stop(self) -> None:
        self.stopping.set()
