"""What a digest says: the facts about a subscription's accounts, gathered in a fixed
number of statements and kept as small frozen values (bot/digests/values.py).

Private call notes never get here: the queries do not select their text.
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.orm import Session

from bot.digests.values import (
    AtRisk,
    CallLogged,
    Digest,
    FollowUp,
    NewGrade,
    Pending,
    Renewal,
    Stale,
)
from bot.grades import scale
from bot.mrkdwn import first_line, showable
from bot.recovery.plans import latest_by_account
from storage.models import DigestSubscription
from storage.queries import accounts as account_queries
from storage.queries import calls as call_queries
from storage.queries import digests as digest_queries
from storage.queries import grades as grade_queries
from storage.queries import recovery as plan_queries

RENEWAL_DAYS = 90


class _Account(NamedTuple):
    """A row of storage.queries.accounts.facts (a tuple: 10,000 of them read fast)."""

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
    stale_days: int,
) -> Digest:
    """The digest of the subscription's accounts: what happened in [since, now), and
    what needs attention today (the subscription's local date); accounts without a call
    for `stale_days` are stale. Five statements, whatever the number of accounts."""
    today = now.astimezone(ZoneInfo(subscription.tz)).date()
    scope = {"team_id": subscription.team_id, "scope": digest_queries.scope(subscription)}
    accounts = [_Account(*row) for row in account_queries.facts(s, **scope)]
    calls = call_queries.logged_between(s, **scope, since=since, until=now)
    grades = grade_queries.given_between(s, **scope, since=since, until=now)
    plans = plan_queries.open_plans(s, **scope)
    pending = grade_queries.pending(s, **scope)

    # The sections name accounts by id, and skip ids the facts did not return: under
    # READ COMMITTED, rows of an account committed between the statements.
    by_id = {a.id: a for a in accounts}
    plans = [plan for plan in plans if plan.account_id in by_id]
    return Digest(
        today=today,
        stale_days=stale_days,
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
            NewGrade(
                by_id[g.account_id].name,
                g.grade,
                g.previous,
                g.grader_id,
                g.graded_at,
                contact_name=g.contact_name,
            )
            for g in grades
            if g.account_id in by_id
        ),
        at_risk=_at_risk(accounts, plans),
        follow_ups=_follow_ups(accounts, plans, by_id, today),
        stale=_stale(accounts, now, stale_days),
        renewals=_renewals(accounts, today),
        pending=tuple(
            Pending(
                by_id[r.account_id].name,
                r.grader_id,
                r.asked_by,
                r.asked_at,
                days=_days_since(r.asked_at, now),
                contact_name=r.contact_name,
            )
            for r in pending
            if r.account_id in by_id
        ),
    )


def _at_risk(accounts: list[_Account], plans: list[Row]) -> tuple[AtRisk, ...]:
    """Accounts whose latest grade is below B, worst first, with their latest open plan."""
    latest_plan = latest_by_account(plans)
    at_risk = []
    for a in accounts:
        if a.grade is not None and scale.at_risk(a.grade):
            plan = latest_plan.get(a.id)
            facts = (plan.target, plan.follow_up_on, plan.status) if plan else (None,) * 3
            at_risk.append(AtRisk(a.name, a.owner_id, a.grade, *facts))
    return tuple(sorted(at_risk, key=lambda r: scale.POINTS[r.grade]))


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
        if p.follow_up_on <= today and p.follow_up_done_at is None
    ]
    return tuple(sorted(after_calls + recovery_calls, key=lambda f: f.due_on))


def _stale(accounts: list[_Account], now: datetime, stale_days: int) -> tuple[Stale, ...]:
    """No call for `stale_days` (never called: since the account was added), longest first."""
    before = now - timedelta(days=stale_days)
    stale = []
    for a in accounts:
        last = a.last_call_at or a.created_at
        if last <= before:
            stale.append(Stale(a.name, a.owner_id, a.last_call_at, last, _days_since(last, now)))
    return tuple(sorted(stale, key=lambda x: x.since))


def _days_since(moment: datetime, now: datetime) -> int | None:
    """Whole days from `moment` to `now`; None for a moment out of range (old data)."""
    return (now - moment).days if showable(moment) else None


def _renewals(accounts: list[_Account], today: date) -> tuple[Renewal, ...]:
    """Renewals from today to RENEWAL_DAYS ahead, soonest first."""
    renewals = []
    for a in accounts:
        days = (a.renewal_on - today).days if a.renewal_on else -1
        if 0 <= days <= RENEWAL_DAYS:
            renewals.append(Renewal(a.name, a.owner_id, a.renewal_on, days, a.arr))
    return tuple(sorted(renewals, key=lambda r: r.renewal_on))
