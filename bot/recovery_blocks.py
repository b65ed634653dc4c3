"""Block Kit builders for at-risk alerts and recovery plans."""

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot import ids
from bot.mrkdwn import clip, escape
from storage.models import Grade, RecoveryPlan


def at_risk(plan: RecoveryPlan, grade: Grade, *, for_owner: bool) -> dict:
    """The alert for a grade below B: grade, reason, target and suggested follow-up call.
    The owner's copy has "Plan follow-up" and "Dismiss"; the channel's is for reading."""
    account = escape(grade.account.name)
    text = (
        f":warning: *{account}* is at risk: <@{grade.grader_id}> gave it a *{grade.grade}*.\n"
        f"> {escape(clip(grade.reason, 1500))}\n"
        f"Don't chase an A+: aim for *{plan.target}* with a follow-up call on "
        f"*{plan.follow_up_on:%a %d %b %Y}*. What would it take to reach {plan.target} by then?"
    )
    if not for_owner:
        text += f"\n<@{grade.account.owner_id}> owns this account."
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    if for_owner:
        buttons = [
            ButtonElement(
                text="Plan follow-up", action_id=ids.PLAN_FOLLOW_UP, value=str(plan.id), style="primary"
            ),
            ButtonElement(text="Dismiss", action_id=ids.DISMISS_PLAN, value=str(plan.id)),
        ]
        blocks.append(ActionsBlock(elements=buttons).to_dict())
    return {"text": f"{grade.account.name} is at risk: graded {grade.grade}.", "blocks": blocks}
