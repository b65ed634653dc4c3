"""Block Kit for the App Home tab, from bot/home/values.py's values."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import i18n
from bot.blocks import pack, section
from bot.home import ids
from bot.home.values import Home, HomeAccount
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import date_token, day, escape

BLOCKS_MAX = 100  # Slack's limit for a Home view
ATTENTION_SHOWN = 10  # the "Needs attention" section stays short
# Translators: keep the commands between backticks as they are (typed in English).
EMPTY = N_(
    "You don't own any accounts yet. Add one with `/account add Acme Corp` (you'll be its "
    "owner), or take one over with `/account set Acme owner @you`. Your accounts then show "
    "here with their latest grade, last contact, next follow-up and renewal."
)


def home(page: Home) -> dict:
    """The viewer's Home tab, in the language being written: their language select,
    buttons, "Needs attention", then one section per account, as many as Slack's 100
    blocks allow; the rest are counted."""
    blocks = [_language_select(), HeaderBlock(text=_("Your accounts")), _buttons()]
    if not page.accounts:
        return _view([*blocks, section(_(EMPTY))])
    attention = page.needs_attention
    if attention:
        lines = [_attention_line(a) for a in attention[:ATTENTION_SHOWN]]
        if len(attention) > ATTENTION_SHOWN:
            left = len(attention) - ATTENTION_SHOWN
            lines.append(
                ngettext("…and {n} more.", "…and {n} more.", left).format(n=isolate(str(left)))
            )
        blocks += [HeaderBlock(text=_("Needs attention")), *map(section, pack(lines))]
    owned = len(page.accounts)
    blocks += [
        DividerBlock(),
        section(
            ngettext("*{n} account you own*", "*{n} accounts you own*", owned).format(
                n=isolate(str(owned))
            )
        ),
    ]
    room = BLOCKS_MAX - len(blocks)
    shown = page.accounts if len(page.accounts) <= room else page.accounts[: room - 1]
    blocks += [_account(a, page.tz) for a in shown]
    if len(shown) < len(page.accounts):
        hidden = len(page.accounts) - len(shown)
        more = ngettext(
            "…and {n} more: `/account list`", "…and {n} more: `/account list`", hidden
        ).format(n=isolate(str(hidden)))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return _view(blocks)


def _language_select() -> SectionBlock:
    """The viewer's language, each named in itself, the one being written selected."""
    options = {code: Option(value=code, text=name) for code, name in i18n.LANGUAGES.items()}
    return SectionBlock(
        text=MarkdownTextObject(text=_("*Language*")),
        accessory=StaticSelectElement(
            action_id=ids.HOME_LANGUAGE,
            # Translators: at most 150 characters (a select's placeholder).
            placeholder=_("Language"),
            options=list(options.values()),
            initial_option=options[i18n.language()],
        ),
    )


def _buttons() -> ActionsBlock:
    return ActionsBlock(
        elements=[
            # Translators: a button, at most 75 characters.
            ButtonElement(text=_("Log a call"), action_id=ids.HOME_LOG_CALL, style="primary"),
            # Translators: a button, at most 75 characters.
            ButtonElement(text=_("Ask for a grade"), action_id=ids.HOME_ASK_GRADE),
        ]
    )


def _attention_line(a: HomeAccount) -> str:
    """Why an account needs attention: its grade is at risk, its follow-up is overdue, or both."""
    name, grade, target = isolate(escape(a.name)), _grade(a.grade), _grade(a.target)
    if a.at_risk and a.overdue_on:
        line = _(
            "*{account}*: *{grade}*, at risk: aim for *{target}*, follow-up overdue since {day}"
        )
    elif a.at_risk:
        line = _("*{account}*: *{grade}*, at risk: aim for *{target}*")
    else:
        line = _("*{account}*: follow-up overdue since {day}")
    overdue = day(a.overdue_on) if a.overdue_on else ""
    return "• " + line.format(account=name, grade=grade, target=target, day=overdue)


def _account(a: HomeAccount, tz: str) -> dict:
    """An account's row: name and grade, then contact, follow-up, renewal and ARR."""
    grade, previous = _grade(a.grade), _grade(a.previous)
    if a.grade is None:
        graded = _("no grade yet")
    elif a.trend is None:
        graded = _("grade *{grade}*").format(grade=grade)
    elif a.trend == "flat":
        graded = _("grade *{grade}* (steady)").format(grade=grade)
    elif a.trend == "up":
        graded = _("grade *{grade}* (up from {previous})").format(grade=grade, previous=previous)
    else:
        graded = _("grade *{grade}* (down from {previous})").format(grade=grade, previous=previous)
    if a.at_risk:
        # Translators: {grade} is one of "grade *B*", "grade *C* (down from B)"...
        graded = _("{grade} :warning: at risk, aim for *{target}*").format(
            grade=graded, target=_grade(a.target)
        )
    contact = date_token(a.last_call_at, tz) if a.last_call_at else _("no calls yet")
    if a.follow_up_on is None:
        follow_up = _("none planned")
    elif a.overdue_on:
        follow_up = _("{day} (overdue)").format(day=day(a.follow_up_on))
    else:
        follow_up = day(a.follow_up_on)
    # Translators: a renewal date or an amount that nobody has set.
    renewal = day(a.renewal_on) if a.renewal_on else _("not set")
    arr = isolate(number(a.arr)) if a.arr is not None else _("not set")
    return section(
        "\n".join(
            (
                _("*{account}*: {grade}").format(account=isolate(escape(a.name)), grade=graded),
                _("Last contact: {contact} · Next follow-up: {follow_up}").format(
                    contact=contact, follow_up=follow_up
                ),
                # Translators: ARR is the account's annual recurring revenue, {arr} an amount.
                _("Renewal: {renewal} · ARR: {arr}").format(renewal=renewal, arr=arr),
            )
        )
    )


def _grade(grade: str | None) -> str:
    """A grade letter (B-) kept whole inside right-to-left prose."""
    return isolate(grade) if grade else ""


def _view(blocks: list) -> dict:
    return View(type="home", blocks=blocks).to_dict()


def refused(text: str) -> dict:
    """The Home of someone who may see no account data (a guest): why, and nothing else."""
    return _view([section(text)])
