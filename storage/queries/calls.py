"""Logged calls. Private call text is selected only where its author may see it."""

from datetime import datetime

from sqlalchemy import ColumnElement, Row, case, select
from sqlalchemy.orm import Session, joinedload

from storage.models import Call
from storage.queries.accounts import of_scope


def latest(s: Session, *, team_id: str, account_id: int, limit: int) -> list[Call]:
    return list(
        s.scalars(
            select(Call)
            .where(Call.team_id == team_id, Call.account_id == account_id)
            .order_by(Call.occurred_at.desc(), Call.id.desc())
            .limit(limit)
        )
    )


def by_id(s: Session, *, team_id: str, call_id: int) -> Call | None:
    """The call, with its account loaded (it is named in replies after the transaction)."""
    return s.scalar(
        select(Call)
        .options(joinedload(Call.account))
        .where(Call.team_id == team_id, Call.id == call_id)
    )


def delete_call(s: Session, *, call: Call) -> None:
    s.delete(call)


def logged_between(
    s: Session, *, team_id: str, scope: ColumnElement[bool], since: datetime, until: datetime
) -> list[Row]:
    """Calls logged (created) in [since, until) on accounts in `scope`, by when they
    happened; `notes` is None for a private call: its text never leaves the database."""
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
                of_scope(Call.account_id, team_id=team_id, scope=scope),
            )
            .order_by(Call.occurred_at, Call.id)
        )
    )
