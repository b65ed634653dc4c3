"""Grade requests, the grades that answer them, and the cadences that send requests."""

from datetime import datetime

from sqlalchemy import ColumnElement, Row, and_, delete, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from storage.models import Account, Contact, Grade, GradeCadence, GradeRequest, RequestStatus
from storage.queries.accounts import of_scope

# -- requests


def request(s: Session, *, team_id: str, request_id: int) -> GradeRequest | None:
    """The request, with its account and contact loaded."""
    return s.scalar(
        select(GradeRequest)
        .options(joinedload(GradeRequest.account), joinedload(GradeRequest.contact))
        .where(GradeRequest.team_id == team_id, GradeRequest.id == request_id)
    )


def by_token_hash(s: Session, *, token_hash: str) -> GradeRequest | None:
    """The request whose link (first or reminder) has this token hash, in any workspace
    (a link is all its reader has), with its account and contact loaded."""
    return s.scalar(
        select(GradeRequest)
        .options(joinedload(GradeRequest.account), joinedload(GradeRequest.contact))
        .where(
            or_(
                GradeRequest.token_hash == token_hash,
                GradeRequest.reminder_token_hash == token_hash,
            )
        )
    )


def delete_request(s: Session, *, team_id: str, request_id: int) -> None:
    s.execute(
        delete(GradeRequest).where(GradeRequest.team_id == team_id, GradeRequest.id == request_id)
    )


def open_requests_sent(s: Session, *, team_id: str, asked_by: str) -> list[GradeRequest]:
    """The unanswered requests `asked_by` sent, oldest first, with their accounts loaded."""
    return list(
        s.scalars(
            select(GradeRequest)
            .options(joinedload(GradeRequest.account), joinedload(GradeRequest.contact))
            .where(
                GradeRequest.team_id == team_id,
                GradeRequest.asked_by == asked_by,
                GradeRequest.status == RequestStatus.OPEN,
            )
            .order_by(GradeRequest.asked_at, GradeRequest.id)
        )
    )


def close_request(
    s: Session,
    *,
    team_id: str,
    request_id: int,
    status: RequestStatus,
    now: datetime,
    grader_id: str | None = None,
) -> bool:
    """Close the request (answered or expired) if it is still open (and, when given, was
    asked of `grader_id`); True if this call closed it. One conditional UPDATE, so of two
    callers at once only one wins: a grade is recorded once."""
    conditions = [
        GradeRequest.team_id == team_id,
        GradeRequest.id == request_id,
        GradeRequest.status == RequestStatus.OPEN,
    ]
    if grader_id is not None:
        conditions.append(GradeRequest.grader_id == grader_id)
    won = s.scalar(
        update(GradeRequest)
        .where(*conditions)
        .values(status=status, closed_at=now)
        .returning(GradeRequest.id)
    )
    return won is not None


def unreminded_requests(
    s: Session, *, asked_after: datetime, asked_before: datetime
) -> list[GradeRequest]:
    """Open requests in every workspace, prompted in (asked_after, asked_before] and not
    reminded yet."""
    return list(
        s.scalars(
            _prompted_open().where(
                GradeRequest.reminded_at.is_(None),
                GradeRequest.asked_at <= asked_before,
                GradeRequest.asked_at > asked_after,
            )
        )
    )


def requests_asked_before(s: Session, *, before: datetime) -> list[GradeRequest]:
    """Open requests in every workspace, prompted at `before` or earlier."""
    return list(s.scalars(_prompted_open().where(GradeRequest.asked_at <= before)))


def unreminded_links(
    s: Session, *, asked_after: datetime, asked_before: datetime
) -> list[GradeRequest]:
    """Open requests by link in every workspace, asked in (asked_after, asked_before] and
    not reminded yet, with their account and contact."""
    return list(
        s.scalars(
            _open_links().where(
                GradeRequest.reminded_at.is_(None),
                GradeRequest.asked_at <= asked_before,
                GradeRequest.asked_at > asked_after,
            )
        )
    )


def links_asked_before(s: Session, *, before: datetime) -> list[GradeRequest]:
    """Open requests by link in every workspace, asked at `before` or earlier."""
    return list(s.scalars(_open_links().where(GradeRequest.asked_at <= before)))


def _open_links():
    return (
        select(GradeRequest)
        .options(joinedload(GradeRequest.account), joinedload(GradeRequest.contact))
        .where(GradeRequest.status == RequestStatus.OPEN, GradeRequest.token_hash.is_not(None))
    )


def _prompted_open():
    """Open requests whose prompt was posted, with their account (named in messages)."""
    return (
        select(GradeRequest)
        .options(joinedload(GradeRequest.account))
        .where(GradeRequest.status == RequestStatus.OPEN, GradeRequest.message_ts.is_not(None))
    )


def pending(s: Session, *, team_id: str, scope: ColumnElement[bool]) -> list[Row]:
    """Grade requests still open on accounts in `scope`, oldest first."""
    return list(
        s.execute(
            select(
                GradeRequest.id,
                GradeRequest.account_id,
                GradeRequest.grader_id,
                GradeRequest.asked_by,
                GradeRequest.asked_at,
                Contact.name.label("contact_name"),
            )
            .outerjoin(Contact, Contact.id == GradeRequest.contact_id)
            .where(
                GradeRequest.team_id == team_id,
                GradeRequest.status == RequestStatus.OPEN,
                of_scope(GradeRequest.account_id, team_id=team_id, scope=scope),
            )
            .order_by(GradeRequest.asked_at, GradeRequest.id)
        )
    )


# -- grades


def account_grades(s: Session, *, team_id: str, account_id: int) -> list[Grade]:
    """Every grade of the account, newest first."""
    return list(
        s.scalars(
            select(Grade)
            .options(joinedload(Grade.contact))
            .where(Grade.team_id == team_id, Grade.account_id == account_id)
            .order_by(Grade.graded_at.desc(), Grade.id.desc())
        )
    )


def given_between(
    s: Session, *, team_id: str, scope: ColumnElement[bool], since: datetime, until: datetime
) -> list[Row]:
    """Grades given in [since, until) on accounts in `scope`, oldest first, each with the
    account's grade before it (`previous`, None for a first grade)."""
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
                Contact.name.label("contact_name"),
            )
            .outerjoin(Contact, Contact.id == Grade.contact_id)
            .where(
                Grade.team_id == team_id,
                Grade.graded_at >= since,
                Grade.graded_at < until,
                of_scope(Grade.account_id, team_id=team_id, scope=scope),
            )
            .order_by(Grade.graded_at, Grade.id)
        )
    )


def previous_grades(s: Session, *, team_id: str, scope: ColumnElement[bool]) -> dict[int, str]:
    """The grade before the latest of each account in `scope` that has two or more, by
    account id (accounts.facts has the latest); one correlated subquery per account,
    answered by the (account_id, graded_at) index."""
    previous = (
        select(Grade.grade)
        .where(Grade.team_id == team_id, Grade.account_id == Account.id)
        .order_by(Grade.graded_at.desc(), Grade.id.desc())
        .offset(1)
        .limit(1)
        .scalar_subquery()
    )
    rows = s.execute(
        select(Account.id, previous.label("previous")).where(Account.team_id == team_id, scope)
    )
    return {account_id: grade for account_id, grade in rows if grade is not None}


# -- cadences


def running_cadence(
    s: Session, *, team_id: str, account_id: int, grader_id: str
) -> GradeCadence | None:
    """The cadence asking `grader_id` about the account, if one is running."""
    return s.scalar(
        select(GradeCadence).where(
            GradeCadence.team_id == team_id,
            GradeCadence.account_id == account_id,
            GradeCadence.grader_id == grader_id,
            GradeCadence.stopped_at.is_(None),
        )
    )


def delete_cadence(s: Session, *, team_id: str, cadence_id: int) -> None:
    s.execute(
        delete(GradeCadence).where(GradeCadence.team_id == team_id, GradeCadence.id == cadence_id)
    )


def running_cadences(s: Session, *, team_id: str) -> list[GradeCadence]:
    """The workspace's running cadences, soonest due first, with their accounts."""
    return list(
        s.scalars(
            select(GradeCadence)
            .options(joinedload(GradeCadence.account))
            .where(GradeCadence.team_id == team_id, GradeCadence.stopped_at.is_(None))
            .order_by(GradeCadence.next_due_at)
        )
    )


def due_cadences(s: Session, *, now: datetime) -> list[GradeCadence]:
    """Running cadences in every workspace whose next request is due by `now`."""
    return list(
        s.scalars(
            select(GradeCadence).where(
                GradeCadence.stopped_at.is_(None), GradeCadence.next_due_at <= now
            )
        )
    )


def stop_cadences(s: Session, *, team_id: str, account_id: int, now: datetime) -> int:
    """Stop the account's running cadences; how many there were."""
    stopped = s.scalars(
        update(GradeCadence)
        .where(
            GradeCadence.team_id == team_id,
            GradeCadence.account_id == account_id,
            GradeCadence.stopped_at.is_(None),
        )
        .values(stopped_at=now)
        .returning(GradeCadence.id)
    ).all()
    return len(stopped)
