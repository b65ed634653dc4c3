"""Accounts' ARR history: the value effective on a day is the latest row on or before it
(ties: the latest recorded)."""

from datetime import date, datetime

from sqlalchemy import Select, case, func, insert, select
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


def _on(team_id: str, day: date, *, account_id: int | None = None) -> Select:
    """(account_id, arr) of each account of the team (or the one) with a value effective
    on `day`."""
    rows = ArrValue.team_id == team_id, ArrValue.effective_on <= day
    if account_id is not None:
        rows += (ArrValue.account_id == account_id,)
    ranked = (
        select(
            ArrValue.account_id,
            ArrValue.arr,
            func.row_number()
            .over(
                partition_by=ArrValue.account_id,
                order_by=(ArrValue.effective_on.desc(), ArrValue.id.desc()),
            )
            .label("rank"),
        )
        .where(*rows)
        .subquery()
    )
    return select(ranked.c.account_id, ranked.c.arr).where(ranked.c.rank == 1)


def on(s: Session, *, team_id: str, day: date) -> dict[int, int | None]:
    """Each account's ARR effective on `day` (None: set to "not set"); accounts without
    a value by then are absent. One statement for the whole team."""
    return {account_id: arr for account_id, arr in s.execute(_on(team_id, day))}


def account_on(s: Session, *, team_id: str, account_id: int, day: date) -> int | None:
    """The account's ARR effective on `day`; None when not set or unknown then."""
    row = s.execute(_on(team_id, day, account_id=account_id)).one_or_none()
    return row and row.arr


def between(s: Session, *, team_id: str, start: date, end: date) -> dict[int, tuple]:
    """(ARR at start, ARR at end) of each account with a value by `end`, in one statement
    and one pass over the rows; either is None when unknown or not set then."""
    order = (ArrValue.effective_on.desc(), ArrValue.id.desc())
    by_start = ArrValue.effective_on <= start
    ranked = (
        select(
            ArrValue.account_id,
            ArrValue.arr,
            by_start.label("by_start"),
            func.row_number()
            .over(partition_by=ArrValue.account_id, order_by=order)
            .label("at_end"),
            func.row_number()
            .over(partition_by=(ArrValue.account_id, by_start), order_by=order)
            .label("at_start"),
        )
        .where(ArrValue.team_id == team_id, ArrValue.effective_on <= end)
        .subquery()
    )
    first = func.max(case((ranked.c.by_start & (ranked.c.at_start == 1), ranked.c.arr)))
    last = func.max(case((ranked.c.at_end == 1, ranked.c.arr)))
    rows = s.execute(select(ranked.c.account_id, first, last).group_by(ranked.c.account_id))
    return {account_id: (first, last) for account_id, first, last in rows}
