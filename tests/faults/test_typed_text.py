"""Property tests of the text people type: whatever it is, parsing answers (a result or a
UserError to show) and never raises anything else, and what is refused stores nothing.

The use cases are given text as the app's middleware hands it on (without NUL
characters, handlers/payloads.py); DMs go through the real server, middleware included."""

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
    ]
)
# Any character, NUL included (PostgreSQL refuses it in text: the middleware drops it).
ANY_TEXT = st.text(max_size=80)
TYPED_TEXT = st.one_of(ANY_TEXT, st.lists(WORDS, max_size=8).map(" ".join))
TEXT = TYPED_TEXT.map(payloads.without_nul)
# `log <account> <when>: <notes>`, right or nearly; the notes never blank.
LOG_LINES = st.builds(
    "log {} {}: {}{}{}".format,
    st.sampled_from(["Acme", "acme corp", "Globex", "", "“Acme Corp”"]),
    st.sampled_from(["", "yesterday 3pm", "2 hours ago", "tomorrow", "blursday"]),
    TYPED_TEXT,
    st.sampled_from(["renewal", "a\x00b", "\x00"]),
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


@TYPED
@given(text=TEXT)
def test_when_phrases_read_as_a_past_moment_or_say_why(text):
    try:
        moment = when.parse_moment(text, tz="America/New_York", now=NOW)
    except UserError as refused:
        assert str(refused)
    else:
        assert moment.tzinfo is not None and moment <= NOW + when.FUTURE_TOLERANCE


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


@pytest.mark.parametrize("where", ["/logcall", "log-call modal", "DM"])
def test_a_nul_is_dropped_wherever_it_is_typed_and_the_rest_stored(slack, rapport, dm_acme, where):
    notes = "discussed\x00 renewal"
    if where == "/logcall":
        assert "Logged a call" in visible(slack.ask("/logcall", f"Acme: {notes}"))
    elif where == "DM":
        slack.event(slack_requests.direct_message(f"log Acme: {notes}"), event_id="EvNul")
    else:
        with rapport.reads.begin() as s:
            account_id = s.scalar(select(Account.id))
        values = call_form(account_id, when="yesterday", notes=notes)
        assert slack.submit(callback_id=call_ids.LOG_CALL_VIEW, values=values).status == 200
    slack.settle()
    with rapport.reads.begin() as s:
        assert s.scalars(select(Call.notes)).one() == "discussed renewal"
