"""ARR over time: an account's ARR on a day, and its growth over a period, from the
history every change of ARR keeps (storage/queries/arr.py)."""

from dataclasses import dataclass
from datetime import date

from bot.runtime.context import Rapport
from storage.queries import arr as arr_queries


@dataclass(frozen=True)
class Growth:
    """An account's ARR at the start and end of a period, and the growth in percent
    (None when the ARR at the start is unknown, not set or zero)."""

    start: int | None
    end: int | None
    pct: float | None


def growth_pct(start: int | None, end: int | None) -> float | None:
    if not start or end is None:
        return None
    return (end - start) * 100 / start


def on(rapport: Rapport, *, team_id: str, day: date) -> dict[int, int | None]:
    """Each account's ARR effective on `day`, by account id."""
    with rapport.reads.begin() as s:
        return arr_queries.on(s, team_id=team_id, day=day)


def growth(rapport: Rapport, *, team_id: str, start: date, end: date) -> dict[int, Growth]:
    """Each account's growth from `start` to `end` (both days included), by account id."""
    with rapport.reads.begin() as s:
        pairs = arr_queries.between(s, team_id=team_id, start=start, end=end)
    return {
        account_id: Growth(first, last, growth_pct(first, last))
        for account_id, (first, last) in pairs.items()
    }
