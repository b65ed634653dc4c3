"""Importing a book of accounts end to end: a CSV or .xlsx file DMed to the real `serve`
(a `file_share` message), the preview with its bad rows and nothing stored, the Import
button storing every good row in one transaction or none, the same file again changing
nothing; `/account import` and its template; `python -m bot import`."""

import csv
import io
import subprocess
import sys
import time

import pytest
from sqlalchemy import event, func, select, text

from bot.imports.ids import IMPORT_FILE
from storage.models import Account, AccountChange, Call, CallContact, CallSource, Contact
from support.books import book
from support.processes import environment
from support.shown import buttons, visible
from support.slack_requests import direct_message
from support.stored import count

ALEX = "U0001"


def share(slack, fake, name: str, content: bytes, *, event_id="EvFile1", text="") -> dict:
    """Alex DMs Rapport the file; the preview Rapport answered with."""
    file = fake.add_file(name, content)
    shared = {**direct_message(text), "subtype": "file_share", "files": [file]}
    seen = len(fake.calls_to("chat.postMessage"))
    assert slack.event(shared, event_id=event_id).status == 200
    return fake.wait_for("chat.postMessage", seen + 1, timeout=60)[-1].args


def press_import(slack, fake, preview: dict) -> dict:
    """Alex presses the preview's Import button; the message it was replaced with."""
    (button,) = [b for b in buttons(preview) if b["action_id"] == IMPORT_FILE]
    seen = len(fake.calls_to("response_url"))
    assert slack.action(action_id=IMPORT_FILE, value=button["value"], user_id=ALEX).status == 200
    slack.settle()
    return fake.wait_for("response_url", seen + 1)[-1].args


def stored_counts(rapport) -> dict:
    models = (Account, Contact, Call, CallContact, AccountChange)
    return {model.__name__: count(rapport, model) for model in models}


def test_a_500_account_csv_is_previewed_then_imported_once(slack, fake, rapport, database_url):
    sample = book(500, 5_000)
    started = time.perf_counter()
    preview = share(slack, fake, "book.csv", sample.csv())
    previewed = time.perf_counter() - started
    shown = visible(preview)
    assert "Import `book.csv`?" in shown and "Nothing is stored until you press Import" in shown
    assert "Accounts: 499 new, 0 updated, 0 unchanged" in shown
    assert "Contacts: 997 new" in shown and "Past calls: 4,999 new, 0 imported before" in shown
    assert "3 rows can't be imported" in shown
    assert sample.bad_lines == (501, 999, 4000)
    for line in sample.bad_lines:
        assert f"line {line}:" in shown
    assert "“lots” isn't an amount" in shown and "“not an email” is not an email" in shown
    assert "the day after never" in shown
    assert set(stored_counts(rapport).values()) == {0}  # the preview stored nothing

    started = time.perf_counter()
    result = press_import(slack, fake, preview)
    imported = time.perf_counter() - started
    assert result["replace_original"] is True
    assert "Imported `book.csv`" in visible(result) and "3 rows can't be imported" in visible(
        result
    )
    stored = stored_counts(rapport)
    assert stored == {
        "Account": 499,
        "Contact": 997,
        "Call": 4_999,
        "CallContact": 4_999,
        "AccountChange": 997,  # each contact added, in its account's history
    }
    with rapport.reads.begin() as s:
        acme = s.scalar(select(Account).where(Account.name == "Client 00007"))
        assert (acme.owner_id, acme.arr, acme.growth_target_pct) == (ALEX, 7_000, 15.0)
        assert str(acme.renewal_on) == "2027-08-15" and acme.competitors == "Globex, Initech"
        call = s.scalar(select(Call).where(Call.notes.startswith("Call 6:")))
        assert call.source == CallSource.IMPORT and call.logged_by == ALEX
        assert call.next_step == "Send the proposal" and [c.name for c in call.contacts] == [
            "Dana 7"
        ]
        # "2026-11-01 03:00" read in Alex's timezone (New York, EST then)
        assert call.occurred_at.isoformat() == "2026-11-01T08:00:00+00:00"
        assert s.scalar(select(func.count()).where(Call.import_key.is_(None))) == 0

    again = press_import(slack, fake, preview)  # the same file, pressed again
    assert "Accounts: 0 new, 0 updated, 499 unchanged" in visible(again)
    assert "Past calls: 0 new, 4,999 imported before" in visible(again)
    assert stored_counts(rapport) == stored
    print(f"\n500-account CSV on {database_url.split(':')[0]}: preview {previewed:.2f} s, "
          f"import {imported:.2f} s")  # fmt: skip


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_import_leaves_the_planner_the_statistics_of_what_it_stored(slack, fake, rapport):
    """Without them, until autovacuum ran, a report right after a large import was planned
    as for empty tables (bench/reports.py: minutes instead of seconds)."""
    press_import(slack, fake, share(slack, fake, "book.csv", book(50, 500).csv()))
    with rapport.reads.begin() as s:
        estimated = s.scalars(
            text(
                "SELECT reltuples FROM pg_class WHERE oid IN"
                " ('accounts'::regclass, 'contacts'::regclass, 'calls'::regclass)"
                " ORDER BY relname"
            )
        ).all()
    assert estimated == [49, 499, 97]  # accounts, calls, contacts


def test_a_failure_in_the_middle_stores_nothing(slack, fake, rapport):
    preview = share(slack, fake, "book.csv", book(40, 400).csv())

    def fail_on_attendees(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO CALL_CONTACTS"):
            raise RuntimeError("the database went away")

    event.listen(rapport.engine, "before_cursor_execute", fail_on_attendees)
    try:
        told = len(fake.calls_to("chat.postMessage")) + len(fake.calls_to("response_url"))
        (button,) = buttons(preview)
        slack.action(action_id=IMPORT_FILE, value=button["value"], user_id=ALEX)
        slack.settle()
    finally:
        event.remove(rapport.engine, "before_cursor_execute", fail_on_attendees)
    # accounts, contacts and calls were written before the failing statement: none is kept
    assert set(stored_counts(rapport).values()) == {0}
    answers = fake.calls_to("chat.postMessage") + fake.calls_to("response_url")
    assert len(answers) > told and "went wrong" in visible(answers[-1].args)
    press_import(slack, fake, preview)  # pressed again, once the database is back
    assert stored_counts(rapport)["Call"] == 399


def test_an_xlsx_with_owners_by_email_imports_too(slack, fake, rapport):
    fake.add_user("U0004", name="jordan", email="jordan@example.com")
    sample = book(20, 100, owner="Jordan@example.com")
    preview = share(slack, fake, "Book.XLSX", sample.xlsx())
    shown = visible(preview)
    assert "Accounts: 19 new" in shown
    assert all(f"line {line}:" in shown for line in sample.bad_lines)
    assert fake.calls_to("users.lookupByEmail")[0].args["email"] == "Jordan@example.com"
    assert len(fake.calls_to("users.lookupByEmail")) == 1  # once per distinct owner
    press_import(slack, fake, preview)
    with rapport.reads.begin() as s:
        assert set(s.scalars(select(Account.owner_id))) == {"U0004"}
    assert count(rapport, Call) == 99 and count(rapport, Contact) == 37


def test_owners_by_handle_and_id_and_unknown_ones(slack, fake, rapport):
    content = (
        "account,owner\nAcme,@Camille\nGlobex,<@U0003>\nInitech,@nobody\nUmbrella,x@nowhere.example\n"
    ).encode()
    preview = share(slack, fake, "owners.csv", content)
    shown = visible(preview)
    assert "line 4: No one in this Slack workspace is @nobody" in shown
    assert "line 5: No one in this Slack workspace has the email x@nowhere.example" in shown
    assert len(fake.calls_to("users.list")) == 1
    press_import(slack, fake, preview)
    with rapport.reads.begin() as s:
        owners = {name: owner for name, owner in s.execute(select(Account.name, Account.owner_id))}
    assert owners == {"Acme": "U0002", "Globex": "U0003"}


def test_changes_to_stored_accounts_are_the_importers_in_their_history(slack, fake, rapport):
    press_import(slack, fake, share(slack, fake, "v1.csv", book(3, 3, bad=False).csv()))
    changed = "kind,account,arr,renewal,owner\naccount,Client 00002,250k,2028-01-31,\n"
    preview = share(slack, fake, "v2.csv", changed.encode(), event_id="EvFile2")
    assert "Accounts: 0 new, 1 updated, 0 unchanged" in visible(preview)
    press_import(slack, fake, preview)
    with rapport.reads.begin() as s:
        changes = list(s.scalars(select(AccountChange).where(AccountChange.kind == "set")))
    assert sorted((c.field, c.old_value, c.new_value, c.changed_by) for c in changes) == [
        ("arr", "2000", "250000", ALEX),
        ("renewal", "2027-03-15", "2028-01-31", ALEX),
    ]


def test_someone_elses_account_is_not_changed_by_an_import(slack, fake, rapport):
    press_import(slack, fake, share(slack, fake, "v1.csv", book(2, 0, bad=False).csv()))
    changed = "account,arr\nClient 00001,5k\n"
    fake.calls.clear()
    file = fake.add_file("theirs.csv", changed.encode())
    shared = {**direct_message("", user_id="U0002"), "subtype": "file_share", "files": [file]}
    slack.event(shared, event_id="EvFile3")
    slack.settle()
    shown = visible(fake.wait_for("chat.postMessage")[-1].args)
    assert "line 2: Only <@U0001> (the owner) or a Rapport admin can change" in shown
    assert "Nothing to import" in shown and IMPORT_FILE not in shown


def test_a_retried_delivery_previews_once_and_log_with_a_file_is_a_call(slack, fake, rapport):
    content = book(2, 2, bad=False).csv()
    share(slack, fake, "book.csv", content)
    file = fake.add_file("book.csv", content)
    retried = {**direct_message(""), "subtype": "file_share", "files": [file]}
    slack.event(retried, event_id="EvFile1", retry_num=1)
    slack.settle()
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert count(rapport, Account) == 0
    press_import(slack, fake, share(slack, fake, "v1.csv", content, event_id="EvFile2"))
    logged = {**retried, "text": "log Client 00001 1 hour ago: deck attached"}
    slack.event(logged, event_id="EvFile3")
    slack.settle()
    assert "Logged a call with Client 00001" in visible(fake.calls_to("chat.postMessage")[-1].args)
    with rapport.reads.begin() as s:
        assert s.scalar(select(Call.source).where(Call.notes == "deck attached")) == CallSource.DM


def test_files_too_large_or_unreadable_are_refused_clearly(slack, fake, rapport):
    big = share(slack, fake, "big.csv", b"account\n" + b"x" * (10 * 1024 * 1024))
    assert "over 10 MB" in visible(big)
    broken = share(slack, fake, "broken.xlsx", b"PK\x03\x04 not a workbook", event_id="EvFile2")
    assert "couldn't open that file as an .xlsx workbook" in visible(broken)
    headless = share(slack, fake, "x.csv", b"foo,bar\n1,2\n", event_id="EvFile3")
    assert "couldn't find an `account` or `name` column" in visible(headless)
    assert count(rapport, Account) == 0


def test_account_import_explains_and_sends_the_template(slack, fake, rapport):
    assert "Send me the .csv or .xlsx file" in visible(slack.ask("/account", "import"))
    reply = visible(slack.ask("/account", "import template"))
    assert "Sent `rapport-import-template.csv` to our direct messages" in reply
    completed = fake.wait_for("files.completeUploadExternal")[-1]
    content = fake.uploads[completed.args["files"][0]["id"]].content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "kind", "account", "owner", "renewal", "arr", "growth target", "competitors", "channel"
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["account", "contact", "call"]
    # Sent back as it is (its example owner given as Alex's id), it imports.
    filled = content.decode("utf-8-sig").replace("alex@example.com", ALEX).encode()
    preview = share(slack, fake, "template.csv", filled)
    assert "Accounts: 1 new" in visible(preview) and "Past calls: 1 new" in visible(preview)
    assert "can't be imported" not in visible(preview)


def test_the_cli_previews_with_dry_run_then_imports(tmp_path, database_url, rapport):
    path = tmp_path / "book.csv"
    path.write_bytes(book(30, 300).csv())

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot", "import", str(path), "--team", "T0001", *args],
            cwd=tmp_path,
            env=environment(DATABASE_URL=database_url),
            capture_output=True,
            text=True,
            timeout=120,
        )

    dry = run("--dry-run", "--by", ALEX)
    assert dry.returncode == 0, dry.stderr
    assert "Preview of book.csv (nothing stored)" in dry.stdout
    assert "accounts: 29 new" in dry.stdout and "line 31:" in dry.stdout
    assert count(rapport, Account) == 0
    done = run("--by", ALEX)
    assert done.returncode == 0, done.stderr
    assert "Imported book.csv" in done.stdout and "past calls: 299 new" in done.stdout
    assert (count(rapport, Account), count(rapport, Call)) == (29, 299)
    again = run("--by", ALEX)
    assert "past calls: 0 new, 299 imported before" in again.stdout
    assert count(rapport, Call) == 299


def test_the_cli_without_a_token_needs_owners_as_ids(tmp_path, database_url, rapport):
    path = tmp_path / "book.csv"
    path.write_bytes(b"account,owner\nAcme,alex@example.com\nGlobex,U0002\nInitech,\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(path), "--team", "T0001"],
        cwd=tmp_path,
        env=environment(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "without SLACK_BOT_TOKEN, owners must be Slack user ids" in result.stdout
    assert "line 4: Give the account an owner" in result.stdout
    with rapport.reads.begin() as s:
        assert list(s.execute(select(Account.name, Account.owner_id))) == [("Globex", "U0002")]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_excel_encodings_and_semicolons_and_formulas_are_read_as_data(
    slack, fake, rapport, encoding
):
    content = 'name;owner;competitors\nCafé Noir;U0001;=HYPERLINK("x")\n'.encode(encoding)
    press_import(slack, fake, share(slack, fake, "excel.csv", content))
    with rapport.reads.begin() as s:
        assert list(s.execute(select(Account.name, Account.competitors))) == [
            ("Café Noir", '=HYPERLINK("x")')
        ]


def test_the_event_is_acknowledged_before_the_file_is_read(slack, fake, rapport):
    release = fake.hold_next("files.info")
    file = fake.add_file("book.csv", book(2, 2, bad=False).csv())
    shared = {**direct_message(""), "subtype": "file_share", "files": [file]}
    assert slack.event(shared).status == 200  # while Slack still holds files.info
    assert fake.calls_to("chat.postMessage") == []
    release.set()
    slack.settle()
    assert "Accounts: 2 new" in visible(fake.wait_for("chat.postMessage")[-1].args)


def test_a_file_deleted_before_import_is_told_and_nothing_stored(slack, fake, rapport):
    preview = share(slack, fake, "book.csv", book(2, 2, bad=False).csv())
    fake.shared.clear()  # deleted from Slack meanwhile
    (button,) = buttons(preview)
    slack.action(action_id=IMPORT_FILE, value=button["value"], user_id=ALEX)
    slack.settle()
    told = fake.wait_for("response_url")[-1].args
    assert "That file is no longer in Slack. Send it to me again." in visible(told)
    assert count(rapport, Account) == 0
