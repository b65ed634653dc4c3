"""Accounts' change histories."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import AccountChange


def latest(s: Session, *, team_id: str, account_id: int, limit: int) -> list[AccountChange]:
    """The account's latest changes, newest first."""
    return list(
        s.scalars(
            select(AccountChange)
            .where(AccountChange.team_id == team_id, AccountChange.account_id == account_id)
            .order_by(AccountChange.changed_at.desc(), AccountChange.id.desc())
            .limit(limit)
        )
    )


def count(s: Session, *, team_id: str, account_id: int) -> int:
    return s.scalar(
        select(func.count())
        .select_from(AccountChange)
        .where(AccountChange.team_id == team_id, AccountChange.account_id == account_id)
    )
