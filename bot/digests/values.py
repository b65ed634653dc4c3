"""What a digest says, as small frozen values: one per item of each section."""

from dataclasses import dataclass
from datetime import date, datetime


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
    grader_id: str | None  # None: a contact outside Slack, by link
    graded_at: datetime
    contact_name: str | None = None


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
    days: int | None  # since then; None when `since` is out of range (bot.mrkdwn.showable)


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
    grader_id: str | None  # None: a contact outside Slack, by link
    asked_by: str
    asked_at: datetime
    days: int | None  # since it was asked; None when `asked_at` is out of range
    contact_name: str | None = None


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
