"""Block Kit for recovery plans: the at-risk alert, its "Plan follow-up" modal, and the
alert once planned or dismissed."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DatePickerElement,
    InputBlock,
)

from bot.blocks import modal, section, text_input
from bot.mrkdwn import day, escape, escape_clipped
from bot.recovery import ids
from storage.models import Grade, RecoveryPlan

# Escaped user text shown in one section, well inside Slack's 3,000 characters.
QUOTED_MAX = 1500


def at_risk(plan: RecoveryPlan, grade: Grade, *, for_owner: bool) -> dict:
    """The alert for a grade below B: grade, reason, target and suggested follow-up call.
    The owner's copy has "Plan follow-up" and "Dismiss"; the channel's is for reading."""
    text = (
        f"{_headline(grade)}\n"
        f"Don't chase an A+: aim for *{plan.target}* with a follow-up call on "
        f"*{day(plan.follow_up_on)}*. What would it take to reach {plan.target} by then?"
    )
    if not for_owner:
        text += f"\n<@{grade.account.owner_id}> owns this account."
    blocks = [section(text)]
    if for_owner:
        buttons = [
            ButtonElement(
                text="Plan follow-up",
                action_id=ids.PLAN_FOLLOW_UP,
                value=str(plan.id),
                style="primary",
            ),
            ButtonElement(text="Dismiss", action_id=ids.DISMISS_PLAN, value=str(plan.id)),
        ]
        blocks.append(ActionsBlock(elements=buttons).to_dict())
    return {"text": f"{grade.account.name} is at risk: graded {grade.grade}.", "blocks": blocks}


def plan_modal(plan: RecoveryPlan, *, channel_id: str, message_ts: str) -> dict:
    """ "Plan follow-up": the call's day (the suggested one to start with) and what it
    would take to reach the target by then. Where the alert is rides along, to update it."""
    metadata = {"plan_id": plan.id, "channel": channel_id, "ts": message_ts}
    return modal(
        callback_id=ids.PLAN_FOLLOW_UP_VIEW,
        title="Plan a follow-up",
        submit="Save plan",
        metadata=metadata,
        blocks=[
            section(
                f"*{escape(plan.account.name)}* was graded *{plan.grade.grade}*. "
                f"Aim for *{plan.target}*, not an A+."
            ),
            InputBlock(
                block_id=ids.PLAN_DATE,
                label="Follow-up call on",
                element=DatePickerElement(
                    action_id=ids.PLAN_DATE, initial_date=plan.follow_up_on.isoformat()
                ),
            ),
            text_input(
                ids.PLAN_WHAT_IT_TAKES,
                f"What would it take to reach {plan.target} by then?",
                multiline=True,
                max_length=3000,
            ),
        ],
    )


def planned(plan: RecoveryPlan) -> dict:
    """The owner's alert once planned: the grade, the target, the day and what it takes."""
    the_plan = (
        f":spiral_calendar_pad: Follow-up call planned for *{day(plan.follow_up_on)}*, "
        f"aiming for *{plan.target}*. What it takes:\n{_quote(plan.what_it_takes or '')}"
    )
    return {
        "text": f"Follow-up planned for {plan.account.name} on {day(plan.follow_up_on)}.",
        "blocks": [section(_headline(plan.grade)), section(the_plan)],
    }


def dismissed(plan: RecoveryPlan) -> dict:
    """The owner's alert once dismissed: what it was about, no buttons."""
    grade = plan.grade
    text = (
        f"Dismissed: *{escape(plan.account.name)}* was graded *{grade.grade}* by "
        f"<@{grade.grader_id}>. No follow-up is tracked for it."
    )
    return {
        "text": f"Dismissed the at-risk alert for {plan.account.name}.",
        "blocks": [section(text)],
    }


def _headline(grade: Grade) -> str:
    return (
        f":warning: *{escape(grade.account.name)}* is at risk: <@{grade.grader_id}> gave it a "
        f"*{grade.grade}*.\n{_quote(grade.reason)}"
    )


def _quote(text: str) -> str:
    """User text as an escaped mrkdwn quote, cut to QUOTED_MAX characters after escaping."""
    quoted = "\n".join(f"> {line}" for line in text.splitlines() if line.strip())
    return escape_clipped(quoted, QUOTED_MAX)
