"""A report as asked for, as built, and as sent."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.reports.files import Sheet


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included
    label: str  # "Q3 2026", "1 Oct 2026 to 15 Nov 2026", in the language of the request
    slug: str  # for file names: "2026-Q3", "2026-10-01-to-2026-11-15"

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[since, until) in UTC: from the first day's midnight to the one after the last, in `tz`."""
        zone = ZoneInfo(tz)
        since = datetime.combine(self.first, time(), zone)
        until = datetime.combine(self.last + timedelta(days=1), time(), zone)
        return since.astimezone(timezone.utc), until.astimezone(timezone.utc)


@dataclass(frozen=True)
class Request:
    period: Period
    owner_id: str | None  # None: all accounts


@dataclass(frozen=True)
class Totals:
    """The headline figures of a set of accounts (all in scope, or one owner's) over the
    period; ARR as of the period's end."""

    accounts: int
    arr: int
    arr_at_risk: int  # of the accounts at risk (latest grade below B) at the period's end
    renewals_due: int  # accounts renewing within the period
    renewals_arr: int
    calls: int
    grades: int
    average_points: float | None  # the mean of the period's grades; None without grades


@dataclass(frozen=True)
class Charts:
    """What the workbook's charts and the summary picture draw; labels in the reader's
    language, points on the grade scale (bot/grades/scale.py POINTS)."""

    # The eight quarters ending with the period's last one: (label, total ARR at its end).
    arr_by_quarter: list[tuple[str, int]]
    # The four quarters starting with the period's last one: (label, ARR renewing in it,
    # ARR of the new accounts signed in it, i.e. whose ARR first took effect in it).
    renewals_by_quarter: list[tuple[str, int, int]]
    # Each grade of the scale, best first: (grade, how many were given in the period).
    grade_distribution: list[tuple[str, int]]
    # The twelve months ending with the period's last one: (label, mean points or None).
    average_by_month: list[tuple[str, float | None]]


@dataclass(frozen=True)
class Report:
    """A report as built: its sheets in the workbook's order (Summary, Accounts,
    Renewals, Forecast, Calls, Grades), `accounts` being the one `/account export` writes.
    Rows of the long sheets may be read lazily: use a report inside the block that
    gathered it (bot/reports/account_report.py)."""

    title: str
    request: Request
    totals: Totals
    owners: list[tuple[str, Totals]]  # per owner, by name
    sheets: list[Sheet]
    accounts: Sheet
    charts: Charts


@dataclass(frozen=True)
class Sent:
    title: str
    filename: str
    channel_id: str
    accounts: int
