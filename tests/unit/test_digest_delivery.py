"""Scheduled digests posted by the scheduler's tick with the clock moved: user text escaped,
quiet days, and each call in exactly one digest. Nothing here sleeps to wait for time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.calls import logcall
from support.app import tick
from support.rows import subscription
from support.shown import posts_to_channel
from support.stored import stored_posts
from support.workspace import ALEX

NEW_YORK = ZoneInfo("America/New_York")


def test_user_text_reaches_slack_escaped(rapport, clock, client, fake, subscribed):
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    posted = str(fake.calls_to("chat.postMessage"))
    assert "<!channel>" not in posted and "&lt;!channel&gt; renewal &amp; pricing" in posted


def test_a_quiet_day_posts_one_line_or_nothing(rapport, clock, client, fake):
    with rapport.sessions.begin() as s:
        s.add(subscription())
        s.add(subscription(channel_id="C0QUIET", skip_quiet=True))
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    [line] = posts_to_channel(fake)
    assert "Quiet" in line["text"]
    assert [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0QUIET"] == []
    assert sorted(p.status for p in stored_posts(rapport)) == ["posted", "quiet"]


def test_each_call_is_in_exactly_one_digest(rapport, clock, client, fake, subscribed):
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=NEW_YORK))
    logcall.log_text(rapport, user=ALEX, text="Acme: signed the order form", source="command")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)

    monday, tuesday = (str(post) for post in posts_to_channel(fake))
    assert "renewal &amp; pricing" in monday and "signed the order form" not in monday
    assert "signed the order form" in tuesday and "renewal &amp; pricing" not in tuesday
