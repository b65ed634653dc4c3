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
class Report:
    title: str
    request: Request
    accounts: Sheet
    calls: Sheet
    grades: Sheet


@dataclass(frozen=True)
class Sent:
    title: str
    filename: str
    channel_id: str
    accounts: int
