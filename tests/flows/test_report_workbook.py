"""`/account report last quarter` of the seeded team (support/seeded_team.py: 50 accounts,
four owners) through the real app, the uploaded workbook read back with openpyxl: each
sheet's headers, and its totals against a computation by hand, here, from the seed's
plain data (never the app's own functions)."""

import io
from collections import Counter
from datetime import date, timedelta

import openpyxl
import pytest
from PIL import Image

from support import ROOT
from support.report_sample import at
from support.seeded_team import OWNERS, TEAM_ACCOUNTS, add_owners, add_team

# Q3 2026 in New York, the quarter before START (23 November 2026).
FIRST, LAST = date(2026, 7, 1), date(2026, 9, 30)
SINCE, UNTIL = at(2026, 7, 1, 0, 0), at(2026, 10, 1, 0, 0)
DAYS = 92
# DESIGN.md's scale, best first.
POINTS = {
    "A+": 4.3, "A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3,
    "C": 2.0, "C-": 1.7, "D+": 1.3, "D": 1.0, "D-": 0.7, "F": 0.0,
}  # fmt: skip
RENEWAL_QUARTERS = [
    ("Q3 2026", date(2026, 7, 1), date(2026, 9, 30)),
    ("Q4 2026", date(2026, 10, 1), date(2026, 12, 31)),
    ("Q1 2027", date(2027, 1, 1), date(2027, 3, 31)),
    ("Q2 2027", date(2027, 4, 1), date(2027, 6, 30)),
]
HEADERS = {
    "Summary": ["Owner", "Accounts", "ARR", "ARR at risk", "Renewals due", "Renewals ARR", "Calls", "Grades", "Average points", "Average grade"],
    "Accounts": ["Account", "Owner", "ARR at start", "ARR at end", "Growth %", "Growth target % (annual)", "Target for period %", "On track", "Renewal", "Contacts", "Competitors", "Calls in period", "Last contact", "Days since last contact", "Grades in period", "Latest grade", "At risk", "Recovery target", "Plan status"],
    "Renewals": ["Quarter", "Account", "Owner", "Renewal", "ARR", "Latest grade", "At risk", "New accounts ARR", "Difference"],
    "Forecast": ["Account", "Owner", "ARR now", "Growth target %", "Next year at target", "Growth last 12 months %", "Next year at current growth"],
    "Calls": ["Account", "When", "Logged by", "Notes", "Next step", "Follow-up"],
    "Grades": ["Account", "Date", "Grader", "Grade", "Points", "Reason"],
}  # fmt: skip


# -- by hand, from the seed


def arr_on(seeded, day: date) -> int | None:
    """The value of the latest day on or before `day`; of two the same day, the later."""
    known = [(effective_on, n) for n, (effective_on, _arr) in enumerate(seeded.arr)]
    known = [key for key in known if key[0] <= day]
    return seeded.arr[max(known)[1]][1] if known else None


def in_quarter(moment) -> bool:
    return SINCE <= moment < UNTIL


def latest_grade(seeded) -> str | None:
    given = [(when, letter) for when, letter in seeded.grades if when < UNTIL]
    return max(given)[1] if given else None


def at_risk(seeded) -> bool:
    letter = latest_grade(seeded)
    return letter is not None and POINTS[letter] < 3.0


def nearest(points: float) -> str:
    best = None
    for letter, value in POINTS.items():  # best first: the better one wins a tie
        if best is None or abs(value - points) < abs(POINTS[best] - points):
            best = letter
    return best


def summary_row(name: str, accounts: list) -> list:
    grades = [POINTS[letter] for a in accounts for when, letter in a.grades if in_quarter(when)]
    renewing = [a for a in accounts if a.renewal_on and FIRST <= a.renewal_on <= LAST]
    average = sum(grades) / len(grades)
    return [
        name,
        len(accounts),
        sum(arr_on(a, LAST) or 0 for a in accounts),
        sum(arr_on(a, LAST) or 0 for a in accounts if at_risk(a)),
        len(renewing),
        sum(arr_on(a, LAST) or 0 for a in renewing),
        sum(in_quarter(when) for a in accounts for when, _private in a.calls),
        len(grades),
        pytest.approx(average),
        nearest(average),
    ]


def first_arr(seeded) -> tuple[date, int] | None:
    return next(((day, arr) for day, arr in seeded.arr if arr is not None), None)


def grown(now: int | None, pct: float | None) -> int | None:
    return None if now is None else round(now * (1 + (pct or 0) / 100))


# -- the workbook


def cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table(sheet, first_header: str) -> tuple[list, list[list]]:
    """(headers, rows) of the sheet's table, whatever heading lines are above it."""
    rows = cells(sheet)
    start = next(n for n, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start], rows[start + 1 :]


@pytest.fixture
def upload(rapport, slack, fake) -> list:
    """The files of `/account report last quarter` of the seeded team, as uploaded."""
    with rapport.sessions.begin() as s:
        add_team(s)
    add_owners(fake)
    slack.ask("/account", "report last quarter")
    return fake.completed_upload()


@pytest.fixture
def workbook(upload):
    return openpyxl.load_workbook(io.BytesIO(upload[-1].content))


def test_the_summary_message_carries_the_headline_numbers_and_a_picture(upload, fake):
    picture, report = upload
    assert picture.filename == "rapport-report-2026-Q3.png"
    assert report.filename == "rapport-report-2026-Q3.xlsx"
    (ROOT / "test-artifacts").mkdir(exist_ok=True)  # to look at
    (ROOT / "test-artifacts" / "report-summary.png").write_bytes(picture.content)
    with Image.open(io.BytesIO(picture.content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 675))
        assert len(image.convert("RGB").getcolors(1 << 16) or ()) > 10  # drawn, not blank
    comment = fake.calls_to("files.completeUploadExternal")[-1].args["initial_comment"]
    total = summary_row("Total", TEAM_ACCOUNTS)
    average = total[8].expected
    assert comment.splitlines() == [
        "*Account report, Q3 2026 (all accounts)*",
        f"• Accounts: {total[1]}",
        f"• ARR: {total[2]:,}, of which at risk: {total[3]:,}",
        f"• Renewals due: {total[4]}, with {total[5]:,} of ARR",
        f"• Calls: {total[6]}. Grades: {total[7]}",
        f"• Average grade: {nearest(average)} ({round(average, 2)} points)",
        "Times are in America/New_York.",
    ]


def test_each_sheet_has_its_headers(workbook):
    assert workbook.sheetnames[:6] == list(HEADERS)
    for title, headers in HEADERS.items():
        assert table(workbook[title], headers[0])[0] == headers, title
    assert cells(workbook["Summary"])[0][0] == "Account report, Q3 2026 (all accounts)"


def test_summary_per_owner_and_in_total(workbook):
    _headers, rows = table(workbook["Summary"], "Owner")
    by_owner = [
        summary_row(name, [a for a in TEAM_ACCOUNTS if a.owner_id == owner_id])
        for owner_id, name in sorted(OWNERS.items(), key=lambda owner: owner[1])
    ]
    assert rows == [*by_owner, summary_row("Total", TEAM_ACCOUNTS)]


def test_renewals_per_quarter(workbook):
    _headers, rows = table(workbook["Renewals"], "Quarter")
    totals = [row for row in rows if row[1] == "Total"]
    expected = []
    for label, first, last in RENEWAL_QUARTERS:
        renewing = sum(
            arr_on(a, LAST) or 0
            for a in TEAM_ACCOUNTS
            if a.renewal_on and first <= a.renewal_on <= last
        )
        signed = sum(
            found[1] for a in TEAM_ACCOUNTS if (found := first_arr(a)) and first <= found[0] <= last
        )
        expected.append(
            [label, "Total", None, None, renewing, None, None, signed, signed - renewing]
        )
    assert totals == expected
    renewing = Counter(row[0] for row in rows if row[1] != "Total")
    assert renewing == Counter(
        label
        for label, first, last in RENEWAL_QUARTERS
        for a in TEAM_ACCOUNTS
        if a.renewal_on and first <= a.renewal_on <= last
    )
    assert sum(renewing.values()) > 10  # spread over the four quarters
    assert all(renewing[label] for label, _first, _last in RENEWAL_QUARTERS)


def test_forecast_in_total(workbook):
    _headers, rows = table(workbook["Forecast"], "Account")
    # From the quarter's end (before today): a year on at target, and at the growth of
    # the twelve months to it (flat without a value a year before).
    now_total = at_target = at_growth = 0
    flat = 0
    for a in TEAM_ACCOUNTS:
        now, before = arr_on(a, LAST), arr_on(a, date(2025, 9, 30))
        growth = (now - before) * 100 / before if before and now is not None else None
        flat += growth is None
        now_total += now or 0
        at_target += grown(now, a.growth_target_pct) or 0
        at_growth += grown(now, growth) or 0
    assert 0 < flat < len(TEAM_ACCOUNTS)
    assert rows[-1] == [
        "Total",
        None,
        now_total,
        round((at_target - now_total) * 100 / now_total, 1),
        at_target,
        round((at_growth - now_total) * 100 / now_total, 1),
        at_growth,
    ]
    assert len(rows) == len(TEAM_ACCOUNTS) + 1


@pytest.mark.parametrize("name", ["Client 00", "Client 02", "Client 03", "Client 07", "Client 33"])
def test_growth_against_target_of_an_account(workbook, name):
    """00: signed in the quarter; 02: cut; 03: raised, back-dated; 07: no ARR any more;
    33: raised, then two values the same day."""
    headers, rows = table(workbook["Accounts"], "Account")
    row = dict(zip(headers, next(row for row in rows if row[0] == name), strict=True))
    seeded = next(a for a in TEAM_ACCOUNTS if a.name == name)
    start, end = arr_on(seeded, FIRST), arr_on(seeded, LAST)
    growth = (end - start) * 100 / start if start and end is not None else None
    target = seeded.growth_target_pct and seeded.growth_target_pct * DAYS / 365
    on_track = None
    if growth is not None and target is not None:
        on_track = "on track" if growth >= target else "behind"
    last_call = max((when for when, _private in seeded.calls if when < UNTIL), default=None)
    assert row["Owner"] == OWNERS[seeded.owner_id]
    assert (row["ARR at start"], row["ARR at end"]) == (start, end)
    assert row["Growth %"] == (None if growth is None else round(growth, 1))
    assert row["Target for period %"] == (None if target is None else round(target, 1))
    assert row["On track"] == on_track
    assert row["Days since last contact"] == (last_call and (LAST - last_call.date()).days)
    assert row["Contacts"] == ("; ".join(sorted(seeded.contacts)) or None)
    assert row["Latest grade"] == latest_grade(seeded)


def test_calls_and_grades_of_the_quarter(workbook):
    _headers, calls = table(workbook["Calls"], "Account")
    _headers, grades = table(workbook["Grades"], "Account")
    assert len(calls) == sum(in_quarter(when) for a in TEAM_ACCOUNTS for when, _p in a.calls)
    assert len(grades) == sum(in_quarter(when) for a in TEAM_ACCOUNTS for when, _l in a.grades)
    assert [row[3] for row in calls].count("(private)") == sum(
        private and in_quarter(when) for a in TEAM_ACCOUNTS for when, private in a.calls
    )
    assert {row[2] for row in calls} <= set(OWNERS.values())
    assert calls == sorted(calls, key=lambda row: row[1])
    assert {row[0] for row in calls} & {"Client 03"}  # its 30 September 23:30 call too
    assert max(row[1] for row in calls) - min(row[1] for row in calls) > timedelta(days=60)
