"""A seeded team for the report workbook's tests: 50 accounts of four owners, with
contacts and competitors, renewals spread over the coming quarters, ARR histories (signed
in Q3 or Q4 2026, raised, cut, corrected the same day, set to "not set", back-dated),
two quarters of calls and grades (Q3 and Q4 2026, New York time) and recovery plans of
the accounts at risk. Everything follows from each account's index, without randomness;
TEAM_ACCOUNTS holds it as plain data, so a test can compute what a report must show
without the app's code."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.grades.scale import SCALE
from support.report_sample import arr_value, at, contact
from support.rows import account, add, call, grade, plan
from support.workspace import ALEX

DANA, ELI = "U0004", "U0005"
# The owners and the names Slack shows them by (Alex and Camille: support/workspace.py).
OWNERS = {ALEX.user_id: "alex", "U0002": "camille", DANA: "dana", ELI: "eli"}
PLAN_STATUSES = ("planned", "proposed", "overdue", "met", "dismissed")


@dataclass(frozen=True)
class SeededAccount:
    name: str
    owner_id: str
    growth_target_pct: float | None
    renewal_on: date | None
    competitors: str | None
    arr: list[tuple[date, int | None]]  # its ARR history, in the order recorded
    contacts: list[str]  # active
    removed_contacts: list[str]
    calls: list[tuple[datetime, bool]]  # (when, private)
    grades: list[tuple[datetime, str]]  # (when, letter)
    plan_status: str | None  # of a recovery plan on its last Q3 grade


def seeded_account(i: int) -> SeededAccount:
    """The `i`th account (0 to 49)."""
    owner_id = list(OWNERS)[i % 4]
    base = 10_000 * (i + 1)
    if i % 5 == 0:  # signed in Q3 or Q4 2026: 10 July to 8 October
        arr = [(date(2026, 7, 10) + timedelta(days=2 * i), base)]
    else:  # from 2025 (the last ones since January 2026: no value a year before Q3's end)
        arr = [(date(2025, 1, 1) + timedelta(days=8 * i), base)]
        if i % 3 == 0:  # raised 15% from 1 August, recorded only later (back-dated)
            arr.append((date(2026, 8, 1), base * 115 // 100))
        if i % 3 == 1:  # raised 10% before the quarter
            arr.append((date(2026, 2, 1), base * 110 // 100))
        if i % 4 == 2:  # cut 10% on 15 September
            arr.append((date(2026, 9, 15), base * 90 // 100))
        if i % 11 == 0:  # two values the same day: the one recorded last counts
            arr += [(date(2026, 9, 1), base * 2), (date(2026, 9, 1), base * 120 // 100)]
        if i % 8 == 5:  # raised 5% from the quarter's first day
            arr.append((date(2026, 7, 1), base * 105 // 100))
        if i == 7:  # not set any more
            arr.append((date(2026, 9, 20), None))
        if i % 6 == 1:  # changed after the quarter
            arr.append((date(2026, 10, 15), base * 130 // 100))
    calls = [
        (at(2026, 7, 1, 9, 0) + timedelta(days=11 * k + i, hours=k), i % 9 == 4 and k == 0)
        for k in range(i % 5)
    ]
    calls += [
        (at(2026, 10, 2, 10, 0) + timedelta(days=13 * k + i % 20), False) for k in range(i % 3)
    ]
    if i == 3:  # 23:30 on 30 September in New York: already October in UTC, still Q3
        calls.append((at(2026, 9, 30, 23, 30), False))
    grades = [
        (at(2026, 7, 5, 14, 0) + timedelta(days=17 * k + i), SCALE[(i * 7 + k * 3) % 13])
        for k in range(i % 3 + i % 2)
    ]
    at_risk = bool(grades) and SCALE.index(grades[-1][1]) > SCALE.index("B")
    grades.append((at(2026, 10, 20, 11, 0) + timedelta(days=i % 25), SCALE[(i * 5) % 13]))
    return SeededAccount(
        name=f"Client {i:02d}",
        owner_id=owner_id,
        growth_target_pct=None if i % 7 == 0 else (10.0, 15.0, 20.0, 5.0)[i % 4],
        renewal_on=None if i % 10 == 9 else date(2026, 7, 20) + timedelta(days=(i * 37) % 400),
        competitors=("Hooli; Initrode" if i % 6 == 0 else "Initrode") if i % 3 == 0 else None,
        arr=arr,
        contacts=[f"Contact {i}-{k}" for k in range(i % 4)],
        removed_contacts=[f"Former {i}"] if i % 5 == 1 else [],
        calls=calls,
        grades=grades,
        plan_status=PLAN_STATUSES[i % 5] if at_risk and i % 2 == 0 else None,
    )


TEAM_ACCOUNTS = [seeded_account(i) for i in range(50)]


def add_team(s) -> None:
    """Store TEAM_ACCOUNTS (their rows through support/rows.py)."""
    for seeded in TEAM_ACCOUNTS:
        latest = sorted(seeded.arr, key=lambda value: value[0])[-1][1]
        stored = add(
            s,
            account(
                seeded.name,
                owner_id=seeded.owner_id,
                arr=latest,
                growth_target_pct=seeded.growth_target_pct,
                renewal_on=seeded.renewal_on,
                competitors=seeded.competitors,
            ),
        )
        add(s, *(arr_value(stored, arr, day) for day, arr in seeded.arr))
        people = [contact(name, of=stored) for name in seeded.contacts]
        people += [
            contact(name, of=stored, removed_at=at(2026, 8, 1, 9, 0))
            for name in seeded.removed_contacts
        ]
        calls = [
            call(f"Call {n} with {seeded.name}", of=stored, at=when, private=private)
            for n, (when, private) in enumerate(seeded.calls)
        ]
        grades = [
            grade(letter, of=stored, at=when, reason=f"Reason {n}")
            for n, (when, letter) in enumerate(seeded.grades)
        ]
        add(s, stored, *people, *calls, *grades)
        if seeded.plan_status:
            last_in_q3 = grades[-2]
            add(s, plan(last_in_q3, status=seeded.plan_status, follow_up_on=date(2026, 10, 15)))


def add_owners(fake) -> None:
    """Make Dana and Eli, who own accounts too, known to the fake Slack's users.info."""
    for user_id in (DANA, ELI):
        fake.add_user(user_id, name=OWNERS[user_id])
