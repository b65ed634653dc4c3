"""At-risk grades and the recovery plans they turn into (README.md, "Grades and recovery
plans"): proposed to the owner, planned or dismissed by them, met by a later grade that
reaches the target, overdue when the follow-up day passes with no call."""

from collections.abc import Iterable
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import Row
from sqlalchemy.orm import Session

from bot import access, i18n, people
from bot.errors import FormErrors, UserError, unless_slack_fails
from bot.grades import scale
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import in_range
from bot.people import Person
from bot.recovery import ids, messages
from bot.runtime.context import Rapport
from bot.when import out_of_range
from storage.models import Grade, PlanStatus, RecoveryPlan
from storage.queries import home as home_queries
from storage.queries import recovery as plan_queries

WHAT_IT_TAKES_MAX = 3000
# Why a plan can no longer be planned or dismissed.
DECIDED = {
    PlanStatus.PLANNED: N_("This follow-up is already planned."),
    PlanStatus.DISMISSED: N_("This follow-up is already dismissed."),
    PlanStatus.MET: N_("This follow-up is already met."),
    PlanStatus.OVERDUE: N_("This follow-up is already overdue."),
}
# Translators: each completes "Only @owner (the owner) or a Rapport admin can …".
PLAN_IT, DISMISS_IT = N_("plan this follow-up"), N_("dismiss this alert")


def on_grade(rapport: Rapport, client: WebClient, grade: Grade) -> RecoveryPlan | None:
    """After a grade is recorded: plans whose target it reaches are met; a grade below B
    proposes a new plan to the account's owner (a DM, in the owner's language) and its
    channel, if one is set (in the workspace's language: a channel has many readers)."""
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        plan_queries.meet(
            s,
            team_id=grade.team_id,
            account_id=grade.account_id,
            targets=[target for target in scale.SCALE if scale.reaches(grade.grade, target)],
            now=now,
        )
        owner_id = grade.account.owner_id
        home_queries.changed(s, team_id=grade.team_id, user_ids=[owner_id], now=now)
    target = scale.recovery_target(grade.grade)
    if target is None:
        return None
    try:
        owner = people.person(
            rapport, client, team_id=grade.team_id, user_id=grade.account.owner_id
        )
    except UserError:  # the owner left the workspace: the plan stands, the channel hears of it
        owner = None
    today = now.astimezone(ZoneInfo(owner.tz if owner else "UTC")).date()
    with rapport.sessions.begin() as s:
        plan = RecoveryPlan(
            team_id=grade.team_id,
            account_id=grade.account_id,
            grade_id=grade.id,
            target=target,
            follow_up_on=today + timedelta(days=rapport.settings.follow_up_days),
            status=PlanStatus.PROPOSED,
            created_at=now,
            updated_at=now,
        )
        s.add(plan)
    # The grader is not told of an alert Slack failed to take: their grade is recorded,
    # and the proposed plan shows on the owner's Home and in the digests.
    if owner is not None:
        with owner.speaking(rapport.settings.default_language):
            alert = messages.at_risk(plan, grade, for_owner=True)
        with unless_slack_fails(f"at-risk alert for plan {plan.id} not sent to its owner"):
            client.chat_postMessage(channel=owner.user_id, **alert)
    if grade.account.channel_id:
        with i18n.speaking(rapport.settings.default_language):
            notice = messages.at_risk(plan, grade, for_owner=False)
        with unless_slack_fails(f"at-risk notice for plan {plan.id} not posted"):
            client.chat_postMessage(channel=grade.account.channel_id, **notice)
    return plan


def proposed(rapport: Rapport, *, user: Person, plan_id: int) -> RecoveryPlan:
    """The proposed plan `user` may plan, or UserError saying why not (before the modal opens)."""
    with rapport.reads.begin() as s:
        plan = plan_queries.plan(s, team_id=user.team_id, plan_id=plan_id)
        _check(s, plan, user, _(PLAN_IT))
    return plan


def plan(
    rapport: Rapport, *, user: Person, plan_id: int, follow_up_on: date | None, what_it_takes: str
) -> RecoveryPlan:
    """Store the owner's follow-up date and what it would take to reach the target.

    FormErrors (keyed by the modal's block ids) when a field is wrong; a date before
    today in the owner's timezone is one. UserError when the plan is not theirs (the
    owner's or an admin's) to plan, or no longer proposed.
    """
    errors = {}
    today = rapport.clock.now().astimezone(ZoneInfo(user.tz)).date()
    if follow_up_on is None:
        errors[ids.PLAN_DATE] = _("Pick the day of the follow-up call.")
    elif follow_up_on < today:
        errors[ids.PLAN_DATE] = _("That day has passed: pick today or a later day.")
    elif not in_range(follow_up_on):
        errors[ids.PLAN_DATE] = out_of_range(follow_up_on.isoformat())
    what_it_takes = what_it_takes.strip()
    if not what_it_takes:
        errors[ids.PLAN_WHAT_IT_TAKES] = _("Write what it would take.")
    elif len(what_it_takes) > WHAT_IT_TAKES_MAX:
        errors[ids.PLAN_WHAT_IT_TAKES] = ngettext(
            "Keep it under {n} character.", "Keep it under {n} characters.", WHAT_IT_TAKES_MAX
        ).format(n=isolate(number(WHAT_IT_TAKES_MAX)))
    if errors:
        raise FormErrors(errors)
    return _decide(
        rapport,
        user=user,
        plan_id=plan_id,
        doing=_(PLAN_IT),
        status=PlanStatus.PLANNED,
        follow_up_on=follow_up_on,
        what_it_takes=what_it_takes,
    )


def dismiss(rapport: Rapport, *, user: Person, plan_id: int) -> RecoveryPlan:
    """The owner (or an admin) dismisses a proposed plan: no follow-up is tracked for this
    grade."""
    return _decide(
        rapport,
        user=user,
        plan_id=plan_id,
        doing=_(DISMISS_IT),
        status=PlanStatus.DISMISSED,
    )


def mark_overdue(rapport: Rapport) -> int:
    """Planned follow-ups whose day has passed with no call logged for the account since
    the plan was made become overdue; returns how many did.

    "Passed" means before today in the owner's timezone when their profile is cached,
    else in UTC: good enough for a day-level deadline, and no call to Slack. Safe to
    run again and in several replicas at once: a plan turns overdue once.
    """
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        # No timezone is a day ahead of UTC: a day before anyone's today is at most today in UTC.
        candidates = plan_queries.planned_due_by(s, day=now.astimezone(UTC).date())
        due = [
            plan_id
            for plan_id, follow_up_on, tz in candidates
            if follow_up_on < now.astimezone(ZoneInfo(tz or "UTC")).date()
        ]
        return plan_queries.mark_overdue(s, plan_ids=due, now=now)


def _decide(rapport: Rapport, *, user: Person, plan_id: int, doing: str, **changes) -> RecoveryPlan:
    """Apply the owner's decision to a proposed plan, in one transaction with its row locked."""
    with rapport.sessions.begin() as s:
        plan = plan_queries.plan(s, team_id=user.team_id, plan_id=plan_id, lock=True)
        _check(s, plan, user, doing)
        for name, value in changes.items():
            setattr(plan, name, value)
        plan.updated_at = rapport.clock.now()
        owner_id = plan.account.owner_id
        home_queries.changed(s, team_id=user.team_id, user_ids=[owner_id], now=plan.updated_at)
    return plan


def _check(s: Session, plan: RecoveryPlan | None, user: Person, doing: str) -> None:
    if plan is None:
        raise UserError(_("That recovery plan no longer exists."))
    access.require_change(s, user, plan.account, doing)
    if plan.status != PlanStatus.PROPOSED:
        raise UserError(_(DECIDED[plan.status]))


def latest_by_account(plans: Iterable[Row]) -> dict[int, Row]:
    """The latest of each account's open plans (storage.queries.recovery.open_plans, which
    lists them oldest first)."""
    return {plan.account_id: plan for plan in plans}
