"""Queries for grade requests and grades: keyword-only, take the session, never commit."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage.models import Grade, GradeRequest


def open_requests_sent(s: Session, *, team_id: str, asked_by: str) -> list[GradeRequest]:
    """The unanswered requests `asked_by` sent, oldest first, with their accounts loaded."""
    return list(
        s.scalars(
            select(GradeRequest)
            .options(joinedload(GradeRequest.account))
            .where(
                GradeRequest.team_id == team_id,
                GradeRequest.asked_by == asked_by,
                GradeRequest.status == "open",
            )
            .order_by(GradeRequest.asked_at, GradeRequest.id)
        )
    )


def account_grades(s: Session, *, team_id: str, account_id: int) -> list[Grade]:
    """Every grade of the account, newest first."""
    return list(
        s.scalars(
            select(Grade)
            .where(Grade.team_id == team_id, Grade.account_id == account_id)
            .order_by(Grade.graded_at.desc(), Grade.id.desc())
        )
    )
