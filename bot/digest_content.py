"""What a digest says: the facts about a subscription's accounts, gathered in a fixed
number of statements (storage/digest_queries.py) and kept as small frozen values.

Private call notes never get here: the queries do not select their text.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session

from bot import grading
from bot.mrkdwn import first_line
from bot.recovery import OPEN_STATUSES
from bot.settings import Settings
from storage import digest_queries
from storage.models import Account, DigestSubscription, DigestSubscriptionAccount

RENEWAL_DAYS = 90


@dataclass(frozen=True)
class CallLogged:
    account: str
    logged_by: str
    occurred_at: datetime
    note: str | None  # the first line of the notes; None when the call is private


@dataclass(frozen=True)
class NewGrade:
    account: str
    grade: str
    previous: str | None  # None for the account's first grade
    grader_id: str
    graded_at: datetime


@dataclass(frozen=True)
class AtRisk:
    account: str
    owner_id: str
    grade: str  # the latest
    target: str | None  # the open recovery plan's, if there is one
    follow_up_on: date | None
    plan_status: str | None


@dataclass(frozen=True)
class FollowUp:
    account: str
    owner_id: str
    due_on: date
    overdue: bool
    target: str | None  # a recovery plan's follow-up
    called_at: datetime | None  # a call's follow-up: when that call was
    next_step: str | None  # the call's next step, first line; never a private call's


@dataclass(frozen=True)
class Stale:
    account: str
    owner_id: str
    last_call_at: datetime | None  # None: never called
    since: datetime  # the last call, or when the account was added
    days: int


@dataclass(frozen=True)
class Renewal:
    account: str
    owner_id: str
    renewal_on: date
    days: int
    arr: int | None


@dataclass(frozen=True)
class Pending:
    account: str
    grader_id: str
    asked_by: str
    asked_at: datetime
    days: int


@dataclass(frozen=True)
class Digest:
    today: date  # in the subscription's timezone
    stale_days: int
    calls: tuple[CallLogged, ...] = ()
    grades: tuple[NewGrade, ...] = ()
    at_risk: tuple[AtRisk, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    stale: tuple[Stale, ...] = ()
    renewals: tuple[Renewal, ...] = ()
    pending: tuple[Pending, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """How many of each, by section name."""
        return {name: len(getattr(self, name)) for name in SECTIONS}

    @property
    def quiet(self) -> bool:
        """Nothing to report."""
        return not any(self.counts.values())


SECTIONS = ("calls", "grades", "at_risk", "follow_ups", "stale", "renewals", "pending")


def accounts_clause(subscription: DigestSubscription) -> ColumnElement[bool]:
    """The subscription's accounts, as a condition on Account: its workspace's active
    accounts, all of them, one owner's ("mine", "owner") or the named ones ("accounts")."""
    clause = (Account.team_id == subscription.team_id) & Account.archived_at.is_(None)
    if subscription.scope == "all":
        return clause
    if subscription.scope in ("mine", "owner"):
        return clause & (Account.owner_id == subscription.scope_owner_id)
    if subscription.scope == "accounts":
        named = select(DigestSubscriptionAccount.account_id).where(
            DigestSubscriptionAccount.team_id == subscription.team_id,
            DigestSubscriptionAccount.subscription_id == subscription.id,
        )
        return clause & Account.id.in_(named)
    raise ValueError(f"unknown digest scope {subscription.scope!r}")


class _Account(NamedTuple):
    """A row of digest_queries.account_facts (a tuple: 10,000 of them read fast)."""

    id: int
    name: str
    owner_id: str
    created_at: datetime
    renewal_on: date | None
    arr: int | None
    last_call_at: datetime | None
    follow_up_on: date | None
    next_step: str | None
    grade: str | None


def gather(
    s: Session,
    *,
    subscription: DigestSubscription,
    since: datetime,
    now: datetime,
    settings: Settings,
) -> Digest:
    """The digest of the subscription's accounts: what happened in [since, now), and
    what needs attention today (the subscription's local date). Five statements,
    whatever the number of accounts."""
    today = now.astimezone(ZoneInfo(subscription.tz)).date()
    scope = {"team_id": subscription.team_id, "accounts": accounts_clause(subscription)}
    accounts = [_Account(*row) for row in digest_queries.account_facts(s, **scope)]
    calls = digest_queries.calls_logged(s, **scope, since=since, until=now)
    grades = digest_queries.grades_given(s, **scope, since=since, until=now)
    plans = digest_queries.open_plans(s, **scope, statuses=OPEN_STATUSES)
    pending = digest_queries.pending_requests(s, **scope)

    # The sections name accounts by id, and skip ids account_facts did not return: under
    # READ COMMITTED, rows of an account committed between the statements.
    by_id = {a.id: a for a in accounts}
    plans = [plan for plan in plans if plan.account_id in by_id]
    return Digest(
        today=today,
        stale_days=settings.stale_days,
        calls=tuple(
            CallLogged(
                by_id[c.account_id].name,
                c.logged_by,
                c.occurred_at,
                note=None if c.private else first_line(c.notes),
            )
            for c in calls
            if c.account_id in by_id
        ),
        grades=tuple(
            NewGrade(by_id[g.account_id].name, g.grade, g.previous, g.grader_id, g.graded_at)
            for g in grades
            if g.account_id in by_id
        ),
        at_risk=_at_risk(accounts, plans),
        follow_ups=_follow_ups(accounts, plans, by_id, today),
        stale=_stale(accounts, now, settings.stale_days),
        renewals=_renewals(accounts, today),
        pending=tuple(
            Pending(
                by_id[r.account_id].name,
                r.grader_id,
                r.asked_by,
                r.asked_at,
                days=(now - r.asked_at).days,
            )
            for r in pending
            if r.account_id in by_id
        ),
    )


def _at_risk(accounts: list[_Account], plans: list[Row]) -> tuple[AtRisk, ...]:
    """Accounts whose latest grade is below B, worst first, with their latest open plan."""
    latest_plan = {plan.account_id: plan for plan in plans}  # oldest first: the latest wins
    at_risk = []
    for a in accounts:
        if a.grade is not None and grading.at_risk(a.grade):
            plan = latest_plan.get(a.id)
            facts = (plan.target, plan.follow_up_on, plan.status) if plan else (None,) * 3
            at_risk.append(AtRisk(a.name, a.owner_id, a.grade, *facts))
    return tuple(sorted(at_risk, key=lambda r: grading.POINTS[r.grade]))


def _follow_ups(
    accounts: list[_Account], plans: list[Row], by_id: dict[int, _Account], today: date
) -> tuple[FollowUp, ...]:
    """Due today or overdue, soonest first: the latest call's follow-up date (an earlier
    call's is superseded by the call after it), and open recovery plans' follow-up calls."""
    after_calls = [
        FollowUp(
            a.name,
            a.owner_id,
            a.follow_up_on,
            overdue=a.follow_up_on < today,
            target=None,
            called_at=a.last_call_at,
            next_step=first_line(a.next_step) if a.next_step else None,
        )
        for a in accounts
        if a.follow_up_on is not None and a.follow_up_on <= today
    ]
    recovery_calls = [
        FollowUp(
            by_id[p.account_id].name,
            by_id[p.account_id].owner_id,
            p.follow_up_on,
            overdue=p.follow_up_on < today,
            target=p.target,
            called_at=None,
            next_step=None,
        )
        for p in plans
        if p.follow_up_on <= today
    ]
    return tuple(sorted(after_calls + recovery_calls, key=lambda f: f.due_on))


def _stale(accounts: list[_Account], now: datetime, stale_days: int) -> tuple[Stale, ...]:
    """No call for `stale_days` (never called: since the account was added), longest first."""
    before = now - timedelta(days=stale_days)
    stale = []
    for a in accounts:
        last = a.last_call_at or a.created_at
        if last <= before:
            stale.append(Stale(a.name, a.owner_id, a.last_call_at, last, (now - last).days))
    return tuple(sorted(stale, key=lambda x: x.since))


def _renewals(accounts: list[_Account], today: date) -> tuple[Renewal, ...]:
    """Renewals from today to RENEWAL_DAYS ahead, soonest first."""
    renewals = []
    for a in accounts:
        days = (a.renewal_on - today).days if a.renewal_on else -1
        if 0 <= days <= RENEWAL_DAYS:
            renewals.append(Renewal(a.name, a.owner_id, a.renewal_on, days, a.arr))
    return tuple(sorted(renewals, key=lambda r: r.renewal_on))
