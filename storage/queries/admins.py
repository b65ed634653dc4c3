"""The people named Rapport admins, workspace by workspace."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import RapportAdmin
from storage.queries.inserts import insert_new


def named(s: Session, *, team_id: str, user_id: str) -> bool:
    return s.get(RapportAdmin, (team_id, user_id)) is not None


def all_named(s: Session, *, team_id: str) -> list[RapportAdmin]:
    """The workspace's named admins, first named first."""
    return list(
        s.scalars(
            select(RapportAdmin)
            .where(RapportAdmin.team_id == team_id)
            .order_by(RapportAdmin.added_at, RapportAdmin.user_id)
        )
    )


def name(s: Session, *, team_id: str, user_id: str, added_by: str, now: datetime) -> bool:
    """Name `user_id` an admin; False if they already were."""
    return insert_new(
        s, RapportAdmin, team_id=team_id, user_id=user_id, added_by=added_by, added_at=now
    )


def unname(s: Session, *, team_id: str, user_id: str) -> bool:
    """`user_id` is no longer a named admin; False if they were not one."""
    removed = s.execute(
        delete(RapportAdmin).where(RapportAdmin.team_id == team_id, RapportAdmin.user_id == user_id)
    )
    return removed.rowcount > 0
