"""A known sample for the report tests, and what a report of its last quarter shows.

Q3 2026 in New York: Acme (Alex's, at risk) and Globex (Camille's), with calls and
grades on both sides of the quarter's edges; an archived account and another
workspace's, which no report shows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from support.rows import account, add, call, grade
from support.workspace import CLIENT, NEW_YORK

ALEX, CAMILLE, GRADER = "U0001", "U0002", CLIENT
OTHER_TEAM = "T0002"


def at(*args) -> datetime:
    """A wall-clock time in New York, as an aware datetime."""
    return datetime(*args, tzinfo=ZoneInfo(NEW_YORK))


def add_sample(s) -> None:
    acme = account("Acme Corp", arr=120_000, growth_target_pct=15.0, renewal_on=date(2027, 3, 31))
    globex = account("Globex", owner_id=CAMILLE)
    initech = account("Initech", archived_at=at(2026, 10, 2, 9, 0))
    theirs = account("Acme Corp", team_id=OTHER_TEAM, owner_id="U0100")
    add(s, acme, globex, initech, theirs)

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
        grade("C", of=acme, at=at(2026, 9, 15, 16, 45), reason="Support is slow."),
        grade("A", of=acme, at=at(2026, 10, 5, 9, 0), reason="After the quarter."),
        grade("F", of=initech, at=at(2026, 8, 2, 9, 0), reason="Archived."),
        grade("F", of=theirs, at=at(2026, 8, 2, 9, 0), reason="Another workspace."),
    )


ACCOUNTS_HEADERS = [
    "Account",
    "Owner",
    "ARR",
    "Growth target %",
    "Renewal",
    "Calls in period",
    "Last contact",
    "Grades in period",
    "Latest grade",
    "At risk",
    "Recovery target",
]
ACME_ROW = [
    "Acme Corp",
    ALEX,
    120_000,
    15.0,
    datetime(2027, 3, 31),
    2,
    datetime(2026, 9, 30, 23, 30),
    2,
    "C",
    "yes",
    "B-",
]
GLOBEX_ROW = [
    "Globex",
    CAMILLE,
    None,
    None,
    None,
    0,
    datetime(2026, 6, 30, 23, 0),
    1,
    "A-",
    "no",
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
