"""A known sample for the report tests, and what a report of its last quarter shows.

Q3 2026 in New York: Acme (Alex's, at risk, with a recovery plan; its ARR raised from
100,000 to 120,000 on 1 August, back-dated) and Globex (Camille's, signed at 50,000 in
Q4), with calls and grades on both sides of the quarter's edges; an archived account and
another workspace's, which no report shows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.accounts.names import name_key
from storage.models import ArrValue, Contact
from support.clock import START
from support.rows import account, add, call, grade, plan
from support.workspace import CLIENT, NEW_YORK

ALEX, CAMILLE, GRADER = "U0001", "U0002", CLIENT
OTHER_TEAM = "T0002"


def at(*args) -> datetime:
    """A wall-clock time in New York, as an aware datetime."""
    return datetime(*args, tzinfo=ZoneInfo(NEW_YORK))


def arr_value(of, arr: int | None, effective_on: date) -> ArrValue:
    """`of`'s ARR from `effective_on` on, recorded by its owner at START; `of` must be
    stored already, for its id."""
    return ArrValue(
        team_id=of.team_id,
        account_id=of.id,
        arr=arr,
        effective_on=effective_on,
        recorded_by=of.owner_id,
        recorded_at=START,
    )


def contact(name: str, *, of, **fields) -> Contact:
    """Someone on `of`'s side, added by its owner at START."""
    values = dict(created_by=of.owner_id, created_at=START) | fields
    return Contact(team_id=of.team_id, account=of, name=name, name_key=name_key(name), **values)


def add_sample(s) -> None:
    acme = account(
        "Acme Corp",
        arr=120_000,
        growth_target_pct=15.0,
        renewal_on=date(2027, 3, 31),
        competitors="Initrode",
    )
    globex = account("Globex", owner_id=CAMILLE, arr=50_000)
    initech = account("Initech", archived_at=at(2026, 10, 2, 9, 0), arr=80_000)
    theirs = account("Acme Corp", team_id=OTHER_TEAM, owner_id="U0100", arr=999_000)
    add(s, acme, globex, initech, theirs)
    add(
        s,
        arr_value(acme, 100_000, date(2026, 1, 1)),
        arr_value(acme, 120_000, date(2026, 8, 1)),
        arr_value(globex, 50_000, date(2026, 10, 15)),  # signed in Q4
        arr_value(initech, 80_000, date(2026, 1, 1)),
        arr_value(theirs, 999_000, date(2026, 1, 1)),
        contact("Fox Mulder", of=acme),
        contact("Dana Scully", of=acme),
        contact("Walter Skinner", of=acme, removed_at=START),
        contact("Theirs", of=theirs),
    )

    add(
        s,
        call("Q2 catch-up", of=globex, at=at(2026, 6, 30, 23, 0)),  # before the quarter
        call(
            "Kickoff with their CFO",
            of=acme,
            at=at(2026, 7, 15, 10, 0),
            next_step="Send the proposal",
            follow_up_on=date(2026, 7, 22),
        ),
        # 23:30 in New York is already 1 October in UTC: still Q3 for the caller.
        call(
            "Secret pricing talk",
            of=acme,
            at=at(2026, 9, 30, 23, 30),
            private=True,
            next_step="Secret discount",
        ),
        call("Q4 already", of=acme, at=at(2026, 10, 1, 0, 30)),  # after the quarter
        call("Archived account's call", of=initech, at=at(2026, 8, 1, 9, 0)),
        call("Another workspace's call", of=theirs, at=at(2026, 8, 1, 9, 0)),
        grade("A-", of=globex, at=at(2026, 7, 2, 11, 0), reason="Great proposals."),
        grade("B+", of=acme, at=at(2026, 8, 1, 14, 0), reason="Good, not proactive."),
        support_is_slow := grade(
            "C", of=acme, at=at(2026, 9, 15, 16, 45), reason="Support is slow."
        ),
        grade("A", of=acme, at=at(2026, 10, 5, 9, 0), reason="After the quarter."),
        grade("F", of=initech, at=at(2026, 8, 2, 9, 0), reason="Archived."),
        grade("F", of=theirs, at=at(2026, 8, 2, 9, 0), reason="Another workspace."),
    )
    add(s, plan(support_is_slow, follow_up_on=date(2026, 10, 15)))


ACCOUNTS_HEADERS = [
    "Account",
    "Owner",
    "ARR at start",
    "ARR at end",
    "Growth %",
    "Growth target % (annual)",
    "Target for period %",
    "On track",
    "Renewal",
    "Contacts",
    "Competitors",
    "Calls in period",
    "Last contact",
    "Days since last contact",
    "Grades in period",
    "Latest grade",
    "At risk",
    "Recovery target",
    "Plan status",
]
# Q3 2026: 92 days, so a 15% annual target is 15 x 92 / 365 = 3.78% for the quarter.
ACME_ROW = [
    "Acme Corp",
    ALEX,
    100_000,
    120_000,
    20.0,
    15.0,
    3.8,
    "on track",
    datetime(2027, 3, 31),
    "Dana Scully; Fox Mulder",
    "Initrode",
    2,
    datetime(2026, 9, 30, 23, 30),
    0,
    2,
    "C",
    "yes",
    "B-",
    "planned",
]
GLOBEX_ROW = [
    "Globex",
    CAMILLE,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    0,
    datetime(2026, 6, 30, 23, 0),
    92,
    1,
    "A-",
    "no",
    None,
    None,
]
CALLS = [
    ["Acme Corp", datetime(2026, 7, 15, 10, 0), ALEX, "Kickoff with their CFO", "Send the proposal", datetime(2026, 7, 22)],
    ["Acme Corp", datetime(2026, 9, 30, 23, 30), ALEX, "(private)", None, None],
]  # fmt: skip
GRADES = [
    ["Globex", datetime(2026, 7, 2, 11, 0), GRADER, "A-", 3.7, "Great proposals."],
    ["Acme Corp", datetime(2026, 8, 1, 14, 0), GRADER, "B+", 3.3, "Good, not proactive."],
    ["Acme Corp", datetime(2026, 9, 15, 16, 45), GRADER, "C", 2.0, "Support is slow."],
]
