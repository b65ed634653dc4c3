"""What a report computes from what it read: ARR on any day from the ARR history, growth
against a pro-rated target, forecasts, totals, and the quarters and months of its charts."""

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.reports.periods import month, quarter
from bot.reports.values import Period, Totals

DAYS_A_YEAR = 365


class ArrHistory:
    """The ARR history of some accounts, from rows (account_id, effective_on, arr) in the
    order storage/queries/reports.py arr_history reads them; the value on a day is the
    latest on or before it (ties: the latest recorded), as storage/queries/arr.py has it."""

    def __init__(self, rows: Iterable[tuple]):
        self._days: dict[int, list[date]] = {}
        self._values: dict[int, list[int | None]] = {}
        for account_id, effective_on, arr in rows:
            self._days.setdefault(account_id, []).append(effective_on)
            self._values.setdefault(account_id, []).append(arr)

    def on(self, account_id: int, day: date) -> int | None:
        """The account's ARR on `day`; None when unknown or not set then."""
        days = self._days.get(account_id, [])
        index = bisect.bisect_right(days, day)
        return self._values[account_id][index - 1] if index else None

    def first(self, account_id: int) -> tuple[date, int] | None:
        """The day the account first had an ARR, and that ARR (the ARR it was signed at)."""
        for day, arr in zip(
            self._days.get(account_id, []), self._values.get(account_id, []), strict=True
        ):
            if arr is not None:
                return day, arr
        return None


def growth_pct(start: int | None, end: int | None) -> float | None:
    """Growth from `start` to `end` in percent; None when `start` is unknown, not set or
    zero, or `end` unknown."""
    if not start or end is None:
        return None
    return (end - start) * 100 / start


def target_for(annual_pct: float | None, period: Period) -> float | None:
    """An annual growth target pro-rated linearly to the period's days."""
    if annual_pct is None:
        return None
    return annual_pct * ((period.last - period.first).days + 1) / DAYS_A_YEAR


def on_track(growth: float | None, target: float | None) -> bool | None:
    """Whether growth reached the target; None when either is unknown."""
    if growth is None or target is None:
        return None
    return growth >= target


def next_year(arr: int | None, pct: float | None) -> int | None:
    """`arr` a year on at `pct` a year (kept flat without a rate)."""
    if arr is None:
        return None
    return round(arr * (1 + (pct or 0) / 100))


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def growth_over_year(history: ArrHistory, account_id: int, day: date) -> float | None:
    """The account's growth over the twelve months to `day`, in percent."""
    return growth_pct(history.on(account_id, year_before(day)), history.on(account_id, day))


@dataclass(frozen=True)
class AccountFigures:
    """What the totals add up for one account."""

    owner_id: str
    arr: int | None  # at the period's end
    at_risk: bool
    renewal_due: bool  # renewing within the period
    calls: int


def totals(accounts: list[AccountFigures], grades: list[tuple[int, float]]) -> Totals:
    """The totals of `accounts` and of their period's `grades` ((how many, points summed)
    of each letter)."""
    count = sum(n for n, _points in grades)
    return Totals(
        accounts=len(accounts),
        arr=sum(a.arr or 0 for a in accounts),
        arr_at_risk=sum(a.arr or 0 for a in accounts if a.at_risk),
        renewals_due=sum(a.renewal_due for a in accounts),
        renewals_arr=sum(a.arr or 0 for a in accounts if a.renewal_due),
        calls=sum(a.calls for a in accounts),
        grades=count,
        average_points=sum(points for _n, points in grades) / count if count else None,
    )


def quarters_to(day: date, count: int) -> list[Period]:
    """The `count` quarters ending with the one containing `day`, oldest first."""
    return _ending_with(quarter, day, count)


def quarters_from(day: date, count: int) -> list[Period]:
    """The `count` quarters starting with the one containing `day`."""
    found = [quarter(day)]
    while len(found) < count:
        found.append(quarter(found[-1].last + timedelta(days=1)))
    return found


def months_to(day: date, count: int) -> list[Period]:
    """The `count` months (of the reader's calendar, labelled short) ending with the one
    containing `day`, oldest first."""
    return _ending_with(lambda on: month(on, short=True), day, count)


def _ending_with(period_of: Callable[[date], Period], day: date, count: int) -> list[Period]:
    found = [period_of(day)]
    while len(found) < count:
        found.insert(0, period_of(found[0].first - timedelta(days=1)))
    return found
