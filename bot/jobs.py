"""Jobs done exactly once across replicas, through claims in the database (storage/jobs.py)."""

from datetime import timedelta
from typing import Callable

from bot.services import Rapport
from storage import jobs

# Longer than any job takes; a claim still unfinished after it is retried by any replica.
LEASE = timedelta(minutes=5)


def run_once(rapport: Rapport, *, team_id: str, key: str, job: Callable[[], None]) -> bool:
    """Run `job` if this replica claims `key`; mark it done after. False if another has it."""
    with rapport.sessions.begin() as s:
        if not jobs.claim(s, team_id=team_id, key=key, now=rapport.clock.now(), lease=LEASE):
            return False
    job()
    with rapport.sessions.begin() as s:
        jobs.finish(s, team_id=team_id, key=key, now=rapport.clock.now())
    return True
