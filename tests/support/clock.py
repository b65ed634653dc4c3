"""A clock the tests move by hand, starting at START; nothing waits for real time."""

from datetime import datetime, timedelta, timezone

# Monday 23 November 2026, 12:00 in New York.
START = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, now: datetime = START):
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        """Move to `moment` (any timezone; kept in UTC, as the system clock gives it)."""
        self.current = moment.astimezone(timezone.utc)
