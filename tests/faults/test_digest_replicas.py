"""Digests across replicas: several ticking at once (threads, and processes) post once; a
claim left by a dead replica is taken over after its lease; a digest missed while every
replica was down is posted late that day only. The clock is injected and moved; nothing
here sleeps to wait for time."""

import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.digests import delivery
from bot.runtime.claims import LEASE
from storage.models import DigestSubscription
from support.app import tick, tick_together
from support.processes import environment
from support.shown import posts_to_channel
from support.stored import stored_posts
from support.workspace import BOT_TOKEN

NEW_YORK = ZoneInfo("America/New_York")


def test_three_replicas_post_the_digest_once(rapport, replicas, clock, client, fake, subscribed):
    clock.set(datetime(2026, 11, 23, 8, 59, tzinfo=NEW_YORK))
    three = [rapport, *replicas]
    tick_together(three, client)
    assert posts_to_channel(fake) == []

    clock.advance(minutes=1)
    tick_together(three, client)
    [post] = posts_to_channel(fake)
    [stored] = stored_posts(rapport)
    assert (stored.status, stored.local_date) == ("posted", date(2026, 11, 23))
    assert stored.message_ts  # recorded

    clock.advance(hours=3)
    tick_together(three, client)
    assert len(posts_to_channel(fake)) == 1


def test_a_claim_left_by_a_dead_replica_is_posted_once_after_its_lease(
    rapport, clock, client, fake, subscribed
):
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK)
    clock.set(monday_9)
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
    clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # late, the same day

    clock.set(datetime(2026, 11, 25, 0, 30, tzinfo=NEW_YORK))  # Tuesday's was missed entirely
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # not posted on Wednesday
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert [p.local_date for p in stored_posts(rapport)] == [date(2026, 11, 23), date(2026, 11, 25)]


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
    env = environment()
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
