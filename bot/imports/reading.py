"""A CSV or .xlsx file as rows of cells, each with where it is in the file.

The format, for a person in Excel (README.md, "Importing accounts"):
- one table whose first row names the columns, in any order and any case;
- a `kind` column says what each row is: `account` (the default), `contact` or `call`;
- or, in a workbook, a sheet per kind named `accounts`, `contacts` and `calls`.
CSV files may be UTF-8 (with or without Excel's byte-order mark), UTF-16, or Excel's
Windows encoding, separated by commas, semicolons or tabs. Cells are data: a cell that
looks like a formula (`=SUM(A1)`) is read as that text, never evaluated.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from bot.errors import UserError
from bot.i18n import _, isolate, number

MAX_BYTES = 10 * 1024 * 1024  # what a DM may send; the CLI reads any size
MAX_ROWS = 50_000
KINDS = ("account", "contact", "call")
# Each column's name, and the other names people give it (compared without case, spaces
# or punctuation: "Follow-up date" is `followupdate`).
COLUMNS = {
    "kind": ("kind", "type", "record"),
    "account": ("account", "accountname", "client", "company"),
    "name": ("name",),  # the account's name in an account row, the contact's in a contact row
    "owner": ("owner", "accountmanager", "am"),
    "renewal": ("renewal", "renewaldate", "renewalon", "renews"),
    "arr": ("arr", "revenue", "annualrevenue"),
    "target": ("target", "growthtarget", "growth", "growthtargetpct"),
    "competitors": ("competitors", "competition"),
    "channel": ("channel", "slackchannel"),
    "question": ("question", "gradequestion"),
    "contact": ("contact", "contactname"),
    "role": ("role", "title", "jobtitle"),
    "department": ("department", "team", "dept"),
    "email": ("email", "emailaddress", "mail"),
    "slack": ("slack", "slackuser", "slackid", "slackuserid"),
    "language": ("language", "lang"),
    "when": ("when", "date", "calldate", "occurredat", "time", "datetime"),
    "notes": ("notes", "note", "summary"),
    "next_step": ("nextstep", "next"),
    "follow_up": ("followup", "followupdate", "followupon"),
    "with": ("with", "withcontacts", "attendees", "attended", "contacts"),
}
HEADERS = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
# Sheets whose name says the kind of their rows.
SHEET_KINDS = {"account": "account", "contact": "contact", "call": "call"}
# A CSV cell written by Rapport's own export starts with ' when it would look like a
# formula (bot/reports/files.py): read back, it is the text after it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    """A row of the file: its kind, its cells by column, and where it is (line 2 is the
    first row under the headers; `sheet` in a workbook of several)."""

    kind: str
    cells: dict
    line: int
    sheet: str | None = None


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    bad: list[tuple[Row, str]]  # rows of an unknown kind, with why
    ignored: tuple[str, ...]  # headers that name no column


def read(content: bytes, filename: str, *, max_rows: int | None = MAX_ROWS) -> Table:
    """The rows of a .csv or .xlsx file, or UserError saying why it can't be read."""
    is_xlsx = filename.lower().endswith(".xlsx") or content.startswith(XLSX_MAGIC)
    tables = _workbook(content) if is_xlsx else [(None, _csv_rows(content))]
    rows, bad, ignored = [], [], []
    several = len(tables) > 1
    for sheet, lines in tables:
        _read_table(sheet, lines, several, rows, bad, ignored)
        if max_rows is not None and len(rows) + len(bad) > max_rows:
            raise UserError(
                _(
                    "That file has more than {n} rows. Split it into files of {n} rows or fewer."
                ).format(n=isolate(number(max_rows)))
            )
    if not rows and not bad:
        raise UserError(
            _("I found no rows under the headers. See `/account import template` for the format.")
        )
    return Table(rows, bad, tuple(dict.fromkeys(ignored)))


def header_key(header) -> str:
    return re.sub(r"[\W_]", "", str(header or "").casefold())


def _read_table(sheet, lines, several: bool, rows: list, bad: list, ignored: list) -> None:
    lines = iter(lines)
    headers = next(lines, None)
    while headers is not None and not any(_text(cell) for cell in headers):
        headers = next(lines, None)  # blank lines above the headers
    if headers is None:
        return
    columns = [HEADERS.get(header_key(header)) for header in headers]
    ignored += [
        str(h).strip() for h, c in zip(headers, columns, strict=True) if c is None and _text(h)
    ]
    if not any(column in ("account", "name") for column in columns):
        where = _("sheet {sheet}").format(sheet=sheet) if sheet else _("the first row")
        raise UserError(
            _(
                "I couldn't find an `account` or `name` column in {where}. The first row "
                "names the columns: see `/account import template`."
            ).format(where=isolate(where))
        )
    sheet_kind = SHEET_KINDS.get(header_key(sheet).removesuffix("s")) if sheet else None
    for line, values in enumerate(lines, start=2):
        cells = {}
        for column, value in zip(columns, values, strict=False):
            if column is None or value is None or value == "" or column in cells:
                continue
            value = _cell(value)
            if value != "":
                cells[column] = value
        if not cells:
            continue  # a blank row
        kind_typed = str(cells.pop("kind", "") or sheet_kind or "account")
        kind = header_key(kind_typed).removesuffix("s")
        row = Row(kind, cells, line, sheet if several else None)
        if kind in KINDS:
            rows.append(row)
        else:
            bad.append(
                (
                    row,
                    _("“{kind}” isn't a kind of row: use `account`, `contact` or `call`.").format(
                        kind=isolate(kind_typed)
                    ),
                )
            )


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            return value[1:]
    return value


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decoded(content)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _decoded(content: bytes) -> str:
    """The file's text: UTF-16 or UTF-8 by their byte-order marks, else UTF-8, else
    Windows-1252 (what Excel writes as "CSV" on Windows)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _workbook(content: bytes) -> list[tuple[str, list]]:
    """Each worksheet of the workbook, by title: its rows of values. Formulas are kept as
    their text (never evaluated); a percentage cell (15% shown, 0.15 kept) reads as 15."""
    from openpyxl import load_workbook  # imported here, as in bot/reports/files.py
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UserError(_("I couldn't open that file as an .xlsx workbook.")) from error
    try:
        return [
            (sheet.title, [[_xlsx_value(cell) for cell in row] for row in sheet.iter_rows()])
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if isinstance(value, float | int) and "%" in (getattr(cell, "number_format", "") or ""):
        return f"{value * 100:g}%"
    if isinstance(value, datetime | date | int | float) or value is None:
        return value
    return str(value)
