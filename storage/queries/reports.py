"""What an account report reads.

A report is seven statements whatever its size: one row per account (per-account facts
as correlated scalar subqueries, answered by the (account_id, time) indexes), the
accounts' active contacts, their ARR history, the period's grades counted by owner and
grade, the grades of the chart's months averaged by month, and the period's calls and
grades themselves (streamed: `yield_per`, so only a batch of rows is in memory at once).
The period is [since, until). Accounts in scope are the workspace's active ones,
optionally one owner's. Private call text is never selected.
"""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import ColumnElement, Row, case, func, select
from sqlalchemy.orm import Session

from storage.models import Account, ArrValue, Call, Contact, Grade, RecoveryPlan
from storage.queries.accounts import in_scope, last_call_at, latest_grade

# Rows fetched at a time from the long tables (calls, grades), which are read through the
# session's connection: rows without the ORM's handling, a sixth faster for 500,000 calls.
BATCH = 1000


def account_rows(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> list[Row]:
    """One row per account in scope, by name: its fields; `calls_in_period` and
    `grades_in_period`; `last_call_at`, `grade` (the latest) and `plan_status` (of the
    latest recovery plan) as of `until`."""
    calls = (Call.team_id == team_id) & (Call.account_id == Account.id)
    grades = (Grade.team_id == team_id) & (Grade.account_id == Account.id)
    calls_in_period = (
        select(func.count(Call.id))
        .where(calls, Call.occurred_at >= since, Call.occurred_at < until)
        .scalar_subquery()
    )
    grades_in_period = (
        select(func.count(Grade.id))
        .where(grades, Grade.graded_at >= since, Grade.graded_at < until)
        .scalar_subquery()
    )
    plan_status = (
        select(RecoveryPlan.status)
        .where(
            RecoveryPlan.team_id == team_id,
            RecoveryPlan.account_id == Account.id,
            RecoveryPlan.created_at < until,
        )
        .order_by(RecoveryPlan.created_at.desc(), RecoveryPlan.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return list(
        s.execute(
            select(
                Account.id,
                Account.name,
                Account.owner_id,
                Account.growth_target_pct,
                Account.renewal_on,
                Account.competitors,
                calls_in_period.label("calls_in_period"),
                last_call_at(team_id=team_id, before=until).label("last_call_at"),
                grades_in_period.label("grades_in_period"),
                latest_grade(team_id=team_id, before=until).label("grade"),
                plan_status.label("plan_status"),
            )
            .where(in_scope(team_id=team_id, owner_id=owner_id))
            .order_by(Account.name_key)
        )
    )


def contacts(s: Session, *, team_id: str, owner_id: str | None) -> list[Row]:
    """(account_id, name) of the active contacts of the accounts in scope, by account
    and name."""
    return list(
        s.execute(
            select(Contact.account_id, Contact.name)
            .join(Account, Account.id == Contact.account_id)
            .where(
                Contact.team_id == team_id,
                Contact.removed_at.is_(None),
                in_scope(team_id=team_id, owner_id=owner_id),
            )
            .order_by(Contact.account_id, Contact.name_key)
        )
    )


def arr_history(s: Session, *, team_id: str, owner_id: str | None) -> list[Row]:
    """(account_id, effective_on, arr) of every ARR value of the accounts in scope, in the
    order storage/queries/arr.py reads them: by account, day it took effect, then recorded."""
    return list(
        s.execute(
            select(ArrValue.account_id, ArrValue.effective_on, ArrValue.arr)
            .join(Account, Account.id == ArrValue.account_id)
            .where(ArrValue.team_id == team_id, in_scope(team_id=team_id, owner_id=owner_id))
            .order_by(ArrValue.account_id, ArrValue.effective_on, ArrValue.id)
        )
    )


def grade_counts(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> list[Row]:
    """(owner_id, grade, grades, points) of the grades given in [since, until): how many
    of each letter per owner of the account graded, and their points summed."""
    return list(
        s.execute(
            select(Account.owner_id, Grade.grade, func.count(Grade.id), func.sum(Grade.points))
            .join(Account, Account.id == Grade.account_id)
            .where(*_given(team_id=team_id, owner_id=owner_id, since=since, until=until))
            .group_by(Account.owner_id, Grade.grade)
        )
    )


def points_by_span(
    s: Session, *, team_id: str, owner_id: str | None, bounds: list[datetime]
) -> dict[int, tuple[int, float]]:
    """(grades, points summed) of the grades given in each span between consecutive
    `bounds` (ascending), by the span's index; spans without grades are absent."""
    span = case(
        *((Grade.graded_at < bound, index) for index, bound in enumerate(bounds[1:]))
    ).label("span")
    given = (
        select(span, Grade.points)
        .join(Account, Account.id == Grade.account_id)
        .where(*_given(team_id=team_id, owner_id=owner_id, since=bounds[0], until=bounds[-1]))
        .subquery()
    )
    rows = s.execute(
        select(given.c.span, func.count(), func.sum(given.c.points)).group_by(given.c.span)
    )
    return {index: (grades, points) for index, grades, points in rows}


def _given(
    *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a grade of an account in scope given in [since, until) (the
    account joined)."""
    return (
        Grade.team_id == team_id,
        Grade.graded_at >= since,
        Grade.graded_at < until,
        in_scope(team_id=team_id, owner_id=owner_id),
    )


def calls_in(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> Iterator[Row]:
    """Calls that happened in [since, until), oldest first, with their account's name;
    `notes` and `next_step` are None for a private call. Streamed: read them before the
    transaction ends."""
    return iter(
        s.connection().execute(
            select(
                Account.name.label("account"),
                Call.occurred_at,
                Call.logged_by,
                Call.private,
                case((Call.private, None), else_=Call.notes).label("notes"),
                case((Call.private, None), else_=Call.next_step).label("next_step"),
                Call.follow_up_on,
            )
            .join(Account, Account.id == Call.account_id)
            .where(
                Call.team_id == team_id,
                Call.occurred_at >= since,
                Call.occurred_at < until,
                in_scope(team_id=team_id, owner_id=owner_id),
            )
            .order_by(Call.occurred_at, Call.id)
            .execution_options(yield_per=BATCH)
        )
    )


def grades_in(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> Iterator[Row]:
    """Grades given in [since, until), oldest first, with their account's name. Streamed:
    read them before the transaction ends."""
    return iter(
        s.connection().execute(
            select(
                Account.name.label("account"),
                Grade.graded_at,
                # A contact outside Slack, by link, has no Slack id: their name.
                func.coalesce(Grade.grader_id, Contact.name).label("grader_id"),
                Grade.grade,
                Grade.points,
                Grade.reason,
            )
            .join(Account, Account.id == Grade.account_id)
            .outerjoin(Contact, Contact.id == Grade.contact_id)
            .where(*_given(team_id=team_id, owner_id=owner_id, since=since, until=until))
            .order_by(Grade.graded_at, Grade.id)
            .execution_options(yield_per=BATCH)
        )
    )
