"""Digest content on a real database (SQLite and PostgreSQL) and its messages as data:
each section, scopes and workspaces, private notes, escaping, Slack's limits, and a
fixed number of SQL statements whatever the number of accounts."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from bot.blocks import BLOCKS_MAX, SECTION_TEXT_MAX
from bot.digests import content, values
from bot.digests import messages as digest_messages
from bot.runtime.settings import Settings
from storage.models import Account, Call, DigestSubscription
from support.clock import START
from support.rows import (
    account,
    add,
    call,
    grade,
    grade_request,
    plan,
    subscribed_account,
    subscription,
)
from support.stored import statements_sent
from support.workspace import NEW_YORK

TEAM, OTHER_TEAM = "T0001", "T0002"
OWNER, OTHER_OWNER, GRADER = "U0001", "U0002", "U0003"
# Monday 23 November 2026, noon in New York; the previous digest went out a day ago.
NOW = START
SINCE = NOW - timedelta(days=1)
TODAY = date(2026, 11, 23)
SETTINGS = Settings(stale_days=14)


def gathered(rapport, sub, *, since=SINCE, now=NOW):
    with rapport.reads.begin() as s:
        return content.gather(
            s, subscription=sub, since=since, now=now, stale_days=SETTINGS.stale_days
        )


def shown(digest, sub) -> str:
    """Everything the channel sees: the message and its thread replies, texts and sections."""
    channel, replies = digest_messages.messages(digest, subscription=sub, tz=NEW_YORK)
    return "\n".join(
        text
        for message in [channel, *replies]
        for text in [message["text"], *(block["text"]["text"] for block in message["blocks"])]
    )


def names(items) -> list[str]:
    return [item.account for item in items]


# -- sections


def test_calls_logged_since_the_previous_digest_with_who_when_and_the_first_line(rapport):
    with rapport.sessions.begin() as s:
        acme, globex = add(s, account("Acme Corp"), account("Globex"))
        add(
            s,
            call("Pricing questions\nfrom their CFO", of=acme, logged_by=OTHER_OWNER),
            call(
                "Kickoff",
                of=globex,
                at=NOW - timedelta(days=10),
                logged_at=NOW - timedelta(hours=1),
            ),
            call("Before the last digest", of=acme, at=SINCE - timedelta(minutes=1)),
            call("Logged after this digest began", of=acme, at=NOW),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert digest.calls == (
        values.CallLogged("Globex", OWNER, NOW - timedelta(days=10), "Kickoff"),
        values.CallLogged("Acme Corp", OTHER_OWNER, NOW - timedelta(hours=3), "Pricing questions"),
    )
    text = shown(digest, sub)
    assert "• *Acme Corp*, <@U0002>, <!date^" in text and ": Pricing questions" in text
    assert "from their CFO" not in text and "Before the last digest" not in text


def test_new_grades_show_the_change_from_the_previous_grade(rapport):
    with rapport.sessions.begin() as s:
        acme, globex, initech = add(s, account("Acme Corp"), account("Globex"), account("Initech"))
        add(
            s,
            grade("C", of=acme, at=NOW - timedelta(days=40)),
            grade("B-", of=acme),
            grade("A", of=globex),
            grade("B", of=initech, at=NOW - timedelta(days=2)),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(g.account, g.previous, g.grade) for g in digest.grades] == [
        ("Acme Corp", "C", "B-"),
        ("Globex", None, "A"),
    ]
    text = shown(digest, sub)
    assert "*Acme Corp*: C → *B-* from <@U0003>" in text
    assert "*Globex*: *A* (first grade)" in text


def test_accounts_at_risk_with_their_open_recovery_plan(rapport):
    with rapport.sessions.begin() as s:
        acme, globex, initech, hooli = add(
            s, *(account(name) for name in ("Acme Corp", "Globex", "Initech", "Hooli"))
        )
        add(
            s,
            plan(grade("C", of=acme, at=NOW - timedelta(days=5)), follow_up_on=date(2026, 12, 7)),
            plan(grade("F", of=globex, at=NOW - timedelta(days=9)), status="dismissed"),
            grade("D", of=initech, at=NOW - timedelta(days=30)),
            grade("B", of=initech, at=NOW - timedelta(days=3)),  # recovered: not at risk
            grade("B-", of=hooli, at=NOW - timedelta(days=50)),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert digest.at_risk == (
        values.AtRisk("Globex", OWNER, "F", None, None, None),
        values.AtRisk("Acme Corp", OWNER, "C", "B-", date(2026, 12, 7), "planned"),
        values.AtRisk("Hooli", OWNER, "B-", None, None, None),
    )
    text = shown(digest, sub)
    assert "*Acme Corp* (<@U0001>): *C*, aiming for B- by Mon 07 Dec 2026 (planned)" in text
    assert "*Globex* (<@U0001>): *F*, no open recovery plan" in text


def test_follow_ups_due_today_and_overdue_from_plans_and_calls(rapport):
    with rapport.sessions.begin() as s:
        acme, globex, initech, hooli, umbrella = add(
            s, *(account(name) for name in ("Acme Corp", "Globex", "Initech", "Hooli", "Umbrella"))
        )
        add(
            s,
            plan(grade("C", of=acme, at=NOW - timedelta(days=14)), follow_up_on=TODAY),
            plan(
                grade("D", of=globex, at=NOW - timedelta(days=20)), follow_up_on=date(2026, 11, 20)
            ),
            plan(grade("D", of=globex, at=NOW - timedelta(days=19)), status="met"),
            plan(grade("C-", of=hooli, at=NOW - timedelta(days=2))),  # due in two weeks
            call(
                "Demo",
                of=initech,
                at=NOW - timedelta(days=8),
                follow_up_on=date(2026, 11, 22),
                next_step="Send the proposal\nand the price list",
            ),
            # A follow-up superseded by a later call is not due any more.
            call("Intro", of=umbrella, at=NOW - timedelta(days=9), follow_up_on=date(2026, 11, 20)),
            call("Proposal sent", of=umbrella, at=NOW - timedelta(days=2)),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(f.account, f.due_on, f.overdue, f.target) for f in digest.follow_ups] == [
        ("Globex", date(2026, 11, 20), True, "B-"),
        ("Initech", date(2026, 11, 22), True, None),
        ("Acme Corp", TODAY, False, "B-"),
    ]
    assert digest.follow_ups[1].next_step == "Send the proposal"
    text = shown(digest, sub)
    assert "*Acme Corp* (<@U0001>): due today, recovery call aiming for B-" in text
    assert "*Globex* (<@U0001>): overdue since Fri 20 Nov 2026" in text
    assert "*Initech* (<@U0001>): overdue since Sun 22 Nov 2026, after the call of <!date^" in text


@pytest.mark.parametrize("tz, due", [(NEW_YORK, []), ("Europe/Paris", ["Acme Corp"])])
def test_today_is_the_subscriptions_local_date(rapport, tz, due):
    late = datetime(2026, 11, 24, 3, 0, tzinfo=NOW.tzinfo)  # 22:00 on the 23rd in New York
    with rapport.sessions.begin() as s:
        add(s, call("Check-in", of=account("Acme Corp"), at=NOW, follow_up_on=date(2026, 11, 24)))
        sub = add(s, subscription(tz=tz))

    digest = gathered(rapport, sub, now=late)

    assert names(digest.follow_ups) == due


def test_stale_accounts_since_their_last_call_or_since_they_were_added(rapport):
    with rapport.sessions.begin() as s:
        acme, globex = add(s, account("Acme Corp"), account("Globex"))
        add(
            s,
            account("Initech", created_at=NOW - timedelta(days=30)),
            account("Hooli", created_at=NOW - timedelta(days=3)),
            call("Old call", of=acme, at=NOW - timedelta(days=20)),
            call("Recent call", of=globex, at=NOW - timedelta(days=13)),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(x.account, x.last_call_at, x.days) for x in digest.stale] == [
        ("Initech", None, 30),
        ("Acme Corp", NOW - timedelta(days=20), 20),
    ]
    text = shown(digest, sub)
    assert "*No contact for 14 days or more*" in text
    assert "*Acme Corp* (<@U0001>): last call <!date^" in text and "20 days ago" in text
    assert "*Initech* (<@U0001>): no calls since it was added <!date^" in text


def test_renewals_in_the_next_30_60_and_90_days_with_arr(rapport):
    with rapport.sessions.begin() as s:
        for name, days, arr in [
            ("Acme Corp", 10, 120_000),
            ("Globex", 45, None),
            ("Initech", 80, 9_500),
            ("Hooli", 120, 1_000),
            ("Umbrella", -5, 1_000),
        ]:
            renewing = account(name, renewal_on=TODAY + timedelta(days=days), arr=arr)
            add(s, call(of=renewing, at=NOW - timedelta(days=30)))
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(r.account, r.days, r.arr) for r in digest.renewals] == [
        ("Acme Corp", 10, 120_000),
        ("Globex", 45, None),
        ("Initech", 80, 9_500),
    ]
    text = shown(digest, sub)
    assert (
        "_Next 30 days_\n• *Acme Corp* (<@U0001>): Thu 03 Dec 2026, ARR 120,000\n"
        "_In 31 to 60 days_\n• *Globex* (<@U0001>): Thu 07 Jan 2027, ARR not set\n"
        "_In 61 to 90 days_\n• *Initech* (<@U0001>): Thu 11 Feb 2027, ARR 9,500"
    ) in text


def test_grade_requests_still_pending_with_grader_and_age(rapport):
    with rapport.sessions.begin() as s:
        acme, globex = add(s, account("Acme Corp"), account("Globex"))
        add(
            s,
            grade_request(acme, asked_at=NOW - timedelta(days=3, hours=1)),
            grade_request(globex, asked_at=NOW - timedelta(hours=5), grader_id="U0009"),
            grade_request(globex, status="expired", asked_at=NOW - timedelta(days=20)),
            grade("A", of=globex),  # its request was answered
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(p.account, p.grader_id, p.days) for p in digest.pending] == [
        ("Acme Corp", GRADER, 3),
        ("Globex", "U0009", 0),
    ]
    text = shown(digest, sub)
    assert "*Acme Corp*: waiting for <@U0003>, asked by <@U0001> <!date^" in text
    assert "(3 days ago)" in text and "(today)" in text


def test_the_headline_counts_every_section(rapport):
    with rapport.sessions.begin() as s:
        acme, globex = add(
            s,
            account("Acme Corp", renewal_on=TODAY + timedelta(days=20), arr=5_000),
            account("Globex", renewal_on=TODAY + timedelta(days=70)),
        )
        add(
            s,
            call("One", of=acme),
            call("Two", of=acme, at=NOW - timedelta(hours=1)),
            call("Three", of=globex, at=NOW - timedelta(days=30), follow_up_on=TODAY),
            grade_request(globex),
            grade("C", of=acme),
        )
        sub = add(s, subscription())

    channel, replies = digest_messages.messages(
        gathered(rapport, sub), subscription=sub, tz=NEW_YORK
    )

    headline = (
        "*Daily digest*: 2 calls, 1 new grade, 1 at risk, 1 follow-up due, 1 stale, "
        "2 renewals in 90 days, 1 grade pending"
    )
    assert channel["blocks"][0]["text"]["text"] == headline
    assert channel["text"] == headline.replace("*", "")
    assert replies == [] and len(channel["blocks"]) == 8  # the headline and seven sections


# -- privacy, scope, workspaces, escaping


def test_a_private_note_never_appears_anywhere(rapport):
    with rapport.sessions.begin() as s:
        add(
            s,
            call(
                "SECRET merger talk",
                of=account("Acme Corp"),
                private=True,
                follow_up_on=TODAY,
                next_step="SECRET next step",
            ),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert "SECRET" not in repr(digest)
    assert digest.calls[0].note is None and digest.follow_ups[0].next_step is None
    text = shown(digest, sub)
    assert "SECRET" not in text
    assert "• *Acme Corp*, <@U0001>, <!date^" in text and ": _private note_" in text


def test_user_text_is_escaped_so_it_cannot_ping_the_channel(rapport):
    with rapport.sessions.begin() as s:
        acme = account("Smith & <Sons>")
        add(s, call("<!channel> call me back <https://evil.example|bank>", of=acme))
        sub = add(s, subscription())

    text = shown(gathered(rapport, sub), sub)

    assert "&lt;!channel&gt; call me back &lt;https://evil.example|bank&gt;" in text
    assert "*Smith &amp; &lt;Sons&gt;*" in text
    assert "<!channel>" not in text and "<https://evil" not in text


@pytest.fixture
def two_owners(rapport):
    """Accounts of two owners with a call each, an archived one, and a twin workspace."""
    with rapport.sessions.begin() as s:
        acme, globex = add(s, account("Acme Corp"), account("Globex", owner_id=OTHER_OWNER))
        initech = add(s, account("Initech"))
        gone = add(s, account("Archived Inc", archived_at=NOW - timedelta(days=1)))
        for a in (acme, globex, initech, gone):
            add(s, call(f"Call with {a.name}", of=a), grade_request(a))
        twin = add(s, account("Acme Corp", team_id=OTHER_TEAM))  # same name, another workspace
        add(s, call("OTHER WORKSPACE call", of=twin), grade_request(twin), grade("F", of=twin))
        return {a.name: a for a in (acme, globex, initech, gone)} | {"twin": twin}


@pytest.mark.parametrize(
    "scope, owner, named, expected",
    [
        ("all", None, (), ["Acme Corp", "Globex", "Initech"]),
        ("mine", OWNER, (), ["Acme Corp", "Initech"]),
        ("owner", OTHER_OWNER, (), ["Globex"]),
        ("accounts", None, ("Globex", "Archived Inc", "twin"), ["Globex"]),
    ],
)
def test_scope_workspace_and_archived_accounts(rapport, two_owners, scope, owner, named, expected):
    with rapport.sessions.begin() as s:
        sub = add(s, subscription(scope=scope, scope_owner_id=owner))
        for name in named:
            add(s, subscribed_account(sub, two_owners[name]))

    digest = gathered(rapport, sub)

    assert names(digest.calls) == expected
    assert names(digest.pending) == expected
    assert digest.grades == () and digest.at_risk == ()
    text = shown(digest, sub)
    assert "OTHER WORKSPACE" not in text and "Archived Inc" not in text


def test_a_workspace_sees_only_its_own_accounts(rapport, two_owners):
    with rapport.sessions.begin() as s:
        sub = add(s, subscription(team_id=OTHER_TEAM))

    digest = gathered(rapport, sub)

    assert [c.note for c in digest.calls] == ["OTHER WORKSPACE call"]
    assert names(digest.grades) == ["Acme Corp"] and names(digest.pending) == ["Acme Corp"]


# -- quiet days and Slack's limits


def test_a_quiet_digest_is_one_short_line(rapport):
    with rapport.sessions.begin() as s:
        add(
            s,
            call("Before the last digest", of=account("Acme Corp"), at=SINCE - timedelta(hours=1)),
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert digest.quiet and not any(digest.counts.values())
    channel, replies = digest_messages.messages(digest, subscription=sub, tz=NEW_YORK)
    assert channel["text"] == "Quiet day: nothing new on your accounts." and replies == []
    assert len(channel["blocks"]) == 1


def within_limits(message: dict) -> None:
    assert 1 <= len(message["blocks"]) <= BLOCKS_MAX
    for block in message["blocks"]:
        assert block["type"] == "section" and len(block["text"]["text"]) <= SECTION_TEXT_MAX


def test_a_long_digest_keeps_within_slacks_limits_and_goes_on_in_the_thread(rapport):
    with rapport.sessions.begin() as s:
        s.execute(
            insert(Account),
            [
                {
                    "team_id": TEAM,
                    "name": f"Account {i:03d} & <Co>",
                    "name_key": f"account {i:03d} & <co>",
                    "owner_id": f"U{i % 7:04d}",
                    "created_by": OWNER,
                    "created_at": NOW - timedelta(days=100),
                    "renewal_on": TODAY + timedelta(days=i % 90),
                    "arr": 1000 * i,
                }
                for i in range(500)
            ],
        )
        ids = s.scalars(select(Account.id).order_by(Account.id)).all()
        s.execute(
            insert(Call),
            [
                {
                    "team_id": TEAM,
                    "account_id": ids[i % 500],
                    "logged_by": OWNER,
                    "occurred_at": NOW - timedelta(seconds=10 * (i + 1)),
                    "notes": "<!channel> " + "long note " * 40,
                    "private": i % 5 == 0,
                    "follow_up_on": TODAY,
                    "source": "command",
                    "created_at": NOW - timedelta(seconds=10 * (i + 1)),
                }
                for i in range(2000)
            ],
        )
        sub = add(s, subscription())

    digest = gathered(rapport, sub)
    channel, replies = digest_messages.messages(digest, subscription=sub, tz=NEW_YORK)

    assert digest.counts["calls"] == 2000 and digest.counts["renewals"] == 500
    assert channel["blocks"][0]["text"]["text"].endswith("\n_Details in the thread._")
    assert len(channel["blocks"]) == 1 and len(replies) > 1
    for message in (channel, *replies):
        within_limits(message)
    threaded = "\n".join(b["text"]["text"] for r in replies for b in r["blocks"])
    assert threaded.count("• ") == sum(digest.counts.values())  # nothing left out
    assert "<!channel>" not in threaded


def test_a_short_digest_is_posted_whole(rapport):
    with rapport.sessions.begin() as s:
        add(s, call("Kickoff", of=account("Acme Corp")))
        sub = add(s, subscription())

    channel, replies = digest_messages.messages(
        gathered(rapport, sub), subscription=sub, tz=NEW_YORK
    )

    assert replies == []
    within_limits(channel)
    assert [b["text"]["text"].splitlines()[0] for b in channel["blocks"]] == [
        "*Daily digest*: 1 call",
        "*Calls logged*",
    ]


def test_a_mine_digest_says_whose_accounts_it_covers(rapport):
    with rapport.sessions.begin() as s:
        add(s, call("Kickoff", of=account("Acme Corp")))
        sub = add(s, subscription(scope="mine", scope_owner_id=OWNER))

    channel, _ = digest_messages.messages(gathered(rapport, sub), subscription=sub, tz=NEW_YORK)

    assert channel["blocks"][0]["text"]["text"] == "*Daily digest* for <@U0001>'s accounts: 1 call"


# -- query cost


def seed_accounts(rapport, n: int, *, team: str) -> DigestSubscription:
    """A workspace of n accounts with something in every section, and its subscription."""
    with rapport.sessions.begin() as s:
        for i in range(n):
            a = account(f"Account {i}", team_id=team, renewal_on=TODAY + timedelta(days=20))
            add(
                s,
                call("Kickoff", of=a, follow_up_on=TODAY, next_step="Call back"),
                plan(grade("C", of=a), follow_up_on=TODAY),
                grade_request(a),
            )
        return add(s, subscription(team_id=team))


def test_a_digest_costs_the_same_statements_for_3_or_300_accounts(rapport):
    counted = {}
    for n, team in ((3, "T0003"), (300, "T0300")):
        sub = seed_accounts(rapport, n, team=team)
        with statements_sent(rapport.engine) as statements:
            digest = gathered(rapport, sub)
        assert digest.counts == {
            "calls": n,
            "grades": n,
            "at_risk": n,
            "follow_ups": 2 * n,  # the call's and the recovery plan's
            "stale": 0,
            "renewals": n,
            "pending": n,
        }
        counted[n] = list(statements)
    assert len(counted[3]) == len(counted[300])
    assert sum(s.lstrip().startswith("SELECT") for s in counted[300]) == 5


def test_a_stored_moment_out_of_range_has_no_age_and_an_invalid_date(rapport):
    year_1 = datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc)
    with rapport.sessions.begin() as s:
        acme = add(s, account("Acme Corp"))
        add(s, call("In year 1", of=acme, at=year_1), grade_request(acme, asked_at=year_1))
        sub = add(s, subscription())

    digest = gathered(rapport, sub)

    assert [(x.account, x.days) for x in digest.stale] == [("Acme Corp", None)]
    assert [(p.account, p.days) for p in digest.pending] == [("Acme Corp", None)]
    text = shown(digest, sub)
    assert "*Acme Corp* (<@U0001>): last call invalid date\n" in text
    assert text.endswith("waiting for <@U0003>, asked by <@U0001> invalid date")
