"""The scheduler with the clock moved forward: reminders, expiry and cadences happen once,
whatever the number of replicas ticking (each replica here is a Rapport of its own on the
same database)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.accounts import manage
from bot.errors import UserError
from bot.grades import answering, cadences
from bot.runtime.claims import LEASE
from storage.models import GradeCadence, GradeRequest
from storage.queries import job_claims as claims
from support.app import tick, tick_together
from support.grading import asked
from support.stored import row
from support.workspace import ALEX


@pytest.fixture
def acme(rapport):
    return manage.add(rapport, user=ALEX, name="Acme Corp")


def status_of(rapport, request_id: int) -> GradeRequest:
    return row(rapport, GradeRequest, request_id)


def test_a_claim_is_won_once_and_retried_after_its_lease(rapport, clock):
    now = clock.now()
    with rapport.sessions.begin() as s:
        assert claims.claim(s, team_id="T0001", key="job", now=now, lease=LEASE)
    with rapport.sessions.begin() as s:
        assert not claims.claim(s, team_id="T0001", key="job", now=now, lease=LEASE)
        assert claims.claim(s, team_id="T0002", key="job", now=now, lease=LEASE)
    later = now + LEASE + timedelta(seconds=1)
    with rapport.sessions.begin() as s:
        assert claims.claim(s, team_id="T0001", key="job", now=later, lease=LEASE)
        claims.finish(s, team_id="T0001", key="job", now=later)
    with rapport.sessions.begin() as s:
        assert not claims.claim(s, team_id="T0001", key="job", now=later + 2 * LEASE, lease=LEASE)


def test_an_unanswered_request_is_reminded_once(rapport, replicas, clock, client, fake, acme):
    request = asked(rapport, client, acme.id)
    fake.reset()

    clock.advance(days=2, hours=23)
    tick(rapport, client)
    assert fake.calls_to("chat.postMessage") == []

    clock.advance(hours=1)
    tick_together([rapport, *replicas], client)
    reminders = fake.calls_to("chat.postMessage")
    assert len(reminders) == 1
    assert reminders[0].args["channel"] == request.channel_id
    assert "A reminder" in reminders[0].args["text"]

    clock.advance(days=1)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_an_unanswered_request_expires_and_its_prompt_loses_its_buttons(
    rapport, replicas, clock, client, fake, acme
):
    request = asked(rapport, client, acme.id)
    clock.advance(days=14)
    tick_together([rapport, *replicas], client)

    assert status_of(rapport, request.id).status == "expired"
    updates = fake.calls_to("chat.update")
    assert len(updates) == 1
    assert updates[0].args["ts"] == request.message_ts
    assert all(block["type"] != "actions" for block in updates[0].args["blocks"])
    with pytest.raises(UserError, match="has expired"):
        answering.check_answerable(rapport, team_id="T0001", request_id=request.id, user_id="U0003")

    clock.advance(days=1)
    tick(rapport, client)
    assert len(fake.calls_to("chat.update")) == 1


def test_an_answered_request_is_neither_reminded_nor_expired(rapport, clock, client, fake, acme):
    request = asked(rapport, client, acme.id)
    answering.answer(
        rapport, team_id="T0001", request_id=request.id, user_id="U0003", grade="A", reason="great"
    )
    fake.reset()
    clock.advance(days=30)
    tick(rapport, client)
    assert fake.calls_to("chat.postMessage") == [] and fake.calls_to("chat.update") == []
    assert status_of(rapport, request.id).status == "answered"


def test_a_monthly_cadence_sends_the_next_request_once(
    rapport, replicas, clock, client, fake, acme
):
    cadence = cadences.start(
        rapport, client, user=ALEX, text="month Acme <@U0003|client> How are we doing?"
    )
    assert len(fake.calls_to("chat.postMessage")) == 1  # the first request goes out at once
    assert cadence.next_due_at == clock.now() + timedelta(days=30)  # November has 30 days

    clock.advance(days=29)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1

    clock.advance(days=1)
    tick_together([rapport, *replicas], client)
    prompts = fake.calls_to("chat.postMessage")
    assert len(prompts) == 2 and prompts[1].args["channel"] == "U0003"
    assert "How are we doing?" in str(prompts[1].args["blocks"])
    with rapport.reads.begin() as s:
        requests = s.scalars(select(GradeRequest).order_by(GradeRequest.id)).all()
        assert [r.cadence_id for r in requests] == [cadence.id, cadence.id]
        assert s.get(GradeCadence, cadence.id).next_due_at == clock.now() + timedelta(days=31)

    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_periods_missed_while_no_replica_ran_are_not_all_sent(rapport, clock, client, fake, acme):
    cadence = cadences.start(rapport, client, user=ALEX, text="month Acme <@U0003|client>")
    clock.advance(days=100)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 2
    with rapport.reads.begin() as s:
        assert s.get(GradeCadence, cadence.id).next_due_at > clock.now()


def test_a_stopped_cadence_sends_nothing(rapport, clock, client, fake, acme):
    cadences.start(rapport, client, user=ALEX, text="quarter Acme <@U0003|client>")
    assert cadences.stop(rapport, user=ALEX, account_name="acme") == ("Acme Corp", 1)
    clock.advance(days=200)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert cadences.active(rapport, team_id="T0001") == []


def test_a_second_cadence_for_the_same_person_is_refused(rapport, client, acme):
    cadences.start(rapport, client, user=ALEX, text="month Acme <@U0003|client>")
    with pytest.raises(UserError, match="already asked"):
        cadences.start(rapport, client, user=ALEX, text="quarter Acme <@U0003|client>")
