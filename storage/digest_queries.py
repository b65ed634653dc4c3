"""What a digest reads: keyword-only queries that take the session and never commit.

Each function is ONE statement however many accounts `accounts` (a condition on
Account, e.g. bot.digest_content.accounts_clause) selects. Per-account facts are
correlated scalar subqueries that the (account_id, time) indexes answer with one seek
each; the other sections read their own table once and keep the rows of accounts in
scope with EXISTS, so both SQLite and PostgreSQL scan them instead of looping over
accounts. The sections name accounts by id: account_facts has their names.
Private call text is never selected.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Row, and_, case, exists, or_, select
from sqlalchemy.orm import Session, aliased

from storage import queries
from storage.models import Account, Call, Grade, GradeRequest, RecoveryPlan


def account_facts(s: Session, *, team_id: str, accounts: ColumnElement[bool]) -> list[Row]:
    """One row per account in scope, by name: the account; `last_call_at`, and the
    `follow_up_on` and `next_step` (None if private) of its latest call; its latest
    `grade`."""

    def latest_call(column):
        return (
            select(column)
            .where(Call.team_id == team_id, Call.account_id == Account.id)
            .order_by(Call.occurred_at.desc(), Call.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    last_call_at = queries.last_call_subquery(team_id=team_id)
    grade = queries.latest_grade_subquery(team_id=team_id)
    return list(
        s.execute(
            select(
                Account.id,
                Account.name,
                Account.owner_id,
                Account.created_at,
                Account.renewal_on,
                Account.arr,
                last_call_at.label("last_call_at"),
                latest_call(Call.follow_up_on).label("follow_up_on"),
                latest_call(case((Call.private, None), else_=Call.next_step)).label("next_step"),
                grade.label("grade"),
            )
            .where(Account.team_id == team_id, accounts)
            .order_by(Account.name_key)
        )
    )


def calls_logged(
    s: Session, *, team_id: str, accounts: ColumnElement[bool], since: datetime, until: datetime
) -> list[Row]:
    """Calls logged (created) in [since, until), by when they happened; `notes` is None
    for a private call: its text never leaves the database."""
    return list(
        s.execute(
            select(
                Call.id,
                Call.account_id,
                Call.logged_by,
                Call.occurred_at,
                Call.private,
                case((Call.private, None), else_=Call.notes).label("notes"),
            )
            .where(
                Call.team_id == team_id,
                Call.created_at >= since,
                Call.created_at < until,
                _in_scope(Call.account_id, team_id, accounts),
            )
            .order_by(Call.occurred_at, Call.id)
        )
    )


def grades_given(
    s: Session, *, team_id: str, accounts: ColumnElement[bool], since: datetime, until: datetime
) -> list[Row]:
    """Grades given in [since, until), oldest first, each with the account's grade
    before it (`previous`, None for a first grade)."""
    before = aliased(Grade)
    previous = (
        select(before.grade)
        .where(
            before.team_id == team_id,
            before.account_id == Grade.account_id,
            or_(
                before.graded_at < Grade.graded_at,
                and_(before.graded_at == Grade.graded_at, before.id < Grade.id),
            ),
        )
        .order_by(before.graded_at.desc(), before.id.desc())
        .limit(1)
        .correlate(Grade)
        .scalar_subquery()
    )
    return list(
        s.execute(
            select(
                Grade.id,
                Grade.account_id,
                Grade.grade,
                previous.label("previous"),
                Grade.grader_id,
                Grade.graded_at,
            )
            .where(
                Grade.team_id == team_id,
                Grade.graded_at >= since,
                Grade.graded_at < until,
                _in_scope(Grade.account_id, team_id, accounts),
            )
            .order_by(Grade.graded_at, Grade.id)
        )
    )


def open_plans(
    s: Session, *, team_id: str, accounts: ColumnElement[bool], statuses: Sequence[str]
) -> list[Row]:
    """Recovery plans whose status is one of `statuses`, oldest first."""
    return list(
        s.execute(
            select(
                RecoveryPlan.id,
                RecoveryPlan.account_id,
                RecoveryPlan.target,
                RecoveryPlan.follow_up_on,
                RecoveryPlan.status,
            )
            .where(
                RecoveryPlan.team_id == team_id,
                RecoveryPlan.status.in_(statuses),
                _in_scope(RecoveryPlan.account_id, team_id, accounts),
            )
            .order_by(RecoveryPlan.created_at, RecoveryPlan.id)
        )
    )


def pending_requests(s: Session, *, team_id: str, accounts: ColumnElement[bool]) -> list[Row]:
    """Grade requests still open, oldest first."""
    return list(
        s.execute(
            select(
                GradeRequest.id,
                GradeRequest.account_id,
                GradeRequest.grader_id,
                GradeRequest.asked_by,
                GradeRequest.asked_at,
            )
            .where(
                GradeRequest.team_id == team_id,
                GradeRequest.status == "open",
                _in_scope(GradeRequest.account_id, team_id, accounts),
            )
            .order_by(GradeRequest.asked_at, GradeRequest.id)
        )
    )


def _in_scope(account_id, team_id: str, accounts: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Account.id == account_id, Account.team_id == team_id, accounts)
