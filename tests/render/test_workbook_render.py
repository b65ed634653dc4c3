"""The report workbook's charts (bot/reports/charts.py), from a Charts value of known
numbers: the chart parts in the .xlsx and the cells they draw from; then the workbook
opened by LibreOffice and its Charts sheet drawn (test-artifacts/workbook-charts.png),
where each chart's bars and line are found by their colours and measured."""

import io
import re
import zipfile

import openpyxl
from PIL import Image, ImageChops

from bot.reports import account_report, charts, periods
from bot.reports.files import xlsx
from bot.reports.values import Charts
from support.clock import START
from support.seeded_team import add_team
from support.workspace import NEW_YORK

QUARTERS = ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
GRADES = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"]
GIVEN = [1, 3, 5, 8, 6, 4, 3, 2, 1, 1, 0, 0, 2]  # none of D and D-
MONTHS = ["Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
# Three runs of months with grades: Dec-Jan, Mar-May, Aug-Nov.
AVERAGES = [3.1, 3.0, None, 2.8, 2.9, 3.3, None, None, 2.5, 2.7, 3.0, 3.2]
KNOWN = Charts(
    arr_by_quarter=[(quarter, 1_000_000 + 150_000 * i) for i, quarter in enumerate(QUARTERS)],
    renewals_by_quarter=[
        ("Q4 2026", 400_000, 250_000),
        ("Q1 2027", 300_000, 350_000),
        ("Q2 2027", 0, 100_000),
        ("Q3 2027", 500_000, 0),
    ],
    grade_distribution=list(zip(GRADES, GIVEN, strict=True)),
    average_by_month=list(zip(MONTHS, AVERAGES, strict=True)),
)
# What each chart draws: (series name cell, values, categories) per series.
SERIES = {
    "chart1.xml": [("'Charts'!B1", "'Charts'!$B$2:$B$9", "'Charts'!$A$2:$A$9")],
    "chart2.xml": [
        ("'Charts'!B11", "'Charts'!$B$12:$B$15", "'Charts'!$A$12:$A$15"),
        ("'Charts'!C11", "'Charts'!$C$12:$C$15", "'Charts'!$A$12:$A$15"),
    ],
    "chart3.xml": [("'Charts'!B17", "'Charts'!$B$18:$B$30", "'Charts'!$A$18:$A$30")],
    "chart4.xml": [("'Charts'!B32", "'Charts'!$B$33:$B$44", "'Charts'!$A$33:$A$44")],
}
# Each chart's title, then its axes' titles.
TITLES = [
    ["ARR by quarter", "Quarter", "ARR"],
    ["Renewals by quarter", "Quarter", "ARR"],
    ["Grade distribution", "Grade", "Grades given"],
    ["Average grade over time", "Month", "Points"],
]


def test_the_charts_sheet_holds_four_native_charts_over_its_tables():
    content = xlsx([], charts=KNOWN)
    parts = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(name for name in parts.namelist() if name.startswith("xl/charts/")) == [
        f"xl/charts/chart{n}.xml" for n in range(1, 5)
    ]
    for (name, series), titles in zip(SERIES.items(), TITLES, strict=True):
        xml = parts.read(f"xl/charts/{name}").decode()
        refs = re.findall(r"<f>([^<]*)</f>", xml)
        assert refs == [
            ref for named, values, categories in series for ref in (named, categories, values)
        ]
        assert re.findall(r"<a:t>([^<]*)</a:t>", xml) == titles
    kinds = [
        re.search(r"<plotArea>(<\w+)", parts.read(f"xl/charts/{name}").decode())[1]
        for name in SERIES
    ]
    assert kinds == ["<barChart", "<barChart", "<barChart", "<lineChart"]
    line = parts.read("xl/charts/chart4.xml").decode()
    assert '<dispBlanksAs val="gap"' in line and '<max val="4.3"' in line and '<min val="0"' in line
    for name in ("chart1.xml", "chart2.xml", "chart3.xml"):  # bars stand on zero
        assert '<min val="0"' in parts.read(f"xl/charts/{name}").decode()

    sheet = openpyxl.load_workbook(io.BytesIO(content))["Charts"]
    column = list(sheet.iter_rows(max_col=3, values_only=True))
    assert column[0] == ("Quarter", "ARR", None) and column[8] == ("Q4 2026", 2_050_000, None)
    assert column[10] == ("Quarter", "ARR renewing", "New accounts ARR")
    assert column[14] == ("Q3 2027", 500_000, 0)
    assert column[16] == ("Grade", "Grades given", None) and column[29] == ("F", 2, None)
    assert column[31] == ("Month", "Average points", None)
    assert column[34] == ("Feb", None, None) and column[43] == ("Nov", 3.2, None)


def test_libreoffice_draws_the_four_charts_with_their_numbers(render):
    picture, pages = render(xlsx([], charts=KNOWN), "workbook-charts")
    assert pages == 1  # the sheet prints on one page
    image = Image.open(picture).convert("RGB")

    blue = bands(pixels(image, charts.BLUE))
    assert len(blue) == 2  # ARR by quarter above, grade distribution below
    arr, grades = (bars(band) for band in blue)
    assert len(arr) == 8 and arr == sorted(set(arr))  # growing quarter by quarter
    assert in_proportion(arr[-1], arr[0], 2_050_000 / 1_000_000)
    assert len(grades) == 13 and grades[10:12] == [1, 1]  # D and D-: none, a hairline
    assert max(grades) == grades[3] and in_proportion(grades[3], grades[4], 8 / 6)  # B+, B

    # Renewing (orange) against new accounts (green) by quarter, then the legend's keys;
    # a quarter's zero is a hairline.
    renewing, new = bars(pixels(image, charts.ORANGE)), bars(pixels(image, charts.GREEN))
    assert len(renewing) == len(new) == 5 and renewing[2] == new[3] == 1
    assert in_proportion(renewing[0], new[0], 400_000 / 250_000)
    assert in_proportion(renewing[1], new[1], 300_000 / 350_000)
    assert in_proportion(renewing[3], new[1], 500_000 / 350_000)

    # The average line, broken where months have no grade, below the renewals.
    line = pixels(image, charts.PURPLE)
    assert len(runs(sorted({x for x, _ in line}))) == 3
    assert min(y for _, y in line) > max(y for _, y in pixels(image, charts.GREEN))


def test_libreoffice_draws_a_real_reports_charts(render, rapport):
    """The seeded team's report of last quarter (tests/support/seeded_team.py), every sheet
    printed; its last page, the Charts sheet (test-artifacts/report-charts.png), shows
    the four charts: two bands of blue bars (8 quarters, 13 grades), renewing and new
    bars, and the average grade's line."""
    with rapport.sessions.begin() as s:
        add_team(s)
    request = periods.parse("last quarter", tz=NEW_YORK, user_id="U0001", now=START)
    with account_report.gather(rapport, team_id="T0001", tz=NEW_YORK, request=request) as report:
        content = xlsx(report.sheets, charts=report.charts)
    picture, pages = render(content, "report-charts", page=-1)
    assert pages > len(report.sheets)  # the 50 accounts' wide sheets take several pages
    image = Image.open(picture).convert("RGB")
    arr, grades = (bars(band) for band in bands(pixels(image, charts.BLUE)))
    assert (len(arr), len(grades)) == (8, 13)
    given = dict(report.charts.grade_distribution)
    assert max(grades) == grades[list(given).index(max(given, key=given.get))]
    assert pixels(image, charts.ORANGE) and pixels(image, charts.GREEN)
    assert pixels(image, charts.PURPLE)


def pixels(image: Image.Image, colour: str) -> list[tuple[int, int]]:
    """Where `colour` (hex RGB) is drawn, give or take anti-aliasing: each channel within 8."""
    difference = ImageChops.difference(image, Image.new("RGB", image.size, f"#{colour}"))
    near = [channel.point(lambda value: 255 if value <= 8 else 0) for channel in difference.split()]
    mask = ImageChops.darker(ImageChops.darker(near[0], near[1]), near[2])
    width = image.size[0]
    return [(i % width, i // width) for i, value in enumerate(mask.get_flattened_data()) if value]


def runs(values: list[int], gap: int = 1) -> list[list[int]]:
    """Sorted numbers split where two are more than `gap` apart."""
    found = [[values[0]]]
    for value in values[1:]:
        if value - found[-1][-1] <= gap:
            found[-1].append(value)
        else:
            found.append([value])
    return found


def bands(points: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Points in horizontal bands far apart (charts one above the other)."""
    rows = runs(sorted({y for _, y in points}), gap=20)
    return [[(x, y) for x, y in points if row[0] <= y <= row[-1]] for row in rows]


def bars(points: list[tuple[int, int]]) -> list[int]:
    """The heights in pixels of the columns of points, left to right."""
    columns = runs(sorted({x for x, _ in points}))
    return [len({y for x, y in points if column[0] <= x <= column[-1]}) for column in columns]


def in_proportion(a: int, b: int, expected: float) -> bool:
    """Whether heights `a` and `b` (pixels) stand as `expected`, to two pixels."""
    return abs(a - expected * b) <= 2
