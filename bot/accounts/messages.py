"""Block Kit for accounts: `/account`'s replies, and the account picker of modals."""

from slack_sdk.models.blocks import ExternalDataSelectElement, InputBlock, Option

from bot.accounts.ids import ACCOUNT_PICKER
from bot.accounts.values import AccountView
from bot.blocks import lines_message, text_message
from bot.mrkdwn import date_token, day, escape, first_line
from storage.models import Account

OPTIONS_MAX = 100  # Slack shows at most 100 options in a select


def added(account: Account) -> dict:
    return text_message(
        f"Added *{escape(account.name)}*, owned by you. "
        f"Log a call with `/logcall {escape(account.name)} yesterday 3pm: what was said`."
    )


def updated(account: Account, field: str) -> dict:
    return text_message(f"Updated *{escape(account.name)}*. {account_fields(account)[field]}")


def archived(account: Account) -> dict:
    return text_message(f"Archived *{escape(account.name)}*. Its calls are kept.")


def account_list(views: list[AccountView], tz: str) -> dict:
    if not views:
        return text_message("No accounts yet. Add one with `/account add Acme Corp`.")
    lines = [f"*{len(views)} accounts*"]
    for view in views:
        a = view.account
        contact = date_token(view.last_contact, tz) if view.last_contact else "no calls yet"
        lines.append(f"• *{escape(a.name)}*, <@{a.owner_id}>, last contact {contact}")
    return lines_message(lines)


def account_fields(a: Account) -> dict[str, str]:
    """One line per field that `/account set` can change."""
    return {
        "owner": f"Owner: <@{a.owner_id}>",
        "renewal": f"Renewal: {day(a.renewal_on)}" if a.renewal_on else "Renewal: not set",
        "arr": f"ARR: {a.arr:,}" if a.arr is not None else "ARR: not set",
        "target": (
            f"Growth target: {a.growth_target_pct:+g}% a year"
            if a.growth_target_pct is not None
            else "Growth target: not set"
        ),
        "channel": f"Channel: <#{a.channel_id}>" if a.channel_id else "Channel: not set",
        "competitors": (
            f"Competitors: {escape(a.competitors)}" if a.competitors else "Competitors: not set"
        ),
        "question": (
            f"Grade question: {escape(a.grade_question)}"
            if a.grade_question
            else "Grade question: the default (see `/grade help`)"
        ),
    }


def account_details(view: AccountView, tz: str, viewer_id: str) -> dict:
    lines = [
        f"*{escape(view.account.name)}*",
        *account_fields(view.account).values(),
        "",
        "*Latest calls*" if view.calls else "No calls logged yet. Log one with `/logcall`.",
    ]
    for call in view.calls:
        private = call.private and call.logged_by != viewer_id
        notes = "_private note_" if private else escape(first_line(call.notes))
        lines.append(f"• {date_token(call.occurred_at, tz)}, <@{call.logged_by}>: {notes}")
    return lines_message(lines)


def account_picker(block_id: str) -> InputBlock:
    """An account input with type-ahead; handlers/accounts.py serves its options."""
    return InputBlock(
        block_id=block_id,
        label="Account",
        element=ExternalDataSelectElement(
            action_id=ACCOUNT_PICKER, placeholder="Type to search", min_query_length=0
        ),
    )


def account_options(accounts: list[Account]) -> list[dict]:
    """Options for the account picker's type-ahead."""
    return [Option(value=str(a.id), text=a.name[:75]).to_dict() for a in accounts[:OPTIONS_MAX]]
