"""The local console, in-process: the real app and database, Slack played by the console."""

import io

import openpyxl
import pytest

from bot.app import JOBS, create_app
from bot.runtime.console import Console


@pytest.fixture
def console(settings, tmp_path):
    out = io.StringIO()
    console = Console(settings, out, create_app=create_app, jobs=JOBS, files=tmp_path / "files")
    yield console, out
    console.close()


def typed(console_and_out, *lines: str) -> str:
    console, out = console_and_out
    start = out.tell()
    for line in lines:
        assert console.handle(line)
    out.seek(start)
    return out.read()


def test_a_grade_is_asked_answered_and_turned_into_a_plan(console):
    typed(console, "/account add Acme Corp")
    asked = typed(console, "/grade Acme @client")
    assert "[DM to @client]" in asked
    assert (
        "buttons: [A+]  [A]  [A-]  [B+]  [B]  [B-]  [C+]  [C]  [C-]  [D+]  [D]  [D-]  [F]" in asked
    )

    assert "This question was for @client" in typed(console, "press C")
    answered = typed(console, "as @client", "press C", "submit too slow on proposals")
    assert "[form] Your grade: C" in answered
    assert "Acme Corp is at risk: @client gave it a C" in answered and "aim for B-" in answered

    planned = typed(console, "as @you", "press Plan follow-up", "submit a pricing proposal")
    assert "Follow-up call planned" in planned and "a pricing proposal" in planned

    home = typed(console, "home")
    assert home.index("Needs attention") < home.index("Acme Corp") and "aim for B-" in home


def test_dates_show_in_the_machine_timezone_and_text_plainly(console):
    reply = typed(console, "/account add Acme & Sons", "/logcall Acme 2 hours ago: <b>kickoff</b>")
    assert "Added Acme & Sons" in reply and "<b>kickoff</b>" in reply
    assert "<!date^" not in reply and "*" not in reply


def test_what_the_console_does_not_know_is_said_plainly(console):
    assert "no button “Z”" in typed(console, "press Z")
    assert "no form is open" in typed(console, "submit hello")
    assert "Type what you would in Slack" in typed(console, "help")
    assert console[0].handle("quit") is False


def test_a_report_and_an_export_are_saved_where_the_console_says(console, tmp_path):
    typed(console, "/account add Acme Corp", "/logcall Acme 2 hours ago: kickoff")
    shown = typed(console, "/account report", "/account export")
    saved = sorted((tmp_path / "files").iterdir())
    assert [path.suffix for path in saved] == [".csv", ".xlsx"]
    for path in saved:
        assert f"saved {path}" in shown
    assert "Traceback" not in shown and "went wrong" not in shown
    workbook = openpyxl.load_workbook(saved[1])
    assert workbook["Accounts"]["A2"].value == "Acme Corp"
    assert "Acme Corp" in saved[0].read_text()
