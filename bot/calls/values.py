"""Values that the calls feature's use cases return and its builders show."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bot.mrkdwn import in_range
from storage.models import Account, Call

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROSECOND = timedelta(microseconds=1)
ID_MAX = 2**31 - 1  # row ids are PostgreSQL integers


@dataclass(frozen=True)
class Cursor:
    """Where a page of `/account calls` starts: the account, the period's days (None: all
    its history) and, after the first page, the last call shown (older ones follow)."""

    account_id: int
    first: date | None = None
    last: date | None = None
    before: datetime | None = None  # the last call shown: its time...
    before_id: int | None = None  # ...and its id, for calls at the same time

    def after(self, call: Call) -> "Cursor":
        """The next page: the calls older than `call`."""
        return Cursor(self.account_id, self.first, self.last, call.occurred_at, call.id)

    def value(self) -> str:
        """The cursor as a button's value: `account:first:last:microseconds:call`."""
        since = "" if self.before is None else str((self.before - EPOCH) // MICROSECOND)
        parts = (self.account_id, self.first, self.last, since, self.before_id)
        return ":".join("" if part is None else str(part) for part in parts)

    @classmethod
    def read(cls, value: object) -> "Cursor":
        """The cursor a button carries back (`value()`); ValueError when it holds anything
        else: a forged or damaged value is refused, never half read."""
        if not isinstance(value, str) or not value.isascii() or len(value) > 100:
            raise ValueError("not a cursor")
        account, first, last, since, call = value.split(":")  # ValueError unless 5 parts
        days = [date.fromisoformat(day) if day else None for day in (first, last)]
        if (days[0] is None) != (days[1] is None) or (since == "") != (call == ""):
            raise ValueError("a period or a position half given")
        try:
            before = EPOCH + int(since) * MICROSECOND if since else None
        except OverflowError:
            raise ValueError("out of range") from None
        if any(day is not None and not in_range(day) for day in days):
            raise ValueError("out of range")
        return cls(_id(account), days[0], days[1], before, _id(call) if call else None)


@dataclass(frozen=True)
class CallPage:
    """A page of an account's calls, newest first; `more` when older ones follow."""

    account: Account
    calls: list[Call]
    cursor: Cursor
    more: bool
    period: str | None = None  # the period's label, e.g. "1 Sep 2026 to 29 Nov 2026"


@dataclass(frozen=True)
class Found:
    """What `/account search` found: calls with their accounts, best first, and accounts."""

    words: list[str]
    calls: list[tuple[Call, Account]]
    accounts: list[Account]


def _id(text: str) -> int:
    if not (text.isdigit() and 0 < int(text) <= ID_MAX):
        raise ValueError("not a row id")
    return int(text)
