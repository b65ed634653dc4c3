"""Writing report sheets as files: an .xlsx workbook (openpyxl) or one CSV."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

# Number formats of the .xlsx cells, by column kind; other kinds are written as they are.
FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0",
    "points": "0.0",
}
WIDEST = 60  # characters: longer notes wrap in the cell rather than widen the column
# A spreadsheet reads text starting with these as a formula (CSV injection): in the CSV
# such text is prefixed with an apostrophe; in the workbook it is stored as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, number, money, points, date, datetime


@dataclass(frozen=True)
class Sheet:
    """A table: values are str, int, float, date, naive datetime (local time) or None."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple]


def xlsx(sheets: list[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet: bold header row, frozen; real dates."""
    # Imported here: a twentieth of a second at start-up, for the few who ask for reports.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append([column.header for column in sheet.columns])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        for values in _rows(sheet):
            worksheet.append(values)
            for cell, column in zip(worksheet[worksheet.max_row], sheet.columns, strict=True):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif column.kind in FORMATS and cell.value is not None:
                    cell.number_format = FORMATS[column.kind]
        for index, column in enumerate(sheet.columns, start=1):
            width = max([len(column.header), *(_width(row[index - 1]) for row in sheet.rows)])
            worksheet.column_dimensions[get_column_letter(index)].width = min(width, WIDEST) + 2
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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # imported here: see xlsx()

    for values in sheet.rows:
        yield [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]


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
