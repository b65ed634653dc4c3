"""Posted digests, one per subscription and local date. Functions take the session and
never commit."""

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import DigestPost

# A claim goes claimed -> posting -> posted (or quiet, or failed): bot/digests.py says how.
FINISHED = ("posted", "quiet", "failed")
UNFINISHED = ("claimed", "posting")  # taken over by any replica after the lease


def finished(s: Session, *, keys: list[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which of the (subscription id, local date) pairs are done with for the day."""
    if not keys:
        return set()
    rows = s.execute(
        select(DigestPost.subscription_id, DigestPost.local_date).where(
            DigestPost.subscription_id.in_({sub for sub, _ in keys}),
            DigestPost.local_date.in_({day for _, day in keys}),
            DigestPost.status.in_(FINISHED),
        )
    )
    return {(sub, day) for sub, day in rows} & set(keys)


def covered_until(s: Session, *, subscription_id: int) -> datetime | None:
    """Where the subscription's last posted digest stopped: the next one starts there."""
    return s.scalar(
        select(func.max(DigestPost.covered_until)).where(
            DigestPost.subscription_id == subscription_id,
            DigestPost.covered_until.is_not(None),
        )
    )


def first_claimed_at(s: Session, *, subscription_id: int) -> datetime | None:
    """When the subscription's first digest was claimed (posted or not)."""
    return s.scalar(
        select(func.min(DigestPost.claimed_at)).where(DigestPost.subscription_id == subscription_id)
    )
