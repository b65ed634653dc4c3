"""Block Kit for accounts: `/account`'s replies, and the account picker of modals."""

from datetime import date, datetime

from slack_sdk.models.blocks import ExternalDataSelectElement, InputBlock, Option

from bot.accounts.ids import ACCOUNT_PICKER
from bot.accounts.values import AccountView
from bot.blocks import lines_message, text_message
from bot.mrkdwn import date_token, day, escape, escape_clipped, first_line
from storage.models import Account, AccountChange, ChangeKind

OPTIONS_MAX = 100  # Slack shows at most 100 options in a select
CHANGED_TEXT_MAX = 200  # of a text value in a change history's line


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


def unarchived(account: Account) -> dict:
    return text_message(f"*{escape(account.name)}* is active again, with its history.")


def renamed(account: Account, changes: list[AccountChange]) -> dict:
    if not changes:
        return text_message(f"*{escape(account.name)}* already has that name.")
    return text_message(
        f"Renamed *{escape(changes[0].old_value or '')}* to *{escape(account.name)}*. "
        "Its calls, grades and history are kept."
    )


def history(account: Account, changes: list[AccountChange], total: int, tz: str) -> dict:
    """`/account history`: the latest changes, newest first."""
    if not changes:
        return text_message(f"No changes to *{escape(account.name)}* yet.")
    lines = [f"*Changes to {escape(account.name)}*, newest first"]
    lines += [
        f"• {date_token(c.changed_at, tz)}: <@{c.changed_by}> {what_changed(c)}" for c in changes
    ]
    if total > len(changes):
        lines.append(f"…and {total - len(changes)} older.")
    return lines_message(lines)


def change_notice(account: Account, change: AccountChange) -> dict:
    """The DM telling an owner that someone else changed their account."""
    return text_message(
        f"<@{change.changed_by}> {what_changed(change)}, on *{escape(account.name)}*. "
        f"See `/account history {escape(account.name)}`."
    )


def what_changed(change: AccountChange) -> str:
    """What a change did, after who did it: "changed renewal from … to …"."""
    if change.kind == ChangeKind.SET and change.field == "owner":
        return f"made <@{change.new_value}> the owner, instead of <@{change.old_value}>"
    if change.kind == ChangeKind.SET:
        old, new = (_value(change.field, v) for v in (change.old_value, change.new_value))
        return f"changed {change.field} from {old} to {new}"
    if change.kind == ChangeKind.RENAMED:
        return (
            f"renamed the account from *{escape(change.old_value or '')}* "
            f"to *{escape(change.new_value or '')}*"
        )
    if change.kind == ChangeKind.CALL_DELETED:
        return f"deleted the call of {_deleted_call(change.old_value or '')}"
    return f"{change.kind} the account"


def _deleted_call(kept: str) -> str:
    """A deleted call as the history keeps it (bot/accounts/history.py deleted_call)."""
    when, _, note = kept.partition("\n")
    try:
        shown = date_token(datetime.fromisoformat(when), "UTC")
    except ValueError:
        shown = "an unknown time"
    return f"{shown}: {escape_clipped(first_line(note), CHANGED_TEXT_MAX)}" if note else shown


def _value(field: str, stored: str | None) -> str:
    """A field's value as the history keeps it (bot/accounts/fields.py stored()), shown."""
    if stored is None:
        return "not set"
    try:
        if field == "renewal":
            return day(date.fromisoformat(stored))
        if field == "arr":
            return f"{int(stored):,}"
        if field == "target":
            return f"{float(stored):+g}% a year"
    except ValueError:
        pass
    if field == "channel":
        return f"<#{stored}>"
    return f"“{escape_clipped(stored, CHANGED_TEXT_MAX)}”"
