"""What the follow-up DM shows: values, built by bot/followups/due.py, read by messages.py."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# Snooze moves a follow-up this many calendar days after today.
SNOOZE_DAYS = 3


class Kind(StrEnum):
    """Whose follow-up: a logged call's, or a recovery plan's."""

    CALL = "call"
    PLAN = "plan"


@dataclass(frozen=True)
class Due:
    """One follow-up as the DM shows it."""

    kind: Kind
    id: int
    account_id: int
    account: str
    on: date
    next_step: str | None = None  # a call's (None if someone else's private note)
    target: str | None = None  # a plan's target grade
    done: bool = False


@dataclass(frozen=True)
class Stale:
    account: str
    last_call_at: datetime | None  # None: never called
    since: datetime  # the last call, else when the account was added


@dataclass(frozen=True)
class Reminder:
    """What one owner is told on `day`: the due follow-ups shown and how many more there
    are; on Mondays, the stale accounts shown (None on other days) and how many more."""

    owner_id: str
    day: date
    tz: str
    due: tuple[Due, ...]
    more: int
    stale: tuple[Stale, ...] | None
    stale_more: int

    @property
    def empty(self) -> bool:
        return not self.due and not self.stale
