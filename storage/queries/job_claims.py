"""Claims on scheduled jobs: how replicas agree that exactly one of them does a job.

A job has a key (e.g. "grade-reminder:42"). The replica whose insert of that key wins
does the job and then marks it done; a claim left unfinished past its lease (the
replica died) can be taken over.
"""

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models import JobClaim
from storage.queries.inserts import insert_new


def claim(s: Session, *, team_id: str, key: str, now: datetime, lease: timedelta) -> bool:
    """True if this caller now holds the job: a new claim, or one whose lease ran out."""
    if insert_new(s, JobClaim, team_id=team_id, key=key, claimed_at=now, lease_until=now + lease):
        return True
    taken = s.scalar(
        update(JobClaim)
        .where(
            JobClaim.team_id == team_id,
            JobClaim.key == key,
            JobClaim.done_at.is_(None),
            JobClaim.lease_until < now,
        )
        .values(claimed_at=now, lease_until=now + lease)
        .returning(JobClaim.key)
    )
    return taken is not None


def finish(s: Session, *, team_id: str, key: str, now: datetime) -> None:
    s.execute(
        update(JobClaim).where(JobClaim.team_id == team_id, JobClaim.key == key).values(done_at=now)
    )
