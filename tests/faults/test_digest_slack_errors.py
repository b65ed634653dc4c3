"""Slack refusing a scheduled digest: a rate limit is waited out and the digest posted once;
a 5xx is not resent blindly (Slack may have posted it); errors no retry can mend pause the
subscription and tell whoever subscribed. The clock is moved; nothing sleeps."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.runtime.claims import LEASE
from storage.models import DigestSubscription
from support.app import make_client, tick
from support.shown import posts_to_channel
from support.stored import stored_posts

NEW_YORK = ZoneInfo("America/New_York")


def test_a_rate_limit_is_waited_out_and_the_digest_posted_once(
    rapport, settings, clock, fake, subscribed
):
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, make_client(settings))
    attempts = fake.calls_to("chat.postMessage")
    assert len(attempts) == 2  # the 429, then the post after Retry-After
    assert [p.status for p in stored_posts(rapport)] == ["posted"]


def test_a_5xx_is_not_blindly_resent(rapport, clock, client, fake, subscribed):
    fake.fail_next("chat.postMessage", status=503)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
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
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    with rapport.reads.begin() as s:
        sub = s.scalars(select(DigestSubscription)).one()
        assert (sub.status, sub.paused_reason) == ("paused", error)
    told = [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "U0001"]
    assert error in str(told) and "paused" in str(told)

    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK))
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 1  # only the refused attempt
