"""At-risk grades and the recovery plans they turn into (DESIGN.md, "The method it encodes")."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import update

from bot import grading, people, recovery_blocks
from bot.services import Rapport
from storage.models import Grade, RecoveryPlan

OPEN_STATUSES = ("proposed", "planned", "overdue")


def on_grade(rapport: Rapport, client: WebClient, grade: Grade) -> RecoveryPlan | None:
    """After a grade is recorded: plans whose target it reaches are met; a grade below B
    proposes a new plan to the account's owner (a DM) and its channel, if one is set."""
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        s.execute(
            update(RecoveryPlan)
            .where(
                RecoveryPlan.team_id == grade.team_id,
                RecoveryPlan.account_id == grade.account_id,
                RecoveryPlan.status.in_(OPEN_STATUSES),
                RecoveryPlan.target.in_(
                    [target for target in grading.SCALE if grading.reaches(grade.grade, target)]
                ),
            )
            .values(status="met", updated_at=now)
        )
    target = grading.recovery_target(grade.grade)
    if target is None:
        return None
    owner = people.person(rapport, client, team_id=grade.team_id, user_id=grade.account.owner_id)
    today = now.astimezone(ZoneInfo(owner.tz)).date()
    with rapport.sessions.begin() as s:
        plan = RecoveryPlan(
            team_id=grade.team_id,
            account_id=grade.account_id,
            grade_id=grade.id,
            target=target,
            follow_up_on=today + timedelta(days=rapport.settings.follow_up_days),
            status="proposed",
            created_at=now,
            updated_at=now,
        )
        s.add(plan)
    alert = recovery_blocks.at_risk(plan, grade, for_owner=True)
    client.chat_postMessage(channel=owner.user_id, **alert)
    if grade.account.channel_id:
        notice = recovery_blocks.at_risk(plan, grade, for_owner=False)
        client.chat_postMessage(channel=grade.account.channel_id, **notice)
    return plan
