"""Logged calls. Private call text is selected only where its author may see it."""

from datetime import datetime

from sqlalchemy import ColumnElement, Row, and_, case, delete, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import Call, CallContact
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


def by_id(s: Session, *, team_id: str, call_id: int, locked: bool = False) -> Call | None:
    """The call, with its account and contacts loaded (named in replies after the
    transaction); `locked`: its row locked until the transaction ends (PostgreSQL; a
    SQLite writer holds the whole database already), for a change that read it first."""
    query = (
        select(Call)
        .options(joinedload(Call.account), selectinload(Call.contacts))
        .where(Call.team_id == team_id, Call.id == call_id)
    )
    return s.scalar(query.with_for_update(of=Call) if locked else query)


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


def set_attendees(s: Session, *, team_id: str, call_id: int, contact_ids: list[int]) -> None:
    """Who of the account's contacts was on the call: these, and no one else."""
    s.execute(
        delete(CallContact).where(CallContact.team_id == team_id, CallContact.call_id == call_id)
    )
    s.add_all(
        CallContact(team_id=team_id, call_id=call_id, contact_id=contact_id)
        for contact_id in dict.fromkeys(contact_ids)
    )


def older(
    s: Session,
    *,
    team_id: str,
    account_id: int,
    since: datetime | None,
    until: datetime | None,
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[Call]:
    """The account's calls in [since, until) (all when None), newest first, those before
    `before` (a call's time and id) only; with who attended each."""
    query = (
        select(Call)
        .options(selectinload(Call.contacts))
        .where(Call.team_id == team_id, Call.account_id == account_id)
    )
    if since is not None and until is not None:
        query = query.where(Call.occurred_at >= since, Call.occurred_at < until)
    if before is not None:
        at, call_id = before
        query = query.where(
            or_(Call.occurred_at < at, and_(Call.occurred_at == at, Call.id < call_id))
        )
    return list(s.scalars(query.order_by(Call.occurred_at.desc(), Call.id.desc()).limit(limit)))
