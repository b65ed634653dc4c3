"""Block Kit builders for the App Home and its "Ask for a grade" modal: pure functions
from bot.home's values to view payloads, built with slack_sdk.models (which check
Slack's limits when serialised)."""

from datetime import date
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot import grades, ids
from bot.blocks import account_picker, pack
from bot.mrkdwn import date_token, escape

if TYPE_CHECKING:
    from bot.home import Home, HomeAccount

BLOCKS_MAX = 100  # Slack's limit for a Home view
ATTENTION_SHOWN = 10  # the "Needs attention" section stays short
EMPTY = (
    "You don't own any accounts yet. Add one with `/account add Acme Corp` (you'll be its "
    "owner), or take one over with `/account set Acme owner @you`. Your accounts then show "
    "here with their latest grade, last contact, next follow-up and renewal."
)


def home(page: "Home") -> dict:
    """The viewer's Home tab (a bot.home.Home): buttons, "Needs attention", then one
    section per account, as many as Slack's 100 blocks allow; the rest are counted."""
    blocks = [HeaderBlock(text="Your accounts"), _buttons()]
    if not page.accounts:
        return _view([*blocks, _section(EMPTY)])
    attention = page.needs_attention
    if attention:
        lines = [_attention_line(a) for a in attention[:ATTENTION_SHOWN]]
        if len(attention) > ATTENTION_SHOWN:
            lines.append(f"…and {len(attention) - ATTENTION_SHOWN} more.")
        blocks += [HeaderBlock(text="Needs attention"), *map(_section, pack(lines))]
    blocks += [
        DividerBlock(),
        _section(f"*{_count(len(page.accounts), 'account')} you own*"),
    ]
    room = BLOCKS_MAX - len(blocks)
    shown = page.accounts if len(page.accounts) <= room else page.accounts[: room - 1]
    blocks += [_account(a, page.tz) for a in shown]
    if len(shown) < len(page.accounts):
        more = f"…and {len(page.accounts) - len(shown)} more: `/account list`"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return _view(blocks)


def ask_grade_modal() -> dict:
    """ "Ask for a grade": an account, the person to ask, and an optional question."""
    blocks = [
        account_picker(ids.ASK_GRADE_ACCOUNT),
        InputBlock(
            block_id=ids.ASK_GRADE_GRADER,
            label="Whom to ask",
            hint="A client contact or a colleague; they get the question in a DM.",
            element=UserSelectElement(action_id=ids.ASK_GRADE_GRADER, placeholder="Pick a person"),
        ),
        InputBlock(
            block_id=ids.ASK_GRADE_QUESTION,
            label="Question",
            optional=True,
            hint="Leave it blank to ask the account's usual question.",
            element=PlainTextInputElement(
                action_id=ids.ASK_GRADE_QUESTION, multiline=True, max_length=grades.QUESTION_MAX
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=ids.ASK_GRADE_VIEW,
        title="Ask for a grade",
        submit="Ask",
        close="Cancel",
        blocks=blocks,
    )
    return view.to_dict()


def _buttons() -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(text="Log a call", action_id=ids.HOME_LOG_CALL, style="primary"),
            ButtonElement(text="Ask for a grade", action_id=ids.HOME_ASK_GRADE),
        ]
    )


def _attention_line(a: "HomeAccount") -> str:
    reasons = []
    if a.at_risk:
        reasons.append(f"*{a.grade}*, at risk: aim for *{a.target}*")
    if a.overdue_on:
        reasons.append(f"follow-up overdue since {_day(a.overdue_on)}")
    return f"• *{escape(a.name)}*: {', '.join(reasons)}"


def _account(a: "HomeAccount", tz: str) -> SectionBlock:
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
        follow_up = f"{_day(a.follow_up_on)}{overdue}"
    else:
        follow_up = "none planned"
    renewal = _day(a.renewal_on) if a.renewal_on else "not set"
    arr = f"{a.arr:,}" if a.arr is not None else "not set"
    return _section(
        f"*{escape(a.name)}*: {grade}\n"
        f"Last contact: {contact} · Next follow-up: {follow_up}\n"
        f"Renewal: {renewal} · ARR: {arr}"
    )


def _day(day: date) -> str:
    return f"{day:%a %d %b %Y}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _view(blocks: list) -> dict:
    return View(type="home", blocks=blocks).to_dict()
