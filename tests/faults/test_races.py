"""Two requests at once, through the real served app, are answered as one after the other
would be: one does the thing, the other is told it is done already; no one is shown an
error, and there is one row. Each race runs PAIRS times, on SQLite and on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import delete, select

from bot.accounts import manage
from storage.models import Account, Call, DigestSubscription, GradeCadence, UserProfile
from storage.queries import digests as digest_queries
from support.shown import posted_to
from support.stored import count
from support.workspace import ALEX, CLIENT

PAIRS = 20
GENERIC = "something went wrong"


def at_once(slack, command: str, text: str, *, meanwhile=lambda: None, **extra) -> list[str]:
    """Send `command` twice at the same moment; what each sender was shown, once the work
    after both acknowledgements is done. `meanwhile` runs while they are sent."""
    replied = len(slack.fake.calls_to("response_url"))
    start = threading.Barrier(2)

    def send():
        start.wait(timeout=10)
        return slack.command(command, text, **extra)

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = [pool.submit(send) for _ in range(2)]
        meanwhile()
        acks = [future.result() for future in sent]
    slack.settle()
    assert [ack.status for ack in acks] == [200, 200], [ack.raw for ack in acks]
    shown = [ack.json["text"] for ack in acks if ack.json.get("text")]
    return shown + [c.args["text"] for c in slack.fake.calls_to("response_url")[replied:]]


def answered_together(fake, method: str):
    """Hold the next two calls to `method`; the function returned waits until both are
    made, then lets both be answered at once."""
    held = [fake.hold_next(method) for _ in range(2)]
    made = len(fake.calls_to(method)) + 2

    def release() -> None:
        fake.wait_for(method, made)
        for answer in held:
            answer.set()

    return release


def answered_once_each(shown: list[str], done: str, already: str) -> None:
    """One sender was told it is `done`, the other that it was `already` done."""
    assert not [text for text in shown if GENERIC in text], shown
    assert len(shown) == 2, shown
    assert sorted(already in text for text in shown) == [False, True], shown
    assert sorted(done in text for text in shown) == [False, True], shown


def test_a_new_persons_first_requests_at_once(slack, rapport, fake):
    """Both store the profile Slack gave them (bot/people.py remember): one row."""
    manage.add(rapport, user=ALEX, name="Acme")
    newcomers = [f"U9{pair:03d}" for pair in range(PAIRS)]
    for user_id in newcomers:
        fake.add_user(user_id, tz="Europe/Berlin", locale="de-DE")

    for user_id in newcomers:
        # Both ask Slack who this is, and both hear back at once: then both store a profile.
        together = answered_together(fake, "users.info")
        text = "Acme 2 hours ago: renewal"
        shown = at_once(slack, "/logcall", text, meanwhile=together, user_id=user_id)
        assert shown == ["Logged a call with Acme."] * 2

    with rapport.reads.begin() as s:
        profiles = s.scalars(
            select(UserProfile.user_id).where(UserProfile.user_id.in_(newcomers))
        ).all()
    assert sorted(profiles) == newcomers
    assert count(rapport, Call) == 2 * PAIRS


def test_adding_one_account_name_at_once(slack, rapport):
    names = [f"Acme {pair:02d}" for pair in range(PAIRS)]
    for name in names:
        answered_once_each(
            at_once(slack, "/account", f"add {name}"),
            done=f"Added *{name}*",
            already=f"There is already an account called *{name}*.",
        )
    with rapport.reads.begin() as s:
        assert sorted(s.scalars(select(Account.name))) == names


def test_subscribing_one_channel_at_once(slack, rapport):
    channels = [f"C9{pair:03d}" for pair in range(PAIRS)]
    for channel_id in channels:
        answered_once_each(
            at_once(slack, "/digest", "subscribe", channel_id=channel_id),
            done="Subscribed this channel to the daily digest",
            already="Replaced this channel's digest",
        )
    with rapport.reads.begin() as s:
        assert sorted(s.scalars(select(DigestSubscription.channel_id))) == channels


def test_a_subscription_removed_while_replacing_it_is_subscribed_again(slack, rapport, monkeypatch):
    """/digest unsubscribe committing between the insert that found the channel subscribed
    and the locked read that would replace it: the subscribe inserts after all."""
    assert "Subscribed" in slack.ask("/digest", "subscribe", channel_id="C0RACE")["text"]
    read = digest_queries.for_channel

    def unsubscribed_meanwhile(s, **where):
        monkeypatch.setattr(digest_queries, "for_channel", read)
        s.execute(delete(DigestSubscription))  # what the unsubscribe did
        return read(s, **where)

    monkeypatch.setattr(digest_queries, "for_channel", unsubscribed_meanwhile)
    reply = slack.ask("/digest", "subscribe at 8:00", channel_id="C0RACE")["text"]
    assert "Subscribed this channel" in reply and GENERIC not in reply
    with rapport.reads.begin() as s:
        assert [sub.at_time for sub in s.scalars(select(DigestSubscription))] == ["08:00"]


def test_starting_one_cadence_at_once(slack, rapport, fake):
    names = [f"Acme {pair:02d}" for pair in range(PAIRS)]
    for name in names:
        manage.add(rapport, user=ALEX, name=name)

    for pair, name in enumerate(names, start=1):
        answered_once_each(
            at_once(slack, "/grade", f"every month {name} <@{CLIENT}|client>"),
            done=f"Asked <@{CLIENT}> for a grade now, and every month",
            already=f"<@{CLIENT}> is already asked about this account every month",
        )
        assert len(posted_to(fake, CLIENT)) == pair  # one prompt a pair

    with rapport.reads.begin() as s:
        cadences = s.scalars(select(GradeCadence.account_id)).all()
    assert len(cadences) == len(set(cadences)) == PAIRS  # one an account


def test_a_cadence_whose_first_prompt_fails_is_not_kept(slack, rapport, fake):
    """The cadence is stored before its first prompt, to decide who asks: if Slack refuses
    the prompt, it is removed, and asking again starts it."""
    manage.add(rapport, user=ALEX, name="Acme")
    fake.fail_next("chat.postMessage", status=500)

    refused = slack.ask("/grade", f"every month Acme <@{CLIENT}|client>")["text"]
    slack.settle()
    assert "Slack had a problem" in refused and count(rapport, GradeCadence) == 0

    started = slack.ask("/grade", f"every month Acme <@{CLIENT}|client>")["text"]
    assert "every month" in started and count(rapport, GradeCadence) == 1
    assert len(posted_to(fake, CLIENT)) == 2  # the one Slack refused, and the prompt
