"""Grade history and pending requests: the use cases on a real database, the builders as data."""

from datetime import timedelta

import pytest

from bot.errors import UserError
from bot.grades import asking, history
from bot.grades import messages as grade_messages
from bot.grades.values import History
from support.clock import START
from support.rows import account, grade, grade_request

NOW = START
TEAM = "T0001"


def texts(message: dict) -> str:
    return "\n".join(block["text"]["text"] for block in message["blocks"])


# -- History


def test_history_averages_points_and_compares_the_latest_with_the_previous():
    acme = account()
    view = History(acme, [grade("B-", of=acme), grade("C", of=acme, at=NOW - timedelta(days=30))])
    assert view.average == pytest.approx(2.35) and view.trend == "up"
    assert History(acme, [grade("C", of=acme), grade("B", of=acme)]).trend == "down"
    assert History(acme, [grade("C", of=acme), grade("C", of=acme)]).trend == "flat"


def test_history_has_no_trend_until_there_are_two_grades():
    acme = account()
    assert History(acme, [grade("F", of=acme)]).trend is None
    assert History(acme, []).average is None and History(acme, []).trend is None


# -- builders


@pytest.mark.parametrize(
    "elapsed, expected",
    [
        (timedelta(minutes=59), "asked just now"),
        (timedelta(hours=1), "asked 1 hour ago"),
        (timedelta(hours=23, minutes=59), "asked 23 hours ago"),
        (timedelta(days=1), "asked 1 day ago"),
        (timedelta(days=4, hours=5), "asked 4 days ago"),
    ],
)
def test_asked_ago_rounds_down(elapsed, expected):
    assert grade_messages.asked_ago(NOW - elapsed, NOW) == expected


def test_history_message_escapes_reasons_and_keeps_one_line_per_grade():
    acme = account("Smith & Sons")
    view = History(acme, [grade("C", of=acme, reason="<!channel>\nand <https://x.example|this>")])
    shown = texts(grade_messages.history(view, "Europe/London"))
    assert "*Grades for Smith &amp; Sons*" in shown
    assert "“&lt;!channel&gt; and &lt;https://x.example|this&gt;”" in shown
    assert "<!channel>" not in shown and "Trend" not in shown
    assert "Average *2.0* points over 1 grade." in shown


def test_a_long_history_stays_within_block_kit_limits():
    acme = account()
    many = [grade("B", of=acme, at=NOW - timedelta(days=n), reason="x" * 3000) for n in range(500)]
    message = grade_messages.history(History(acme, many), "UTC")
    assert len(message["blocks"]) <= 50
    assert all(len(block["text"]["text"]) <= 3000 for block in message["blocks"])
    assert "more lines" in message["blocks"][-1]["text"]["text"]


def test_pending_message_names_account_grader_age_and_question():
    acme = account("Smith & Sons")
    asked = grade_request(acme, asked_at=NOW - timedelta(days=4), question="Fast <enough>?")
    asked.reminded_at = NOW - timedelta(days=1)
    shown = texts(grade_messages.pending([asked], now=NOW, tz="UTC"))
    assert "*Smith &amp; Sons*: <@U0003>, asked 4 days ago (<!date^" in shown
    assert "reminded once" in shown and "Fast &lt;enough&gt;?" in shown


def test_no_pending_requests_says_how_to_ask():
    assert "`/grade Acme @client`" in texts(grade_messages.pending([], now=NOW, tz="UTC"))


def test_the_confirmation_quotes_the_escaped_question():
    asked = grade_request(account(), question="Be honest & <b>blunt</b>")
    shown = texts(grade_messages.asked(asked))
    assert shown == (
        "Asked <@U0003> for a grade on *Acme Corp*:\n> Be honest &amp; &lt;b&gt;blunt&lt;/b&gt;"
    )


# -- use cases on the database


@pytest.fixture
def stored(rapport):
    """Acme in T0001, with an open, an answered and someone else's request, and two grades;
    an account of the same name in T0002, with a grade and an open request of its own."""
    acme, elsewhere = account(id=1), account(id=2, team_id="T0002")
    with rapport.sessions.begin() as s:
        s.add_all([acme, elsewhere])
        s.add_all(
            [
                grade_request(acme, asked_at=NOW - timedelta(days=2), question="older"),
                grade_request(acme, asked_at=NOW - timedelta(days=1), question="newer"),
                grade_request(acme, asked_by="U0002", question="someone else's"),
                grade_request(elsewhere, question="another workspace's"),
                grade("C", of=acme, at=NOW - timedelta(days=30)),
                grade("B-", of=acme),
                grade("A", of=elsewhere),
            ]
        )


def test_pending_is_the_callers_open_requests_in_their_workspace_oldest_first(rapport, stored):
    found = asking.pending(rapport, team_id=TEAM, asked_by="U0001")
    assert [r.question for r in found] == ["older", "newer"]
    assert found[0].account.name == "Acme Corp"  # loaded: the builder names it after the read


def test_history_is_the_accounts_grades_in_its_workspace_newest_first(rapport, stored):
    view = history.history(rapport, team_id=TEAM, query="acme")
    assert [g.grade for g in view.grades] == ["B-", "C"] and view.trend == "up"
    other = history.history(rapport, team_id="T0002", query="Acme Corp")
    assert [g.grade for g in other.grades] == ["A"]


@pytest.mark.parametrize(
    "query, message",
    [("", "Name the account"), ("Globex", "I don't know an account called “Globex”")],
)
def test_history_of_no_or_an_unknown_account_is_refused(rapport, stored, query, message):
    with pytest.raises(UserError, match=message):
        history.history(rapport, team_id=TEAM, query=query)
