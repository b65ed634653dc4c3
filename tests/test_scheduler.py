"""The scheduler with the clock moved forward: reminders, expiry and cadences happen once,
whatever the number of replicas ticking (each replica here is a Rapport of its own on the
same database)."""

from datetime import timedelta

import pytest
from conftest import BOT_TOKEN, tick_together
from slack_sdk import WebClient
from sqlalchemy import select
from testing import tick

from bot.accounts import manage
from bot.errors import UserError
from bot.grades import answering, asking, cadences
from bot.people import Person
from bot.runtime.claims import LEASE
from bot.runtime.context import make_rapport
from storage.models import GradeCadence, GradeRequest
from storage.queries import claims as jobs

OWNER = Person("T0001", "U0001", "America/New_York", "en-US", False)


@pytest.fixture
def client(fake):
    fake.add_user("U0003", tz="Europe/London", name="client")
    return WebClient(token=BOT_TOKEN, base_url=fake.url)


@pytest.fixture
def acme(rapport):
    return manage.add(rapport, user=OWNER, name="Acme Corp")


def ask(rapport, client, acme) -> GradeRequest:
    return asking.ask(
        rapport,
        client,
        team_id="T0001",
        asked_by="U0001",
        account_id=acme.id,
        grader_id="U0003",
        question=None,
    )


def status_of(rapport, request_id: int) -> GradeRequest:
    with rapport.reads.begin() as s:
        return s.get(GradeRequest, request_id)


def replicas(settings, clock, count: int):
    """`count` more Rapports on the same database and clock, as other processes would be."""
    return [make_rapport(settings, clock=clock) for _ in range(count)]


def test_a_claim_is_won_once_and_retried_after_its_lease(rapport, clock):
    now = clock.now()
    with rapport.sessions.begin() as s:
        assert jobs.claim(s, team_id="T0001", key="job", now=now, lease=LEASE)
    with rapport.sessions.begin() as s:
        assert not jobs.claim(s, team_id="T0001", key="job", now=now, lease=LEASE)
        assert jobs.claim(s, team_id="T0002", key="job", now=now, lease=LEASE)
    later = now + LEASE + timedelta(seconds=1)
    with rapport.sessions.begin() as s:
        assert jobs.claim(s, team_id="T0001", key="job", now=later, lease=LEASE)
        jobs.finish(s, team_id="T0001", key="job", now=later)
    with rapport.sessions.begin() as s:
        assert not jobs.claim(s, team_id="T0001", key="job", now=later + 2 * LEASE, lease=LEASE)


def test_an_unanswered_request_is_reminded_once(rapport, settings, clock, client, fake, acme):
    request = ask(rapport, client, acme)
    fake.reset()

    clock.advance(days=2, hours=23)
    tick(rapport, client)
    assert fake.calls_to("chat.postMessage") == []

    clock.advance(hours=1)
    tick_together([rapport, *replicas(settings, clock, 2)], client)
    reminders = fake.calls_to("chat.postMessage")
    assert len(reminders) == 1
    assert reminders[0].args["channel"] == request.channel_id
    assert "A reminder" in reminders[0].args["text"]

    clock.advance(days=1)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_an_unanswered_request_expires_and_its_prompt_loses_its_buttons(
    rapport, settings, clock, client, fake, acme
):
    request = ask(rapport, client, acme)
    clock.advance(days=14)
    tick_together([rapport, *replicas(settings, clock, 2)], client)

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
    request = ask(rapport, client, acme)
    answering.answer(
        rapport, team_id="T0001", request_id=request.id, user_id="U0003", grade="A", reason="great"
    )
    fake.reset()
    clock.advance(days=30)
    tick(rapport, client)
    assert fake.calls_to("chat.postMessage") == [] and fake.calls_to("chat.update") == []
    assert status_of(rapport, request.id).status == "answered"


def test_a_monthly_cadence_sends_the_next_request_once(
    rapport, settings, clock, client, fake, acme
):
    cadence = cadences.start(
        rapport, client, user=OWNER, text="month Acme <@U0003|client> How are we doing?"
    )
    assert len(fake.calls_to("chat.postMessage")) == 1  # the first request goes out at once
    assert cadence.next_due_at == clock.now() + timedelta(days=30)  # November has 30 days

    clock.advance(days=29)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1

    clock.advance(days=1)
    tick_together([rapport, *replicas(settings, clock, 2)], client)
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
    cadence = cadences.start(rapport, client, user=OWNER, text="month Acme <@U0003|client>")
    clock.advance(days=100)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 2
    with rapport.reads.begin() as s:
        assert s.get(GradeCadence, cadence.id).next_due_at > clock.now()


def test_a_stopped_cadence_sends_nothing(rapport, clock, client, fake, acme):
    cadences.start(rapport, client, user=OWNER, text="quarter Acme <@U0003|client>")
    assert cadences.stop(rapport, team_id="T0001", account_name="acme") == ("Acme Corp", 1)
    clock.advance(days=200)
    tick(rapport, client)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert cadences.active(rapport, team_id="T0001") == []


def test_a_second_cadence_for_the_same_person_is_refused(rapport, client, acme):
    cadences.start(rapport, client, user=OWNER, text="month Acme <@U0003|client>")
    with pytest.raises(UserError, match="already asked"):
        cadences.start(rapport, client, user=OWNER, text="quarter Acme <@U0003|client>")
