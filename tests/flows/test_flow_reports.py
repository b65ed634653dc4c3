"""`/account report` and `/account export` end to end: signed requests to the real `serve`
server, the uploaded files read back from the fake Slack and compared with what a report
of the known sample (support/report_sample.py) shows."""

import csv
import io

import openpyxl
import pytest

from support.report_sample import (
    ACCOUNTS_HEADERS,
    ACME_ROW,
    ALEX,
    CALLS,
    CAMILLE,
    GLOBEX_ROW,
    GRADER,
    GRADES,
)
from support.shown import reported, visible

# -- end to end


def uploaded(fake, index=-1):
    """The report's file, the upload's last (a workbook comes after its picture):
    (filename, title, bytes), after checking it went to the caller's DM."""
    completed = fake.wait_for("files.completeUploadExternal")[index]
    assert completed.args["channel_id"] == "D0001"
    file = fake.completed_upload(index)[-1]
    return file.filename, file.title, file.content


SHEETS = ["Summary", "Accounts", "Renewals", "Forecast", "Calls", "Grades"]
# The workbook shows people by their Slack names (support/workspace.py PEOPLE).
NAMES = {ALEX: "alex", CAMILLE: "camille", GRADER: "client"}


def named(rows: list[list]) -> list[list]:
    """The sample's expected rows with each person's id replaced by their Slack name."""
    return [
        [NAMES.get(cell, cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    ]


def cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_report_uploads_a_workbook_to_the_callers_dm(slack, fake, report_sample):
    reply = reported(slack, "report last quarter")
    assert "Sent `rapport-report-2026-Q3.xlsx` to our direct messages" in reply
    assert "2 accounts" in reply

    assert fake.calls_to("conversations.open")[0].args["users"] == ALEX
    filename, title, content = uploaded(fake)
    assert filename == "rapport-report-2026-Q3.xlsx"
    assert title == "Account report, Q3 2026 (all accounts)"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[:6] == SHEETS

    accounts = workbook["Accounts"]
    assert cells(accounts) == [ACCOUNTS_HEADERS, *named([ACME_ROW, GLOBEX_ROW])]
    assert all(cell.font.bold for cell in accounts[1])
    assert accounts["I2"].is_date and accounts["M2"].is_date
    assert accounts.column_dimensions["A"].width >= len("Acme Corp")

    calls = cells(workbook["Calls"])
    assert calls[0] == ["Account", "When", "Logged by", "Notes", "Next step", "Follow-up"]
    assert calls[1:] == named(CALLS)
    grades = cells(workbook["Grades"])
    assert grades[0] == ["Account", "Date", "Grader", "Grade", "Points", "Reason"]
    assert grades[1:] == named(GRADES)

    everything = repr([cells(sheet) for sheet in workbook.worksheets])
    for hidden in ("Secret", "Q4 already", "After the quarter", "Archived", "Another workspace"):
        assert hidden not in everything, hidden


def test_report_mine_and_in_the_dm_itself(slack, fake, report_sample):
    assert slack.command("/account", "report last quarter mine", channel_id="D0001").status == 200
    building, sent = (visible(r.args) for r in fake.wait_for("response_url", 2))
    assert "Building your report of Q3 2026…" in building
    reply = sent
    assert "Sent `rapport-report-2026-Q3.xlsx` here" in reply and "1 account." in reply
    workbook = openpyxl.load_workbook(io.BytesIO(uploaded(fake)[2]))
    assert [row[0] for row in cells(workbook["Accounts"])[1:]] == ["Acme Corp"]
    assert [row[0] for row in cells(workbook["Grades"])[1:]] == ["Acme Corp", "Acme Corp"]


def test_export_uploads_the_accounts_as_csv(slack, fake, report_sample):
    reply = reported(slack, "export last quarter")
    assert "Sent `rapport-accounts-2026-Q3.csv`" in reply
    filename, title, content = uploaded(fake)
    assert filename == "rapport-accounts-2026-Q3.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ACCOUNTS_HEADERS,
        ["Acme Corp", "alex", "100000", "120000", "20.0", "15.0", "3.8", "on track", "2027-03-31", "Dana Scully; Fox Mulder", "Initrode", "2", "2026-09-30 23:30", "0", "2", "C", "yes", "B-", "planned"],
        ["Globex", "camille", "", "", "", "", "", "", "", "", "", "0", "2026-06-30 23:00", "92", "1", "A-", "no", "", ""],
    ]  # fmt: skip


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


def test_a_failed_upload_is_reported(slack, fake, report_sample):
    fake.fail_next("files.completeUploadExternal", status=200, error="not_in_channel")
    reply = reported(slack, "report last quarter")
    assert "something went wrong" in reply and "Sent" not in reply


def test_help_lists_report_and_export(slack):
    reply = visible(slack.ask("/account", "help"))
    assert "/account report last quarter mine" in reply and "/account export" in reply


# -- issue 16's periods


def test_report_q3_is_the_same_quarter_as_last_quarter(slack, fake, report_sample):
    reply = reported(slack, "report Q3")
    assert "Sent `rapport-report-2026-Q3.xlsx` to our direct messages" in reply
    filename, title, content = uploaded(fake)
    assert (filename, title) == (
        "rapport-report-2026-Q3.xlsx",
        "Account report, Q3 2026 (all accounts)",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert cells(workbook["Calls"])[1:] == named(CALLS)
    assert cells(workbook["Grades"])[1:] == named(GRADES)


def test_report_this_month_and_last_month(slack, fake, report_sample):
    reply = reported(slack, "report this month")
    assert "Sent `rapport-report-2026-11.xlsx`" in reply
    filename, title, content = uploaded(fake)
    assert title == "Account report, November 2026 (all accounts)"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert cells(workbook["Calls"])[1:] == [] and cells(workbook["Grades"])[1:] == []

    reply = reported(slack, "report last month")
    assert "Sent `rapport-report-2026-10.xlsx`" in reply
    filename, title, content = uploaded(fake)
    assert title == "Account report, October 2026 (all accounts)"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    everything = repr([cells(workbook["Calls"]), cells(workbook["Grades"])])
    assert "Q4 already" in everything and "After the quarter." in everything
    assert "Support is slow." not in everything


def test_an_unknown_period_lists_the_forms(slack, fake, report_sample):
    reply = visible(slack.ask("/account", "report this decade"))
    assert "couldn't read “this decade” as a period" in reply
    assert "`Q3 2026`" in reply and "`YTD`" in reply and "`last 12 months`" in reply
    assert not fake.calls_to("files.completeUploadExternal")


# -- issue 16's real names


def test_the_workbook_and_its_title_name_people_not_ids(slack, fake, report_sample):
    slack.ask("/account", f"report last quarter <@{CAMILLE}|camille>")
    filename, title, content = uploaded(fake)
    assert title == "Account report, Q3 2026 (accounts of camille)"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert [row[1] for row in cells(workbook["Accounts"])[1:]] == ["camille"]
    everything = repr([cells(sheet) for sheet in workbook.worksheets])
    assert "U000" not in everything
    # users.info once per person and report, not once per row.
    asked = [call.args["user"] for call in fake.calls_to("users.info")]
    assert len(asked) == len(set(asked))


def test_people_slack_cannot_name_are_shown_by_id(slack, fake, report_sample):
    # A month without calls or grades, of the caller's accounts: only their own name and
    # profile are now cached.
    reported(slack, "report this month mine")
    fake.reset()
    fake.fail_next("users.info", status=200, error="user_not_found", times=10)
    slack.ask("/account", "report last quarter")
    workbook = openpyxl.load_workbook(io.BytesIO(uploaded(fake)[2]))
    assert [row[1] for row in cells(workbook["Accounts"])[1:]] == ["alex", CAMILLE]
    assert cells(workbook["Calls"])[1][2] == "alex"
    assert {row[2] for row in cells(workbook["Grades"])[1:]} == {GRADER}


def test_a_second_report_names_people_from_the_cache_without_asking_slack(
    slack, fake, report_sample
):
    slack.ask("/account", "report last quarter")
    fake.wait_for("files.completeUploadExternal", 1)
    asked = len(fake.calls_to("users.info"))
    assert asked  # the people of the report, once each
    slack.ask("/account", "report last quarter")
    fake.wait_for("files.completeUploadExternal", 2)
    assert len(fake.calls_to("users.info")) == asked
    first, second = (
        cells(openpyxl.load_workbook(io.BytesIO(uploaded(fake, n)[2]))["Accounts"]) for n in (0, 1)
    )
    assert first == second and first[1][1] == "alex"
