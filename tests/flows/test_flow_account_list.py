"""`/account list [mine|@owner] [at risk|stale|renewing in N days] [by ...]` end to end:
signed requests to the real `serve` server, Slack faked, on both databases."""

import json
import re
from datetime import timedelta

import pytest

from support.clock import START
from support.rows import account, add, call, grade
from support.shown import buttons, section_texts, token_for, visible
from support.stored import statements_sent
from support.workspace import ALEX

CAMILLE = "U0002"
# START is Mon 23 Nov 2026 17:00 UTC, noon in New York (Alex's timezone).
TODAY = START.date()
NAME_LINE = re.compile(r"^• \*(.+?)\*", re.MULTILINE)


@pytest.fixture
def book(rapport):
    """Four active accounts (and one archived, one of another workspace, never listed):

    account   owner    latest grade  last call      renewal      ARR
    Acme      Alex     C (at risk)   3 days ago     in 30 days   120,000
    Globex    Camille  B             20 days ago    in 90 days   340,000
    Initech   Alex     -             never          in 60 days   -
    Umbrella  Alex     B- (at risk)  yesterday      yesterday    50,000
    """
    with rapport.sessions.begin() as s:
        acme = account("Acme", renewal_on=TODAY + timedelta(days=30), arr=120_000)
        globex = account(
            "Globex", owner_id=CAMILLE, renewal_on=TODAY + timedelta(days=90), arr=340_000
        )
        initech = account("Initech", renewal_on=TODAY + timedelta(days=60))
        umbrella = account("Umbrella", renewal_on=TODAY - timedelta(days=1), arr=50_000)
        archived = account("Archived Co", archived_at=START - timedelta(days=1))
        elsewhere = account("Elsewhere", team_id="T0OTHER")
        add(
            s,
            call(of=acme, at=START - timedelta(days=3)),
            grade("A", of=acme, at=START - timedelta(days=40)),
            grade("C", of=acme, at=START - timedelta(days=2)),
            call(of=globex, at=START - timedelta(days=20)),
            grade("B", of=globex),
            initech,
            call(of=umbrella, at=START - timedelta(days=1)),
            grade("B-", of=umbrella),
            grade("F", of=archived),
            grade("F", of=elsewhere),
        )


def listed(slack, text: str, *, user_id: str = ALEX.user_id) -> tuple[list[str], str]:
    """The account names a list shows, in order, and all it shows."""
    reply = slack.ask("/account", f"list {text}".strip(), user_id=user_id)
    shown = "\n".join(section_texts(reply))
    return NAME_LINE.findall(shown), shown


def line_of(shown: str, name: str) -> str:
    return next(line for line in shown.splitlines() if line.startswith(f"• *{name}*"))


def test_every_active_account_of_the_workspace_by_name(slack, book):
    names, shown = listed(slack, "")
    assert names == ["Acme", "Globex", "Initech", "Umbrella"]
    assert shown.startswith("*4 accounts*\n")
    acme = line_of(shown, "Acme")
    assert acme.startswith(
        "• *Acme*, <@U0001>, last contact " + token_for(START - timedelta(days=3))
    )
    assert line_of(shown, "Initech") == "• *Initech*, <@U0001>, last contact no calls yet"
    assert line_of(shown, "Globex").startswith("• *Globex*, <@U0002>,")


def test_mine_and_an_owner(slack, book):
    assert listed(slack, "mine")[0] == ["Acme", "Initech", "Umbrella"]
    names, shown = listed(slack, "<@U0002|camille>")
    assert names == ["Globex"] and shown.startswith("*1 account*: of <@U0002>")
    assert listed(slack, "mine", user_id=CAMILLE)[0] == ["Globex"]
    assert listed(slack, "all")[0] == ["Acme", "Globex", "Initech", "Umbrella"]


def test_at_risk_is_a_latest_grade_below_b(slack, book):
    names, shown = listed(slack, "at risk")
    assert names == ["Acme", "Umbrella"]  # Acme's A came before its C; Globex's B is not
    assert shown.startswith("*2 accounts*: at risk")
    assert line_of(shown, "Acme").endswith(", grade C")
    assert line_of(shown, "Umbrella").endswith(", grade B-")


def test_stale_is_no_call_for_stale_days_or_never(slack, rapport, book, clock):
    names, shown = listed(slack, "stale")
    assert names == ["Globex", "Initech"]  # 20 days ago, and never; STALE_DAYS is 14
    assert shown.startswith("*2 accounts*: without a call for 14 days")
    clock.set(START + timedelta(days=11))  # Acme's call is now exactly 14 days old
    assert listed(slack, "stale")[0] == ["Acme", "Globex", "Initech"]


def test_renewing_counts_days_from_today_in_the_readers_timezone(slack, book, clock):
    names, shown = listed(slack, "renewing in 60 days")
    assert names == ["Acme", "Initech"]  # in 30 and in 60 days; Umbrella renewed yesterday
    assert shown.startswith("*2 accounts*: renewing in the next 60 days")
    assert line_of(shown, "Initech").endswith(", renewal Fri 22 Jan 2027")
    assert listed(slack, "renewing in 29 days")[0] == []
    # 03:00 UTC on the 24th: still the 23rd in New York (Alex), already the 24th in Paris,
    # where Acme's renewal on 23 Dec is 29 days away.
    clock.set(START.replace(hour=3) + timedelta(days=1))
    assert listed(slack, "renewing in 29 days")[0] == []
    assert listed(slack, "renewing in 29 days", user_id=CAMILLE)[0] == ["Acme"]


def test_each_order(slack, book):
    assert listed(slack, "by name")[0] == ["Acme", "Globex", "Initech", "Umbrella"]
    # Longest without a call first, never called at the top.
    assert listed(slack, "by last contact")[0] == ["Initech", "Globex", "Acme", "Umbrella"]
    names, shown = listed(slack, "by renewal")
    assert names == ["Umbrella", "Acme", "Initech", "Globex"]
    assert "renewal Wed 23 Dec 2026" in line_of(shown, "Acme")
    names, shown = listed(slack, "by arr")
    assert names == ["Globex", "Acme", "Umbrella", "Initech"]  # no ARR last
    assert line_of(shown, "Globex").endswith(", ARR 340,000")
    assert line_of(shown, "Initech").endswith(", no ARR")
    assert shown.startswith("*4 accounts*: by ARR")


@pytest.mark.parametrize(
    "text", ["mine at risk by arr", "by arr mine at risk", "AT  RISK By ARR mine"]
)
def test_filters_combine_in_any_order(slack, book, text):
    names, shown = listed(slack, text)
    assert names == ["Acme", "Umbrella"]
    assert shown.startswith("*2 accounts*: yours, at risk, by ARR")
    assert line_of(shown, "Acme").endswith(", grade C, ARR 120,000")


def test_three_filters_and_an_order(slack, book):
    names, shown = listed(slack, "stale renewing in 90 days <@U0001> by renewal")
    assert names == ["Initech"]
    assert listed(slack, "stale renewing in 90 days by renewal")[0] == ["Initech", "Globex"]
    names, shown = listed(slack, "at risk stale")
    assert names == [] and "No accounts match: at risk, without a call for 14 days." in shown


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("mine bogus words", "I don't know “bogus words” in `/account list`"),
        ("by colour", "I don't know “by colour”"),
        ("renewing soon", "I don't know “renewing soon”"),
        ("@camille", "Mention the owner so Slack links it: “@camille”"),
        ("renewing in 0 days", "from 1 to 3,660: “renewing in 0 days”"),
        ("mine <@U0002|camille>", "“mine” and “<@U0002>” can't go together"),
        ("by arr by renewal", "“by arr” and “by renewal” can't go together"),
    ],
)
def test_words_not_understood_are_quoted_with_the_grammar(slack, book, text, quoted):
    reply = visible(slack.ask("/account", f"list {text}"))
    assert quoted in reply
    assert "/account list [mine|@owner] [at risk|stale|renewing in 60 days]" in reply
    assert "• *" not in reply


def test_an_empty_workspace_says_how_to_add_an_account(slack):
    assert "No accounts yet" in visible(slack.ask("/account", "list"))


# -- pages


@pytest.fixture
def five_hundred(rapport):
    """500 accounts with long names that escaping makes longer; every other one Alex's
    (the rest Camille's), ARR rising with the number."""
    with rapport.sessions.begin() as s:
        for i in range(500):
            name = f"Account {i:03d} & <Sons> " + "x" * 60
            owner = ALEX.user_id if i % 2 == 0 else CAMILLE
            add(s, account(name[:80], owner_id=owner, arr=1000 * (i + 1)))
    return [(f"Account {i:03d} & <Sons> " + "x" * 60)[:80] for i in range(500)]


def pages(slack, fake, first: dict, user_id: str = ALEX.user_id) -> list[dict]:
    """`first` and every page after it, by pressing Next page until there is none."""
    shown = [first]
    while next_button := [b for b in buttons(shown[-1]) if b["text"]["text"] == "Next page"]:
        shown.append(press(slack, fake, next_button[0], user_id))
    return shown


def press(slack, fake, button: dict, user_id: str = ALEX.user_id, *, replaced=True) -> dict:
    seen = len(fake.calls_to("response_url"))
    ack = slack.action(action_id=button["action_id"], value=button.get("value"), user_id=user_id)
    assert ack.status == 200
    slack.settle()
    [reply] = fake.calls_to("response_url")[seen:]
    assert reply.args["replace_original"] is replaced
    return reply.args


def within_slack_limits(message: dict) -> None:
    assert len(message["blocks"]) <= 50
    assert all(len(text) <= 3000 for text in section_texts(message))
    assert all(len(b["value"]) <= 2000 for b in buttons(message))


def names_on(message: dict) -> list[str]:
    return NAME_LINE.findall("\n".join(section_texts(message)))


def test_500_accounts_page_cleanly(slack, fake, rapport, five_hundred):
    with statements_sent(rapport.engine) as statements:
        first = slack.ask("/account", "list")
    # One statement reads the facts of all 500 accounts, not one each.
    assert len([sql for sql in statements if "FROM accounts" in sql]) == 1
    assert len(statements) < 10
    shown = pages(slack, fake, first)
    assert len(shown) == 13  # 40 a page
    for message in shown:
        within_slack_limits(message)
    seen = [name for message in shown for name in names_on(message)]
    escaped = [
        n.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for n in five_hundred
    ]
    assert seen == escaped  # each once, in order
    assert section_texts(shown[1])[0].startswith("*500 accounts* (41–80)")
    assert section_texts(shown[-1])[0].startswith("*500 accounts* (481–500)")
    # Back from the last page: the one before it.
    [previous] = [b for b in buttons(shown[-1]) if b["text"]["text"] == "Previous page"]
    assert names_on(press(slack, fake, previous)) == names_on(shown[-2])
    assert [b["text"]["text"] for b in buttons(shown[0])] == ["Next page"]


def test_pages_keep_their_filters_and_order(slack, fake, five_hundred):
    first = slack.ask("/account", "list mine by arr")
    shown = pages(slack, fake, first, user_id=CAMILLE)  # pressed by another: still Alex's
    seen = [name for message in shown for name in names_on(message)]
    alexs = [n for i, n in enumerate(five_hundred) if i % 2 == 0]
    assert len(shown) == 7 and len(seen) == 250
    assert [n[:11] for n in seen] == [n[:11] for n in reversed(alexs)]  # largest ARR first
    assert all(
        section_texts(m)[0].startswith("*250 accounts*: of <@U0001>, by ARR") for m in shown[1:]
    )


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        json.dumps({"list": "bogus", "offset": 40}),
        json.dumps({"list": "", "offset": -1}),
        json.dumps({"list": "", "offset": "40"}),
        json.dumps(["", 40]),
        None,
    ],
)
def test_a_page_button_holding_what_ours_never_do_is_refused(slack, fake, book, value):
    reply = press(slack, fake, {"action_id": "account_list_next", "value": value}, replaced=False)
    assert "I can't read what this button or form sent" in visible(reply)


def test_a_page_past_the_end_shows_the_last(slack, fake, book):
    button = {"action_id": "account_list_next", "value": json.dumps({"list": "", "offset": 400})}
    assert names_on(press(slack, fake, button)) == ["Acme", "Globex", "Initech", "Umbrella"]
