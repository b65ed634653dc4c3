"""Follow-ups that come to their owner, end to end: a follow-up typed with /logcall, the
morning DM at 09:00 in the owner's timezone (once across three replicas ticking together),
its buttons (Snooze 3 days, Done, Log the call) through signed requests to the real
`serve`, `/rapport reminders off`, weekends, and the weekly list of quiet accounts.

The clock starts on Monday 23 November 2026, noon in Alex's New York; Alex owns the accounts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.followups import ids
from bot.home import tab as home_tab
from storage.models import Account, Call, CallSource, JobClaim, UserProfile
from support import slack_requests
from support.app import tick, tick_together
from support.shown import buttons, posted_to, visible
from support.stored import row
from support.workspace import NEW_YORK

ALEX = "U0001"
DM = "D0ALEX"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    """A moment of November (or `month`) 2026 in New York."""
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(NEW_YORK))


def dms(fake) -> list[dict]:
    return posted_to(fake, ALEX)


def the_call(rapport) -> Call:
    with rapport.reads.begin() as s:
        return s.scalars(select(Call)).one()


def press(slack, dm: dict, label: str, *, ts: str = "1700000000.000100", user_id=ALEX):
    """Press `label` on the follow-up DM `dm` (the first such button); the app's work after
    its ack is waited for."""
    button = next(b for b in buttons(dm) if b["text"]["text"] == label)
    message = {"type": "message", "ts": ts, "text": dm["text"], "blocks": dm["blocks"]}
    ack = slack.action(
        action_id=button["action_id"],
        value=button["value"],
        user_id=user_id,
        channel_id=DM,
        message=message,
    )
    assert ack.status == 200, ack.raw
    slack.settle()
    return ack


def updated(fake) -> dict:
    """The DM as the last chat.update left it."""
    return fake.calls_to("chat.update")[-1].args


@pytest.fixture
def followed(slack, rapport):
    """Acme, called an hour ago, with its next step and a follow-up tomorrow (Tuesday)."""
    slack.ask("/account", "add Acme Corp")
    reply = visible(
        slack.ask(
            "/logcall",
            "Acme 1 hour ago: went through the renewal; next: send proposal; follow up tomorrow",
        )
    )
    assert "send proposal" in reply
    call = the_call(rapport)
    assert (call.notes, call.next_step) == ("went through the renewal", "send proposal")
    assert call.follow_up_on == date(2026, 11, 24)
    return call


def test_the_owner_gets_one_dm_across_replicas_then_snooze_and_done(
    client, slack, rapport, replicas, clock, fake, followed
):
    everyone = [rapport, *replicas]
    tick_together(everyone, client)
    assert dms(fake) == []  # due tomorrow: nothing today
    clock.set(at(24, 8, 59))
    tick_together(everyone, client)
    assert dms(fake) == []  # not 09:00 yet in New York

    clock.set(at(24, 9, 0))
    tick_together(everyone, client)
    clock.advance(minutes=1)
    tick_together(everyone, client)

    [dm] = dms(fake)
    shown = visible(dm)
    assert "Acme Corp" in shown and "send proposal" in shown and "due today" in shown
    assert [b["text"]["text"] for b in buttons(dm)] == ["Log the call", "Snooze 3 days", "Done"]
    with rapport.reads.begin() as s:
        claims = s.scalars(select(JobClaim).where(JobClaim.key.startswith("followups:"))).all()
        assert [(c.key, c.done_at is not None) for c in claims] == [
            ("followups:U0001:2026-11-24", True)
        ]

    press(slack, dm, "Snooze 3 days")
    assert row(rapport, Call, followed.id).follow_up_on == date(2026, 11, 27)
    snoozed = updated(fake)
    assert snoozed["channel"] == DM and "Snoozed" in visible(snoozed)
    assert buttons(snoozed) == []  # its row of buttons is gone

    for day in (25, 26):  # Wednesday, Thursday: snoozed
        clock.set(at(day, 9, 30))
        tick_together(everyone, client)
    assert len(dms(fake)) == 1

    clock.set(at(27, 9, 0))  # Friday: due again
    tick_together(everyone, client)
    assert len(dms(fake)) == 2
    press(slack, dms(fake)[-1], "Done")
    assert row(rapport, Call, followed.id).follow_up_done_at == at(27, 9, 0)
    assert "Done" in visible(updated(fake)) and buttons(updated(fake)) == []

    for day in (30, 31):  # the next Monday and Tuesday: done, never told again
        clock.set(at(day, 9, 0) if day == 30 else at(1, 9, 0, month=12))
        tick_together(everyone, client)
    assert len(dms(fake)) == 2


def test_log_the_call_opens_the_form_with_the_account_picked(
    client, slack, rapport, clock, fake, followed
):
    clock.set(at(24, 9, 0))
    tick(rapport, client)
    [dm] = dms(fake)
    press(slack, dm, "Log the call")
    view = fake.calls_to("views.open")[-1].args["view"]
    picker = view["blocks"][0]["element"]
    assert picker["initial_option"]["value"] == str(followed.account_id)
    assert picker["initial_option"]["text"]["text"] == "Acme Corp"


def test_someone_else_cannot_snooze_the_owners_follow_up(
    client, slack, rapport, clock, fake, followed
):
    clock.set(at(24, 9, 0))
    tick(rapport, client)
    press(slack, dms(fake)[0], "Snooze 3 days", user_id="U0002")
    assert row(rapport, Call, followed.id).follow_up_on == date(2026, 11, 24)
    assert fake.calls_to("chat.update") == []


def test_a_forged_button_value_changes_nothing(client, slack, rapport, clock, fake, followed):
    for value in ("call:abc", "meeting:1", "call:99999999999", "", "plan:-1"):
        ack = slack.action(action_id=ids.DONE, value=value, user_id=ALEX, channel_id=DM)
        assert ack.status == 200
        slack.settle()
    assert row(rapport, Call, followed.id).follow_up_done_at is None


def test_reminders_off_means_no_dm_and_on_brings_it_back(
    client, slack, rapport, clock, fake, followed
):
    assert "don't DM you" in visible(slack.ask("/rapport", "reminders off"))
    assert row(rapport, UserProfile, ("T0001", ALEX)).reminders is False
    assert "don't DM you" in visible(slack.ask("/rapport", "reminders"))
    clock.set(at(24, 9, 0))
    tick(rapport, client)
    assert dms(fake) == []

    assert "9:00 your time" in visible(slack.ask("/rapport", "reminders on"))
    clock.advance(minutes=1)
    tick(rapport, client)
    assert len(dms(fake)) == 1
    assert "Choose one of" in visible(slack.ask("/rapport", "reminders sometimes"))


def test_a_follow_up_due_on_saturday_is_told_on_monday(client, slack, rapport, clock, fake):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 1 hour ago: renewal; follow up Saturday")
    assert the_call(rapport).follow_up_on == date(2026, 11, 28)
    for day in (27, 28, 29):  # Friday: not yet due; Saturday and Sunday: no DM
        clock.set(at(day, 10, 0))
        tick(rapport, client)
    assert dms(fake) == []
    clock.set(at(30, 9, 0))
    tick(rapport, client)
    [dm] = dms(fake)
    assert "2 days overdue" in visible(dm)


def test_a_dm_missed_while_every_replica_was_down_comes_later_the_same_day(
    client, slack, rapport, clock, fake, followed
):
    clock.set(at(24, 15, 0))  # first tick since 09:00
    tick(rapport, client)
    assert len(dms(fake)) == 1


def test_quiet_accounts_are_listed_on_mondays_only(client, slack, rapport, clock, fake):
    clock.set(at(1, 10, 0, month=10))
    slack.ask("/account", "add Quiet Co")
    clock.set(at(23, 12, 0))
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 1 hour ago: renewal; follow up Wednesday")
    tick(rapport, client)  # Monday noon: Quiet Co has had no call since October
    [monday] = dms(fake)
    assert "Quiet Co" in visible(monday) and "never called" in visible(monday)
    assert "Acme Corp" not in visible(monday)  # called an hour ago, follow-up not due

    clock.set(at(25, 9, 0))  # Wednesday: Acme's follow-up, no quiet accounts
    tick(rapport, client)
    wednesday = dms(fake)[-1]
    assert "Acme Corp" in visible(wednesday) and "Quiet Co" not in visible(wednesday)
    press(slack, wednesday, "Done")

    clock.set(at(26, 9, 0))  # Thursday: nothing due, and not Monday
    tick(rapport, client)
    assert len(dms(fake)) == 2
    clock.set(at(30, 9, 0))  # the next Monday: listed again
    tick(rapport, client)
    assert len(dms(fake)) == 3 and "Quiet Co" in visible(dms(fake)[-1])


def test_two_hundred_follow_ups_fit_in_one_dm(client, slack, rapport, clock, fake):
    slack.ask("/account", "add Acme Corp")
    now = clock.now()
    with rapport.sessions.begin() as s:
        for n in range(200):
            account = Account(
                team_id="T0001",
                name=f"Client {n:03}",
                name_key=f"client {n:03}",
                owner_id=ALEX,
                created_by=ALEX,
                created_at=now,
            )
            s.add(account)
            s.add(
                Call(
                    team_id="T0001",
                    account=account,
                    logged_by=ALEX,
                    occurred_at=now - timedelta(days=3),
                    notes="renewal",
                    next_step="send the proposal " * 40,
                    follow_up_on=date(2026, 11, 20),
                    source=CallSource.COMMAND,
                    created_at=now,
                )
            )
    tick(rapport, client)
    [dm] = dms(fake)
    assert len(dm["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in dm["blocks"] if b["type"] == "section")
    assert "200 follow-ups are due" in visible(dm)
    assert "…and 185 more follow-ups due" in visible(dm)
    assert len(buttons(dm)) == 15 * 3


def test_a_dm_sets_the_follow_up_and_the_accounts_owner_is_told(
    client, slack, rapport, clock, fake
):
    """Camille logs a call on Alex's account by DM; the follow-up comes to Alex, the owner."""
    slack.ask("/account", "add Acme Corp")
    text = "log Acme yesterday: pricing; FOLLOWUP in 2 weeks; Next step: send the deck"
    dm = slack_requests.direct_message(text, user_id="U0002", channel="D0002")
    assert slack.event(dm, event_id="EvFollowUp1").status == 200
    slack.settle()
    call = the_call(rapport)
    assert (call.notes, call.next_step) == ("pricing", "send the deck")
    assert call.follow_up_on == date(2026, 12, 7)  # two weeks from Monday in Paris

    clock.set(at(7, 9, 0, month=12))
    tick(rapport, client)
    assert posted_to(fake, "U0002") == []
    [told] = dms(fake)
    assert "Acme Corp" in visible(told) and "send the deck" in visible(told)


def test_done_also_clears_it_from_the_home_tab(client, slack, rapport, clock, fake, followed):
    def home():
        with rapport.reads.begin() as s:
            return home_tab.gather(
                s, team_id="T0001", user_id=ALEX, tz=NEW_YORK, now=clock.now()
            ).accounts[0]

    clock.set(at(25, 9, 0))  # a day overdue
    tick(rapport, client)
    assert home().overdue_on == date(2026, 11, 24)
    press(slack, dms(fake)[0], "Done")
    assert (home().overdue_on, home().follow_up_on) == (None, None)
