"""Old rows that input now refuses, stored straight into the database as older versions
let them in: a call in year 1, a renewal and a plan's follow-up in year 9999, control
characters in a note, a name and a reason. Every view still works for a reader west of
UTC (Alex, in New York), shows such a date as "invalid date", and the scheduled digest
posts; the reports hold the text without the characters a workbook refuses."""

import csv
import io
from datetime import date, datetime, timezone

import openpyxl
import pytest
from sqlalchemy import text

from storage.db import make_engine
from storage.models import PostStatus
from support.app import tick
from support.rows import account, add, call, grade, grade_request, plan, subscription
from support.shown import posts_to_channel, reported, section_texts, visible
from support.stored import stored_posts
from support.workspace import DIGEST_CHANNEL

YEAR_1 = datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc)
YEAR_9999 = date(9999, 12, 31)
INVALID = "invalid date"
# Tuesday 24 November 2026, 09:00 in New York: the subscription's next digest.
TOMORROW_9AM = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def old_rows(rapport):
    """Acme (its name holds a BEL) renews in 9999, has a note pasted from Word with a
    vertical tab and a form feed, a follow-up due in year 1, and an at-risk grade whose
    plan's follow-up is in 9999; Globex (an ESC) was only called in year 1 and has a grade
    request asked then. The digest channel is subscribed."""
    acme = account("Acme\x07 Corp", renewal_on=YEAR_9999, arr=120_000)
    globex = account("Globex\x1b", renewal_on=date(1, 1, 1))
    with rapport.sessions.begin() as s:
        add(s, acme, globex)
        low = grade("C", of=acme, reason="Slow\x0bsupport")
        add(
            s,
            call("Pasted\x0bfrom Word\x0c", of=acme, follow_up_on=date(1, 1, 2)),
            call("In year 1", of=globex, at=YEAR_1),
            low,
            plan(low, follow_up_on=YEAR_9999),
            grade_request(globex, asked_at=YEAR_1),
            subscription(),
        )


def test_account_list_and_show(slack, old_rows):
    listed = visible(slack.ask("/account", "list"))
    assert "Globex" in listed and INVALID in listed
    acme = visible(slack.ask("/account", "show acme"))
    assert f"Renewal: {INVALID}" in acme and "Pasted" in acme
    globex = visible(slack.ask("/account", "show globex"))
    assert f"• {INVALID}, <@U0001>: In year 1" in globex


def test_grade_pending(slack, old_rows):
    [pending] = section_texts(slack.ask("/grade", "pending"))
    assert f"*Globex\x1b*: <@U0003>, asked ({INVALID})" in pending


@pytest.mark.parametrize("verb", ["preview", "now"])
def test_digest_preview_and_now(slack, fake, old_rows, verb):
    assert slack.command("/digest", verb, channel_id=DIGEST_CHANNEL).status == 200
    slack.settle()
    replies = "\n".join(visible(c.args) for c in fake.calls_to("response_url"))
    assert "went wrong" not in replies
    shown = replies if verb == "preview" else visible(posts_to_channel(fake)[0])
    assert "Daily digest" in shown and f"overdue since {INVALID}" in shown
    assert f"aiming for B- by {INVALID}" in shown and f"last call {INVALID}" in shown


def test_the_scheduled_digest_posts(rapport, client, fake, clock, old_rows):
    clock.set(TOMORROW_9AM)
    tick(rapport, client)
    [posted] = posts_to_channel(fake)
    assert INVALID in visible(posted) and "Pasted" in visible(posted)
    [post] = stored_posts(rapport)
    assert post.status == PostStatus.POSTED


def test_the_home_tab(slack, fake, old_rows):
    opened = {"type": "app_home_opened", "user": "U0001", "channel": "D0001", "tab": "home"}
    assert slack.event(opened, event_id="EvHomeOld").status == 200
    view = visible(fake.wait_for("views.publish")[0].args["view"])
    assert f"Renewal: {INVALID}" in view and f"Next follow-up: {INVALID}" in view
    assert f"Last contact: {INVALID}" in view


def uploaded(fake) -> bytes:
    """The report's file: the upload's last, after a workbook's picture."""
    return fake.completed_upload()[-1].content


def by_header(sheet) -> list[dict]:
    """A sheet's rows under its first row's headers."""
    headers, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_the_report(slack, fake, old_rows):
    assert "Sent `rapport-report-2026-Q4.xlsx`" in reported(slack, "report")
    workbook = openpyxl.load_workbook(io.BytesIO(uploaded(fake)))
    accounts = by_header(workbook["Accounts"])
    assert [(a["Account"], a["Renewal"]) for a in accounts] == [
        ("Acme Corp", INVALID),
        ("Globex", INVALID),
    ]
    assert accounts[1]["Last contact"] == INVALID  # in year 1
    [note] = [row[3] for row in workbook["Calls"].iter_rows(min_row=2, values_only=True)]
    assert note == "Pastedfrom Word"
    [reason] = [row[5] for row in workbook["Grades"].iter_rows(min_row=2, values_only=True)]
    assert reason == "Slowsupport"


def test_the_export(slack, fake, old_rows):
    assert "Sent `rapport-accounts-2026-Q4.csv`" in reported(slack, "export")
    rows = list(csv.DictReader(io.StringIO(uploaded(fake).decode("utf-8-sig"))))
    assert [(row["Account"], row["Renewal"], row["Last contact"]) for row in rows] == [
        ("Acme Corp", INVALID, "2026-11-23 09:00"),
        ("Globex", INVALID, INVALID),
    ]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_year_one_moment_reads_back_whatever_the_sessions_zone(database_url, monkeypatch):
    """PGTZ (or the server's setting) west of UTC would make the driver read a year-1
    timestamptz as a year before 1; the engine's sessions run in UTC."""
    monkeypatch.setenv("PGTZ", "America/New_York")
    engine = make_engine(database_url)
    with engine.connect() as connection:
        moment = connection.scalar(text("SELECT TIMESTAMPTZ '0001-01-01 00:30+00'"))
    engine.dispose()
    assert moment == datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc)
