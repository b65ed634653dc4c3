"""Follow-ups that come due, for their owner's morning DM (bot/followups/due.py).

A call's follow-up counts while the call is its account's latest (a later call
supersedes it, as in the digests) and nobody pressed Done; a recovery plan's while the
plan is open and nobody pressed Done. Only active accounts count.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Row, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased, joinedload

from storage.models import OPEN_PLAN_STATUSES, Account, Call, JobClaim, RecoveryPlan, UserProfile
from storage.queries.accounts import last_call_at


def owners(s: Session) -> list[Row]:
    """Each owner of an active account, every workspace: team_id, owner_id, and from their
    cached profile (None when not cached) tz and reminders."""
    return list(
        s.execute(
            select(Account.team_id, Account.owner_id, UserProfile.tz, UserProfile.reminders)
            .distinct()
            .outerjoin(
                UserProfile,
                (UserProfile.team_id == Account.team_id)
                & (UserProfile.user_id == Account.owner_id),
            )
            .where(Account.archived_at.is_(None))
        )
    )


def finished(s: Session, *, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the (team_id, job key) pairs were done already (bot/runtime/claims.py)."""
    keys = list(keys)
    if not keys:
        return set()
    rows = s.execute(
        select(JobClaim.team_id, JobClaim.key).where(
            tuple_(JobClaim.team_id, JobClaim.key).in_(keys), JobClaim.done_at.is_not(None)
        )
    )
    return {(team_id, key) for team_id, key in rows}


def first_due(s: Session, *, by: date) -> dict[tuple[str, str], date]:
    """The earliest follow-up day on or before `by` of each owner who has one, by
    (team_id, owner_id)."""
    found: dict[tuple[str, str], date] = {}
    for day_column, query in (
        (Call.follow_up_on, _calls(by=by)),
        (RecoveryPlan.follow_up_on, _plans(by=by)),
    ):
        grouped = (
            query.with_only_columns(Account.team_id, Account.owner_id, func.min(day_column))
            .order_by(None)
            .group_by(Account.team_id, Account.owner_id)
        )
        for team_id, owner_id, first in s.execute(grouped):
            key = (team_id, owner_id)
            found[key] = min(first, found.get(key, first))
    return found


def due_calls(
    s: Session, *, team_id: str, owner_id: str, by: date, limit: int
) -> tuple[list[Call], int]:
    """`owner_id`'s call follow-ups due on or before `by`, soonest first (at most `limit`,
    with their accounts), and how many there are in all."""
    query = _calls(by=by, team_id=team_id, owner_id=owner_id)
    total = s.scalar(query.with_only_columns(func.count()).order_by(None))
    calls = s.scalars(query.options(joinedload(Call.account)).limit(limit))
    return list(calls), total or 0


def due_plans(
    s: Session, *, team_id: str, owner_id: str, by: date, limit: int
) -> tuple[list[RecoveryPlan], int]:
    """`owner_id`'s recovery-plan follow-ups due on or before `by`, soonest first (at most
    `limit`, with their accounts), and how many there are in all."""
    query = _plans(by=by, team_id=team_id, owner_id=owner_id)
    total = s.scalar(query.with_only_columns(func.count()).order_by(None))
    plans = s.scalars(query.options(joinedload(RecoveryPlan.account)).limit(limit))
    return list(plans), total or 0


def stale_owners(s: Session, *, before: datetime) -> set[tuple[str, str]]:
    """(team_id, owner_id) of each owner with an active account not called since `before`
    (never called: added before it)."""
    return {
        (team_id, owner_id)
        for team_id, owner_id in s.execute(
            select(Account.team_id, Account.owner_id).distinct().where(_stale(before))
        )
    }


def stale_accounts(s: Session, *, team_id: str, owner_id: str, before: datetime) -> list[Row]:
    """`owner_id`'s active accounts not called since `before`, longest silent first: id,
    name, and last_call_at (None if never called) and created_at."""
    last = last_call_at(team_id=team_id).label("last_call_at")
    return list(
        s.execute(
            select(Account.id, Account.name, last, Account.created_at)
            .where(Account.team_id == team_id, Account.owner_id == owner_id, _stale(before))
            .order_by(func.coalesce(last, Account.created_at), Account.name_key)
        )
    )


def call(s: Session, *, team_id: str, call_id: int, lock: bool = False) -> Call | None:
    """The call, with its account; `lock` holds its row until the transaction ends."""
    query = (
        select(Call)
        .options(joinedload(Call.account))
        .where(Call.team_id == team_id, Call.id == call_id)
    )
    return s.scalar(query.with_for_update(of=Call) if lock else query)


def _calls(*, by: date, team_id: str | None = None, owner_id: str | None = None):
    later = aliased(Call)
    superseded = exists().where(
        later.account_id == Call.account_id,
        or_(
            later.occurred_at > Call.occurred_at,
            and_(later.occurred_at == Call.occurred_at, later.id > Call.id),
        ),
    )
    query = (
        select(Call)
        .join(Account, Account.id == Call.account_id)
        .where(
            Call.follow_up_on <= by,
            Call.follow_up_done_at.is_(None),
            Account.archived_at.is_(None),
            ~superseded,
        )
        .order_by(Call.follow_up_on, Call.occurred_at, Call.id)
    )
    return _of(query, Call.team_id, team_id, owner_id)


def _plans(*, by: date, team_id: str | None = None, owner_id: str | None = None):
    query = (
        select(RecoveryPlan)
        .join(Account, Account.id == RecoveryPlan.account_id)
        .where(
            RecoveryPlan.follow_up_on <= by,
            RecoveryPlan.follow_up_done_at.is_(None),
            RecoveryPlan.status.in_(OPEN_PLAN_STATUSES),
            Account.archived_at.is_(None),
        )
        .order_by(RecoveryPlan.follow_up_on, RecoveryPlan.id)
    )
    return _of(query, RecoveryPlan.team_id, team_id, owner_id)


def _of(query, team_column, team_id: str | None, owner_id: str | None):
    if team_id is not None:
        query = query.where(team_column == team_id, Account.owner_id == owner_id)
    return query


def _stale(before: datetime):
    """Active, with no call after `before`, and its last call (else its creation) before it:
    as the digests count stale accounts."""
    calls = select(Call.id).where(Call.team_id == Account.team_id, Call.account_id == Account.id)
    called_since = calls.where(Call.occurred_at > before).exists()
    return (
        Account.archived_at.is_(None)
        & ~called_since
        & or_(Account.created_at <= before, calls.exists())
    )
