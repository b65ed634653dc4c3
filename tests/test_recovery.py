"""At-risk alerts and recovery plans: the use cases directly, the buttons and the modal
end to end through the real `serve` server, and overdue follow-ups with a moved clock."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from conftest import visible
from sqlalchemy import select

from bot import people
from bot.accounts import manage
from bot.calls import logcall
from bot.grades import answering, asking
from bot.recovery import ids as recovery_ids
from bot.recovery import messages as recovery_messages
from bot.recovery import plans as recovery
from storage.models import Account, Grade, RecoveryPlan

TEAM = "T0001"
OWNER = "U0001"
GRADER = "U0002"
# The clock starts on Monday 23 November 2026, noon in the owner's New York.
SUGGESTED = date(2026, 12, 7)


@pytest.fixture
def owner(rapport, client):
    return people.fetch(rapport, client, team_id=TEAM, user_id=OWNER)


@pytest.fixture
def acme(rapport, owner):
    return manage.add(rapport, user=owner, name="Acme Corp")


def graded(rapport, client, account, grade: str, reason="Your proposals come late.") -> Grade:
    """A grade recorded the way a client gives one: asked in a DM, then answered."""
    request = asking.ask(
        rapport,
        client,
        team_id=TEAM,
        asked_by=OWNER,
        account_id=account.id,
        grader_id=GRADER,
        question=None,
    )
    return answering.answer(
        rapport, team_id=TEAM, request_id=request.id, user_id=GRADER, grade=grade, reason=reason
    )


def posted_to(fake, channel: str) -> list[dict]:
    return [
        call.args for call in fake.calls_to("chat.postMessage") if call.args["channel"] == channel
    ]


def actions(message: dict) -> list[dict]:
    return [block for block in message["blocks"] if block["type"] == "actions"]


def saved(rapport, plan_id: int) -> RecoveryPlan:
    with rapport.reads.begin() as s:
        return s.get(RecoveryPlan, plan_id)


def planned(rapport, owner, plan) -> RecoveryPlan:
    """The owner plans the suggested follow-up."""
    return recovery.plan(
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
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    assert saved(rapport, plan.id).status == "proposed"
    assert posted_to(fake, "U0999") == []
    [notice] = posted_to(fake, "C0ACME")
    assert "*B-*" in visible(notice) and actions(notice) == []


def test_a_c_proposes_b_minus_in_two_weeks_and_dms_the_owner(rapport, client, fake, acme):
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    stored = saved(rapport, plan.id)
    assert (stored.target, stored.follow_up_on, stored.status) == ("B-", SUGGESTED, "proposed")
    assert rapport.settings.follow_up_days == 14
    [alert] = posted_to(fake, OWNER)
    assert "*B-*" in visible(alert) and "Your proposals come late." in visible(alert)
    [buttons] = actions(alert)
    assert [(b["action_id"], b["value"]) for b in buttons["elements"]] == [
        (recovery_ids.PLAN_FOLLOW_UP, str(plan.id)),
        (recovery_ids.DISMISS_PLAN, str(plan.id)),
    ]


def test_the_accounts_channel_gets_a_copy_without_buttons(rapport, client, fake, owner, acme):
    manage.set_field(rapport, user=owner, text="Acme Corp channel <#C0ACME|acme>")
    recovery.on_grade(rapport, client, graded(rapport, client, acme, "D"))

    [notice] = posted_to(fake, "C0ACME")
    assert "*C-*" in visible(notice) and f"<@{OWNER}> owns this account" in visible(notice)
    assert actions(notice) == []


def test_an_a_records_no_plan(rapport, client, fake, acme):
    assert recovery.on_grade(rapport, client, graded(rapport, client, acme, "A")) is None
    with rapport.reads.begin() as s:
        assert s.scalars(select(RecoveryPlan)).all() == []
    assert posted_to(fake, OWNER) == []


def test_user_text_in_alerts_is_escaped_and_kept_within_slacks_limits(rapport, client, acme, owner):
    reason = "<!channel> & <https://evil.example|click>\n" + "<" * 2900
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "F", reason=reason))
    plan = recovery.plan(
        rapport, user=owner, plan_id=plan.id, follow_up_on=SUGGESTED, what_it_takes="&" * 3000
    )
    shown = (
        recovery_messages.at_risk(plan, plan.grade, for_owner=True),
        recovery_messages.planned(plan),
        recovery_messages.dismissed(plan),
    )
    for message in shown:
        assert "<!channel>" not in visible(message) and "<https" not in visible(message)
        sections = [block for block in message["blocks"] if block["type"] == "section"]
        assert all(len(block["text"]["text"]) <= 3000 for block in sections)
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in visible(
        recovery_messages.planned(plan)
    )


def test_plan_follow_up_end_to_end(slack, rapport, client, fake, acme):
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    [alert] = posted_to(fake, OWNER)
    [button, _] = actions(alert)[0]["elements"]
    # The DM as Slack shows it in the button's payload.
    channel, ts = "D0001", "1700000000.000300"
    message = {"type": "message", "ts": ts, "text": alert["text"], "blocks": alert["blocks"]}
    pressed = slack.action(
        action_id=button["action_id"], value=button["value"], channel_id=channel, message=message
    )
    assert pressed.status == 200
    view = fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == recovery_ids.PLAN_FOLLOW_UP_VIEW
    assert json.loads(view["private_metadata"]) == {
        "plan_id": plan.id,
        "channel": channel,
        "ts": ts,
    }
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert inputs[recovery_ids.PLAN_DATE]["element"]["initial_date"] == "2026-12-07"
    assert inputs[recovery_ids.PLAN_WHAT_IT_TAKES]["label"]["text"] == (
        "What would it take to reach B- by then?"
    )

    def submit(day: str):
        return slack.submit(
            callback_id=recovery_ids.PLAN_FOLLOW_UP_VIEW,
            private_metadata=view["private_metadata"],
            values={
                recovery_ids.PLAN_DATE: {
                    recovery_ids.PLAN_DATE: {"type": "datepicker", "selected_date": day}
                },
                recovery_ids.PLAN_WHAT_IT_TAKES: {
                    recovery_ids.PLAN_WHAT_IT_TAKES: {
                        "type": "plain_text_input",
                        "value": "A <b>pricing</b> proposal & a roadmap review",
                    }
                },
            },
        )

    too_late = submit("2026-11-22")
    assert too_late.json["response_action"] == "errors"
    assert set(too_late.json["errors"]) == {recovery_ids.PLAN_DATE}
    assert saved(rapport, plan.id).status == "proposed"

    done = submit("2026-12-01")
    assert done.status == 200 and done.raw == ""
    update = fake.wait_for("chat.update")[0].args
    assert (update["channel"], update["ts"]) == (channel, ts)
    assert actions(update) == []
    assert "Tue 01 Dec 2026" in visible(update) and "*B-*" in visible(update)
    assert "A &lt;b&gt;pricing&lt;/b&gt; proposal &amp; a roadmap review" in visible(update)
    stored = saved(rapport, plan.id)
    assert (stored.status, stored.follow_up_on) == ("planned", date(2026, 12, 1))
    assert stored.what_it_takes == "A <b>pricing</b> proposal & a roadmap review"


def test_only_the_owner_can_plan_or_dismiss(slack, rapport, client, fake, acme):
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    slack.action(action_id=recovery_ids.PLAN_FOLLOW_UP, value=str(plan.id), user_id=GRADER)
    refused = fake.wait_for("response_url")[-1].args
    assert "Only <@U0001> can plan this follow-up" in visible(refused)
    assert refused["replace_original"] is False

    slack.action(action_id=recovery_ids.DISMISS_PLAN, value=str(plan.id), user_id=GRADER)
    refused = fake.wait_for("response_url", 2)[-1].args
    assert "Only <@U0001> can dismiss this alert" in visible(refused)

    slack.settle()
    assert fake.calls_to("views.open") == []
    assert saved(rapport, plan.id).status == "proposed"


def test_dismiss_replaces_the_alert_in_place(slack, rapport, client, fake, acme):
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    slack.action(action_id=recovery_ids.DISMISS_PLAN, value=str(plan.id), user_id=OWNER)
    dismissed = fake.wait_for("response_url")[-1].args
    assert dismissed["replace_original"] is True
    assert "Dismissed" in visible(dismissed) and actions(dismissed) == []
    assert saved(rapport, plan.id).status == "dismissed"

    # A stale "Plan follow-up" button (another tab) is refused.
    slack.action(action_id=recovery_ids.PLAN_FOLLOW_UP, value=str(plan.id), user_id=OWNER)
    assert "already dismissed" in visible(fake.wait_for("response_url", 2)[-1].args)
    slack.settle()
    assert fake.calls_to("views.open") == []


def test_a_later_grade_reaching_the_target_meets_the_plan(rapport, client, owner, acme):
    plan = recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    planned(rapport, owner, plan)

    recovery.on_grade(rapport, client, graded(rapport, client, acme, "C+"))
    assert saved(rapport, plan.id).status == "planned"
    recovery.on_grade(rapport, client, graded(rapport, client, acme, "B-"))
    assert saved(rapport, plan.id).status == "met"


def test_a_follow_up_day_passing_with_no_call_makes_the_plan_overdue_once(
    rapport, client, clock, owner, acme
):
    plan = planned(
        rapport, owner, recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )

    clock.advance(days=14)  # the follow-up day itself: not passed yet
    assert recovery.mark_overdue(rapport) == 0
    clock.advance(days=1)
    assert recovery.mark_overdue(rapport) == 1
    assert saved(rapport, plan.id).status == "overdue"
    updated_at = saved(rapport, plan.id).updated_at
    clock.advance(days=1)
    assert recovery.mark_overdue(rapport) == 0
    assert saved(rapport, plan.id).updated_at == updated_at


def test_a_call_logged_since_the_plan_keeps_it_planned(rapport, client, clock, owner, acme):
    plan = planned(
        rapport, owner, recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )
    clock.advance(days=3)
    logcall.log_text(
        rapport, user=owner, text="Acme Corp: walked them through pricing", source="command"
    )

    clock.advance(days=20)
    assert recovery.mark_overdue(rapport) == 0
    assert saved(rapport, plan.id).status == "planned"


def test_overdue_counts_days_in_the_owners_timezone(rapport, client, clock, owner, acme):
    plan = planned(
        rapport, owner, recovery.on_grade(rapport, client, graded(rapport, client, acme, "C"))
    )

    clock.advance(days=14, hours=9)  # 02:00 UTC on 8 Dec, still 7 Dec in New York
    assert recovery.mark_overdue(rapport) == 0
    clock.advance(hours=5)  # 02:00 on 8 Dec in New York
    assert recovery.mark_overdue(rapport) == 1
    assert saved(rapport, plan.id).status == "overdue"


def test_replicas_marking_overdue_at_once_count_each_plan_once(rapport, client, clock, owner):
    plans = [
        planned(
            rapport,
            owner,
            recovery.on_grade(rapport, client, graded(rapport, client, account, "D")),
        )
        for account in (
            manage.add(rapport, user=owner, name=name) for name in ("Acme", "Globex", "Initech")
        )
    ]
    clock.advance(days=15)
    start = threading.Barrier(4)

    def replica(_) -> int:
        start.wait(timeout=30)
        return recovery.mark_overdue(rapport)

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(replica, range(4))) == len(plans)
    assert {saved(rapport, plan.id).status for plan in plans} == {"overdue"}
