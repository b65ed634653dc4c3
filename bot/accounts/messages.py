"""Block Kit for accounts: `/account`'s replies, and the account picker of modals."""

from datetime import date, datetime

from slack_sdk.models.blocks import ExternalDataSelectElement, InputBlock, Option

from bot.accounts.ids import ACCOUNT_PICKER
from bot.accounts.values import AccountView
from bot.blocks import lines_message, text_message
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import date_token, day, escape, escape_clipped, first_line
from storage.models import Account, AccountChange, ChangeKind

OPTIONS_MAX = 100  # Slack shows at most 100 options in a select
CHANGED_TEXT_MAX = 200  # of a text value in a change history's line

# A change of each field but the owner, in a history line or a notice; `field` is the
# word typed after `/account set`.
FIELD_CHANGED = {
    "renewal": N_("{who} changed renewal from {old} to {new}"),
    "arr": N_("{who} changed arr from {old} to {new}"),
    "target": N_("{who} changed target from {old} to {new}"),
    "channel": N_("{who} changed channel from {old} to {new}"),
    "competitors": N_("{who} changed competitors from {old} to {new}"),
    "question": N_("{who} changed question from {old} to {new}"),
}


def added(account: Account) -> dict:
    # Translators: keep `/logcall {typed}` as is; "yesterday 3pm: what was said" may be
    # written in your language (/logcall reads times in it).
    text = _(
        "Added *{name}*, owned by you. "
        "Log a call with `/logcall {typed} yesterday 3pm: what was said`."
    )
    return text_message(text.format(name=_name(account.name), typed=escape(account.name)))


def updated(account: Account, field: str) -> dict:
    return text_message(
        _("Updated *{name}*. {field}").format(
            name=_name(account.name), field=account_fields(account)[field]
        )
    )


def archived(account: Account) -> dict:
    return text_message(
        _("Archived *{name}*. Its calls are kept.").format(name=_name(account.name))
    )


def account_list(views: list[AccountView], tz: str) -> dict:
    if not views:
        return text_message(_("No accounts yet. Add one with `/account add Acme Corp`."))
    count = len(views)
    lines = [ngettext("*{n} account*", "*{n} accounts*", count).format(n=isolate(str(count)))]
    for view in views:
        a = view.account
        name, owner = _name(a.name), f"<@{a.owner_id}>"
        if view.last_contact:
            line = _("• *{name}*, {owner}, last contact {date}").format(
                name=name, owner=owner, date=date_token(view.last_contact, tz)
            )
        else:
            line = _("• *{name}*, {owner}, last contact no calls yet").format(
                name=name, owner=owner
            )
        lines.append(line)
    return lines_message(lines)


def account_fields(a: Account) -> dict[str, str]:
    """One line per field that `/account set` can change."""
    return {
        "owner": _("Owner: {owner}").format(owner=f"<@{a.owner_id}>"),
        "renewal": (
            _("Renewal: {day}").format(day=day(a.renewal_on))
            if a.renewal_on
            else _("Renewal: not set")
        ),
        "arr": (
            _("ARR: {amount}").format(amount=isolate(number(a.arr)))
            if a.arr is not None
            else _("ARR: not set")
        ),
        "target": (
            _("Growth target: {percent}% a year").format(
                percent=isolate(f"{a.growth_target_pct:+g}")
            )
            if a.growth_target_pct is not None
            else _("Growth target: not set")
        ),
        "channel": (
            _("Channel: {channel}").format(channel=f"<#{a.channel_id}>")
            if a.channel_id
            else _("Channel: not set")
        ),
        "competitors": (
            _("Competitors: {competitors}").format(competitors=isolate(escape(a.competitors)))
            if a.competitors
            else _("Competitors: not set")
        ),
        "question": (
            _("Grade question: {question}").format(question=isolate(escape(a.grade_question)))
            if a.grade_question
            else _("Grade question: the default (see `/grade help`)")
        ),
    }


def account_details(view: AccountView, tz: str, viewer_id: str) -> dict:
    lines = [
        f"*{_name(view.account.name)}*",
        *account_fields(view.account).values(),
        "",
        _("*Latest calls*") if view.calls else _("No calls logged yet. Log one with `/logcall`."),
    ]
    for call in view.calls:
        private = call.private and call.logged_by != viewer_id
        notes = _("_private note_") if private else isolate(escape(first_line(call.notes)))
        lines.append(f"• {date_token(call.occurred_at, tz)}, <@{call.logged_by}>: {notes}")
    return lines_message(lines)


def account_picker(block_id: str) -> InputBlock:
    """An account input with type-ahead; handlers/accounts.py serves its options."""
    return InputBlock(
        block_id=block_id,
        # Translators: a modal field's label.
        label=_("Account"),
        element=ExternalDataSelectElement(
            action_id=ACCOUNT_PICKER,
            # Translators: at most 150 characters (a placeholder).
            placeholder=_("Type to search"),
            min_query_length=0,
        ),
    )


def account_options(accounts: list[Account]) -> list[dict]:
    """Options for the account picker's type-ahead."""
    return [Option(value=str(a.id), text=a.name[:75]).to_dict() for a in accounts[:OPTIONS_MAX]]


def unarchived(account: Account) -> dict:
    return text_message(
        _("*{name}* is active again, with its history.").format(name=_name(account.name))
    )


def renamed(account: Account, changes: list[AccountChange]) -> dict:
    if not changes:
        return text_message(_("*{name}* already has that name.").format(name=_name(account.name)))
    return text_message(
        _("Renamed *{old}* to *{new}*. Its calls, grades and history are kept.").format(
            old=_name(changes[0].old_value or ""), new=_name(account.name)
        )
    )


def history(account: Account, changes: list[AccountChange], total: int, tz: str) -> dict:
    """`/account history`: the latest changes, newest first."""
    if not changes:
        return text_message(_("No changes to *{name}* yet.").format(name=_name(account.name)))
    lines = [_("*Changes to {name}*, newest first").format(name=_name(account.name))]
    lines += [f"• {date_token(c.changed_at, tz)}: {what_changed(c)}" for c in changes]
    if total > len(changes):
        older = total - len(changes)
        lines.append(ngettext("…and {n} older.", "…and {n} older.", older).format(n=older))
    return lines_message(lines)


def change_notice(account: Account, change: AccountChange) -> dict:
    """The DM telling an owner that someone else changed their account."""
    # Translators: {change} is a whole change, such as "@alex changed renewal from not
    # set to 31 Mar 2027"; keep `/account history {typed}` as is.
    text = _("{change}, on *{name}*. See `/account history {typed}`.")
    return text_message(
        text.format(
            change=what_changed(change), name=_name(account.name), typed=escape(account.name)
        )
    )


def what_changed(change: AccountChange) -> str:
    """Who did what: "<@U…> changed renewal from … to …"."""
    who = f"<@{change.changed_by}>"
    if change.kind == ChangeKind.SET and change.field == "owner":
        return _("{who} made {new} the owner, instead of {old}").format(
            who=who, new=f"<@{change.new_value}>", old=f"<@{change.old_value}>"
        )
    if change.kind == ChangeKind.SET:
        old, new = (_value(change.field, v) for v in (change.old_value, change.new_value))
        return _(FIELD_CHANGED[change.field]).format(who=who, old=old, new=new)
    if change.kind == ChangeKind.RENAMED:
        return _("{who} renamed the account from *{old}* to *{new}*").format(
            who=who, old=_name(change.old_value or ""), new=_name(change.new_value or "")
        )
    if change.kind == ChangeKind.CALL_DELETED:
        return _("{who} deleted the call of {call}").format(
            who=who, call=_deleted_call(change.old_value or "")
        )
    if change.kind == ChangeKind.ARCHIVED:
        return _("{who} archived the account").format(who=who)
    return _("{who} unarchived the account").format(who=who)


def _deleted_call(kept: str) -> str:
    """A deleted call as the history keeps it (bot/accounts/history.py deleted_call)."""
    when, _nothing, note = kept.partition("\n")
    try:
        shown = date_token(datetime.fromisoformat(when), "UTC")
    except ValueError:
        shown = _("an unknown time")
    if not note:
        return shown
    # Translators: a deleted call: when it was, then the first line of its note.
    return _("{when}: {note}").format(
        when=shown, note=isolate(escape_clipped(first_line(note), CHANGED_TEXT_MAX))
    )


def _value(field: str, stored: str | None) -> str:
    """A field's value as the history keeps it (bot/accounts/fields.py stored()), shown."""
    if stored is None:
        # Translators: a field's value in a change: "changed arr from not set to 120,000".
        return _("not set")
    try:
        if field == "renewal":
            return day(date.fromisoformat(stored))
        if field == "arr":
            return isolate(number(int(stored)))
        if field == "target":
            return _("{percent}% a year").format(percent=isolate(f"{float(stored):+g}"))
    except ValueError:
        pass
    if field == "channel":
        return f"<#{stored}>"
    return isolate(f"“{escape_clipped(stored, CHANGED_TEXT_MAX)}”")


def _name(name: str) -> str:
    """An account's name inside a sentence: escaped, kept in its own direction."""
    return isolate(escape(name))
