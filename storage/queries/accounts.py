"""Accounts, and what is known of each: last contact, latest grade, latest call's follow-up.

The per-account facts are correlated scalar subqueries that the (account_id, time)
indexes answer with one seek each, so a statement reading them for 10,000 accounts is
still one statement.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, Row, case, exists, func, select
from sqlalchemy.orm import Session

from storage.models import Account, Call, Grade


def active(s: Session, *, team_id: str, starting: str = "") -> list[Account]:
    """The workspace's accounts that are not archived, by name; only those whose
    name key starts with `starting` when given."""
    query = select(Account).where(Account.team_id == team_id, Account.archived_at.is_(None))
    if starting:
        query = query.where(Account.name_key.startswith(starting, autoescape=True))
    return list(s.scalars(query.order_by(Account.name_key)))


def all_of(s: Session, *, team_id: str) -> list[Account]:
    """The workspace's accounts, archived ones too, by name."""
    return list(
        s.scalars(select(Account).where(Account.team_id == team_id).order_by(Account.name_key))
    )


def archived(s: Session, *, team_id: str) -> list[Account]:
    """The workspace's archived accounts, by name."""
    query = select(Account).where(Account.team_id == team_id, Account.archived_at.is_not(None))
    return list(s.scalars(query.order_by(Account.name_key)))


def by_name_key(s: Session, *, team_id: str, name_key: str) -> Account | None:
    return s.scalar(select(Account).where(Account.team_id == team_id, Account.name_key == name_key))


def by_id(s: Session, *, team_id: str, account_id: int) -> Account | None:
    return s.scalar(select(Account).where(Account.team_id == team_id, Account.id == account_id))


def any_account(s: Session) -> bool:
    """Whether the database holds an account, of any workspace, archived or not."""
    return s.scalar(select(Account.id).limit(1)) is not None


def in_scope(*, team_id: str, owner_id: str | None = None) -> ColumnElement[bool]:
    """The workspace's active accounts (only `owner_id`'s when given), as a condition."""
    clause = (Account.team_id == team_id) & Account.archived_at.is_(None)
    return clause if owner_id is None else clause & (Account.owner_id == owner_id)


def of_scope(account_id, *, team_id: str, scope: ColumnElement[bool]) -> ColumnElement[bool]:
    """`account_id` (a column of another table) names an account that `scope` selects."""
    return exists().where(Account.id == account_id, Account.team_id == team_id, scope)


def facts(s: Session, *, team_id: str, scope: ColumnElement[bool]) -> list[Row]:
    """One row per account in `scope`, by name: the account; `last_call_at`, and the
    `follow_up_on` (None once its owner pressed Done) and `next_step` (None if private) of
    its latest call; its latest `grade`."""

    def latest_call(column):
        return (
            select(column)
            .where(Call.team_id == team_id, Call.account_id == Account.id)
            .order_by(Call.occurred_at.desc(), Call.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return list(
        s.execute(
            select(
                Account.id,
                Account.name,
                Account.owner_id,
                Account.created_at,
                Account.renewal_on,
                Account.arr,
                last_call_at(team_id=team_id).label("last_call_at"),
                latest_call(
                    case((Call.follow_up_done_at.is_not(None), None), else_=Call.follow_up_on)
                ).label("follow_up_on"),
                latest_call(case((Call.private, None), else_=Call.next_step)).label("next_step"),
                latest_grade(team_id=team_id).label("grade"),
            )
            .where(Account.team_id == team_id, scope)
            .order_by(Account.name_key)
        )
    )


def latest_grade(*, team_id: str, before: datetime | None = None):
    """The latest grade of the outer query's Account (graded before `before`, if given),
    as a correlated scalar subquery."""
    query = select(Grade.grade).where(Grade.team_id == team_id, Grade.account_id == Account.id)
    if before is not None:
        query = query.where(Grade.graded_at < before)
    return query.order_by(Grade.graded_at.desc(), Grade.id.desc()).limit(1).scalar_subquery()


def last_call_at(*, team_id: str, before: datetime | None = None):
    """When the outer query's Account was last called (before `before`, if given), as a
    correlated scalar subquery."""
    query = select(func.max(Call.occurred_at)).where(
        Call.team_id == team_id, Call.account_id == Account.id
    )
    if before is not None:
        query = query.where(Call.occurred_at < before)
    return query.scalar_subquery()
