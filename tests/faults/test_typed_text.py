"""Property tests of the text people type: whatever it is, parsing answers (a result or a
UserError to show) and never raises anything else, and what is refused stores nothing.

The use cases are given text as the app's middleware hands it on (without control
characters, handlers/payloads.py); DMs go through the real server, middleware included.
Dates are read only from 1900 to 2199 (bot/mrkdwn.py), wherever they are typed."""

import functools
import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import when
from bot.accounts import manage
from bot.calls import ids as call_ids
from bot.calls import logcall
from bot.calls import messages as call_messages
from bot.digests import subscriptions
from bot.errors import UserError
from bot.grades import asking
from bot.mrkdwn import in_range
from bot.reports import periods
from handlers import payloads
from storage.models import Account, Base, Call
from support import slack_requests
from support.clock import START
from support.forms import call_form
from support.shown import visible
from support.stored import count
from support.workspace import ALEX

NOW = START
# Deterministic: the same examples every run; the database fixture is shared across them.
TYPED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
WORDS = st.sampled_from(
    [
        "Acme",
        "acme",
        "Corp",
        "yesterday",
        "3pm",
        "2 hours ago",
        ":",
        ": notes",
        "at",
        "9:30",
        "daily",
        "weekdays",
        "mine",
        "quiet",
        "<@U0002|sam>",
        "<#C1|x>",
        "&amp;",
        "arr",
        "1.2M",
        "owner",
        "renewal",
        "target",
        "15%",
        "tomorrow",
        "blursday",
        "\n",
        '"',
        "“",
        "%",
        "_",
        "\x00",
        "\x0b",
        "0001-01-01",
        "9999-12-31",
        "00:30",
        "to",
    ]
)
# Any character, control characters included (the middleware drops them).
ANY_TEXT = st.text(max_size=80)
TYPED_TEXT = st.one_of(ANY_TEXT, st.lists(WORDS, max_size=8).map(" ".join))
TEXT = TYPED_TEXT.map(payloads.without_control_characters)
# `log <account> <when>: <notes>`, right or nearly; the notes never blank.
LOG_LINES = st.builds(
    "log {} {}: {}{}{}".format,
    st.sampled_from(["Acme", "acme corp", "Globex", "", "“Acme Corp”"]),
    st.sampled_from(["", "yesterday 3pm", "2 hours ago", "tomorrow", "blursday"]),
    TYPED_TEXT,
    st.sampled_from(["renewal", "a\x00b", "\x00", "Word\x0bpaste\x0c"]),
    TYPED_TEXT,
)
# Each example is a request to the server and its reply: fewer of them.
THROUGH_THE_APP = settings(TYPED, max_examples=60)
EVENT_IDS = itertools.count(1)


@pytest.fixture
def acme(rapport):
    return manage.add(rapport, user=ALEX, name="Acme Corp")


@TYPED
@given(text=TEXT)
def test_logcall_text_logs_a_call_or_says_why_and_stores_nothing(rapport, acme, text):
    before = count(rapport, Call)
    try:
        call = logcall.log_text(rapport, user=ALEX, text=text, source="command")
    except UserError as refused:
        assert str(refused)
        assert count(rapport, Call) == before
    else:
        assert call.occurred_at <= rapport.clock.now() + when.FUTURE_TOLERANCE
        assert in_range(call.occurred_at)
        assert count(rapport, Call) == before + 1


@TYPED
@given(text=TEXT)
def test_account_set_changes_one_field_or_says_why(rapport, acme, text):
    try:
        manage.set_field(rapport, user=ALEX, text=text)
    except UserError as refused:
        assert str(refused)
    assert count(rapport, Account) == 1


@TYPED
@given(text=TEXT)
def test_account_add_adds_one_or_says_why(rapport, text):
    before = count(rapport, Account)
    try:
        manage.add(rapport, user=ALEX, name=text)
    except UserError as refused:
        assert str(refused) and count(rapport, Account) == before
    else:
        assert count(rapport, Account) == before + 1


@TYPED
@given(text=TEXT)
def test_digest_subscribe_text_parses_or_says_why(text):
    try:
        subscriptions.parse(text, user_id="U0001")
    except UserError as refused:
        assert str(refused)


@TYPED
@given(text=TEXT)
def test_grade_requests_parse_or_say_why(text):
    try:
        asking.parse_ask(text)
    except UserError as refused:
        assert str(refused)


def read(parse, text: str):
    """What `parse` reads in `text`, or None when it refuses it, saying why."""
    try:
        return parse(text)
    except UserError as refused:
        assert str(refused)
        return None


@TYPED
@given(text=TEXT)
def test_when_phrases_read_as_a_past_moment_or_say_why(text):
    moment = read(functools.partial(when.parse_moment, tz="America/New_York", now=NOW), text)
    if moment is not None:
        assert moment.tzinfo is not None and moment <= NOW + when.FUTURE_TOLERANCE
        assert in_range(moment)


@TYPED
@given(text=TEXT)
def test_days_and_report_periods_read_within_range_or_say_why(text):
    day = read(functools.partial(when.parse_day, tz="America/New_York", now=NOW), text)
    assert day is None or in_range(day)
    request = read(
        functools.partial(periods.parse, tz="America/New_York", user_id="U0001", now=NOW), text
    )
    assert request is None or in_range(request.period.first) and in_range(request.period.last)


def rows(rapport) -> dict[str, int]:
    with rapport.reads.begin() as s:
        return {
            table.name: s.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def dm_acme(slack):
    """Acme Corp, added through the app (which also caches its owner's profile)."""
    slack.ask("/account", "add Acme Corp")
    slack.settle()


@THROUGH_THE_APP
@given(text=st.one_of(LOG_LINES, TYPED_TEXT.map("log {}".format), TYPED_TEXT))
@example(text="log Acme yesterday 3pm: discussed\x00 renewal")
def test_a_dm_logs_a_call_or_says_why_and_always_answers(slack, rapport, fake, dm_acme, text):
    before, replies = rows(rapport), len(fake.calls_to("chat.postMessage"))
    dm = slack_requests.direct_message(text)
    assert slack.event(dm, event_id=f"EvTyped{next(EVENT_IDS)}").status == 200
    slack.settle()
    answers = fake.wait_for("chat.postMessage", replies + 1)[replies:]
    assert len(answers) == 1 and answers[0].args["channel"] == "D0001"
    reply = visible(answers[0].args)
    after = rows(rapport)
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert "went wrong" not in reply
    if "Logged a call" in reply:
        assert added == {"calls": 1, "event_deliveries": 1}
    elif call_messages.DM_HELP in reply:
        assert added == {"event_deliveries": 1}
    else:  # a mistake, explained; the delivery is not recorded either
        assert added == {}


def acme_id(rapport) -> int:
    with rapport.reads.begin() as s:
        return s.scalar(select(Account.id))


def log_call(slack, rapport, where: str, text: str, *, user_id="U0001", when="") -> str:
    """Log `text` (`<when>: <notes>` after the account) as `user_id`, `where` says how;
    what they are shown."""
    seen = len(slack.fake.calls_to("chat.postMessage"))
    if where == "/logcall":
        return visible(slack.ask("/logcall", f"Acme {text}", user_id=user_id))
    if where == "DM":
        dm = slack_requests.direct_message(
            f"log Acme {text}", user_id=user_id, channel="D" + user_id[1:]
        )
        slack.event(dm, event_id=f"EvTyped{next(EVENT_IDS)}")
        return visible(slack.fake.wait_for("chat.postMessage", seen + 1)[seen].args)
    when, _, notes = text.partition(": ")
    values = call_form(acme_id(rapport), when=when, notes=notes)
    ack = slack.submit(callback_id=call_ids.LOG_CALL_VIEW, values=values, user_id=user_id)
    return ack.raw


WHERE = ["/logcall", "log-call modal", "DM"]


@pytest.mark.parametrize("where", WHERE)
def test_control_characters_are_dropped_wherever_they_are_typed(slack, rapport, dm_acme, where):
    """Tab and newline stay; a CR goes (Slack sends line breaks as newlines), and so do C0,
    DEL and C1: the vertical tab and form feed Word and PDFs paste, a BEL, an ESC."""
    pasted = "discussed\x00 renewal,\x0b pasted\x0c from\x07 Word\x1b\x7f\x85\r\nthen\tthis"
    log_call(slack, rapport, where, f"yesterday: {pasted}")
    slack.settle()
    with rapport.reads.begin() as s:
        assert (
            s.scalars(select(Call.notes)).one() == "discussed renewal, pasted from Word\nthen\tthis"
        )


def test_the_message_shortcut_drops_control_characters_from_the_message(slack, fake):
    message = {"type": "message", "text": "Pasted\x0b from Word\x0c", "ts": "1795377600.000200"}
    slack.shortcut(callback_id=call_ids.LOG_CALL_SHORTCUT, message=message)
    view = fake.wait_for("views.open")[0].args["view"]
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial[call_ids.CALL_NOTES] == "Pasted from Word"


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("moment", ["0001-01-01 00:30", "1899-12-31 23:00"])
def test_a_call_before_1900_is_refused_wherever_it_is_typed(
    slack, rapport, fake, dm_acme, where, moment
):
    """Written by someone in UTC, year 1 is a moment Python cannot show west of UTC."""
    fake.add_user("U0009", tz="UTC", name="utc")
    reply = log_call(slack, rapport, where, f"{moment}: hello", user_id="U0009")
    assert "I keep dates from 1900 to 2199" in reply and moment in reply
    assert count(rapport, Call) == 0


def test_a_follow_up_day_out_of_range_keeps_the_modal_open(slack, rapport, dm_acme):
    values = call_form(acme_id(rapport), when="yesterday", notes="hi", follow_up="9999-12-31")
    ack = slack.submit(callback_id=call_ids.LOG_CALL_VIEW, values=values)
    assert ack.json == {
        "response_action": "errors",
        "errors": {
            call_ids.CALL_FOLLOW_UP: "I keep dates from 1900 to 2199: “9999-12-31” is outside them."
        },
    }
    assert count(rapport, Call) == 0


def test_a_message_sent_before_1900_cannot_be_logged_from(slack, fake):
    message = {"type": "message", "text": "hello", "ts": "-62135596800.000100"}  # year 1
    slack.shortcut(callback_id=call_ids.LOG_CALL_SHORTCUT, message=message)
    slack.settle()
    reply = visible(fake.wait_for("response_url")[0].args)
    assert "I can't read when that message was sent" in reply
    assert not fake.calls_to("views.open")


@pytest.mark.parametrize(
    "text",
    [
        "set Acme renewal 9999-12-31",
        "set Acme renewal 0001-01-01",
        "report 9999-12-30 to 9999-12-31",
        "export 1800-01-01 to 2026-01-01",
    ],
)
def test_renewals_and_report_periods_out_of_range_are_refused(slack, rapport, fake, dm_acme, text):
    reply = visible(slack.ask("/account", text))
    assert "I keep dates from 1900 to 2199" in reply
    with rapport.reads.begin() as s:
        assert s.scalars(select(Account.renewal_on)).one() is None
    assert not fake.calls_to("files.getUploadURLExternal")
