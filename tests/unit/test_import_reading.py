"""Reading an import file (bot/imports/reading.py): columns by any of their names, kinds
of rows, sheets, Excel's encodings and cells, and the limits."""

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from bot.errors import UserError
from bot.imports.reading import read


def cells(table) -> list[tuple]:
    return [(row.kind, row.cells, row.line, row.sheet) for row in table.rows]


def test_columns_are_found_by_any_of_their_names_and_blank_rows_skipped():
    content = (
        "Name,Account Manager,Growth Target,Follow-up date,With (contacts),Colour\n"
        "Acme,U0001,15%,,,blue\n,,,,,\nGlobex,,,,,\n"
    ).encode()
    table = read(content, "book.csv")
    assert cells(table) == [
        ("account", {"name": "Acme", "owner": "U0001", "target": "15%"}, 2, None),
        ("account", {"name": "Globex"}, 4, None),
    ]
    assert table.ignored == ("Colour",)


def test_the_kind_column_and_unknown_kinds():
    content = b"kind,account,contact\nContacts,Acme,Dana\nmeeting,Acme,\n"
    table = read(content, "book.csv")
    assert cells(table) == [("contact", {"account": "Acme", "contact": "Dana"}, 2, None)]
    ((row, why),) = table.bad
    assert row.line == 3 and "“meeting” isn't a kind of row" in why


@pytest.mark.parametrize(
    "encoded",
    [
        "\ufeffaccount;competitors\nCafé;'=1+1\n".encode(),
        "account;competitors\nCafé;'=1+1\n".encode("cp1252"),
        "account\tcompetitors\nCafé\t'=1+1\n".encode("utf-16"),
    ],
)
def test_excel_encodings_separators_and_formulas_as_text(encoded):
    assert cells(read(encoded, "book.csv")) == [
        ("account", {"account": "Café", "competitors": "=1+1"}, 2, None)
    ]


def test_a_workbooks_sheets_say_the_kind_and_its_cells_keep_their_values():
    workbook = Workbook()
    accounts = workbook.active
    accounts.title = "Accounts"
    accounts.append(["name", "renewal", "target", "competitors"])
    accounts.append(["Acme", datetime(2027, 3, 31), 0.15, "=SUM(A1:A2)"])
    accounts["C2"].number_format = "0%"
    calls = workbook.create_sheet("Calls")
    calls.append(["account", "when", "notes"])
    calls.append(["Acme", datetime(2026, 11, 2, 15, 0), "kickoff"])
    out = io.BytesIO()
    workbook.save(out)
    table = read(out.getvalue(), "book.xlsx")
    assert cells(table) == [
        (
            "account",
            {"name": "Acme", "renewal": datetime(2027, 3, 31), "target": "15%", "competitors": "=SUM(A1:A2)"},
            2,
            "Accounts",
        ),
        ("call", {"account": "Acme", "when": datetime(2026, 11, 2, 15, 0), "notes": "kickoff"}, 2, "Calls"),
    ]  # fmt: skip


def test_refusals_say_what_to_do():
    with pytest.raises(UserError, match="more than 2 rows"):
        read(b"account\nA\nB\nC\n", "book.csv", max_rows=2)
    with pytest.raises(UserError, match="no rows under the headers"):
        read(b"account\n", "book.csv")
    with pytest.raises(UserError, match="couldn't find an `account` or `name` column"):
        read(b"who,what\n1,2\n", "book.csv")
    with pytest.raises(UserError, match="couldn't open that file as an .xlsx"):
        read(b"PK\x03\x04junk", "book.xlsx")
