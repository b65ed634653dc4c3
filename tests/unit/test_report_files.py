"""The report workbook's writer (bot/reports/files.py), read back with openpyxl: heading
lines above a table whose header row is bold and frozen, an autofilter over the table,
totals in bold, number formats by column kind, long notes wrapped, text always text, and
rows streamed from an iterator read once."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from bot import i18n
from bot.reports.files import WIDEST, Column, Sheet, Total, xlsx
from bot.reports.values import Charts

COLUMNS = (
    Column("Account"),
    Column("When", "datetime"),
    Column("ARR", "money"),
    Column("Points", "points"),
    Column("Renewal", "date"),
    Column("Notes"),
)
KNOWN = Charts([("Q3 2026", 1)], [("Q3 2026", 1, 2)], [("A", 1)], [("Sep 2026", 4.0)])
LONG = "They want the proposal before the board meets, and a call with support. " * 2


def read(sheets: list[Sheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx(sheets)))


def calls() -> Sheet:
    rows = iter(
        [
            ("Acme Corp", datetime(2026, 7, 15, 10, 0), 120_000, 3.3, date(2027, 3, 31), "Short"),
            ("Globex", datetime(2026, 8, 1, 9, 30), 80_000, 2.0, None, LONG),
            Total(("Total", None, 200_000, 2.65, None, None)),
        ]
    )
    return Sheet("Calls", COLUMNS, rows, heading=("Account report, Q3 2026", "Times are in UTC"))


def test_heading_lines_then_a_bold_frozen_header_and_an_autofilter_over_the_table():
    sheet = read([calls()])["Calls"]
    assert [row for row in sheet.iter_rows(max_col=1, max_row=3, values_only=True)] == [
        ("Account report, Q3 2026",),
        ("Times are in UTC",),
        (None,),
    ]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert [cell.value for cell in sheet[4]] == [column.header for column in COLUMNS]
    assert all(cell.font.b for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:F7"


@pytest.mark.parametrize(
    "language, right_to_left", [("en", False), ("vi", False), ("fa", True), ("ar", True)]
)
def test_sheets_read_in_the_readers_direction_and_print_a_page_wide(language, right_to_left):
    with i18n.speaking(language, None):
        content = xlsx([calls()], charts=KNOWN)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        assert sheet.sheet_view.rightToLeft is right_to_left
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
    assert workbook["Calls"].print_title_rows == "$4:$4"  # the header on every page
    assert workbook["Calls"].page_setup.fitToHeight == 0  # as many pages as it takes
    assert workbook.worksheets[-1].page_setup.fitToHeight == 1  # the charts: one page
    # The charts' categories run from the right too (the first quarter rightmost).
    parts = zipfile.ZipFile(io.BytesIO(content))
    for n in range(1, 5):
        chart = parts.read(f"xl/charts/chart{n}.xml").decode()
        assert ('<orientation val="maxMin" />' in chart) is right_to_left


def test_totals_bold_numbers_and_dates_in_their_formats_long_notes_wrapped():
    sheet = read([calls()])["Calls"]
    acme, globex, total = sheet[5], sheet[6], sheet[7]
    assert [cell.number_format for cell in acme[1:5]] == [
        "yyyy-mm-dd hh:mm",
        "#,##0",
        "0.0",
        "yyyy-mm-dd",
    ]
    assert acme[1].value == datetime(2026, 7, 15, 10, 0) and acme[4].value == datetime(2027, 3, 31)
    assert not any(cell.font.b for cell in acme)
    assert [cell.value for cell in total if cell.font.b] == ["Total", 200_000, 2.65]
    assert total[2].number_format == "#,##0"
    assert globex[5].alignment.wrap_text and globex[5].alignment.vertical == "top"
    assert not acme[5].alignment.wrap_text
    assert sheet.column_dimensions["F"].width == WIDEST + 2
    assert sheet.column_dimensions["A"].width == len("Acme Corp") + 2


def test_text_a_spreadsheet_would_read_as_a_formula_or_an_error_stays_text():
    texts = ["=HYPERLINK(1)", "#N/A", "+1", "-5", "@sum", "plain"]
    sheet = Sheet("Notes", (Column("Notes"),), [(text,) for text in texts])
    written = read([sheet])["Notes"]
    assert [cell.value for (cell,) in written.iter_rows(min_row=2)] == texts
    assert {cell.data_type for (cell,) in written.iter_rows(min_row=2)} == {"s"}


def test_a_long_sheet_is_written_from_an_iterator_read_once():
    read_rows = []

    def rows():
        for number in range(1_000):
            read_rows.append(number)
            yield (f"Account {number}", number)

    sheet = Sheet("Accounts", (Column("Account"), Column("Calls", "number")), rows())
    written = read([sheet])["Accounts"]
    assert read_rows == list(range(1_000))
    assert written.max_row == 1_001 and written["B1001"].value == 999
    assert written.auto_filter.ref == "A1:B1001"
