"""Books of accounts to import (bot/imports/): a CSV of accounts, their contacts and past
calls, with a few rows that can't be imported; for tests/flows/test_flow_import.py and
bench/imports.py."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

HEADERS = [
    "kind", "account", "owner", "renewal", "ARR", "growth target", "competitors", "channel",
    "contact", "role", "department", "email", "language",
    "when", "notes", "next step", "follow-up date", "with",
]  # fmt: skip


@dataclass(frozen=True)
class Book:
    rows: list[list]  # under HEADERS
    bad_lines: tuple[int, ...]  # the lines that can't be imported (line 1: the headers)
    accounts: int  # good rows of each kind
    contacts: int
    calls: int

    def csv(self) -> bytes:
        """As Excel saves "CSV UTF-8": with a byte-order mark, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8-sig")

    def xlsx(self) -> bytes:
        """The same rows in a workbook of one sheet (dates and amounts as typed text)."""
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADERS)
        for row in self.rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def book(
    accounts: int = 500,
    calls: int = 5_000,
    *,
    owner: str = "U0001",
    before: datetime = datetime(2026, 11, 1, 9, 0),
    bad: bool = True,
) -> Book:
    """`accounts` accounts owned by `owner` (the last one with an ARR that can't be read
    when `bad`), two contacts for each other account (one of them with an email that isn't
    one), and `calls` past calls spread over them, each before `before` and with the
    account's first contact (one of them at a time that can't be read)."""
    rows, bad_lines = [], []
    named = accounts - 1 if bad else accounts  # the accounts with contacts and calls
    for i in range(1, accounts + 1):
        arr = "lots" if bad and i == accounts else str(1_000 * i)
        if arr == "lots":
            bad_lines.append(len(rows) + 2)
        rows.append(
            ["account", _name(i), owner, f"2027-{i % 12 + 1:02d}-15", arr, "15%",
             "Globex, Initech", "", "", "", "", "", "", "", "", "", "", ""]
        )  # fmt: skip
    for i in range(1, named + 1):
        email = "not an email" if bad and i == named // 2 else f"sam{i}@client.example"
        if email == "not an email":
            bad_lines.append(len(rows) + 3)
        rows.append(
            ["contact", _name(i), "", "", "", "", "", "", f"Dana {i}", "CFO", "Finance",
             f"dana{i}@client.example", "en", "", "", "", "", ""]
        )  # fmt: skip
        rows.append(
            ["contact", _name(i), "", "", "", "", "", "", f"Sam {i}", "CTO", "Engineering",
             email, "", "", "", "", "", ""]
        )  # fmt: skip
    for j in range(calls):
        i = j % named + 1
        when = before - timedelta(hours=j)
        typed = "the day after never" if bad and j == calls // 2 else f"{when:%Y-%m-%d %H:%M}"
        if typed == "the day after never":
            bad_lines.append(len(rows) + 2)
        rows.append(
            ["call", _name(i), "", "", "", "", "", "", "", "", "", "", "", typed,
             f"Call {j}: went through the renewal of {_name(i)}", "Send the proposal",
             f"{when + timedelta(days=14):%Y-%m-%d}", f"Dana {i}"]
        )  # fmt: skip
    n_bad = 3 if bad else 0
    return (
        Book(rows, tuple(bad_lines), accounts - bad, 2 * named - bad, calls - bad)
        if n_bad
        else Book(rows, (), accounts, 2 * named, calls)
    )


def _name(i: int) -> str:
    return f"Client {i:05d}"
