"""Queries for recovery plans: keyword-only functions that take a session and never commit."""

from datetime import date, datetime

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session, joinedload

from storage.models import Account, Call, Grade, RecoveryPlan, UserProfile


def plan(s: Session, *, team_id: str, plan_id: int, lock: bool = False) -> RecoveryPlan | None:
    """The plan, with its account and grade loaded (the alert shows them after the
    transaction). `lock` holds the plan's row until the transaction ends (PostgreSQL;
    SQLite's writers are serialised by BEGIN IMMEDIATE already)."""
    query = (
        select(RecoveryPlan)
        .options(
            joinedload(RecoveryPlan.account),
            joinedload(RecoveryPlan.grade).joinedload(Grade.account),
        )
        .where(RecoveryPlan.team_id == team_id, RecoveryPlan.id == plan_id)
    )
    if lock:
        query = query.with_for_update(of=RecoveryPlan)
    return s.scalar(query)


def planned_due_by(s: Session, *, day: date) -> list[tuple[int, date, str | None]]:
    """Planned follow-ups dated `day` or earlier, in every workspace:
    (plan id, follow-up date, the owner's cached timezone or None)."""
    rows = s.execute(
        select(RecoveryPlan.id, RecoveryPlan.follow_up_on, UserProfile.tz)
        .join(
            Account,
            and_(Account.team_id == RecoveryPlan.team_id, Account.id == RecoveryPlan.account_id),
        )
        .outerjoin(
            UserProfile,
            and_(
                UserProfile.team_id == RecoveryPlan.team_id,
                UserProfile.user_id == Account.owner_id,
            ),
        )
        .where(RecoveryPlan.status == "planned", RecoveryPlan.follow_up_on <= day)
    )
    return [tuple(row) for row in rows]


def mark_overdue(s: Session, *, plan_ids: list[int], now: datetime) -> int:
    """Make these plans overdue if they are still planned and no call was logged for
    their account since they were created; how many changed.

    One conditional UPDATE: when replicas run it at once, PostgreSQL re-checks the
    condition on a row another transaction changed, so each plan is counted once.
    """
    if not plan_ids:
        return 0
    called_since = exists().where(
        Call.team_id == RecoveryPlan.team_id,
        Call.account_id == RecoveryPlan.account_id,
        Call.occurred_at >= RecoveryPlan.created_at,
    )
    result = s.execute(
        update(RecoveryPlan)
        .where(
            RecoveryPlan.id.in_(plan_ids),
            RecoveryPlan.status == "planned",
            ~called_since,
        )
        .values(status="overdue", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
