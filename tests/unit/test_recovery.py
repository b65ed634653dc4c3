"""At-risk alerts and recovery plans through the use cases: a plan proposed for a low grade
and the owner told, met by a later grade, overdue when its follow-up day passes without a
call (in the owner's timezone, once across replicas). The clock is moved by hand."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from bot import people
from bot.accounts import manage
from bot.calls import logcall
from bot.recovery import ids, messages, plans
from storage.models import Account, RecoveryPlan
from support.grading import graded
from support.shown import actions, posted_to, visible
from support.stored import row

TEAM = "T0001"
OWNER = "U0001"
# The clock starts on Monday 23 November 2026, noon in the owner's New York.
SUGGESTED = date(2026, 12, 7)


@pytest.fixture
def owner(rapport, client):
    """Alex, whose profile the app has fetched from Slack."""
    return people.fetch(rapport, client, team_id=TEAM, user_id=OWNER)


@pytest.fixture
def acme(rapport, owner):
    return manage.add(rapport, user=owner, name="Acme Corp")


def saved(rapport, plan_id: int) -> RecoveryPlan:
    return row(rapport, RecoveryPlan, plan_id)


def planned(rapport, owner, plan) -> RecoveryPlan:
    """The owner plans the suggested follow-up."""
    return plans.plan(
        rapport,
        user=owner,
        plan_id=plan.id,
        follow_up_on=plan.follow_up_on,
        what_it_takes="A pricing proposal",
    )


def test_an_owner_who_left_still_gets_a_plan_and_the_channel_hears(rapport, client, fake, acme):
    with rapport.sessions.begin() as s:
        account = s.get(Account, acme.id)
        account.owner_id, account.channel_id = "U0999", "C0ACME"  # U0999: users.info says not found
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    assert saved(rapport, plan.id).status == "proposed"
    assert posted_to(fake, "U0999") == []
    [notice] = posted_to(fake, "C0ACME")
    assert "*B-*" in visible(notice) and actions(notice) == []


def test_a_c_proposes_b_minus_in_two_weeks_and_dms_the_owner(rapport, client, fake, acme):
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    stored = saved(rapport, plan.id)
    assert (stored.target, stored.follow_up_on, stored.status) == ("B-", SUGGESTED, "proposed")
    assert rapport.settings.follow_up_days == 14
    [alert] = posted_to(fake, OWNER)
    assert "*B-*" in visible(alert) and "Your proposals come late." in visible(alert)
    [buttons] = actions(alert)
    assert [(b["action_id"], b["value"]) for b in buttons["elements"]] == [
        (ids.PLAN_FOLLOW_UP, str(plan.id)),
        (ids.DISMISS_PLAN, str(plan.id)),
    ]


def test_the_accounts_channel_gets_a_copy_without_buttons(rapport, client, fake, owner, acme):
    manage.set_field(rapport, user=owner, text="Acme Corp channel <#C0ACME|acme>")
    plans.on_grade(rapport, client, graded(rapport, client, acme, "D"))

    [notice] = posted_to(fake, "C0ACME")
    assert "*C-*" in visible(notice) and f"<@{OWNER}> owns this account" in visible(notice)
    assert actions(notice) == []


def test_an_a_records_no_plan(rapport, client, fake, acme):
    assert plans.on_grade(rapport, client, graded(rapport, client, acme, "A")) is None
    with rapport.reads.begin() as s:
        assert s.scalars(select(RecoveryPlan)).all() == []
    assert posted_to(fake, OWNER) == []


def test_user_text_in_alerts_is_escaped_and_kept_within_slacks_limits(rapport, client, acme, owner):
    reason = "<!channel> & <https://evil.example|click>\n" + "<" * 2900
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "F", reason=reason))
    plan = plans.plan(
        rapport, user=owner, plan_id=plan.id, follow_up_on=SUGGESTED, what_it_takes="&" * 3000
    )
    shown = (
        messages.at_risk(plan, plan.grade, for_owner=True),
        messages.planned(plan),
        messages.dismissed(plan),
    )
    for message in shown:
        assert "<!channel>" not in visible(message) and "<https" not in visible(message)
        sections = [block for block in message["blocks"] if block["type"] == "section"]
        assert all(len(block["text"]["text"]) <= 3000 for block in sections)
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in visible(
        messages.planned(plan)
    )


def test_a_later_grade_reaching_the_target_meets_the_plan(rapport, client, owner, acme):
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    planned(rapport, owner, plan)

    plans.on_grade(rapport, client, graded(rapport, client, acme, "C+"))
    assert saved(rapport, plan.id).status == "planned"
    plans.on_grade(rapport, client, graded(rapport, client, acme, "B-"))
    assert saved(rapport, plan.id).status == "met"


def test_a_follow_up_day_passing_with_no_call_makes_the_plan_overdue_once(
    rapport, client, clock, owner, acme
):
    plan = planned(
        rapport, owner, plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )

    clock.advance(days=14)  # the follow-up day itself: not passed yet
    assert plans.mark_overdue(rapport) == 0
    clock.advance(days=1)
    assert plans.mark_overdue(rapport) == 1
    assert saved(rapport, plan.id).status == "overdue"
    updated_at = saved(rapport, plan.id).updated_at
    clock.advance(days=1)
    assert plans.mark_overdue(rapport) == 0
    assert saved(rapport, plan.id).updated_at == updated_at


def test_a_call_logged_since_the_plan_keeps_it_planned(rapport, client, clock, owner, acme):
    plan = planned(
        rapport, owner, plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )
    clock.advance(days=3)
    logcall.log_text(
        rapport, user=owner, text="Acme Corp: walked them through pricing", source="command"
    )

    clock.advance(days=20)
    assert plans.mark_overdue(rapport) == 0
    assert saved(rapport, plan.id).status == "planned"


def test_overdue_counts_days_in_the_owners_timezone(rapport, client, clock, owner, acme):
    plan = planned(
        rapport, owner, plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )

    clock.advance(days=14, hours=9)  # 02:00 UTC on 8 Dec, still 7 Dec in New York
    assert plans.mark_overdue(rapport) == 0
    clock.advance(hours=5)  # 02:00 on 8 Dec in New York
    assert plans.mark_overdue(rapport) == 1
    assert saved(rapport, plan.id).status == "overdue"


def test_replicas_marking_overdue_at_once_count_each_plan_once(rapport, client, clock, owner):
    recovery_plans = [
        planned(
            rapport,
            owner,
            plans.on_grade(rapport, client, graded(rapport, client, account, "D")),
        )
        for account in (
            manage.add(rapport, user=owner, name=name) for name in ("Acme", "Globex", "Initech")
        )
    ]
    clock.advance(days=15)
    start = threading.Barrier(4)

    def replica(_) -> int:
        start.wait(timeout=30)
        return plans.mark_overdue(rapport)

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(replica, range(4))) == len(recovery_plans)
    assert {saved(rapport, plan.id).status for plan in recovery_plans} == {"overdue"}
