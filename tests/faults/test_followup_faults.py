"""Slack or a replica failing the follow-up DM: a 5xx is not resent (Slack may have
delivered it), an owner Slack cannot reach is skipped for the day, any other refusal is
retried after the claim's lease, and so is a claim left by a replica that died. The clock
is moved; nothing sleeps."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.accounts import manage
from bot.calls import logcall
from bot.runtime.claims import LEASE
from storage.models import JobClaim
from storage.queries import job_claims
from support.app import tick
from support.shown import posted_to
from support.workspace import ALEX, NEW_YORK

NINE = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo(NEW_YORK))  # Tuesday
KEY = "followups:U0001:2026-11-24"


@pytest.fixture
def due_tomorrow(rapport):
    manage.add(rapport, user=ALEX, name="Acme Corp")
    logcall.log_text(
        rapport, user=ALEX, text="Acme 1 hour ago: renewal; follow up tomorrow", source="command"
    )


def claim(rapport) -> JobClaim | None:
    with rapport.reads.begin() as s:
        return s.scalar(select(JobClaim).where(JobClaim.key == KEY))


def test_a_5xx_is_not_blindly_resent(rapport, clock, client, fake, due_tomorrow):
    fake.fail_next("chat.postMessage", status=503)
    clock.set(NINE)
    tick(rapport, client)
    clock.advance(minutes=LEASE.total_seconds() / 60 + 1)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert claim(rapport).done_at is not None


def test_an_owner_slack_cannot_reach_is_skipped_for_the_day(
    rapport, clock, client, fake, due_tomorrow
):
    fake.fail_next("chat.postMessage", status=200, error="account_inactive")
    clock.set(NINE)
    tick(rapport, client)
    clock.advance(hours=2)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert posted_to(fake, "U0001") == [fake.calls_to("chat.postMessage")[0].args]


def test_another_refusal_is_retried_after_the_lease(rapport, clock, client, fake, due_tomorrow):
    fake.fail_next("chat.postMessage", status=200, error="fatal_error")
    clock.set(NINE)
    with pytest.raises(ExceptionGroup):
        tick(rapport, client)
    assert claim(rapport).done_at is None
    clock.advance(minutes=1)
    tick(rapport, client)  # the lease still holds
    assert len(fake.calls_to("chat.postMessage")) == 1
    clock.advance(minutes=LEASE.total_seconds() / 60)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert claim(rapport).done_at is not None


def test_a_claim_left_by_a_dead_replica_is_taken_over(rapport, clock, client, fake, due_tomorrow):
    clock.set(NINE)
    with rapport.sessions.begin() as s:  # a replica claimed the DM, then died
        assert job_claims.claim(s, team_id="T0001", key=KEY, now=clock.now(), lease=LEASE)
    clock.advance(minutes=1)
    tick(rapport, client)
    assert fake.calls_to("chat.postMessage") == []
    clock.advance(minutes=LEASE.total_seconds() / 60)
    tick(rapport, client)
    assert len(posted_to(fake, "U0001")) == 1
