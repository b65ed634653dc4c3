"""Slack mrkdwn (bot/mrkdwn.py): user text escaped, dates as Slack's date tokens."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.mrkdwn import date_token, escape
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
