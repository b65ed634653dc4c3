"""/grade end to end: signed requests to the real `serve` server, Slack faked.

A grade is asked with `/grade`, answered with a button and a reason in a modal,
and read back with `/grade pending` and `/grade history`.
"""

import pytest
from sqlalchemy import select

from bot.grades import scale
from storage.models import Grade, GradeRequest
from support.clock import START
from support.grading import latest_request, press, submit
from support.shown import buttons, posted_to, visible
from support.stored import count
from support.workspace import CLIENT

OWNER = "U0001"  # adds the accounts, so owns them, and asks
SCALE = "A+ A A- B+ B B- C+ C C- D+ D D- F".split()


@pytest.fixture
def acme(slack):
    slack.ask("/account", "add Acme Corp")


def grade(slack, rapport, label: str, reason: str) -> None:
    """Ask the client for a grade on Acme, and answer it with `label` and `reason`."""
    slack.ask("/grade", f"Acme <@{CLIENT}|client>")
    opened = len(slack.fake.calls_to("views.open"))
    assert press(slack, rapport, label) is None
    view = slack.fake.wait_for("views.open", opened + 1)[-1].args["view"]
    assert submit(slack, view, reason).status == 200
    slack.settle()


# -- asking, answering, at risk


def test_a_grade_is_asked_answered_once_and_the_owner_alerted(slack, rapport, fake, acme):
    confirmation = visible(slack.ask("/grade", f"Acme <@{CLIENT}|client>"))
    assert f"Asked <@{CLIENT}> for a grade on *Acme Corp*" in confirmation
    assert scale.DEFAULT_QUESTION in confirmation

    [prompt] = posted_to(fake, CLIENT)
    assert [b["text"]["text"] for b in buttons(prompt)] == SCALE
    assert scale.DEFAULT_QUESTION in visible(prompt) and "*Acme Corp*" in visible(prompt)

    # Someone else's press records nothing and tells them whose question it is.
    refused = press(slack, rapport, "A+", user_id="U0002")
    assert f"This question was for <@{CLIENT}>" in visible(refused)
    assert refused["response_type"] == "ephemeral" and refused["replace_original"] is False
    assert not fake.calls_to("views.open") and count(rapport, Grade) == 0

    # The client's C asks why, in a modal that a blank reason keeps open.
    assert press(slack, rapport, "C") is None
    opened = fake.wait_for("views.open")[0].args
    assert opened["trigger_id"] and opened["view"]["callback_id"] == "grade_reason"
    ack = submit(slack, opened["view"], "   ")
    assert ack.json["response_action"] == "errors" and "reason" in ack.json["errors"]
    assert count(rapport, Grade) == 0

    assert submit(slack, opened["view"], "too slow on proposals").status == 200
    slack.settle()
    with rapport.reads.begin() as s:
        recorded = s.scalars(select(Grade)).one()
        assert (recorded.grade, recorded.points, recorded.grader_id) == ("C", 2.0, CLIENT)
        assert recorded.reason == "too slow on proposals"
    request = latest_request(rapport)
    [update] = fake.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (request.channel_id, request.message_ts)
    assert not buttons(update.args) and "*C*" in visible(update.args)

    # The owner is told the account is at risk, aiming for B-.
    [alert] = posted_to(fake, OWNER)
    assert "B-" in visible(alert) and "Acme Corp" in visible(alert)

    # The same submission again, and a second press: nothing more.
    assert submit(slack, opened["view"], "again").status == 200
    slack.settle()
    assert "already answered" in visible(press(slack, rapport, "A"))
    assert count(rapport, Grade) == 1
    assert len(fake.calls_to("chat.update")) == 1 and len(fake.calls_to("views.open")) == 1
    assert len(posted_to(fake, OWNER)) == 1


def test_a_question_of_ones_own_is_asked_and_escaped(slack, fake, acme):
    typed = "How &lt;!channel&gt; are our proposals &amp; pricing?"  # as Slack sends it
    confirmation = visible(slack.ask("/grade", f"acme corp <@{CLIENT}|client> {typed}"))
    shown = "How &lt;!channel&gt; are our proposals &amp; pricing?"
    assert shown in confirmation and "<!channel>" not in confirmation
    [prompt] = posted_to(fake, CLIENT)
    assert shown in visible(prompt) and "<!channel>" not in visible(prompt)


# -- pending and history


def test_pending_lists_the_callers_open_requests_with_their_age(slack, clock, fake, acme):
    slack.ask("/account", "add Globex")
    slack.ask("/grade", f"Acme <@{CLIENT}|client>")
    clock.advance(hours=5)
    slack.ask("/grade", "Globex <@U0002|camille> Are we fast enough?")
    slack.ask("/grade", f"Globex <@{CLIENT}|client>", user_id="U0002")  # someone else's
    clock.advance(days=4)

    reply = visible(slack.ask("/grade", "pending"))

    assert "Unanswered grade requests you sent: 2" in reply
    assert f"*Acme Corp*: <@{CLIENT}>, asked 4 days ago (<!date^{int(START.timestamp())}^" in reply
    assert "*Globex*: <@U0002>, asked 4 days ago" in reply and "Are we fast enough?" in reply
    assert reply.index("Acme Corp") < reply.index("Globex")


def test_pending_leaves_out_answered_requests(slack, rapport, acme):
    grade(slack, rapport, "B", "solid")
    assert "no unanswered grade requests" in visible(slack.ask("/grade", "pending"))


def test_history_shows_each_grade_the_average_and_the_trend(slack, rapport, clock, acme):
    grade(slack, rapport, "C", "too slow on proposals")
    clock.advance(days=30)
    grade(slack, rapport, "B-", "better <b>proposals</b>")

    reply = visible(slack.ask("/grade", "history acme"))

    assert "Grades for Acme Corp" in reply
    assert "Average *2.4* points over 2 grades" in reply  # (2.0 + 2.7) / 2
    assert "Trend: *up* since the previous grade (C → B-)" in reply
    assert f"<@{CLIENT}>: *C*, “too slow on proposals”" in reply
    assert "better &lt;b&gt;proposals&lt;/b&gt;" in reply
    assert reply.index("*B-*") < reply.index("*C*")  # newest first
    later = START.timestamp() + 30 * 86400
    assert f"<!date^{int(START.timestamp())}^" in reply and f"<!date^{int(later)}^" in reply


def test_history_of_an_account_without_grades_says_how_to_ask(slack, acme):
    reply = visible(slack.ask("/grade", "history Acme"))
    assert "*Acme Corp* has no grades yet" in reply and "`/grade Acme Corp @client`" in reply


@pytest.mark.parametrize(
    "text, expected",
    [
        ("history", "Name the account: `/grade history Acme`"),
        ("history Acmee", "Did you mean *Acme Corp*?"),
    ],
)
def test_history_errors(slack, acme, text, expected):
    assert expected in visible(slack.ask("/grade", text))


# -- help and errors


@pytest.mark.parametrize("text", ["", "help", "HELP"])
def test_help_lists_the_verbs(slack, text):
    reply = visible(slack.ask("/grade", text))
    for verb in ("/grade Acme @client", "/grade pending", "/grade history", "/grade every"):
        assert verb in reply


def test_a_cadence_is_started_listed_and_stopped(slack, acme):
    started = visible(slack.ask("/grade", "every month Acme <@U0003|client>"))
    assert "every month" in started and "<!date^" in started
    assert len(posted_to(slack.fake, CLIENT)) == 1  # the first request goes out at once

    listed = visible(slack.ask("/grade", "cadence"))
    assert "*Acme Corp*: <@U0003> every month" in listed

    stopped = visible(slack.ask("/grade", "cadence stop acme"))
    assert "Stopped 1 grade cadence" in stopped
    assert "No grade cadences yet" in visible(slack.ask("/grade", "cadence"))


def test_a_cadence_needs_a_period(slack, acme):
    assert "Say how often" in visible(slack.ask("/grade", "every week Acme <@U0003|client>"))


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"<@{CLIENT}|client>", "Name the account before the person: `/grade Acme @client"),
        (f"Acmee Crop <@{CLIENT}|client>", "“Acmee Crop”. Did you mean *Acme Corp*?"),
        ("Acme", "Mention the person to ask, with @: `/grade Acme @client"),
        ("Acme please", "Mention the person to ask, with @: `/grade Acme @client"),
        ("Acme <@U0999|ghost>", "I can't find the Slack user <@U0999>"),
        ("Acme <@UBOTX|robot>", "<@UBOTX> is a bot; ask a person: `/grade Acme @client"),
    ],
)
def test_mistakes_are_explained_and_nothing_is_stored(slack, rapport, fake, acme, text, expected):
    fake.add_user("UBOTX", is_bot=True)
    reply = slack.ask("/grade", text)
    assert expected in visible(reply) and reply["response_type"] == "ephemeral"
    assert count(rapport, GradeRequest) == 0
    assert not fake.calls_to("chat.postMessage")
