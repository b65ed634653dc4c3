"""Queries: keyword-only functions that take a session and never commit."""

from datetime import datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from storage.models import Account, Call, EventDelivery, Grade, GradeRequest, UserProfile


def active_accounts(s: Session, *, team_id: str, starting: str = "") -> list[Account]:
    """The workspace's accounts that are not archived, by name; only those whose
    name key starts with `starting` when given."""
    query = select(Account).where(Account.team_id == team_id, Account.archived_at.is_(None))
    if starting:
        query = query.where(Account.name_key.startswith(starting, autoescape=True))
    return list(s.scalars(query.order_by(Account.name_key)))


def account_by_name_key(s: Session, *, team_id: str, name_key: str) -> Account | None:
    return s.scalar(select(Account).where(Account.team_id == team_id, Account.name_key == name_key))


def account_by_id(s: Session, *, team_id: str, account_id: int) -> Account | None:
    return s.scalar(select(Account).where(Account.team_id == team_id, Account.id == account_id))


def latest_calls(s: Session, *, team_id: str, account_id: int, limit: int) -> list[Call]:
    return list(
        s.scalars(
            select(Call)
            .where(Call.team_id == team_id, Call.account_id == account_id)
            .order_by(Call.occurred_at.desc(), Call.id.desc())
            .limit(limit)
        )
    )


def call_by_id(s: Session, *, team_id: str, call_id: int) -> Call | None:
    """The call, with its account loaded (it is named in replies after the transaction)."""
    return s.scalar(
        select(Call)
        .options(joinedload(Call.account))
        .where(Call.team_id == team_id, Call.id == call_id)
    )


def profile(s: Session, *, team_id: str, user_id: str) -> UserProfile | None:
    return s.get(UserProfile, (team_id, user_id))


def claim_delivery(s: Session, *, team_id: str, keys: list[str], now: datetime) -> bool:
    """Record an Events API delivery by each of its keys; False if any was seen before.

    The rows are inserted in the caller's transaction, so a delivery counts as
    handled only if the work it triggered commits too.
    """
    claimed = True
    for key in keys:
        inserted = insert_new(s, EventDelivery, team_id=team_id, key=key, received_at=now)
        claimed = claimed and inserted
    return claimed


def insert_new(s: Session, model: type, **values) -> bool:
    """INSERT the row unless one with the same key exists; True if this call inserted it.
    Concurrent callers on PostgreSQL wait for each other: exactly one gets True."""
    insert = postgresql_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**values).on_conflict_do_nothing()
    key = inspect(model).primary_key[0]
    return s.scalar(statement.returning(key)) is not None


def last_contacts(s: Session, *, team_id: str) -> dict[int, datetime]:
    """The latest call of each account of the workspace, by account id."""
    rows = s.execute(
        select(Call.account_id, func.max(Call.occurred_at))
        .where(Call.team_id == team_id)
        .group_by(Call.account_id)
    )
    return {account_id: latest for account_id, latest in rows}


def grade_request(s: Session, *, team_id: str, request_id: int) -> GradeRequest | None:
    """The request, with its account loaded."""
    return s.scalar(
        select(GradeRequest)
        .options(joinedload(GradeRequest.account))
        .where(GradeRequest.team_id == team_id, GradeRequest.id == request_id)
    )


def latest_grade_subquery(*, team_id: str, before: datetime | None = None):
    """The latest grade of the outer query's Account (graded before `before`, if given),
    as a correlated scalar subquery."""
    query = select(Grade.grade).where(Grade.team_id == team_id, Grade.account_id == Account.id)
    if before is not None:
        query = query.where(Grade.graded_at < before)
    return query.order_by(Grade.graded_at.desc(), Grade.id.desc()).limit(1).scalar_subquery()


def last_call_subquery(*, team_id: str, before: datetime | None = None):
    """When the outer query's Account was last called (before `before`, if given), as a
    correlated scalar subquery."""
    query = select(func.max(Call.occurred_at)).where(
        Call.team_id == team_id, Call.account_id == Account.id
    )
    if before is not None:
        query = query.where(Call.occurred_at < before)
    return query.scalar_subquery()
