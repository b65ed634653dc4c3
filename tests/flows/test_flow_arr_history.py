"""ARR history end to end: `/account set <name> arr` (today in the setter's timezone, or
back-dated `from <day>`) and imports keep each value with the day it took effect; growth
over a period is read from that history."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from bot.imports.ids import IMPORT_FILE
from bot.reports import figures
from storage.models import Account, AccountChange, ArrValue
from storage.queries import reports as report_queries
from support.shown import buttons, visible
from support.slack_requests import direct_message
from support.stored import count

ALEX = "U0001"


def history(rapport) -> list[tuple]:
    """(account name, arr, effective day, recorded by) of every row, in order recorded."""
    with rapport.reads.begin() as s:
        rows = s.execute(
            select(Account.name, ArrValue.arr, ArrValue.effective_on, ArrValue.recorded_by)
            .join(Account, Account.id == ArrValue.account_id)
            .order_by(ArrValue.id)
        )
        return [tuple(row) for row in rows]


def account(rapport, name: str) -> Account:
    with rapport.reads.begin() as s:
        return s.scalars(select(Account).where(Account.name == name)).one()


def test_a_set_is_kept_effective_today_in_the_setters_timezone(slack, rapport, clock):
    slack.ask("/account", "add Acme Corp")
    assert "ARR: 100,000" in visible(slack.ask("/account", "set Acme arr 100k"))
    # 23:00 on the 23rd in New York, already the 24th in UTC.
    clock.set(datetime(2026, 11, 24, 4, 0, tzinfo=timezone.utc))
    slack.ask("/account", "set Acme arr 120k")
    slack.ask("/account", "set Acme arr 120k")  # the same value: nothing new
    assert history(rapport) == [
        ("Acme Corp", 100_000, date(2026, 11, 23), ALEX),
        ("Acme Corp", 120_000, date(2026, 11, 23), ALEX),
    ]
    with rapport.reads.begin() as s:
        changes = s.scalars(select(AccountChange).where(AccountChange.field == "arr")).all()
    assert [(c.old_value, c.new_value) for c in changes] == [(None, "100000"), ("100000", "120000")]


def test_a_back_dated_set_keeps_the_latest_value_current(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set Acme arr 150k")
    reply = visible(slack.ask("/account", "set Acme arr 100k from 2026-10-01"))
    assert "ARR: 150,000" in reply  # today's value stays the current one
    slack.ask("/account", "set Acme arr 120k from Nov 1")
    assert history(rapport) == [
        ("Acme Corp", 150_000, date(2026, 11, 23), ALEX),
        ("Acme Corp", 100_000, date(2026, 10, 1), ALEX),
        ("Acme Corp", 120_000, date(2026, 11, 1), ALEX),
    ]
    assert account(rapport, "Acme Corp").arr == 150_000
    # Back-dated before any value: it becomes the current one when it is the latest.
    slack.ask("/account", "add Globex")
    slack.ask("/account", "set Globex arr 80k from 2026-09-15")
    assert account(rapport, "Globex").arr == 80_000


def test_a_back_dated_set_is_kept_in_the_accounts_history(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set Acme arr 150k from 2026-11-01")
    slack.ask("/account", "set Acme arr 120k from 2026-10-01")
    reply = visible(slack.ask("/account", "set Acme arr 100k from 2026-10-15"))
    assert "Kept ARR 100,000 from Thu 15 Oct 2026 in *Acme Corp*'s history. ARR: 150,000" in reply
    # What it already was that day: nothing new, in either history.
    slack.ask("/account", "set Acme arr 120k from 2026-10-02")
    assert len(history(rapport)) == 3
    with rapport.reads.begin() as s:
        changes = s.scalars(select(AccountChange).order_by(AccountChange.id)).all()
        kept = [(c.kind, c.old_value, c.new_value) for c in changes if c.field == "arr"]
    assert kept == [
        ("set", None, "150000"),
        ("arr_backdated", None, "120000\n2026-10-01"),
        ("arr_backdated", "120000", "100000\n2026-10-15"),
    ]
    shown = visible(slack.ask("/account", "history Acme"))
    assert "set arr to 100,000 from Thu 15 Oct 2026 (back-dated; it was 120,000 then)" in shown
    assert "set arr to 120,000 from Thu 01 Oct 2026 (back-dated; it was not set then)" in shown


@pytest.mark.parametrize(
    "text, shown",
    [
        ("set Acme arr 100k from 2026-12-25", "2026-12-25 is in the future"),
        ("set Acme arr 100k from tomorrow", "2026-11-24 is in the future"),
        ("set Acme arr 100k from the day after never", "I couldn't read"),
        ("set Acme arr lots from 2026-10-01", "`arr 120k`"),
    ],
)
def test_a_future_or_unreadable_day_is_refused_and_nothing_stored(slack, rapport, text, shown):
    slack.ask("/account", "add Acme Corp")
    assert shown in visible(slack.ask("/account", text))
    assert count(rapport, ArrValue) == 0
    assert account(rapport, "Acme Corp").arr is None


def growth(rapport, start: date, end: date, team_id: str = "T0001") -> dict[int, tuple]:
    """(ARR at start, ARR at end, growth %) of each account with a value by `end`, as a
    report reads them: the team's history, looked up by day."""
    with rapport.reads.begin() as s:
        rows = report_queries.arr_history(s, team_id=team_id, owner_id=None)
    known = figures.ArrHistory(rows)
    found = {}
    for account_id in {row.account_id for row in rows if row.effective_on <= end}:
        first, last = known.on(account_id, start), known.on(account_id, end)
        found[account_id] = (first, last, figures.growth_pct(first, last))
    return found


def arr_on(rapport, day: date, team_id: str = "T0001") -> dict[int, int | None]:
    """Each account's ARR effective on `day`, of those with a value by then."""
    return {
        account_id: end
        for account_id, (_start, end, _pct) in growth(rapport, day, day, team_id).items()
    }


def test_growth_over_a_period_against_a_hand_calculation(slack, rapport, clock):
    for name in ("Acme", "Globex", "Initech", "Umbrella"):
        slack.ask("/account", f"add {name}")
    slack.ask("/account", "set Acme arr 100k from 2026-07-01")
    slack.ask("/account", "set Acme arr 130k from 2026-09-15")
    slack.ask("/account", "set Acme arr 115k")  # 2026-11-23
    slack.ask("/account", "set Globex arr 200k from 2026-06-30")
    slack.ask("/account", "set Globex arr 170k from 2026-10-01")
    slack.ask("/account", "set Initech arr 50k from 2026-08-01")  # after the start
    # Umbrella: no ARR at all.
    ids = {name: account(rapport, name).id for name in ("Acme", "Globex", "Initech")}

    found = growth(rapport, date(2026, 7, 1), date(2026, 9, 30))
    # Acme 100,000 -> 130,000: +30%; Globex 200,000 -> 200,000: 0%; Initech unknown at start.
    assert found == {
        ids["Acme"]: (100_000, 130_000, 30.0),
        ids["Globex"]: (200_000, 200_000, 0.0),
        ids["Initech"]: (None, 50_000, None),
    }
    found = growth(rapport, date(2026, 9, 30), date(2026, 11, 23))
    # Acme 130,000 -> 115,000: -15,000 / 130,000 = -11.538...%; Globex -15%.
    assert found[ids["Acme"]][2] == pytest.approx(-11.5384615, rel=1e-6)
    assert found[ids["Globex"]] == (200_000, 170_000, -15.0)
    assert arr_on(rapport, date(2026, 6, 30)) == {ids["Globex"]: 200_000}
    assert arr_on(rapport, date(2026, 11, 23), team_id="T0002") == {}


def share_and_import(slack, fake, name: str, content: bytes, event_id: str) -> None:
    file = fake.add_file(name, content)
    shared = {**direct_message(""), "subtype": "file_share", "files": [file]}
    seen = len(fake.calls_to("chat.postMessage"))
    assert slack.event(shared, event_id=event_id).status == 200
    preview = fake.wait_for("chat.postMessage", seen + 1, timeout=60)[-1].args
    (button,) = [b for b in buttons(preview) if b["action_id"] == IMPORT_FILE]
    seen = len(fake.calls_to("response_url"))
    assert slack.action(action_id=IMPORT_FILE, value=button["value"], user_id=ALEX).status == 200
    slack.settle()
    fake.wait_for("response_url", seen + 1)


def test_an_import_records_new_and_changed_arr(slack, fake, rapport, clock):
    share_and_import(slack, fake, "v1.csv", b"account,arr\nAcme,5k\nGlobex,\n", "EvFile1")
    clock.set(datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc))
    v2 = b"account,arr\nAcme,7k\nGlobex,9k\n"
    share_and_import(slack, fake, "v2.csv", v2, "EvFile2")
    assert sorted(history(rapport)) == [
        ("Acme", 5_000, date(2026, 11, 23), ALEX),
        ("Acme", 7_000, date(2026, 11, 25), ALEX),
        ("Globex", 9_000, date(2026, 11, 25), ALEX),
    ]
