"""`/account search`, end to end: signed requests to the real `serve` server, Slack faked;
full-text search by FTS5 on SQLite and a GIN index on PostgreSQL (migration 0011).
Alex (U0001) owns the accounts; Camille (U0002) is a colleague."""

import pytest

from storage.models import Call
from support.rows import account, add, call
from support.shown import visible

ALEX, CAMILLE = "U0001", "U0002"
HOSTILE = [
    '"',
    "AND (",
    "renewal AND (",
    '"renewal',
    "NEAR(renewal pricing",
    "renewal*",
    "notes: renewal",
    "-renewal",
    "^renewal",
    "'; DROP TABLE calls; --",
    "renewal OR",
    "(((",
    "\\",
    "%_%",
    "!!!",
    "a" * 3000,
]


@pytest.fixture
def book(slack, rapport):
    """Acme Corp and Renewal Partners, Alex's; Globex, archived; a call mentioning the
    renewal three times, one mentioning it once, one not at all, Camille's private one, and
    another workspace's."""
    for name in ("Acme Corp", "Renewal Partners", "Globex"):
        slack.ask("/account", f"add {name}")
    slack.ask("/logcall", "Acme 2 days ago: renewal, renewal and the renewal terms again")
    slack.ask("/logcall", "Acme 3 days ago: the renewal came up; pricing; budget and team")
    slack.ask("/logcall", "Acme yesterday: pricing only, nothing else")
    slack.ask("/logcall", "Globex 4 days ago: renewal with the old Globex", user_id=CAMILLE)
    slack.ask("/account", "archive Globex")
    slack.ask("/logcall", "Acme 5 hours ago: renewal at risk, secret", user_id=CAMILLE)
    with rapport.sessions.begin() as s:
        s.execute(Call.__table__.update().where(Call.notes.like("%secret%")).values(private=True))
        add(s, call("renewal renewal renewal elsewhere", of=account("Acme Corp", team_id="T9")))


def test_search_ranks_calls_and_finds_accounts_by_name(slack, book):
    found = slack.ask("/account", "search renewal")
    shown = visible(found)
    calls = found["blocks"][0]["text"]["text"].partition("*Calls*")[2]

    thrice, once = calls.find("renewal, renewal and the renewal"), calls.find("renewal came up")
    assert 0 < thrice < calls.find("•", thrice) <= once  # three times first, once after
    assert "pricing only" not in shown
    assert "secret" not in shown  # Camille's private note
    assert "elsewhere" not in shown  # another workspace's
    assert "• *Renewal Partners*, <@U0001>" in shown  # an account by its name
    assert "*Globex* (archived)" in shown  # an archived account's call, marked

    hers = visible(slack.ask("/account", "search RENEWAL secret", user_id=CAMILLE))
    assert "renewal at risk, secret" in hers and "only you see it" in hers
    assert "terms again" not in hers  # every word must be there

    assert "Nothing found for “budgets”" in visible(slack.ask("/account", "search budgets"))
    both = visible(slack.ask("/account", "search pricing budget"))
    assert "the renewal came up" in both and "pricing only" not in both


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_queries_are_only_words(slack, book, typed):
    reply = visible(slack.ask("/account", f"search {typed}"))
    assert "reference" not in reply.lower() and "went wrong" not in reply.lower(), reply
    assert "Found for" in reply or "Nothing found" in reply or "Type words to look for" in reply, (
        reply
    )
    assert "secret" not in reply


def test_accents_and_persian_and_arabic_letters_are_found(slack, rapport):
    slack.ask("/account", "add Công ty Hòa Bình")
    for text in (
        "cong ty yesterday: Gia hạn hợp đồng, thêm người dùng",
        "cong ty 2 days ago: تمدید قرارداد با شرکت",
        "cong ty 3 days ago: نمایندگی الكترونيك",  # typed on an Arabic keyboard
    ):
        assert "Logged a call" in visible(slack.ask("/logcall", text))

    assert "Gia hạn hợp đồng" in visible(slack.ask("/account", "search GIA HẠN"))
    assert "تمدید قرارداد" in visible(slack.ask("/account", "search قرارداد"))
    assert "تمدید قرارداد" in visible(slack.ask("/account", "search شركت"))  # Arabic kaf, yeh
    assert "نمایندگی" in visible(slack.ask("/account", "search الکترونیک"))  # Persian letters
    assert "Công ty Hòa Bình" in visible(slack.ask("/account", "search cong ty"))
    if rapport.engine.dialect.name == "sqlite":  # unicode61 remove_diacritics 2
        assert "Gia hạn hợp đồng" in visible(slack.ask("/account", "search gia han hop dong"))


def test_an_edited_call_is_found_by_its_new_words(slack, fake, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme yesterday: kickoff")
    with rapport.sessions.begin() as s:
        s.execute(Call.__table__.update().values(notes="renewal talk", next_step="send quote"))
    assert "renewal talk" in visible(slack.ask("/account", "search renewal"))
    assert "renewal talk" in visible(slack.ask("/account", "search quote"))
    assert "Nothing found" in visible(slack.ask("/account", "search kickoff"))
    with rapport.sessions.begin() as s:
        s.execute(Call.__table__.delete())
    assert "Nothing found" in visible(slack.ask("/account", "search renewal"))
