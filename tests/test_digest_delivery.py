"""Scheduled digests: due dates, exactly one post across replicas (threads and processes),
a dead replica's claim taken over after its lease, rate limits, 5xx and hopeless errors.
The clock is injected and moved; nothing here sleeps to wait for time."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ALEX, BOT_TOKEN, DIGEST_CHANNEL, at, subscription, tick_together
from sqlalchemy import select
from testing import make_client, tick

from bot.calls import logcall
from bot.digests import delivery, schedule
from bot.runtime.claims import LEASE
from bot.runtime.context import make_rapport
from storage.models import DigestPost, DigestSubscription

NEW_YORK = ZoneInfo("America/New_York")


def posts_to_channel(fake) -> list[dict]:
    return [
        c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == DIGEST_CHANNEL
    ]


def stored_posts(rapport) -> list[DigestPost]:
    with rapport.reads.begin() as s:
        return list(s.scalars(select(DigestPost)))


# -- when a digest is due


def test_due_on_weekdays_after_the_local_time():
    weekly = subscription()
    monday_0859 = datetime(2026, 11, 23, 8, 59, tzinfo=NEW_YORK)
    assert schedule.due_date(weekly, monday_0859) is None
    assert schedule.due_date(weekly, monday_0859 + timedelta(minutes=1)) == date(2026, 11, 23)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=NEW_YORK)
    assert schedule.due_date(weekly, saturday) is None
    assert schedule.due_date(subscription(days="daily"), saturday) == date(2026, 11, 28)


def test_the_first_digest_is_the_first_scheduled_time_after_subscribing():
    at_noon = subscription(created_at=datetime(2026, 11, 23, 12, 0, tzinfo=NEW_YORK))
    monday_13 = datetime(2026, 11, 23, 13, 0, tzinfo=NEW_YORK)
    assert schedule.due_date(at_noon, monday_13) is None
    assert schedule.next_post_at(at_noon, monday_13, posted_today=False) == datetime(
        2026, 11, 24, 9, 0, tzinfo=NEW_YORK
    )
    assert schedule.due_date(at_noon, monday_13 + timedelta(hours=20)) == date(2026, 11, 24)


def test_the_next_post_time_skips_weekends_and_what_was_posted():
    weekly = subscription()
    friday_10 = datetime(2026, 11, 27, 10, 0, tzinfo=NEW_YORK)
    assert schedule.next_post_at(weekly, friday_10, posted_today=True) == datetime(
        2026, 11, 30, 9, 0, tzinfo=NEW_YORK
    )
    assert schedule.next_post_at(weekly, friday_10, posted_today=False) == friday_10  # late, now
    friday_8 = datetime(2026, 11, 27, 8, 0, tzinfo=NEW_YORK)
    assert schedule.next_post_at(weekly, friday_8, posted_today=False) == datetime(
        2026, 11, 27, 9, 0, tzinfo=NEW_YORK
    )


# -- exactly once


def test_three_replicas_post_the_digest_once(rapport, settings, clock, client, fake, subscribed):
    at(clock, datetime(2026, 11, 23, 8, 59, tzinfo=NEW_YORK))
    replicas = [rapport] + [make_rapport(settings, clock=clock) for _ in range(2)]
    tick_together(replicas, client)
    assert posts_to_channel(fake) == []

    clock.advance(minutes=1)
    tick_together(replicas, client)
    [post] = posts_to_channel(fake)
    [stored] = stored_posts(rapport)
    assert (stored.status, stored.local_date) == ("posted", date(2026, 11, 23))
    assert stored.message_ts  # recorded

    clock.advance(hours=3)
    tick_together(replicas, client)
    assert len(posts_to_channel(fake)) == 1


def test_user_text_reaches_slack_escaped(rapport, clock, client, fake, subscribed):
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    posted = str(fake.calls_to("chat.postMessage"))
    assert "<!channel>" not in posted and "&lt;!channel&gt; renewal &amp; pricing" in posted


def test_a_claim_left_by_a_dead_replica_is_posted_once_after_its_lease(
    rapport, clock, client, fake, subscribed
):
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK)
    at(clock, monday_9)
    with rapport.reads.begin() as s:
        sub = s.scalars(select(DigestSubscription)).one()
    assert delivery._claim(rapport, sub, date(2026, 11, 23))  # ...and the replica dies here

    clock.advance(minutes=4)
    tick(rapport, client)
    assert posts_to_channel(fake) == []

    clock.advance(seconds=LEASE.total_seconds() - 4 * 60 + 1)
    tick(rapport, client)
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1
    assert [p.status for p in stored_posts(rapport)] == ["posted"]


def test_a_digest_missed_while_all_replicas_were_down_is_posted_late_that_day_only(
    rapport, clock, client, fake, subscribed
):
    at(clock, datetime(2026, 11, 23, 23, 30, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # late, the same day

    at(clock, datetime(2026, 11, 25, 0, 30, tzinfo=NEW_YORK))  # Tuesday's was missed entirely
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # not posted on Wednesday
    at(clock, datetime(2026, 11, 25, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert [p.local_date for p in stored_posts(rapport)] == [date(2026, 11, 23), date(2026, 11, 25)]


# -- delivery


def test_a_rate_limit_is_waited_out_and_the_digest_posted_once(
    rapport, settings, clock, fake, subscribed
):
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, make_client(settings))
    attempts = fake.calls_to("chat.postMessage")
    assert len(attempts) == 2  # the 429, then the post after Retry-After
    assert [p.status for p in stored_posts(rapport)] == ["posted"]


def test_a_5xx_is_not_blindly_resent(rapport, clock, client, fake, subscribed):
    fake.fail_next("chat.postMessage", status=503)
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    clock.advance(minutes=LEASE.total_seconds() / 60 + 1)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1
    [post] = stored_posts(rapport)
    assert post.status == "failed" and "not resent" in post.detail


@pytest.mark.parametrize(
    "error", ["channel_not_found", "not_in_channel", "is_archived", "token_revoked"]
)
def test_hopeless_errors_pause_the_subscription_and_tell_its_creator(
    rapport, clock, client, fake, subscribed, error
):
    fake.fail_next("chat.postMessage", status=200, error=error)
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    with rapport.reads.begin() as s:
        sub = s.scalars(select(DigestSubscription)).one()
        assert (sub.status, sub.paused_reason) == ("paused", error)
    told = [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "U0001"]
    assert error in str(told) and "paused" in str(told)

    at(clock, datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # only the refused attempt


def test_a_quiet_day_posts_one_line_or_nothing(rapport, clock, client, fake):
    with rapport.sessions.begin() as s:
        s.add(subscription())
        s.add(subscription(channel_id="C0QUIET", skip_quiet=True))
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    [line] = posts_to_channel(fake)
    assert "Quiet" in line["text"]
    assert [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0QUIET"] == []
    assert sorted(p.status for p in stored_posts(rapport)) == ["posted", "quiet"]


# -- separate processes


TICK_ONCE = """
import sys
from slack_sdk import WebClient
from bot.app import JOBS
from bot.runtime import scheduler
from bot.runtime.context import make_rapport
from bot.runtime.settings import Settings
from bot.runtime.slack_client import configure_client
settings = Settings(slack_bot_token=sys.argv[2], slack_api_url=sys.argv[3], database_url=sys.argv[1])
rapport = make_rapport(settings)
client = configure_client(WebClient(token=settings.slack_bot_token), settings)
print("ready", flush=True)
sys.stdin.readline()
scheduler.tick(rapport, client, JOBS)
print("done", flush=True)
"""


def test_three_processes_ticking_at_once_post_once(rapport, settings, fake, subscribed):
    with rapport.sessions.begin() as s:  # due whatever the real time: daily at 00:00 UTC
        sub = s.scalars(select(DigestSubscription)).one()
        sub.at_time, sub.tz, sub.days = "00:00", "UTC", "daily"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", TICK_ONCE, settings.database_url, BOT_TOKEN, fake.url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:  # released together
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0 and "done" in out
    assert len(posts_to_channel(fake)) == 1
    assert [p.status for p in stored_posts(rapport)] == ["posted"]


def test_each_call_is_in_exactly_one_digest(rapport, clock, client, fake, subscribed):
    at(clock, datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    at(clock, datetime(2026, 11, 23, 9, 30, tzinfo=NEW_YORK))
    logcall.log_text(rapport, user=ALEX, text="Acme: signed the order form", source="command")
    at(clock, datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)

    monday, tuesday = (str(post) for post in posts_to_channel(fake))
    assert "renewal &amp; pricing" in monday and "signed the order form" not in monday
    assert "signed the order form" in tuesday and "renewal &amp; pricing" not in tuesday
