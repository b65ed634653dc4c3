"""Property tests of the text people type: whatever it is, parsing answers (a result or a
UserError to show) and never raises anything else, and what is refused stores nothing."""

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import accounts, calls, grades, subscriptions, when
from bot.errors import UserError
from bot.people import Person
from storage.models import Account, Call

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)
OWNER = Person("T0001", "U0001", "America/New_York", "en-US", False)
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
    ]
)
# No NUL: Slack never sends one, and PostgreSQL refuses it in text (see the closing note).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=80)
TEXT = st.one_of(ANY_TEXT, st.lists(WORDS, max_size=8).map(" ".join))


def count(rapport, model) -> int:
    with rapport.reads.begin() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def acme(rapport):
    return accounts.add(rapport, user=OWNER, name="Acme Corp")


@TYPED
@given(text=TEXT)
def test_logcall_text_logs_a_call_or_says_why_and_stores_nothing(rapport, acme, text):
    before = count(rapport, Call)
    try:
        call = calls.log_text(rapport, user=OWNER, text=text, source="test")
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
        accounts.set_field(rapport, user=OWNER, text=text)
    except UserError as refused:
        assert str(refused)
    assert count(rapport, Account) == 1


@TYPED
@given(text=TEXT)
def test_account_add_adds_one_or_says_why(rapport, text):
    before = count(rapport, Account)
    try:
        accounts.add(rapport, user=OWNER, name=text)
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
        grades.parse_ask(text)
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
