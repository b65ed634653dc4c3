"""Accounts' ARR history: the value effective on a day is the latest row on or before it
(ties: the latest recorded). A report reads a team's whole history at once
(storage/queries/reports.py arr_history) and looks days up in it (bot/reports/figures.py)."""

from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from storage.models import ArrValue


def record(
    s: Session,
    *,
    team_id: str,
    account_id: int,
    arr: int | None,
    effective_on: date,
    by: str,
    now: datetime,
) -> None:
    s.add(
        ArrValue(
            team_id=team_id,
            account_id=account_id,
            arr=arr,
            effective_on=effective_on,
            recorded_by=by,
            recorded_at=now,
        )
    )


def record_many(s: Session, rows: list[dict]) -> None:
    """Rows of team_id, account_id, arr, effective_on, recorded_by, recorded_at."""
    if rows:
        s.execute(insert(ArrValue), rows)


def latest_effective_on(s: Session, *, team_id: str, account_id: int) -> date | None:
    """The day the account's latest value took effect; None without history."""
    return s.scalar(
        select(func.max(ArrValue.effective_on)).where(
            ArrValue.team_id == team_id, ArrValue.account_id == account_id
        )
    )


def account_on(s: Session, *, team_id: str, account_id: int, day: date) -> int | None:
    """The account's ARR effective on `day`; None when not set or unknown then."""
    return s.scalar(
        select(ArrValue.arr)
        .where(
            ArrValue.team_id == team_id,
            ArrValue.account_id == account_id,
            ArrValue.effective_on <= day,
        )
        .order_by(ArrValue.effective_on.desc(), ArrValue.id.desc())
        .limit(1)
    )
