"""Block Kit for recovery plans: the at-risk alert, its "Plan follow-up" modal, and the
alert once planned or dismissed."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DatePickerElement,
    InputBlock,
)

from bot.blocks import modal, section, text_input
from bot.i18n import _, isolate
from bot.mrkdwn import day, escape, escape_clipped, grader
from bot.recovery import ids
from storage.models import Grade, RecoveryPlan

# Escaped user text shown in one section, well inside Slack's 3,000 characters.
QUOTED_MAX = 1500


def at_risk(plan: RecoveryPlan, grade: Grade, *, for_owner: bool) -> dict:
    """The alert for a grade below B: grade, reason, target and suggested follow-up call.
    The owner's copy has "Plan follow-up" and "Dismiss"; the channel's is for reading.
    Built in its reader's language (bot/recovery/plans.py)."""
    target = isolate(plan.target)
    # Translators: A+ is a grade label; keep it as it is.
    aim = _(
        "Don't chase an A+: aim for *{target}* with a follow-up call on *{day}*. "
        "What would it take to reach {target} by then?"
    ).format(target=target, day=day(plan.follow_up_on))
    text = f"{_headline(grade)}\n{aim}"
    if not for_owner:
        owner = _("{owner} owns this account.").format(owner=f"<@{grade.account.owner_id}>")
        text += f"\n{owner}"
    blocks = [section(text)]
    if for_owner:
        buttons = [
            ButtonElement(
                # Translators: at most 75 characters (a button).
                text=_("Plan follow-up"),
                action_id=ids.PLAN_FOLLOW_UP,
                value=str(plan.id),
                style="primary",
            ),
            # Translators: at most 75 characters (a button).
            ButtonElement(text=_("Dismiss"), action_id=ids.DISMISS_PLAN, value=str(plan.id)),
        ]
        blocks.append(ActionsBlock(elements=buttons).to_dict())
    fallback = _("{account} is at risk: graded {grade}.").format(
        account=isolate(grade.account.name), grade=isolate(grade.grade)
    )
    return {"text": fallback, "blocks": blocks}


def plan_modal(plan: RecoveryPlan, *, channel_id: str, message_ts: str) -> dict:
    """ "Plan follow-up": the call's day (the suggested one to start with) and what it
    would take to reach the target by then. Where the alert is rides along, to update it."""
    metadata = {"plan_id": plan.id, "channel": channel_id, "ts": message_ts}
    return modal(
        callback_id=ids.PLAN_FOLLOW_UP_VIEW,
        # Translators: at most 24 characters (a modal title).
        title=_("Plan a follow-up"),
        # Translators: at most 24 characters (a modal's button).
        submit=_("Save plan"),
        metadata=metadata,
        blocks=[
            section(
                # Translators: A+ is a grade label; keep it as it is.
                _("*{account}* was graded *{grade}*. Aim for *{target}*, not an A+.").format(
                    account=isolate(escape(plan.account.name)),
                    grade=isolate(plan.grade.grade),
                    target=isolate(plan.target),
                )
            ),
            InputBlock(
                block_id=ids.PLAN_DATE,
                label=_("Follow-up call on"),
                element=DatePickerElement(
                    action_id=ids.PLAN_DATE, initial_date=plan.follow_up_on.isoformat()
                ),
            ),
            text_input(
                ids.PLAN_WHAT_IT_TAKES,
                _("What would it take to reach {target} by then?").format(
                    target=isolate(plan.target)
                ),
                multiline=True,
                max_length=3000,
            ),
        ],
    )


def planned(plan: RecoveryPlan) -> dict:
    """The owner's alert once planned: the grade, the target, the day and what it takes."""
    the_plan = _(
        ":spiral_calendar_pad: Follow-up call planned for *{day}*, aiming for *{target}*. "
        "What it takes:"
    ).format(day=day(plan.follow_up_on), target=isolate(plan.target))
    fallback = _("Follow-up planned for {account} on {day}.").format(
        account=isolate(plan.account.name), day=day(plan.follow_up_on)
    )
    return {
        "text": fallback,
        "blocks": [
            section(_headline(plan.grade)),
            section(f"{the_plan}\n{_quote(plan.what_it_takes or '')}"),
        ],
    }


def dismissed(plan: RecoveryPlan) -> dict:
    """The owner's alert once dismissed: what it was about, no buttons."""
    grade = plan.grade
    text = _(
        "Dismissed: *{account}* was graded *{grade}* by {grader}. No follow-up is tracked for it."
    ).format(
        account=isolate(escape(plan.account.name)),
        grade=isolate(grade.grade),
        grader=_grader(grade),
    )
    fallback = _("Dismissed the at-risk alert for {account}.").format(
        account=isolate(plan.account.name)
    )
    return {"text": fallback, "blocks": [section(text)]}


def _headline(grade: Grade) -> str:
    headline = _(":warning: *{account}* is at risk: {grader} gave it a *{grade}*.").format(
        account=isolate(escape(grade.account.name)),
        grader=_grader(grade),
        grade=isolate(grade.grade),
    )
    return f"{headline}\n{_quote(grade.reason)}"


def _grader(grade: Grade) -> str:
    return grader(grade.grader_id, grade.contact.name if grade.contact else None)


def _quote(text: str) -> str:
    """User text as an escaped mrkdwn quote, cut to QUOTED_MAX characters after escaping."""
    quoted = "\n".join(f"> {line}" for line in text.splitlines() if line.strip())
    return escape_clipped(quoted, QUOTED_MAX)
