"""Account reports: reading periods and scopes, gathering a known sample on a real
database (SQLite and PostgreSQL), and `/account report` and `/account export` end to
end, the uploaded files read back from the fake Slack."""

import csv
import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from conftest import NEW_YORK, START, visible
from sqlalchemy import event

from bot.accounts.names import name_key
from bot.errors import UserError
from bot.grades.scale import POINTS
from bot.reports import account_report, periods, values
from bot.reports.files import Column, Sheet, csv_bytes, xlsx
from storage.models import Account, Call, Grade, GradeRequest

TEAM, OTHER_TEAM = "T0001", "T0002"
ALEX, CAMILLE, GRADER = "U0001", "U0002", "U0003"
NY = ZoneInfo(NEW_YORK)


def at(*args) -> datetime:
    """A wall-clock time in New York, as an aware datetime."""
    return datetime(*args, tzinfo=NY)


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


# -- a known sample


def account(s, name, *, team=TEAM, owner=ALEX, **fields) -> Account:
    row = Account(
        team_id=team,
        name=name,
        name_key=name_key(name),
        owner_id=owner,
        created_by=owner,
        created_at=at(2026, 1, 5, 9, 0),
        **fields,
    )
    s.add(row)
    s.flush()
    return row


def call(s, of: Account, when: datetime, notes: str, **fields) -> None:
    fields.setdefault("private", False)
    s.add(
        Call(
            team_id=of.team_id,
            account_id=of.id,
            logged_by=of.owner_id,
            occurred_at=when,
            notes=notes,
            source="command",
            created_at=when,
            **fields,
        )
    )


def grade(s, of: Account, letter: str, when: datetime, reason: str) -> None:
    asked = GradeRequest(
        team_id=of.team_id,
        account_id=of.id,
        asked_by=of.owner_id,
        grader_id=GRADER,
        question="What grade would you give our proposals?",
        status="answered",
        asked_at=when - timedelta(days=1),
    )
    s.add(asked)
    s.flush()
    s.add(
        Grade(
            team_id=of.team_id,
            account_id=of.id,
            request_id=asked.id,
            grader_id=GRADER,
            grade=letter,
            points=POINTS[letter],
            reason=reason,
            graded_at=when,
        )
    )


@pytest.fixture
def sample(rapport):
    """Q3 2026 in New York: Acme (Alex's, at risk) and Globex (Camille's), with calls and
    grades on both sides of the quarter's edges; an archived account and another
    workspace's, which no report shows."""
    with rapport.sessions.begin() as s:
        acme = account(
            s, "Acme Corp", arr=120_000, growth_target_pct=15.0, renewal_on=date(2027, 3, 31)
        )
        globex = account(s, "Globex", owner=CAMILLE)
        initech = account(s, "Initech", archived_at=at(2026, 10, 2, 9, 0))
        theirs = account(s, "Acme Corp", team=OTHER_TEAM, owner="U0100")

        call(s, globex, at(2026, 6, 30, 23, 0), "Q2 catch-up")  # before the quarter
        call(
            s,
            acme,
            at(2026, 7, 15, 10, 0),
            "Kickoff with their CFO",
            next_step="Send the proposal",
            follow_up_on=date(2026, 7, 22),
        )
        # 23:30 in New York is already 1 October in UTC: still Q3 for the caller.
        call(
            s,
            acme,
            at(2026, 9, 30, 23, 30),
            "Secret pricing talk",
            private=True,
            next_step="Secret discount",
        )
        call(s, acme, at(2026, 10, 1, 0, 30), "Q4 already")  # after the quarter
        call(s, initech, at(2026, 8, 1, 9, 0), "Archived account's call")
        call(s, theirs, at(2026, 8, 1, 9, 0), "Another workspace's call")

        grade(s, globex, "A-", at(2026, 7, 2, 11, 0), "Great proposals.")
        grade(s, acme, "B+", at(2026, 8, 1, 14, 0), "Good, not proactive.")
        grade(s, acme, "C", at(2026, 9, 15, 16, 45), "Support is slow.")
        grade(s, acme, "A", at(2026, 10, 5, 9, 0), "After the quarter.")
        grade(s, initech, "F", at(2026, 8, 2, 9, 0), "Archived.")
        grade(s, theirs, "F", at(2026, 8, 2, 9, 0), "Another workspace.")


ACCOUNTS_HEADERS = [
    "Account",
    "Owner",
    "ARR",
    "Growth target %",
    "Renewal",
    "Calls in period",
    "Last contact",
    "Grades in period",
    "Latest grade",
    "At risk",
    "Recovery target",
]
ACME_ROW = [
    "Acme Corp",
    ALEX,
    120_000,
    15.0,
    datetime(2027, 3, 31),
    2,
    datetime(2026, 9, 30, 23, 30),
    2,
    "C",
    "yes",
    "B-",
]
GLOBEX_ROW = [
    "Globex",
    CAMILLE,
    None,
    None,
    None,
    0,
    datetime(2026, 6, 30, 23, 0),
    1,
    "A-",
    "no",
    None,
]
CALLS = [
    ["Acme Corp", datetime(2026, 7, 15, 10, 0), ALEX, "Kickoff with their CFO", "Send the proposal", datetime(2026, 7, 22)],
    ["Acme Corp", datetime(2026, 9, 30, 23, 30), ALEX, "(private)", None, None],
]  # fmt: skip
GRADES = [
    ["Globex", datetime(2026, 7, 2, 11, 0), GRADER, "A-", 3.7, "Great proposals."],
    ["Acme Corp", datetime(2026, 8, 1, 14, 0), GRADER, "B+", 3.3, "Good, not proactive."],
    ["Acme Corp", datetime(2026, 9, 15, 16, 45), GRADER, "C", 2.0, "Support is slow."],
]


def last_quarter() -> values.Request:
    return periods.parse("last quarter", tz=NEW_YORK, user_id=ALEX, now=START)


def test_gather_reads_the_sample_in_three_statements(rapport, sample):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(rapport.engine, "before_cursor_execute", count)
    try:
        report = account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=last_quarter())
    finally:
        event.remove(rapport.engine, "before_cursor_execute", count)
    assert sum(s.lstrip().startswith("SELECT") for s in statements) == 3
    assert [list(row) for row in report.accounts.rows] == [
        [*ACME_ROW[:4], date(2027, 3, 31), *ACME_ROW[5:]],
        GLOBEX_ROW,
    ]
    assert report.title == "Account report, Q3 2026 (all accounts)"


def test_gather_one_owners_accounts(rapport, sample):
    request = periods.parse("last quarter <@U0002>", tz=NEW_YORK, user_id=ALEX, now=START)
    report = account_report.gather(rapport, team_id=TEAM, tz=NEW_YORK, request=request)
    assert [row[0] for row in report.accounts.rows] == ["Globex"]
    assert report.calls.rows == []
    assert [row[0] for row in report.grades.rows] == ["Globex"]


# -- end to end


def uploaded(fake, index=-1):
    """The file the app uploaded: (filename, title, bytes), after checking the three steps."""
    completed = fake.wait_for("files.completeUploadExternal")[index]
    (file,) = completed.args["files"]
    upload = fake.uploads[file["id"]]
    assert completed.args["channel_id"] == "D0001"
    return upload.filename, upload.title, upload.content


def cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_report_uploads_a_workbook_to_the_callers_dm(slack, fake, sample):
    reply = visible(slack.ask("/account", "report last quarter"))
    assert "Sent `rapport-report-2026-Q3.xlsx` to our direct messages" in reply
    assert "2 accounts" in reply

    assert fake.calls_to("conversations.open")[0].args["users"] == ALEX
    filename, title, content = uploaded(fake)
    assert filename == "rapport-report-2026-Q3.xlsx"
    assert title == "Account report, Q3 2026 (all accounts)"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Accounts", "Calls", "Grades"]

    accounts = workbook["Accounts"]
    assert cells(accounts) == [ACCOUNTS_HEADERS, ACME_ROW, GLOBEX_ROW]
    assert all(cell.font.bold for cell in accounts[1])
    assert accounts["E2"].is_date and accounts["G2"].is_date
    assert accounts.column_dimensions["A"].width >= len("Acme Corp")

    calls = cells(workbook["Calls"])
    assert calls[0] == ["Account", "When", "Logged by", "Notes", "Next step", "Follow-up"]
    assert calls[1:] == CALLS
    grades = cells(workbook["Grades"])
    assert grades[0] == ["Account", "Date", "Grader", "Grade", "Points", "Reason"]
    assert grades[1:] == GRADES

    everything = repr([cells(sheet) for sheet in workbook.worksheets])
    for hidden in ("Secret", "Q4 already", "After the quarter", "Archived", "Another workspace"):
        assert hidden not in everything, hidden


def test_report_mine_and_in_the_dm_itself(slack, fake, sample):
    assert slack.command("/account", "report last quarter mine", channel_id="D0001").status == 200
    reply = visible(fake.wait_for("response_url")[-1].args)
    assert "Sent `rapport-report-2026-Q3.xlsx` here" in reply and "1 account." in reply
    workbook = openpyxl.load_workbook(io.BytesIO(uploaded(fake)[2]))
    assert [row[0] for row in cells(workbook["Accounts"])[1:]] == ["Acme Corp"]
    assert [row[0] for row in cells(workbook["Grades"])[1:]] == ["Acme Corp", "Acme Corp"]


def test_export_uploads_the_accounts_as_csv(slack, fake, sample):
    reply = visible(slack.ask("/account", "export last quarter"))
    assert "Sent `rapport-accounts-2026-Q3.csv`" in reply
    filename, title, content = uploaded(fake)
    assert filename == "rapport-accounts-2026-Q3.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ACCOUNTS_HEADERS,
        ["Acme Corp", ALEX, "120000", "15.0", "2027-03-31", "2", "2026-09-30 23:30", "2", "C", "yes", "B-"],
        ["Globex", CAMILLE, "", "", "", "0", "2026-06-30 23:00", "1", "A-", "no", ""],
    ]  # fmt: skip


def test_text_that_looks_like_a_formula_stays_text():
    sheet = Sheet("Accounts", (Column("Account"),), [("=HYPERLINK(1)",), ("-5",)])
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([sheet])))
    assert workbook["Accounts"]["A2"].data_type == "s"
    assert workbook["Accounts"]["A2"].value == "=HYPERLINK(1)"
    assert list(csv.reader(io.StringIO(csv_bytes(sheet).decode("utf-8-sig"))))[1:] == [
        ["'=HYPERLINK(1)"],
        ["'-5"],
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("report blursday", "couldn't read “blursday” as a period"),
        ("report 2026-11-15 to 2026-10-01", "ends before it starts"),
        ("export last quarter @camille", "Mention the owner"),
    ],
)
def test_bad_input_is_answered_with_an_example_and_nothing_is_uploaded(slack, fake, text, expected):
    reply = visible(slack.ask("/account", text))
    assert expected in reply and "/account report last quarter" in reply
    assert fake.calls_to("files.getUploadURLExternal") == []
    assert fake.uploads == {}


def test_a_failed_upload_is_reported(slack, fake, sample):
    fake.fail_next("files.completeUploadExternal", status=200, error="not_in_channel")
    reply = visible(slack.ask("/account", "report last quarter"))
    assert "something went wrong" in reply and "Sent" not in reply


def test_help_lists_report_and_export(slack):
    reply = visible(slack.ask("/account", "help"))
    assert "/account report last quarter mine" in reply and "/account export" in reply
