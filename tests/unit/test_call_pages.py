"""`/account calls` pages, `/account search` words and the page cursor, as data: whole
notes within Slack's limits, cursors that refuse what our buttons never carry, and query
text that is only ever words. Models are built in memory."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.blocks import BLOCKS_MAX, SECTION_TEXT_MAX
from bot.calls import messages
from bot.calls.values import CallPage, Cursor
from storage.queries.search import words
from support.rows import account, call
from support.shown import buttons, section_texts

NEW_YORK = "America/New_York"
AT = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)


def page_of(calls, more=False) -> CallPage:
    acme = account("Acme Corp", id=7)
    return CallPage(acme, calls, Cursor(acme.id), more)


def test_the_longest_notes_escaped_five_times_over_stay_whole_within_slacks_limits():
    worst = "&" * 9_999 + "!"  # each & is written &amp;: 50,000 characters
    calls = [call(worst, id=i, at=AT - timedelta(hours=i)) for i in range(1, 11)]
    message = messages.calls_page(page_of(calls), NEW_YORK, "U0001")

    texts = section_texts(message)
    assert len(message["blocks"]) <= BLOCKS_MAX
    assert all(len(text) <= SECTION_TEXT_MAX for text in texts)
    shown = "".join(texts)
    whole = shown.count("&amp;!")  # the calls shown, each whole
    assert 1 <= whole < 10 and shown.count("&amp;") == 9_999 * whole
    assert not any(t.rstrip("\u2069").endswith(("&", "&a", "&am", "&amp")) for t in texts)
    (older,) = buttons(message)  # the other calls come on the next pages
    last = calls[whole - 1]
    assert Cursor.read(older["value"]) == Cursor(7, None, None, last.occurred_at, last.id)


def test_a_page_holds_many_short_calls_and_hides_others_private_notes():
    calls = [call(f"note {i}", id=i, at=AT - timedelta(hours=i)) for i in range(1, 11)]
    calls[2].private = True
    message = messages.calls_page(page_of(calls), NEW_YORK, "U0002")
    shown = json.dumps(message["blocks"])
    assert "note 1" in shown and "note 10" in shown and "note 3" not in shown
    assert "_private note_" in shown and buttons(message) == []


@pytest.mark.parametrize(
    "value",
    [
        "",
        "7",
        "7:::",
        "x::::",
        "0::::",
        "7::::5",
        "7:::5:",
        "7:2026-01-01:::",
        "7:::1e3:2",
        "7:2026-02-30:2026-03-01::",
        "2147483648::::",
        "7:::99999999999999999999:1",
        7,
        None,
    ],
)
def test_a_cursor_holds_only_what_our_buttons_carry(value):
    with pytest.raises(ValueError):
        Cursor.read(value)


def test_a_cursor_reads_back_what_it_wrote():
    cursor = Cursor(7, date(2026, 9, 1), date(2026, 11, 29), AT + timedelta(microseconds=3), 12)
    assert Cursor.read(cursor.value()) == cursor
    assert Cursor.read(Cursor(7).value()) == Cursor(7)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ('"', []),
        ("AND (", ["AND"]),
        ('renewal" OR "x', ["renewal", "OR", "x"]),
        ("NEAR(a b)", ["NEAR", "a", "b"]),
        ("col:renewal*", ["col", "renewal"]),
        ("شركة‌ها", ["شرکة", "ها"]),  # Arabic kaf, a ZWNJ
        ("đồng", ["dồng"]),
    ],
)
def test_search_reads_only_words(typed, read):
    assert words(typed) == read
