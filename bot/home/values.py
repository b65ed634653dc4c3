"""What the Home tab shows: the viewer's accounts, at risk (worst first) then the rest."""

from dataclasses import dataclass
from datetime import date, datetime

from bot.grades import scale


@dataclass(frozen=True)
class HomeAccount:
    """One of the viewer's accounts, as its row on the Home tab shows it."""

    id: int
    name: str
    grade: str | None  # the latest; None until the account is graded
    previous: str | None  # the grade before it
    target: str | None  # the recovery target when the latest grade is at risk
    last_call_at: datetime | None
    follow_up_on: date | None  # the open recovery plan's, else the latest call's if not past
    overdue_on: date | None  # a follow-up day that has passed (the plan's, else the call's)
    renewal_on: date | None
    arr: int | None

    @property
    def at_risk(self) -> bool:
        return self.grade is not None and scale.at_risk(self.grade)

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "flat" since the previous grade; None until there are two."""
        return scale.trend(self.grade, self.previous) if self.previous else None


@dataclass(frozen=True)
class Home:
    """What the viewer's Home tab shows: their active accounts, at risk (worst first)
    then the rest by name."""

    user_id: str
    tz: str
    today: date  # in the viewer's timezone
    accounts: tuple[HomeAccount, ...]

    @property
    def needs_attention(self) -> tuple[HomeAccount, ...]:
        """At-risk accounts, worst first; then the others with an overdue follow-up,
        longest overdue first."""
        overdue = sorted(
            (a for a in self.accounts if a.overdue_on and not a.at_risk),
            key=lambda a: (a.overdue_on, a.name.casefold()),
        )
        return tuple(a for a in self.accounts if a.at_risk) + tuple(overdue)
