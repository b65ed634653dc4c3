"""Account reports: reading periods and scopes in the caller's timezone, gathering a known
sample (support/report_sample.py) on a real database (SQLite and PostgreSQL), and keeping
text that looks like a formula as text in the files."""

import csv
import io
from datetime import date, datetime, timezone

import openpyxl
import pytest

from bot import i18n
from bot.errors import UserError
from bot.grades import scale
from bot.mrkdwn import INVALID_DATE
from bot.reports import account_report, figures, periods, values
from bot.reports.files import Column, Sheet, Total, csv_bytes, xlsx
from support.clock import START
from support.report_sample import ACME_ROW, ALEX, CAMILLE, GLOBEX_ROW, at
from support.rows import account, add, call
from support.seeded_team import add_team
from support.stored import statements_sent
from support.workspace import NEW_YORK

TEAM = "T0001"


# -- periods and scopes


def period(text: str, now: datetime = START, tz: str = NEW_YORK) -> values.Period:
    return periods.parse(text, tz=tz, user_id=ALEX, now=now).period


@pytest.mark.parametrize("text", ["", "this quarter", "This Quarter", "all", "this quarter all"])
def test_this_quarter_is_the_default(text):
    assert period(text) == values.Period(
        date(2026, 10, 1), date(2026, 12, 31), "Q4 2026", "2026-Q4"
    )


def test_last_quarter():
    found = period("last quarter")
    assert (found.first, found.last, found.label) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        "Q3 2026",
    )


def test_quarters_are_read_in_the_callers_timezone():
    # 03:30 UTC on 1 October is still 30 September in New York: there, Q3 is this quarter.
    now = datetime(2026, 10, 1, 3, 30, tzinfo=timezone.utc)
    assert period("this quarter", now).label == "Q3 2026"
    assert period("this quarter", now, tz="UTC").label == "Q4 2026"
    assert period("last quarter", now, tz="UTC").label == "Q3 2026"
    since, until = period("this quarter", now).bounds(NEW_YORK)
    assert (since, until) == (
        datetime(2026, 7, 1, 4, 0, tzinfo=timezone.utc),
        datetime(2026, 10, 1, 4, 0, tzinfo=timezone.utc),
    )


def test_last_quarter_across_a_new_year():
    now = at(2027, 1, 1, 0, 30)
    assert period("this quarter", now).label == "Q1 2027"
    last = period("last quarter", now)
    assert (last.first, last.last, last.label) == (date(2026, 10, 1), date(2026, 12, 31), "Q4 2026")


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("Oct 1 to Nov 15", date(2026, 10, 1), date(2026, 11, 15)),
        ("from October 1 until yesterday", date(2026, 10, 1), date(2026, 11, 22)),
        ("Nov 1 to Jan 31", date(2026, 11, 1), date(2027, 1, 31)),
        ("2025-12-01 to 2026-01-15", date(2025, 12, 1), date(2026, 1, 15)),
        ("last 30 days", date(2026, 10, 25), date(2026, 11, 23)),
        ("last 1 day", date(2026, 11, 23), date(2026, 11, 23)),
    ],
)
def test_date_ranges_in_words(text, first, last):
    found = period(text)
    assert (found.first, found.last) == (first, last)


def test_a_range_covers_whole_days_in_the_callers_timezone():
    found = period("Oct 1 to Nov 15")
    assert found.label == "1 Oct 2026 to 15 Nov 2026"
    assert found.slug == "2026-10-01-to-2026-11-15"
    assert found.bounds(NEW_YORK) == (
        datetime(2026, 10, 1, 4, 0, tzinfo=timezone.utc),  # EDT
        datetime(2026, 11, 16, 5, 0, tzinfo=timezone.utc),  # EST
    )


@pytest.mark.parametrize(
    "text, owner",
    [
        ("last quarter", None),
        ("last quarter all", None),
        ("last quarter mine", ALEX),
        ("mine", ALEX),
        ("last quarter <@U0002|camille>", CAMILLE),
        ("Oct 1 to Nov 15 <@U0002>", CAMILLE),
    ],
)
def test_scopes(text, owner):
    assert periods.parse(text, tz=NEW_YORK, user_id=ALEX, now=START).owner_id == owner


@pytest.mark.parametrize(
    "text, expected",
    [
        ("blursday", "couldn't read “blursday” as a period"),
        ("next fortnight-ish", "as a period"),
        ("last 0 days", "at least one day"),
        ("Oct 1 to blursday", "couldn't read “blursday” as a date"),
        ("2026-11-15 to 2026-10-01", "ends before it starts"),
        ("last quarter @camille", "Mention the owner"),
    ],
)
def test_bad_periods_are_answered_with_an_example(text, expected):
    with pytest.raises(UserError) as raised:
        periods.parse(text, tz=NEW_YORK, user_id=ALEX, now=START)
    assert expected in str(raised.value)
    assert "/account report last quarter" in str(raised.value)


# -- the known sample


def last_quarter() -> values.Request:
    return periods.parse("last quarter", tz=NEW_YORK, user_id=ALEX, now=START)


def test_gather_reads_the_sample_in_seven_statements(rapport, report_sample):
    with statements_sent(rapport.engine) as statements:
        with account_report.gather(
            rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter()
        ) as report:
            xlsx(report.sheets)  # reads the calls and grades, streamed
    assert sum(s.lstrip().startswith("SELECT") for s in statements) == 7
    assert [sheet.title for sheet in report.sheets] == [
        "Summary",
        "Accounts",
        "Renewals",
        "Forecast",
        "Calls",
        "Grades",
    ]
    assert report.sheets[1] is report.accounts
    assert [list(row) for row in report.accounts.rows] == [
        [*ACME_ROW[:8], date(2027, 3, 31), *ACME_ROW[9:]],
        GLOBEX_ROW,
    ]
    assert report.title == "Account report, Q3 2026 (all accounts)"


def test_the_samples_totals_per_owner_and_in_all(rapport, report_sample):
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter()) as r:
        summary = r.sheets[0]
        rows = list(summary.rows)
    # Acme: 120,000 at the quarter's end, at risk (C); Globex had no ARR yet. No renewal
    # in Q3; grades A- (Globex), B+ and C (Acme).
    assert r.totals == values.Totals(
        accounts=2,
        arr=120_000,
        arr_at_risk=120_000,
        renewals_due=0,
        renewals_arr=0,
        calls=2,
        grades=3,
        average_points=pytest.approx((3.7 + 3.3 + 2.0) / 3),
    )
    assert r.owners == [
        (ALEX, values.Totals(1, 120_000, 120_000, 0, 0, 2, 2, pytest.approx(2.65))),
        (CAMILLE, values.Totals(1, 0, 0, 0, 0, 0, 1, pytest.approx(3.7))),
    ]
    assert summary.heading == (
        "Account report, Q3 2026 (all accounts)",
        "1 Jul 2026 to 30 Sep 2026. Times are in America/New_York.",
    )
    assert [summary_row[0::9] for summary_row in rows] == [
        (ALEX, "B-"),
        (CAMILLE, "A-"),
        ("Total", "B"),
    ]
    assert isinstance(rows[-1], Total) and not isinstance(rows[0], Total)


def test_the_summarys_period_line_starts_as_a_sentence_in_every_language(rapport, report_sample):
    with (
        i18n.speaking("vi"),
        account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter()) as r,
    ):
        line = r.sheets[0].heading[1]
    assert line.startswith("Từ ")  # "từ 1 thg 7 2026 đến …", capitalised


def test_the_samples_renewals_forecast_and_charts(rapport, report_sample):
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter()) as r:
        renewals, forecast = list(r.sheets[2].rows), list(r.sheets[3].rows)
    total = ("Total", None, None)
    assert renewals == [
        ("Q3 2026", *total, 0, None, None, 0, 0),
        ("Q4 2026", *total, 0, None, None, 50_000, 50_000),  # Globex signed on 15 October
        ("Q1 2027", "Acme Corp", ALEX, date(2027, 3, 31), 120_000, "C", "yes", None, None),
        ("Q1 2027", *total, 120_000, None, None, 0, -120_000),
        ("Q2 2027", *total, 0, None, None, 0, 0),
    ]
    # From 30 September: Acme had no ARR a year before, so it is kept flat.
    assert forecast == [
        ("Acme Corp", ALEX, 120_000, 15.0, 138_000, None, 120_000),
        ("Globex", CAMILLE, None, None, None, None, None),
        ("Total", None, 120_000, 15.0, 138_000, 0.0, 120_000),
    ]
    assert r.charts.arr_by_quarter == [
        *((label, 0) for label in ("Q4 2024", "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025")),
        ("Q1 2026", 100_000),
        ("Q2 2026", 100_000),
        ("Q3 2026", 120_000),
    ]
    assert r.charts.renewals_by_quarter == [
        ("Q3 2026", 0, 0),
        ("Q4 2026", 0, 50_000),
        ("Q1 2027", 120_000, 0),
        ("Q2 2027", 0, 0),
    ]
    assert [(g, n) for g, n in r.charts.grade_distribution if n] == [("A-", 1), ("B+", 1), ("C", 1)]
    assert [g for g, _n in r.charts.grade_distribution] == list(scale.SCALE)
    assert r.charts.average_by_month[0] == ("Oct 2025", None)
    assert r.charts.average_by_month[-3:] == [
        ("Jul 2026", 3.7),
        ("Aug 2026", 3.3),
        ("Sep 2026", 2.0),
    ]


def test_gather_one_owners_accounts(rapport, report_sample):
    request = periods.parse("last quarter <@U0002>", tz=NEW_YORK, user_id=ALEX, now=START)
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=request) as report:
        calls, grades = list(report.sheets[4].rows), list(report.sheets[5].rows)
    assert [row[0] for row in report.accounts.rows] == ["Globex"]
    assert calls == []
    assert [row[0] for row in grades] == ["Globex"]
    assert [owner for owner, _totals in report.owners] == [CAMILLE]
    assert report.totals.grades == 1


def test_the_number_of_statements_does_not_grow_with_the_team(rapport):
    with rapport.sessions.begin() as s:
        add_team(s)  # 50 accounts, 150 calls, 124 grades
    with statements_sent(rapport.engine) as statements:
        with account_report.gather(
            rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter()
        ) as report:
            xlsx(report.sheets, charts=report.charts)
    assert len(report.accounts.rows) == 50
    assert sum(s.lstrip().startswith("SELECT") for s in statements) == 7


# -- figures


def test_arr_on_a_day_is_the_latest_value_on_or_before_it():
    history = figures.ArrHistory(
        [
            (1, date(2026, 1, 1), None),
            (1, date(2026, 3, 1), 100),
            (1, date(2026, 3, 1), 110),  # recorded later, same day: it wins
            (1, date(2026, 6, 1), None),  # set to "not set"
        ]
    )
    assert history.on(1, date(2025, 12, 31)) is None
    assert history.on(1, date(2026, 3, 1)) == 110
    assert history.on(1, date(2026, 5, 31)) == 110
    assert history.on(1, date(2026, 6, 1)) is None
    assert history.on(2, date(2026, 6, 1)) is None
    assert history.first(1) == (date(2026, 3, 1), 100)
    assert history.first(2) is None


def test_targets_are_pro_rated_and_grades_rounded_to_the_nearest_letter():
    q3 = periods.quarter(date(2026, 8, 1))
    assert figures.target_for(15.0, q3) == pytest.approx(15 * 92 / 365)
    assert figures.target_for(None, q3) is None
    assert figures.on_track(3.79, 3.78) and not figures.on_track(3.7, 3.78)
    assert figures.on_track(None, 3.78) is None
    assert scale.nearest(3.0) == "B"
    assert scale.nearest(2.65) == "B-"
    assert scale.nearest(0.2) == "F"
    assert figures.year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert figures.next_year(100_000, 15.0) == 115_000
    assert figures.next_year(100_000, None) == 100_000
    assert figures.next_year(None, 15.0) is None


def test_text_that_looks_like_a_formula_stays_text():
    sheet = Sheet("Accounts", (Column("Account"),), [("=HYPERLINK(1)",), ("-5",)])
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([sheet])))
    assert workbook["Accounts"]["A2"].data_type == "s"
    assert workbook["Accounts"]["A2"].value == "=HYPERLINK(1)"
    assert list(csv.reader(io.StringIO(csv_bytes(sheet).decode("utf-8-sig"))))[1:] == [
        ["'=HYPERLINK(1)"],
        ["'-5"],
    ]


def test_control_characters_a_workbook_refuses_are_dropped_from_every_text_cell():
    """Old rows may hold them: a note pasted from Word (a vertical tab, a form feed), a
    name with a BEL or an ESC. Tab and newline stay, and so does the formula guard."""
    sheet = Sheet(
        "Calls",
        (Column("Account"), Column("Notes")),
        [("Acme\x07 Corp\x1b", "Pasted\x0b from\x0c Word\n\tthen"), ("=1+1\x00", None)],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([sheet])))
    assert [list(row) for row in workbook["Calls"].iter_rows(min_row=2, values_only=True)] == [
        ["Acme Corp", "Pasted from Word\n\tthen"],
        ["=1+1", None],
    ]
    assert list(csv.reader(io.StringIO(csv_bytes(sheet).decode("utf-8-sig"), newline="")))[1:] == [
        ["Acme Corp", "Pasted from Word\n\tthen"],
        ["'=1+1", ""],
    ]


def test_text_longer_than_a_cell_holds_is_cut_to_fit():
    """Excel holds 32,767 characters in a cell and calls a file with more damaged; notes
    are capped when typed or imported, but rows stored before may be longer."""
    sheet = Sheet("Calls", (Column("Notes"),), [("x" * 40_000,), ("y" * 32_767,)])
    rows = openpyxl.load_workbook(io.BytesIO(xlsx([sheet])))["Calls"].iter_rows(min_row=2)
    cut, kept = (row[0].value for row in rows)
    assert (len(cut), cut[-1], kept) == (32_767, "…", "y" * 32_767)


def test_stored_days_and_moments_out_of_range_are_invalid_dates(rapport):
    with rapport.sessions.begin() as s:
        acme = add(s, account("Acme Corp", renewal_on=date(9999, 12, 31)))
        add(
            s,
            call("Year 1", of=acme, at=datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc)),
            call("Recent", of=acme, at=at(2026, 11, 2, 9, 0), follow_up_on=date(1, 1, 1)),
        )
    request = periods.parse("", tz=NEW_YORK, user_id=ALEX, now=START)
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=request) as report:
        [acme_row] = report.accounts.rows
        assert acme_row[8] == INVALID_DATE and acme_row[12] == datetime(2026, 11, 2, 9, 0)
        [recent] = report.sheets[4].rows
        assert recent[5] == INVALID_DATE
    with account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=request) as report:
        xlsx(report.sheets)  # writes without a failure
