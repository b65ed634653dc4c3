"""Property tests of what people type after `/account search` and `/account calls`: any
text is searched as words or refused with a UserError, never an error of FTS5's query
syntax or of PostgreSQL, and another person's private note is never found."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.accounts import manage
from bot.calls import history, logcall, search
from bot.errors import UserError
from bot.people import Person
from handlers import payloads
from storage.models import CallSource
from support.workspace import ALEX, TEAM

CAMILLE = Person(TEAM, "U0002", "Europe/Paris", "fr-FR", False)
TYPED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SYNTAX = st.sampled_from(
    [
        '"',
        "'",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "(",
        ")",
        "*",
        ":",
        "^",
        "-",
        "+",
        "{",
        "}",
        "notes:",
        "team_id:",
        "renewal",
        "Acme",
        "last 90 days",
        "%",
        "_",
        "\\",
        "&",
        "|",
        "<->",
        "!",
        "'s",
        "شركت",
        "đồng",
        "\u200c",
        "\u064e",
        "",
        " ",
    ]
)
TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(SYNTAX, max_size=10).map(" ".join),
    st.lists(SYNTAX, max_size=10).map("".join),
).map(payloads.without_control_characters)


@pytest.fixture
def book(rapport):
    acme = manage.add(rapport, user=ALEX, name="Acme Corp")
    for text, user, private in [
        ('Acme: renewal & pricing (AND) "quoted" notes:', ALEX, False),
        ("Acme: renewal secret", CAMILLE, True),
    ]:
        call = logcall.log_text(rapport, user=user, text=text, source=CallSource.COMMAND)
        if private:
            with rapport.sessions.begin() as s:
                s.get(type(call), call.id).private = True
    return acme


@TYPED
@given(text=TEXT)
def test_any_search_text_is_words_or_refused(rapport, book, text):
    try:
        found = search.search(rapport, user=ALEX, text=text)
    except UserError as refused:
        assert "Type words" in str(refused)
        return
    assert all("secret" not in call.notes for call, _account in found.calls)


@TYPED
@given(text=TEXT)
def test_any_calls_text_is_a_page_or_refused(rapport, book, text):
    try:
        page = history.listing(rapport, user=ALEX, text=text)
    except UserError as refused:
        assert str(refused)
        return
    assert page.account.name == "Acme Corp"
