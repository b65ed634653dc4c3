"""Writing report sheets as files: an .xlsx workbook (openpyxl) or one CSV."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from typing import TYPE_CHECKING

from bot import i18n

if TYPE_CHECKING:
    from bot.reports.values import Charts

# Number formats of the .xlsx cells, by column kind; other kinds are written as they are.
FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0",
    "points": "0.0",
}
CELL_MAX = 32_767  # characters Excel holds in a cell
WIDEST = 60  # characters: longer notes wrap in the cell rather than widen the column
MEASURED = 100  # rows: column widths fit the header and the first rows (the rest are streamed)
# A spreadsheet reads text starting with these as a formula (CSV injection): in the CSV
# such text is prefixed with an apostrophe; in the workbook it is stored as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, number, money, points, date, datetime


class Total(tuple):
    """A row of totals (or subtotals), written in bold."""


@dataclass(frozen=True)
class Sheet:
    """A table: values are str, int, float, date, naive datetime (local time) or None.
    `rows` may be an iterator (read once, while the transaction that reads it is open);
    `heading` lines are written above the table."""

    title: str
    columns: tuple[Column, ...]
    rows: Iterable[tuple]
    heading: tuple[str, ...] = ()


def xlsx(sheets: list[Sheet], charts: "Charts | None" = None) -> bytes:
    """A workbook with one worksheet per sheet, written as its rows are read (openpyxl's
    write-only mode, so a long sheet never sits in memory): the heading lines (the first
    bold), then the table with a bold header row, frozen, and an autofilter; `Total` rows bold;
    real dates; text always text. Then a worksheet of charts when `charts` is given."""
    # Imported here: a twentieth of a second at start-up, for the few who ask for reports.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write(workbook.create_sheet(sheet.title), sheet)
    if charts is not None:
        from bot.reports import charts as drawn

        drawn.add(workbook, charts)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as UTF-8 CSV with a byte-order mark (so Excel reads accents right);
    dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in sheet.columns])
    for values in _rows(sheet):
        writer.writerow([_csv_value(value) for value in values])
    return out.getvalue().encode("utf-8-sig")


def _rows(sheet: Sheet) -> Iterator[list]:
    """The sheet's rows, their text without the control characters a workbook cannot hold
    (in rows stored before handlers/payloads.py dropped them from what people type)."""
    for values in sheet.rows:
        cleaned = [_clean(v) if isinstance(v, str) else v for v in values]
        yield Total(cleaned) if isinstance(values, Total) else cleaned


def _clean(text: str) -> str:
    """Text a spreadsheet holds: no control characters, and within a cell's limit (a row
    stored before notes were capped would make Excel call the file damaged)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # imported here: see xlsx()

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= CELL_MAX else text[: CELL_MAX - 1] + "…"


def _csv_value(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _width(value) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, int | float):
        return len(f"{value:,}")
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def _write(worksheet, sheet: Sheet) -> None:
    """One sheet into a write-only worksheet: what precedes the rows (column widths, the
    frozen pane) is set before the first row, the autofilter once the rows are counted."""
    from openpyxl.utils import get_column_letter

    rows = _rows(sheet)
    first = list(islice(rows, MEASURED))
    widths = [
        min(max([len(column.header), *(_width(row[i]) for row in first)]), WIDEST)
        for i, column in enumerate(sheet.columns)
    ]
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width + 2
    header_row = len(sheet.heading) + 2 if sheet.heading else 1
    worksheet.freeze_panes = f"A{header_row + 1}"
    lay_out(worksheet, pages_tall=0)
    worksheet.print_title_rows = f"{header_row}:{header_row}"  # on every printed page
    cells = Cells(worksheet, sheet.columns, widths)
    for number, line in enumerate(sheet.heading):
        worksheet.append([cells.made(_clean(line), None, bold=number == 0, wrap=False)])
    if sheet.heading:
        worksheet.append([])
    worksheet.append(cells.header())
    last_row = header_row
    for values in chain(first, rows):
        worksheet.append(cells.row(values))
        last_row += 1
    last_column = get_column_letter(len(sheet.columns))
    worksheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"


def lay_out(worksheet, *, pages_tall: int) -> None:
    """A worksheet read in the reader's direction (right to left in Persian and Arabic),
    printed landscape, one page wide and `pages_tall` pages tall (0: as many as needed)."""
    worksheet.sheet_view.rightToLeft = i18n.language() in i18n.RIGHT_TO_LEFT
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, pages_tall


class Cells:
    """A worksheet's cells as written: text as text, numbers and dates in their column's
    format, `Total` rows bold, text too long or too tall for its column wrapped (top
    aligned). A value needing no style is passed as it is: openpyxl's cheapest cell."""

    def __init__(self, worksheet, columns: tuple[Column, ...], widths: list[int]):
        self.worksheet = worksheet
        self.columns = columns
        self.formats = [FORMATS.get(column.kind) for column in columns]
        self.widths = widths
        self.styles = {}

    def header(self) -> list:
        """The header row: the columns' headers, bold."""
        return [self.made(column.header, None, True, False) for column in self.columns]

    def row(self, values) -> list:
        bold = isinstance(values, Total)
        return [
            self.cell(value, number_format, width, bold)
            for value, number_format, width in zip(values, self.formats, self.widths, strict=True)
        ]

    def cell(self, value, number_format: str | None, width: int, bold: bool = False):
        if isinstance(value, str):
            wrap = len(value) > width or "\n" in value
            # openpyxl reads these as a formula or an error value: their cells say "text".
            formula_like = value.startswith(("=", "#"))
            if not (wrap or bold or formula_like):
                return value
            return self.made(value, None, bold, wrap)
        if value is None or not (number_format or bold):
            return value
        return self.made(value, number_format, bold, False)

    def made(self, value, number_format: str | None, bold: bool, wrap: bool):
        """A cell of `value`, styled; text stays text."""
        from openpyxl.cell import Cell

        cell = Cell(self.worksheet, 1, 1, value, self.style(number_format, bold, wrap))
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    def style(self, number_format: str | None, bold: bool, wrap: bool):
        """The style of cells so formatted, built once per workbook sheet (styling each cell
        through openpyxl's attributes costs more than the rest of writing it)."""
        key = (number_format, bold, wrap)
        if key not in self.styles:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Alignment, Font

            model = WriteOnlyCell(self.worksheet)
            if number_format:
                model.number_format = number_format
            if bold:
                model.font = Font(bold=True)
            if wrap:
                model.alignment = Alignment(wrap_text=True, vertical="top")
            self.styles[key] = (
                model._style
            )  # its StyleArray: a few indices into the workbook's styles
        return self.styles[key]
