"""Block Kit for the App Home tab, from bot/home/values.py's values."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
)
from slack_sdk.models.views import View

from bot.blocks import pack, section
from bot.home import ids
from bot.home.values import Home, HomeAccount
from bot.mrkdwn import date_token, day, escape

BLOCKS_MAX = 100  # Slack's limit for a Home view
ATTENTION_SHOWN = 10  # the "Needs attention" section stays short
EMPTY = (
    "You don't own any accounts yet. Add one with `/account add Acme Corp` (you'll be its "
    "owner), or take one over with `/account set Acme owner @you`. Your accounts then show "
    "here with their latest grade, last contact, next follow-up and renewal."
)


def home(page: Home) -> dict:
    """The viewer's Home tab: buttons, "Needs attention", then one section per account,
    as many as Slack's 100 blocks allow; the rest are counted."""
    blocks = [HeaderBlock(text="Your accounts"), _buttons()]
    if not page.accounts:
        return _view([*blocks, section(EMPTY)])
    attention = page.needs_attention
    if attention:
        lines = [_attention_line(a) for a in attention[:ATTENTION_SHOWN]]
        if len(attention) > ATTENTION_SHOWN:
            lines.append(f"…and {len(attention) - ATTENTION_SHOWN} more.")
        blocks += [HeaderBlock(text="Needs attention"), *map(section, pack(lines))]
    blocks += [
        DividerBlock(),
        section(f"*{_count(len(page.accounts), 'account')} you own*"),
    ]
    room = BLOCKS_MAX - len(blocks)
    shown = page.accounts if len(page.accounts) <= room else page.accounts[: room - 1]
    blocks += [_account(a, page.tz) for a in shown]
    if len(shown) < len(page.accounts):
        more = f"…and {len(page.accounts) - len(shown)} more: `/account list`"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return _view(blocks)


def _buttons() -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(text="Log a call", action_id=ids.HOME_LOG_CALL, style="primary"),
            ButtonElement(text="Ask for a grade", action_id=ids.HOME_ASK_GRADE),
        ]
    )


def _attention_line(a: HomeAccount) -> str:
    reasons = []
    if a.at_risk:
        reasons.append(f"*{a.grade}*, at risk: aim for *{a.target}*")
    if a.overdue_on:
        reasons.append(f"follow-up overdue since {day(a.overdue_on)}")
    return f"• *{escape(a.name)}*: {', '.join(reasons)}"


def _account(a: HomeAccount, tz: str) -> dict:
    """An account's row: name and grade, then contact, follow-up, renewal and ARR."""
    if a.grade is None:
        grade = "no grade yet"
    elif a.trend is None:
        grade = f"grade *{a.grade}*"
    elif a.trend == "flat":
        grade = f"grade *{a.grade}* (steady)"
    else:
        grade = f"grade *{a.grade}* ({a.trend} from {a.previous})"
    if a.at_risk:
        grade += f" :warning: at risk, aim for *{a.target}*"
    contact = date_token(a.last_call_at, tz) if a.last_call_at else "no calls yet"
    if a.follow_up_on:
        overdue = " (overdue)" if a.overdue_on else ""
        follow_up = f"{day(a.follow_up_on)}{overdue}"
    else:
        follow_up = "none planned"
    renewal = day(a.renewal_on) if a.renewal_on else "not set"
    arr = f"{a.arr:,}" if a.arr is not None else "not set"
    return section(
        f"*{escape(a.name)}*: {grade}\n"
        f"Last contact: {contact} · Next follow-up: {follow_up}\n"
        f"Renewal: {renewal} · ARR: {arr}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _view(blocks: list) -> dict:
    return View(type="home", blocks=blocks).to_dict()


def refused(text: str) -> dict:
    """The Home of someone who may see no account data (a guest): why, and nothing else."""
    return _view([section(text)])
