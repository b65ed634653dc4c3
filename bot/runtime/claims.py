"""Jobs done exactly once across replicas, through claims in the database
(storage/queries/job_claims.py)."""

from collections.abc import Callable
from datetime import timedelta

from bot.runtime.context import Rapport
from storage.queries import job_claims

# Longer than any job takes; a claim still unfinished after it is retried by any replica.
LEASE = timedelta(minutes=5)


def run_once(rapport: Rapport, *, team_id: str, key: str, job: Callable[[], None]) -> bool:
    """Run `job` if this replica claims `key`; mark it done after. False if another has it."""
    with rapport.sessions.begin() as s:
        if not job_claims.claim(s, team_id=team_id, key=key, now=rapport.clock.now(), lease=LEASE):
            return False
    job()
    with rapport.sessions.begin() as s:
        job_claims.finish(s, team_id=team_id, key=key, now=rapport.clock.now())
    return True
