"""Slack mrkdwn (bot/mrkdwn.py): user text escaped, dates as Slack's date tokens, and
stored dates out of range shown as "invalid date"."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import mrkdwn
from bot.mrkdwn import EARLIEST, INVALID_DATE, LATEST, date_token, day, escape
from support.clock import START

PARIS = ZoneInfo("Europe/Paris")
NOW = START


def test_escape_neutralises_mentions_and_links():
    assert escape("<!channel> & <https://evil.example|click>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"
    )
    assert escape("a &amp; b") == "a &amp;amp; b"  # escaped once more: shown as typed
    assert escape("plain") == "plain"


def test_date_token_has_slacks_format_and_a_local_fallback():
    moment = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)
    epoch = int(moment.timestamp())
    assert date_token(moment, "America/New_York") == (
        f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 12:00 EST>"
    )
    assert date_token(moment, "Europe/Paris") == (
        f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 18:00 CET>"
    )
    assert (
        date_token(moment, "UTC")
        == f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 17:00 UTC>"
    )


def test_date_token_epoch_does_not_depend_on_the_given_offset():
    in_paris = datetime(2026, 11, 23, 18, 0, tzinfo=PARIS)
    assert date_token(in_paris, "UTC").startswith(f"<!date^{int(NOW.timestamp())}^")


@pytest.mark.parametrize(
    "moment",
    [datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc), datetime(9999, 12, 31, 23, 0, tzinfo=PARIS)],
)
def test_a_moment_out_of_range_is_an_invalid_date_in_any_timezone(moment):
    assert date_token(moment, "America/New_York") == INVALID_DATE
    assert date_token(moment, "Pacific/Kiritimati") == INVALID_DATE


def test_a_day_out_of_range_is_an_invalid_date():
    assert day(date(9999, 12, 31)) == day(date(1899, 12, 31)) == INVALID_DATE
    assert day(EARLIEST) == "Mon 01 Jan 1900" and day(LATEST) == "Tue 31 Dec 2199"


def test_the_range_ends_are_shown_in_every_timezone():
    first = datetime.combine(EARLIEST, time(), timezone.utc)
    last = datetime.combine(LATEST, time(23, 59), timezone.utc)
    assert "|Sun 31 Dec 1899 19:00 EST>" in date_token(first, "America/New_York")
    assert "|Wed 01 Jan 2200 13:59 +14>" in date_token(last, "Pacific/Kiritimati")


def test_dates_out_of_range_are_logged_once_per_kind(caplog, monkeypatch):
    monkeypatch.setattr(mrkdwn, "_warned", set())
    for year in (1, 2, 9999):
        date_token(datetime(year, 6, 1, tzinfo=timezone.utc), "UTC")
        day(date(year, 6, 2))
    assert [r.getMessage() for r in caplog.records] == [
        "a stored moment is out of range (0001-06-01 00:00:00+00:00): shown as 'invalid date'",
        "a stored day is out of range (0001-06-02): shown as 'invalid date'",
    ]
