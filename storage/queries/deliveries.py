"""Events API deliveries already handled."""

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import EventDelivery
from storage.queries.inserts import insert_new


def claim(s: Session, *, team_id: str, keys: list[str], now: datetime) -> bool:
    """Record an Events API delivery by each of its keys; False if any was seen before.

    The rows are inserted in the caller's transaction, so a delivery counts as
    handled only if the work it triggered commits too.
    """
    claimed = True
    for key in keys:
        inserted = insert_new(s, EventDelivery, team_id=team_id, key=key, received_at=now)
        claimed = claimed and inserted
    return claimed
