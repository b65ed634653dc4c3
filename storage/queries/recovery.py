"""Recovery plans: what at-risk grades turned into."""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, and_, exists, select, update
from sqlalchemy.orm import Session, joinedload

from storage.models import (
    OPEN_PLAN_STATUSES,
    Account,
    Call,
    Grade,
    PlanStatus,
    RecoveryPlan,
    UserProfile,
)
from storage.queries.accounts import of_scope


def plan(s: Session, *, team_id: str, plan_id: int, lock: bool = False) -> RecoveryPlan | None:
    """The plan, with its account and grade loaded (the alert shows them after the
    transaction). `lock` holds the plan's row until the transaction ends (PostgreSQL;
    SQLite's writers are serialised by BEGIN IMMEDIATE already)."""
    query = (
        select(RecoveryPlan)
        .options(
            joinedload(RecoveryPlan.account),
            joinedload(RecoveryPlan.grade).joinedload(Grade.account),
            joinedload(RecoveryPlan.grade).joinedload(Grade.contact),
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
        .where(RecoveryPlan.status == PlanStatus.PLANNED, RecoveryPlan.follow_up_on <= day)
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
            RecoveryPlan.status == PlanStatus.PLANNED,
            ~called_since,
        )
        .values(status=PlanStatus.OVERDUE, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def meet(
    s: Session, *, team_id: str, account_id: int, targets: Iterable[str], now: datetime
) -> None:
    """The account's open plans whose target is one of `targets` are met."""
    s.execute(
        update(RecoveryPlan)
        .where(
            RecoveryPlan.team_id == team_id,
            RecoveryPlan.account_id == account_id,
            RecoveryPlan.status.in_(OPEN_PLAN_STATUSES),
            RecoveryPlan.target.in_(list(targets)),
        )
        .values(status=PlanStatus.MET, updated_at=now)
    )


def open_plans(s: Session, *, team_id: str, scope: ColumnElement[bool]) -> list[Row]:
    """Open recovery plans (storage.models.OPEN_PLAN_STATUSES) of the accounts in `scope`,
    oldest first."""
    return list(
        s.execute(
            select(
                RecoveryPlan.id,
                RecoveryPlan.account_id,
                RecoveryPlan.target,
                RecoveryPlan.follow_up_on,
                RecoveryPlan.status,
                RecoveryPlan.follow_up_done_at,
            )
            .where(
                RecoveryPlan.team_id == team_id,
                RecoveryPlan.status.in_(OPEN_PLAN_STATUSES),
                of_scope(RecoveryPlan.account_id, team_id=team_id, scope=scope),
            )
            .order_by(RecoveryPlan.created_at, RecoveryPlan.id)
        )
    )
