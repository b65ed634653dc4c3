"""When each Home tab was published and when what it shows changed."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import Session

from storage.models import HomeTab
from storage.queries.inserts import dialect_insert, upsert


def changed(s: Session, *, team_id: str, user_ids: Iterable[str], now: datetime) -> None:
    """What the Home tabs of `user_ids` show changed at `now`."""
    rows = [{"team_id": team_id, "user_id": user_id, "changed_at": now} for user_id in user_ids]
    upsert(s, HomeTab, rows, update=("changed_at",))


def published(s: Session, *, team_id: str, user_id: str, at: datetime) -> None:
    """The Home tab is being published with what is true at `at`."""
    row = {"team_id": team_id, "user_id": user_id, "published_at": at}
    upsert(s, HomeTab, [row], update=("published_at",))


def claim(s: Session, *, team_id: str, user_id: str, now: datetime, since: datetime) -> bool:
    """Record that the Home tab is being published at `now`, unless it was published at or
    after `since` and nothing changed after; True if this caller should publish it. Of
    several callers at once, one gets True."""
    insert = dialect_insert(s)(HomeTab).values(team_id=team_id, user_id=user_id, published_at=now)
    stale = or_(
        HomeTab.published_at.is_(None),
        HomeTab.published_at < since,
        HomeTab.changed_at >= HomeTab.published_at,
    )
    claimed = insert.on_conflict_do_update(
        index_elements=[HomeTab.team_id, HomeTab.user_id],
        set_={"published_at": insert.excluded.published_at},
        where=stale,
    ).returning(HomeTab.user_id)
    return s.scalar(claimed) is not None
