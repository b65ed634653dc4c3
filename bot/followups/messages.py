"""Block Kit of the morning DM of follow-ups due, and of a follow-up once snoozed or done.

At most DUE_SHOWN follow-ups (two blocks each) and STALE_SHOWN stale accounts are shown;
the rest are counted, so the DM stays within Slack's 50 blocks whatever is due."""

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock

from bot.blocks import section
from bot.followups import ids
from bot.followups.values import SNOOZE_DAYS, Due, Kind, Reminder, Stale
from bot.i18n import _, isolate, ngettext, number
from bot.mrkdwn import clip, day, escape, first_line

DUE_SHOWN = 15
STALE_SHOWN = 20
NEXT_STEP_SHOWN = 300


def reminder(found: Reminder) -> dict:
    """The owner's DM of `found.day`: each follow-up due with its buttons, how many more,
    and on Mondays the accounts gone quiet."""
    blocks = []
    if found.due:
        count = len(found.due) + found.more
        heading = ngettext(
            "*{n} follow-up is due.* Log the call, snooze it or mark it done:",
            "*{n} follow-ups are due.* Log each call, snooze it or mark it done:",
            count,
        ).format(n=isolate(number(count)))
        blocks.append(section(heading))
        for due in found.due:
            blocks.extend(item(due, today=found.day))
        if found.more:
            more = ngettext(
                "…and {n} more follow-up due, not shown here: see your Home tab in Rapport.",
                "…and {n} more follow-ups due, not shown here: see your Home tab in Rapport.",
                found.more,
            ).format(n=isolate(number(found.more)))
            blocks.append(section(more))
    if found.stale:
        blocks.append(section(_stale(found.stale, found.stale_more, found.tz)))
    return {"text": _summary(found), "blocks": blocks}


def item(due: Due, *, today: date) -> list[dict]:
    """A follow-up's section and its buttons: Log the call, Snooze 3 days, Done."""
    key = {"kind": str(due.kind), "id": due.id}
    value = f"{due.kind}:{due.id}"
    buttons = ActionsBlock(
        block_id=ids.BUTTONS.format(**key),
        elements=[
            # Translators: a button, at most 75 characters.
            ButtonElement(
                text=_("Log the call"), action_id=ids.LOG_CALL, value=str(due.account_id)
            ),
            # Translators: a button, at most 75 characters.
            ButtonElement(
                text=ngettext("Snooze {n} day", "Snooze {n} days", SNOOZE_DAYS).format(
                    n=isolate(number(SNOOZE_DAYS))
                ),
                action_id=ids.SNOOZE,
                value=value,
            ),
            # Translators: a button, at most 75 characters.
            ButtonElement(text=_("Done"), action_id=ids.DONE, value=value, style="primary"),
        ],
    )
    return [_section(due, today, _when_due(due, today)), buttons.to_dict()]


def settled(due: Due, *, today: date) -> dict:
    """The section that replaces a follow-up and its buttons once done or snoozed."""
    if due.done:
        state = _("✓ Done: no more reminders of it.")
    else:
        state = _("Snoozed: I'll remind you on {day}.").format(day=day(due.on))
    return _section(due, today, state)


def block_ids(kind: Kind, item_id: int) -> tuple[str, str]:
    """The ids of a follow-up's section and of its row of buttons."""
    key = {"kind": str(kind), "id": item_id}
    return ids.ITEM.format(**key), ids.BUTTONS.format(**key)


def _section(due: Due, today: date, state: str) -> dict:
    account = f"*{isolate(escape(due.account))}*"
    if due.kind == Kind.PLAN:
        line = _("{account}: the recovery plan's follow-up call (target {grade}), {state}").format(
            account=account, grade=f"*{due.target}*", state=state
        )
    else:
        line = _("{account}: follow up, {state}").format(account=account, state=state)
    if due.next_step:
        step = escape(clip(first_line(due.next_step), NEXT_STEP_SHOWN))
        line += "\n" + _("*Next step:* {step}").format(step=isolate(step))
    return SectionBlock(block_id=block_ids(due.kind, due.id)[0], text=clip(line, 3000)).to_dict()


def _when_due(due: Due, today: date) -> str:
    if due.on >= today:
        return _("due today")
    days = (today - due.on).days
    return ngettext("due {day} ({n} day overdue)", "due {day} ({n} days overdue)", days).format(
        day=day(due.on), n=isolate(number(days))
    )


def _stale(stale: tuple[Stale, ...], more: int, tz: str) -> str:
    lines = [_("*No call for a while* (your weekly list of quiet accounts):")]
    for account in stale:
        name = f"*{isolate(escape(account.account))}*"
        if account.last_call_at is None:
            lines.append(
                _("• {account}: never called, added {day}").format(
                    account=name, day=day(account.since.astimezone(ZoneInfo(tz)).date())
                )
            )
        else:
            lines.append(
                _("• {account}: last call {day}").format(
                    account=name, day=day(account.last_call_at.astimezone(ZoneInfo(tz)).date())
                )
            )
    if more:
        lines.append(
            ngettext("…and {n} more account.", "…and {n} more accounts.", more).format(
                n=isolate(number(more))
            )
        )
    return "\n".join(lines)


def _summary(found: Reminder) -> str:
    """The notification's text."""
    count = len(found.due) + found.more
    if count:
        return ngettext("{n} follow-up is due.", "{n} follow-ups are due.", count).format(
            n=isolate(number(count))
        )
    return _("Accounts with no call for a while.")
