"""Issue 16's report periods (bot/reports/periods.py): `Q3`, `Q3 2026`, `this month`,
`last month`, `this year`, `YTD`, `last 12 months`, read in the caller's timezone and, for
months and years, in their calendar: at year ends, across a DST change and at Nowruz."""

from datetime import date, datetime, timezone

import pytest

from bot import i18n
from bot.errors import UserError
from bot.reports import periods
from support.workspace import NEW_YORK

TEHRAN = "Asia/Tehran"


def span(text: str, now: datetime, tz: str = NEW_YORK) -> tuple[date, date, str, str]:
    found = periods.period(text, tz=tz, now=now)
    return found.first, found.last, found.label, found.slug


NOV_30 = datetime(2026, 11, 30, 15, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q3", (date(2026, 7, 1), date(2026, 9, 30), "Q3 2026", "2026-Q3")),
        ("q4", (date(2026, 10, 1), date(2026, 12, 31), "Q4 2026", "2026-Q4")),
        ("Q1 2025", (date(2025, 1, 1), date(2025, 3, 31), "Q1 2025", "2025-Q1")),
        ("this month", (date(2026, 11, 1), date(2026, 11, 30), "November 2026", "2026-11")),
        ("last month", (date(2026, 10, 1), date(2026, 10, 31), "October 2026", "2026-10")),
        ("this year", (date(2026, 1, 1), date(2026, 12, 31), "2026", "2026")),
        (
            "YTD",
            (
                date(2026, 1, 1),
                date(2026, 11, 30),
                "2026 to date (1 Jan 2026 to 30 Nov 2026)",
                "2026-to-date",
            ),
        ),
        (
            "last 12 months",
            (
                date(2025, 12, 1),
                date(2026, 11, 30),
                "1 Dec 2025 to 30 Nov 2026",
                "2025-12-01-to-2026-11-30",
            ),
        ),
    ],
)
def test_each_form(text, expected):
    assert span(text, NOV_30) == expected


def test_a_quarter_not_begun_yet_is_last_years():
    in_q2 = datetime(2026, 5, 10, 12, tzinfo=timezone.utc)
    assert span("Q3", in_q2)[:2] == (date(2025, 7, 1), date(2025, 9, 30))
    assert span("Q2", in_q2)[:2] == (date(2026, 4, 1), date(2026, 6, 30))
    assert span("Q3 2026", in_q2)[:2] == (date(2026, 7, 1), date(2026, 9, 30))


def test_new_years_eve_and_day_in_the_callers_timezone():
    # 03:00 UTC on Jan 1 is still Dec 31 in New York.
    moment = datetime(2027, 1, 1, 3, tzinfo=timezone.utc)
    assert span("this month", moment)[:2] == (date(2026, 12, 1), date(2026, 12, 31))
    assert span("this year", moment)[:2] == (date(2026, 1, 1), date(2026, 12, 31))
    assert span("this month", moment, tz="UTC")[:2] == (date(2027, 1, 1), date(2027, 1, 31))
    assert span("last month", moment, tz="UTC")[:2] == (date(2026, 12, 1), date(2026, 12, 31))
    assert span("YTD", moment, tz="UTC")[:2] == (date(2027, 1, 1), date(2027, 1, 1))
    assert span("last 12 months", moment, tz="UTC")[:2] == (date(2026, 1, 2), date(2027, 1, 1))


def test_month_bounds_are_local_midnights_across_a_dst_change():
    # New York leaves daylight time on Sunday 1 November 2026 at 02:00.
    november = periods.period("this month", tz=NEW_YORK, now=NOV_30)
    assert november.bounds(NEW_YORK) == (
        datetime(2026, 11, 1, 4, tzinfo=timezone.utc),
        datetime(2026, 12, 1, 5, tzinfo=timezone.utc),
    )
    october = periods.period("last month", tz=NEW_YORK, now=NOV_30)
    assert october.bounds(NEW_YORK) == (
        datetime(2026, 10, 1, 4, tzinfo=timezone.utc),
        datetime(2026, 11, 1, 4, tzinfo=timezone.utc),
    )


def test_last_12_months_from_the_end_of_february():
    leap = datetime(2028, 2, 29, 12, tzinfo=timezone.utc)
    assert span("last 12 months", leap, tz="UTC")[:2] == (date(2027, 3, 1), date(2028, 2, 29))


def test_a_persian_readers_months_and_year_turn_at_nowruz():
    # Nowruz 1405 is 21 March 2026; 20:00 UTC on the 20th is already the 21st in Tehran.
    eve = datetime(2026, 3, 20, 12, tzinfo=timezone.utc)
    nowruz = datetime(2026, 3, 20, 21, tzinfo=timezone.utc)
    with i18n.speaking("fa"):
        assert span("this year", eve, TEHRAN) == (
            date(2025, 3, 21),
            date(2026, 3, 20),
            "۱۴۰۴",
            "1404-AP",
        )
        assert span("this year", nowruz, TEHRAN)[:2] == (date(2026, 3, 21), date(2027, 3, 20))
        assert span("this month", nowruz, TEHRAN) == (
            date(2026, 3, 21),
            date(2026, 4, 20),
            "فروردین ۱۴۰۵",
            "1405-01-AP",
        )
        assert span("last month", nowruz, TEHRAN)[:2] == (date(2026, 2, 20), date(2026, 3, 20))
        assert span("YTD", nowruz, TEHRAN)[:2] == (date(2026, 3, 21), date(2026, 3, 21))
        # Quarters stay Gregorian calendar quarters, labelled in Persian digits.
        first, last, label, _slug = span("this quarter", nowruz, TEHRAN)
        assert (first, last) == (date(2026, 1, 1), date(2026, 3, 31))
        assert (
            "۱" in label and "۲۰۲۶" in label and not any(c.isascii() and c.isdigit() for c in label)
        )


def test_an_english_reader_who_chose_the_persian_calendar_gets_persian_months():
    with i18n.speaking("en", "persian"):
        first, last, _label, slug = span("this month", NOV_30, TEHRAN)
    assert (first, last, slug) == (date(2026, 11, 22), date(2026, 12, 21), "1405-09-AP")


@pytest.mark.parametrize("text", ["Q5", "this decade", "last 0 months", "next month"])
def test_unknown_words_list_the_forms(text):
    with pytest.raises(UserError) as raised:
        periods.period(text, tz=NEW_YORK, now=NOV_30)
    message = str(raised.value)
    if text != "last 0 months":
        assert "as a period" in message
    for form in ("`Q3`", "`Q3 2026`", "`this month`", "`last month`", "`this year`", "`YTD`"):
        assert form in message
    assert "`last 12 months`" in message
