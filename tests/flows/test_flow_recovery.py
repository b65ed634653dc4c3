"""At-risk alerts end to end: the owner's buttons and the "Plan follow-up" modal through
the real `serve` server, Slack faked."""

import json
from datetime import date

import pytest

from bot import people
from bot.accounts import manage
from bot.recovery import ids, plans
from storage.models import RecoveryPlan
from support.forms import plan_form
from support.grading import graded
from support.shown import actions, posted_to, visible
from support.stored import row

TEAM = "T0001"
OWNER = "U0001"
GRADER = "U0002"


@pytest.fixture
def acme(rapport, client):
    owner = people.fetch(rapport, client, team_id=TEAM, user_id=OWNER)
    return manage.add(rapport, user=owner, name="Acme Corp")


def saved(rapport, plan_id: int) -> RecoveryPlan:
    return row(rapport, RecoveryPlan, plan_id)


def test_plan_follow_up_end_to_end(slack, rapport, client, fake, acme):
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))
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
    assert view["callback_id"] == ids.PLAN_FOLLOW_UP_VIEW
    assert json.loads(view["private_metadata"]) == {
        "plan_id": plan.id,
        "channel": channel,
        "ts": ts,
    }
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert inputs[ids.PLAN_DATE]["element"]["initial_date"] == "2026-12-07"
    assert inputs[ids.PLAN_WHAT_IT_TAKES]["label"]["text"] == (
        "What would it take to reach B- by then?"
    )

    def submit(day: str):
        return slack.submit(
            callback_id=ids.PLAN_FOLLOW_UP_VIEW,
            private_metadata=view["private_metadata"],
            values=plan_form(day, "A <b>pricing</b> proposal & a roadmap review"),
        )

    for day in ("2026-11-22", "9999-12-31"):  # passed; beyond what every view can show
        refused = submit(day)
        assert refused.json["response_action"] == "errors"
        assert set(refused.json["errors"]) == {ids.PLAN_DATE}
    assert "1900 to 2199" in refused.json["errors"][ids.PLAN_DATE]
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


def test_only_the_owner_or_an_admin_can_plan_or_dismiss(slack, rapport, client, fake, acme):
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    slack.action(action_id=ids.PLAN_FOLLOW_UP, value=str(plan.id), user_id=GRADER)
    refused = fake.wait_for("response_url")[-1].args
    assert "Only <@U0001> (the owner) or a Rapport admin can plan this follow-up" in visible(
        refused
    )
    assert refused["replace_original"] is False

    slack.action(action_id=ids.DISMISS_PLAN, value=str(plan.id), user_id=GRADER)
    refused = fake.wait_for("response_url", 2)[-1].args
    assert "Only <@U0001> (the owner) or a Rapport admin can dismiss this alert" in visible(refused)

    slack.settle()
    assert fake.calls_to("views.open") == []
    assert saved(rapport, plan.id).status == "proposed"


def test_dismiss_replaces_the_alert_in_place(slack, rapport, client, fake, acme):
    plan = plans.on_grade(rapport, client, graded(rapport, client, acme, "C"))

    slack.action(action_id=ids.DISMISS_PLAN, value=str(plan.id), user_id=OWNER)
    dismissed = fake.wait_for("response_url")[-1].args
    assert dismissed["replace_original"] is True
    assert "Dismissed" in visible(dismissed) and actions(dismissed) == []
    assert saved(rapport, plan.id).status == "dismissed"

    # A stale "Plan follow-up" button (another tab) is refused.
    slack.action(action_id=ids.PLAN_FOLLOW_UP, value=str(plan.id), user_id=OWNER)
    assert "already dismissed" in visible(fake.wait_for("response_url", 2)[-1].args)
    slack.settle()
    assert fake.calls_to("views.open") == []
