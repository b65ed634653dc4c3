"""The local console, in-process: the real app and database, Slack played by the console."""

import io
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import create_engine, select, text

from bot.app import JOBS, create_app
from bot.runtime.console import Console
from storage.models import Call
from support.processes import environment


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
    assert [path.suffix for path in saved] == [".csv", ".png", ".xlsx"]  # .png: the summary's
    for path in saved:
        assert f"saved {path}" in shown
    assert "Traceback" not in shown and "went wrong" not in shown
    assert "• Accounts: 1" in shown  # the summary posted with the report
    workbook = openpyxl.load_workbook(saved[2])
    assert workbook["Accounts"]["A2"].value == "Acme Corp"
    assert "Acme Corp" in saved[0].read_text()


# -- the console as a newcomer runs it: `python -m bot console` in a folder of their own


def bot(folder, *args, stdin: str, **settings) -> subprocess.CompletedProcess:
    """`python -m bot *args` run in `folder`, `stdin` piped in, with only `settings` set."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=folder,
        env=environment(**settings),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_piped_report_is_written_under_reports_and_its_path_printed(tmp_path):
    result = bot(tmp_path, "console", stdin="/account add Acme\n/account report\n")
    assert result.returncode == 0, result.stderr
    picture, saved = sorted((tmp_path / "reports").iterdir())
    assert (picture.suffix, saved.suffix) == (".png", ".xlsx")
    assert f"saved {saved} (" in result.stdout  # the whole path, to open it
    assert openpyxl.load_workbook(saved)["Accounts"]["A2"].value == "Acme"
    assert "Traceback" not in result.stdout + result.stderr


def test_reports_go_where_reports_says(tmp_path):
    result = bot(
        tmp_path, "console", "--reports", "out/sheets", stdin="/account add Acme\n/account export\n"
    )
    [saved] = (tmp_path / "out" / "sheets").iterdir()
    assert f"saved {saved} (" in result.stdout and "Acme" in saved.read_text()
    assert not (tmp_path / "reports").exists()


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("accounts", "calls", "grades", "grade_requests", "account_changes")
            }
    finally:
        engine.dispose()


def test_demo_plays_in_demo_db_and_leaves_your_database_byte_for_byte(tmp_path):
    yours = f"sqlite:///{tmp_path / 'rapport.db'}"
    bot(tmp_path, "console", stdin="/account add Acme Corp\n/account set Acme arr 5k\n")
    before = (tmp_path / "rapport.db").read_bytes()

    # DATABASE_URL names your database: --demo plays elsewhere all the same.
    first = bot(tmp_path, "console", "--demo", stdin="/account list\n", DATABASE_URL=yours)
    assert first.returncode == 0, first.stderr
    assert "on sqlite:///demo.db" in first.stdout and "a sample team is ready" in first.stdout
    assert "3 accounts" in first.stdout and "Globex, @sam" in first.stdout
    seeded = counts(f"sqlite:///{tmp_path / 'demo.db'}")
    assert seeded["accounts"] == 3 and seeded["calls"] == 3 and seeded["grades"] == 1

    # Again: the demo database has accounts, so nothing is added; the console opens on it.
    again = bot(tmp_path, "console", "--demo", stdin="/account list\n", DATABASE_URL=yours)
    assert again.returncode == 0, again.stderr
    assert "the sample team was not added: sqlite:///demo.db already has accounts" in again.stdout
    assert "3 accounts" in again.stdout and "Globex, @sam" in again.stdout
    assert counts(f"sqlite:///{tmp_path / 'demo.db'}") == seeded

    assert (tmp_path / "rapport.db").read_bytes() == before


def test_demo_refuses_to_seed_a_database_named_with_accounts(tmp_path):
    yours = f"sqlite:///{tmp_path / 'rapport.db'}"
    bot(tmp_path, "console", stdin="/account add Acme Corp\n")
    before = counts(yours)
    result = bot(tmp_path, "console", "--demo", "--database", yours, stdin="/account list\n")
    assert result.returncode == 0, result.stderr
    assert "the sample team was not added" in result.stdout and "1 account" in result.stdout
    assert counts(yours) == before and not (tmp_path / "demo.db").exists()


# -- forms: every field, the account picker and the contacts too


def test_the_log_call_form_is_filled_field_by_field(console, rapport):
    typed(console, "/account add Acme Corp", "/account add Acme Labs")
    typed(console, "/account contact add Acme Corp Dana Lee, CFO, Finance")
    typed(console, "/account contact add Acme Corp Sam Roe, CTO, IT")
    form = typed(console, "/logcall")
    assert "[form] Log a client call" in form
    for key in ("account", "contacts", "when", "notes", "next_step", "follow_up", "private"):
        assert re.search(rf"^  {key} +\S", form, re.MULTILINE), key

    logged = typed(
        console,
        "submit account=acme corp; contacts=Dana, sam; when=yesterday 3pm; "
        "notes=Went through the renewal; pricing next; next_step=send the proposal; "
        "follow_up=2026-12-04; private=yes",
    )
    assert "Logged a call with Acme Corp" in logged and "the form stays open" not in logged
    with rapport.reads.begin() as s:
        [stored] = s.scalars(select(Call)).all()
        assert stored.account.name == "Acme Corp"
        assert stored.notes == "Went through the renewal; pricing next"
        assert stored.next_step == "send the proposal"
        assert stored.follow_up_on == date(2026, 12, 4)
        assert stored.private is True
        assert sorted(c.name for c in stored.contacts) == ["Dana Lee", "Sam Roe"]
        local = stored.occurred_at.astimezone(ZoneInfo(console[0].tz))
        assert (local.hour, local.minute) == (15, 0)
        assert local.date() == datetime.now(ZoneInfo(console[0].tz)).date() - timedelta(days=1)


def test_what_slack_or_the_app_refuses_is_shown_under_its_field(console, rapport):
    typed(console, "/account add Acme Corp", "/account add Acme Labs", "/logcall")
    alone = typed(console, "submit")
    assert "account: required: fill it in" in alone and "notes: required: fill it in" in alone
    assert "  follow_up  Follow up on (a day, YYYY-MM-DD)" in alone  # the form, with its keys

    wrong = typed(console, "submit account=Acme; notes=x; follow_up=next week")
    assert "account: “Acme” could be Acme Corp, Acme Labs: type more of it" in wrong
    assert "follow_up: “next week” is not a day: pick one as YYYY-MM-DD" in wrong
    assert "no field “colour”" in typed(console, "submit colour=red")
    assert "notes: Must be 3000 characters or fewer" in typed(
        console, "submit account=Acme Labs; notes=" + "x" * 3001
    )

    # The app's own refusal, under the field it names; the form stays open for another try.
    future = typed(console, "submit account=Acme Labs; notes=kickoff; when=in 3 weeks")
    assert "(the form stays open)\n  when: “in 3 weeks” is in the future" in future
    assert "Logged a call with Acme Labs" in typed(
        console, "submit account=acme labs; notes=kickoff; when=2 hours ago"
    )
    with rapport.reads.begin() as s:
        [stored] = s.scalars(select(Call)).all()
        assert stored.account.name == "Acme Labs" and stored.private is False
    assert "no form is open" in typed(console, "form")
