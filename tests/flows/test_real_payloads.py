"""Calls logged from real Slack messages arrive as written: every shape of message event a
DM to the bot can be (slack_payloads/dm_events.json) and every kind of message the "Log as
client call" shortcut can be used on (slack_payloads/shortcut_messages.json), each modelled
on a payload of bolt-python's tests (named in its `modelled_on`), sent through the real
`serve` as Slack sends them; and what follows when Slack fails around a stored call."""

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Account, Call
from support import slack_requests
from support.forms import call_form
from support.shown import visible
from support.stored import all_rows

PAYLOADS = Path(__file__).parent / "slack_payloads"
DM_SHAPES = json.loads((PAYLOADS / "dm_events.json").read_text())
SHORTCUT_SHAPES = json.loads((PAYLOADS / "shortcut_messages.json").read_text())
SHORTCUT = "log_call_from_message"
HELP = "log Acme yesterday 3pm"  # in the DM's help
THREAD = "1795370000.000500"


def in_thread(text: str, **fields) -> dict:
    """A reply, in a thread of the DM with the bot, as Slack sends it."""
    return {**slack_requests.direct_message(text, **fields), "thread_ts": THREAD}


def problems(caplog) -> list[str]:
    """What was logged at WARNING or above."""
    return [f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= 30]


@pytest.fixture
def acme(slack, caplog):
    """Acme Corp, added by Alex; the log from here on watched for warnings."""
    slack.ask("/account", "add Acme Corp")
    caplog.set_level(logging.INFO)
    caplog.clear()


@pytest.mark.parametrize("shape", DM_SHAPES, ids=[shape["name"] for shape in DM_SHAPES])
def test_each_dm_shape_is_logged_answered_or_let_be(slack, rapport, fake, caplog, acme, shape):
    posted = len(fake.calls_to("chat.postMessage"))
    for retry in (None, 1, 2):  # Slack's retries of one delivery
        ack = slack.event(shape["event"], event_id="Ev0SHAPE", retry_num=retry)
        assert ack.status == 200
        slack.settle()

    expect = shape["expect"]
    calls = all_rows(rapport, Call)
    replies = [call.args for call in fake.calls_to("chat.postMessage")[posted:]]
    if expect["does"] == "log":
        assert [call.notes for call in calls] == [expect["notes"]]
        assert calls[0].source == "dm" and calls[0].logged_by == "U0001"
        assert len(replies) == 1
        assert "Logged a call with *Acme Corp*" in visible(replies[0])
    elif expect["does"] == "help":
        assert calls == [] and len(replies) == 1
        assert HELP in visible(replies[0])
    else:
        assert calls == [] and replies == []
    for reply in replies:
        assert reply["channel"] == "D0001"
        assert reply.get("thread_ts") == expect.get("in_thread")
    assert fake.calls_to("conversations.replies") == []  # nothing read before answering
    assert problems(caplog) == []


def test_a_logged_note_is_shown_escaped_once(slack, rapport, fake, acme):
    """Q&A typed in a DM: stored as Q&A, shown as Slack shows Q&A (`Q&amp;A`, not more)."""
    (qa,) = [shape for shape in DM_SHAPES if "Q&amp;A" in shape["event"].get("text", "")]
    slack.event(qa["event"], event_id="Ev0QA")
    slack.settle()
    reply = visible(fake.calls_to("chat.postMessage")[-1].args)
    assert "Q&amp;A on pricing, margin &gt; 20% &lt;renewal&gt;" in reply
    assert "&amp;amp;" not in reply and "&amp;gt;" not in reply


@pytest.mark.parametrize("shape", SHORTCUT_SHAPES, ids=[shape["name"] for shape in SHORTCUT_SHAPES])
def test_log_as_client_call_fills_in_the_message_as_written(slack, fake, caplog, acme, shape):
    assert slack.shortcut(callback_id=SHORTCUT, message=shape["message"]).status == 200
    view = fake.wait_for("views.open")[0].args["view"]
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["notes"] == shape["notes"]
    assert initial["when"] == "2026-11-22 15:00"  # the message's ts, in Alex's New York
    slack.settle()
    assert problems(caplog) == []


def test_a_message_about_q_and_a_is_stored_and_shown_as_written(slack, rapport, fake, acme):
    (qa,) = [shape for shape in SHORTCUT_SHAPES if shape["name"] == "a message about Q&A, escaped"]
    slack.shortcut(callback_id=SHORTCUT, message=qa["message"])
    view = fake.wait_for("views.open")[0].args["view"]
    notes = next(b for b in view["blocks"] if b["block_id"] == "notes")["element"]
    with rapport.reads.begin() as s:
        account_id = s.scalars(select(Account.id)).one()

    # The person submits the form as it was filled in.
    values = call_form(account_id, when="yesterday 3pm", notes=notes["initial_value"])
    assert slack.submit(callback_id="log_call", values=values).status == 200
    slack.settle()

    assert [call.notes for call in all_rows(rapport, Call)] == ["Q&A next week: <pricing> & terms"]
    shown = visible(fake.wait_for("chat.postMessage")[-1].args)
    assert "Q&amp;A next week: &lt;pricing&gt; &amp; terms" in shown
    assert "&amp;amp;" not in shown


def test_names_of_mentioned_people_are_asked_of_slack_once(slack, fake, acme):
    message = {"type": "message", "user": "U0003", "text": "<@U0002> and <@U0002>", "ts": "1.2"}
    for _ in range(2):
        slack.shortcut(callback_id=SHORTCUT, message=message)
        slack.settle()
    notes = [
        next(b for b in call.args["view"]["blocks"] if b["block_id"] == "notes")["element"]
        for call in fake.calls_to("views.open")
    ]
    assert [note["initial_value"] for note in notes] == ["@camille and @camille"] * 2
    asked = [call for call in fake.calls_to("users.info") if call.args.get("user") == "U0002"]
    assert len(asked) == 1


def test_a_thread_reply_is_confirmed_in_its_thread_when_reading_the_thread_fails(
    slack, rapport, fake, caplog, acme
):
    """Bolt's say() in a DM thread first reads the thread (conversations.replies): the
    call is confirmed without it, so that read failing changes nothing."""
    fake.fail_next("conversations.replies", status=500, times=5)
    event = in_thread(
        "log Acme 1 hour ago: reply in a thread",
        client_msg_id="8c5b2a47-0000-4000-8000-00000000aaaa",
    )
    slack.event(event, event_id="Ev0THREAD")
    slack.settle()

    (confirmation,) = fake.calls_to("chat.postMessage")
    assert confirmation.args["thread_ts"] == THREAD and confirmation.args["channel"] == "D0001"
    assert "Logged a call with *Acme Corp*" in visible(confirmation.args)
    assert [call.notes for call in all_rows(rapport, Call)] == ["reply in a thread"]
    assert problems(caplog) == []

    # The same message again, as a new delivery (Slack gave it another event_id).
    slack.event(event, event_id="Ev0THREAD2")
    slack.settle()
    assert len(all_rows(rapport, Call)) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_a_stored_call_is_never_said_to_have_failed(slack, rapport, fake, caplog, acme):
    """Slack fails to take the confirmation: the call stays stored, the person is told it
    is, never that it did not go through, and a retry of the delivery stores nothing more."""
    fake.fail_next("chat.postMessage", status=500)
    event = in_thread(
        "log Acme 1 hour ago: Slack was down",
        client_msg_id="8c5b2a47-0000-4000-8000-00000000bbbb",
    )
    slack.event(event, event_id="Ev0DOWN")
    slack.settle()
    for retry in (1, 2):
        slack.event(event, event_id="Ev0DOWN", retry_num=retry)
        slack.settle()

    assert [call.notes for call in all_rows(rapport, Call)] == ["Slack was down"]
    failed, told = [call.args for call in fake.calls_to("chat.postMessage")]
    assert "Logged a call" in visible(failed)  # the confirmation Slack failed, not resent
    assert told["thread_ts"] == THREAD
    assert visible(told).startswith("Your call with *Acme Corp* is stored")
    assert "go through" not in visible(told) and "try again" not in visible(told)
    warned = problems(caplog)
    assert len(warned) == 1 and "call 1 is stored" in warned[0]


def test_a_mistake_in_a_thread_is_answered_in_the_thread(slack, rapport, fake, acme):
    event = in_thread("log Globex 1 hour ago: who?")
    slack.event(event, event_id="Ev0GLOBEX")
    answer = fake.wait_for("chat.postMessage")[0].args
    assert answer["thread_ts"] == THREAD and "Globex" in visible(answer)
    assert all_rows(rapport, Call) == []
