"""A replica killed at each step of posting a digest (issue #6). After the lease another
replica takes the claim over: the channel gets the digest once, or, where nobody can know
whether Slack posted it, not again; and the next digest shows the calls that one may have
missed. Deaths are deterministic: the replica raises `ReplicaDied` at one step, which
nothing catches, as a killed process stops there; one test kills a real process. A replica
that only stalls past its lease, its claim taken over meanwhile, stops at its next step."""

import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.digests import delivery
from bot.digests import messages as digest_messages
from bot.runtime.claims import LEASE
from storage.models import Account
from support.app import tick
from support.processes import environment
from support.shown import posts_to_channel
from support.stored import stored_posts
from support.workspace import BOT_TOKEN

NEW_YORK = ZoneInfo("America/New_York")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK)
TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=NEW_YORK)
MONDAY_CALL = "renewal &amp; pricing"  # the `subscribed` call, as the digest shows it


class ReplicaDied(BaseException):
    """Not an Exception: tick lets it through, as a killed process stops dead."""


# The calls a replica can die at: bot.digests' function or the client's method, and which call.
RENDER = ("render", lambda **_: True)
MARK_POSTING = ("_record", lambda **values: values.get("status") == "posting")
POST_MESSAGE = ("chat_postMessage", lambda **args: "thread_ts" not in args)
RECORD_TS = ("_record", lambda **values: "message_ts" in values)
POST_REPLY = ("chat_postMessage", lambda **args: "thread_ts" in args)
MARK_POSTED = ("_record", lambda **values: values.get("status") == "posted")


@dataclass(frozen=True)
class Step:
    """Where the replica dies, and what the channel and the claim end up with."""

    name: str
    call: tuple[str, Callable[..., bool]]  # the call it dies at
    after: bool  # dies once the call is done (its answer lost), else just before it
    messages: int  # digests in the channel, in the end
    replies: int  # of the 2 in its thread
    status: str  # the DigestPost's
    shown_again: bool  # Monday's call is in Tuesday's digest too: the takeover could not know


# fmt: off
STEPS = [
    #    the replica dies...                       at            after  msgs replies status again
    Step("claimed, before rendering",              RENDER,       False, 1, 2, "posted", False),
    Step("rendered, before `posting` commits",     MARK_POSTING, False, 1, 2, "posted", False),
    Step("`posting`, before the message is sent",  POST_MESSAGE, False, 0, 0, "failed", True),
    Step("message posted, its answer lost",        POST_MESSAGE, True,  1, 0, "failed", True),
    Step("message posted, before its ts commits",  RECORD_TS,    False, 1, 0, "failed", True),
    Step("ts recorded, before the thread",         POST_REPLY,   False, 1, 0, "posted", True),
    Step("first reply posted, its answer lost",    POST_REPLY,   True,  1, 1, "posted", True),
    Step("thread posted, before `posted` commits", MARK_POSTED,  False, 1, 2, "posted", True),
]
# fmt: on


def dying(function: Callable, step: Step) -> Callable:
    """`function`, except that the replica dies at the call `step` names."""

    def dies(*args, **kwargs):
        if not step.call[1](**kwargs):
            return function(*args, **kwargs)
        if step.after:
            function(*args, **kwargs)
        raise ReplicaDied(step.name)

    return dies


@pytest.fixture
def threaded(rapport, subscribed, monkeypatch):
    """Monday's digest has a thread of 2 replies (calls, renewals): Slack's block limit is
    lowered to 1 block a message, and Acme renews within 90 days."""
    monkeypatch.setattr(digest_messages, "BLOCKS_MAX", 1)
    with rapport.sessions.begin() as s:
        s.execute(update(Account).values(renewal_on=date(2026, 12, 15)))


@pytest.fixture
def survivor(replicas):
    """Another replica: a Rapport of its own on the same database and clock."""
    return replicas[0]


def claims(rapport) -> list[tuple]:
    return [(p.status, p.message_ts, p.lease_until) for p in stored_posts(rapport)]


def split(posts: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the channel messages, the thread replies)"""
    return [p for p in posts if "thread_ts" not in p], [p for p in posts if "thread_ts" in p]


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_a_replica_killed_while_posting_a_digest(
    step, rapport, survivor, clock, client, fake, threaded, monkeypatch
):
    clock.set(MONDAY_9)
    with monkeypatch.context() as dead:
        name = step.call[0]
        target = client if name == "chat_postMessage" else delivery
        dead.setattr(target, name, dying(getattr(target, name), step))
        with pytest.raises(ReplicaDied):
            tick(rapport, client)
    left = posts_to_channel(fake), claims(rapport)

    clock.advance(seconds=LEASE.total_seconds() - 1)
    tick(survivor, client)
    assert (posts_to_channel(fake), claims(rapport)) == left  # nothing happens in the lease

    clock.advance(seconds=2)  # the lease has run out
    tick(survivor, client)
    tick(survivor, client)
    messages, replies = split(posts_to_channel(fake))
    assert (len(messages), len(replies)) == (step.messages, step.replies)
    [post] = stored_posts(rapport)
    assert (post.status, post.message_ts is not None) == (step.status, step.status == "posted")
    assert ("replica died" in (post.detail or "")) == step.shown_again

    monday = len(posts_to_channel(fake))
    clock.set(TUESDAY_9)
    tick(survivor, client)
    tuesday = str(posts_to_channel(fake)[monday:])
    assert "Daily digest" in tuesday and (MONDAY_CALL in tuesday) == step.shown_again


# -- a real process, killed while Slack holds its chat.postMessage

TICK_AT = """
import sys
from datetime import datetime
from types import SimpleNamespace
from slack_sdk import WebClient
from bot.app import JOBS
from bot.runtime import scheduler
from bot.runtime.context import make_rapport
from bot.runtime.settings import Settings
from bot.runtime.slack_client import configure_client
url, token, api_url, moment = sys.argv[1:]
settings = Settings(slack_bot_token=token, slack_api_url=api_url, database_url=url)
clock = SimpleNamespace(now=lambda: datetime.fromisoformat(moment))
client = configure_client(WebClient(token=token), settings)
scheduler.tick(make_rapport(settings, clock=clock), client, JOBS)
"""


def test_a_replica_killed_with_its_post_in_flight_is_not_resent(
    rapport, survivor, settings, clock, client, fake, subscribed
):
    fake.delay_next("chat.postMessage", 60)  # Slack has the post; the answer is held back
    args = [settings.database_url, BOT_TOKEN, fake.url, MONDAY_9.astimezone(UTC).isoformat()]
    replica = subprocess.Popen(
        [sys.executable, "-c", TICK_AT, *args],
        env=environment(),
    )
    try:
        fake.wait_for("chat.postMessage", timeout=60)
    finally:
        replica.kill()
        replica.wait(timeout=60)
    assert replica.returncode == -signal.SIGKILL

    clock.set(MONDAY_9)
    clock.advance(seconds=LEASE.total_seconds() - 1)
    tick(survivor, client)
    assert len(posts_to_channel(fake)) == 1  # the one Slack holds
    clock.advance(seconds=2)
    tick(survivor, client)
    tick(survivor, client)
    assert len(posts_to_channel(fake)) == 1
    [post] = stored_posts(rapport)
    assert post.status == "failed" and "not resent" in post.detail

    clock.set(TUESDAY_9)
    tick(survivor, client)
    assert MONDAY_CALL in str(posts_to_channel(fake)[1:])


def test_a_post_slack_refused_is_retried_after_the_lease(rapport, clock, client, fake, subscribed):
    """A 429 the client does not wait out: Slack answered, so nothing was posted."""
    fake.fail_next("chat.postMessage", status=429)
    clock.set(MONDAY_9)
    with pytest.raises(ExceptionGroup):
        tick(rapport, client)
    assert [p.status for p in stored_posts(rapport)] == ["claimed"]

    clock.advance(seconds=LEASE.total_seconds() + 1)
    tick(rapport, client)
    assert len(posts_to_channel(fake)) == 2  # the refused one, then the digest
    assert [p.status for p in stored_posts(rapport)] == ["posted"]


# -- a replica slow but alive, whose claim another took over meanwhile

# Where the slow replica stalls: still `claimed` (so the other replica posts the digest), or
# already `posting` (so the other one settles it without resending).
STALLS = {
    "claimed, before rendering": RENDER,
    "rendered, before `posting` commits": MARK_POSTING,
    "`posting`, before the message is sent": POST_MESSAGE,
}


def stalling(function: Callable, call: Callable[..., bool], stall: Callable[[], None]) -> Callable:
    """`function`, except that the first call `call` matches runs `stall` first."""
    stalled = []

    def stalls(*args, **kwargs):
        if call(**kwargs) and not stalled:
            stalled.append(True)
            stall()
        return function(*args, **kwargs)

    return stalls


@pytest.mark.parametrize("call", STALLS.values(), ids=STALLS.keys())
def test_a_slow_replica_whose_claim_was_taken_over_stops(
    call, rapport, survivor, clock, client, fake, threaded, monkeypatch, caplog
):
    """A replica stalls (a long GC pause, a slow Slack) past its lease; meanwhile the other
    takes the claim over. When it goes on, the claim is no longer its own: it stops."""
    taken_over = []  # the channel's posts and the claim, as the other replica left them

    def stall():
        clock.advance(seconds=LEASE.total_seconds() + 1)
        tick(survivor, client)
        taken_over.append((posts_to_channel(fake), claims(rapport)))

    clock.set(MONDAY_9)
    name, matches = call
    target = client if name == "chat_postMessage" else delivery
    monkeypatch.setattr(target, name, stalling(getattr(target, name), matches, stall))
    tick(rapport, client)

    [(posts, claim)] = taken_over
    messages, replies = split(posts_to_channel(fake))
    assert len(messages) == 1 and replies == split(posts)[1]  # none from the slow replica
    assert claims(rapport) == claim
    assert "taken over" in caplog.text
