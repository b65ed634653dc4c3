"""What an account report reads.

A report is three statements whatever its size: one row per account (per-account facts
as correlated scalar subqueries, answered by the (account_id, time) indexes), the
period's calls, and the period's grades. The period is [since, until). Accounts in
scope are the workspace's active ones, optionally one owner's. Private call text is
never selected.
"""

from datetime import datetime

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from storage.models import Account, Call, Contact, Grade
from storage.queries.accounts import in_scope, last_call_at, latest_grade


def account_rows(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> list[Row]:
    """One row per account in scope, by name: its fields; `calls_in_period` and
    `grades_in_period`; `last_call_at` and `grade` (the latest) as of `until`."""
    calls = (Call.team_id == team_id) & (Call.account_id == Account.id)
    grades = (Grade.team_id == team_id) & (Grade.account_id == Account.id)
    calls_in_period = (
        select(func.count(Call.id))
        .where(calls, Call.occurred_at >= since, Call.occurred_at < until)
        .scalar_subquery()
    )
    last_call = last_call_at(team_id=team_id, before=until)
    grades_in_period = (
        select(func.count(Grade.id))
        .where(grades, Grade.graded_at >= since, Grade.graded_at < until)
        .scalar_subquery()
    )
    grade = latest_grade(team_id=team_id, before=until)
    return list(
        s.execute(
            select(
                Account.id,
                Account.name,
                Account.owner_id,
                Account.arr,
                Account.growth_target_pct,
                Account.renewal_on,
                calls_in_period.label("calls_in_period"),
                last_call.label("last_call_at"),
                grades_in_period.label("grades_in_period"),
                grade.label("grade"),
            )
            .where(in_scope(team_id=team_id, owner_id=owner_id))
            .order_by(Account.name_key)
        )
    )


def calls_in(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> list[Row]:
    """Calls that happened in [since, until), oldest first, with their account's name;
    `notes` and `next_step` are None for a private call."""
    return list(
        s.execute(
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
        )
    )


def grades_in(
    s: Session, *, team_id: str, owner_id: str | None, since: datetime, until: datetime
) -> list[Row]:
    """Grades given in [since, until), oldest first, with their account's name."""
    return list(
        s.execute(
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
            .where(
                Grade.team_id == team_id,
                Grade.graded_at >= since,
                Grade.graded_at < until,
                in_scope(team_id=team_id, owner_id=owner_id),
            )
            .order_by(Grade.graded_at, Grade.id)
        )
    )
