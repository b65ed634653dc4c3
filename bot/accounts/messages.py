"""Block Kit for accounts: `/account`'s replies, and the account picker of modals."""

from datetime import date, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ExternalDataSelectElement,
    InputBlock,
    Option,
)

from bot.accounts.ids import ACCOUNT_PICKER, LIST_NEXT, LIST_PREVIOUS
from bot.accounts.values import AccountView, ListedAccount, ListFilters, ListOrder, ListPage
from bot.blocks import lines_message, pack, section, text_message
from bot.i18n import LANGUAGES, N_, _, isolate, ngettext, number
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


CONTACT_KINDS = (ChangeKind.CONTACT_ADDED, ChangeKind.CONTACT_CHANGED, ChangeKind.CONTACT_REMOVED)
# A change of a contact's field, in a history line or a notice; `field` is the word typed
# after `/account contact edit <account> <name>`.
CONTACT_FIELD_CHANGED = {
    "role": N_("{who} changed the role of *{name}* from {old} to {new}"),
    "team": N_("{who} changed the team of *{name}* from {old} to {new}"),
    "email": N_("{who} changed the email of *{name}* from {old} to {new}"),
    "slack": N_("{who} changed the Slack user of *{name}* from {old} to {new}"),
    "language": N_("{who} changed the language of *{name}* from {old} to {new}"),
}


# A field of a call edited, in a history line or a notice (bot/calls/editing.py).
CALL_FIELD_CHANGED = {
    "when": N_("{who} moved a call from {old} to {new}"),
    "account": N_("{who} moved a call from {old} to {new}"),
    "notes": N_("{who} changed a call's notes from {old} to {new}"),
    "next_step": N_("{who} changed a call's next step from {old} to {new}"),
    "follow_up": N_("{who} changed a call's follow-up from {old} to {new}"),
    "attendees": N_("{who} changed who was on a call from {old} to {new}"),
}
# The same, of a private call: its text is not kept.
CALL_TEXT_FIELDS = {
    "notes": N_("{who} changed a private call's notes"),
    "next_step": N_("{who} changed a private call's next step"),
}


def added(account: Account) -> dict:
    # Translators: keep `/logcall {typed}` as is; "yesterday 3pm: what was said" may be
    # written in your language (/logcall reads times in it).
    text = _(
        "Added *{name}*, owned by you. "
        "Log a call with `/logcall {typed} yesterday 3pm: what was said`."
    )
    return text_message(text.format(name=_name(account.name), typed=escape(account.name)))


def updated(account: Account, field: str, changes: list[AccountChange]) -> dict:
    """The reply to `/account set`: the field as it is now, and a back-dated ARR kept."""
    shown = account_fields(account)[field]
    if changes and changes[0].kind == ChangeKind.ARR_BACKDATED:
        value, day_typed = _back_dated(changes[0])
        # Translators: {field} is the ARR as it stays today, such as "ARR: 150,000".
        text = _("Kept ARR {value} from {day} in *{name}*'s history. {field}")
        return text_message(
            text.format(value=value, day=day_typed, name=_name(account.name), field=shown)
        )
    return text_message(
        _("Updated *{name}*. {field}").format(name=_name(account.name), field=shown)
    )


def archived(account: Account) -> dict:
    return text_message(
        _("Archived *{name}*. Its calls are kept.").format(name=_name(account.name))
    )


def account_page(page: ListPage, tz: str) -> dict:
    """A page of `/account list`: a header saying what was asked, a line per account (name,
    owner, last contact, and what the filters and order are about: grade, renewal, ARR),
    and buttons to the previous and next pages."""
    if not page.total:
        if page.filters == ListFilters():
            return text_message(_("No accounts yet. Add one with `/account add Acme Corp`."))
        return text_message(_("No accounts match: {filters}.").format(filters=_described(page)))
    header = ngettext("*{n} account*", "*{n} accounts*", page.total).format(
        n=isolate(number(page.total))
    )
    if page.filters != ListFilters():
        # Translators: "*12 accounts*: yours, at risk, by ARR".
        header = _("{accounts}: {filters}").format(accounts=header, filters=_described(page))
    if page.previous or page.next:
        # Translators: which of the accounts this page shows, e.g. "41–80".
        header += " " + _("({first}–{last})").format(
            first=isolate(number(page.offset + 1)),
            last=isolate(number(page.offset + len(page.accounts))),
        )
    lines = [header, *(_listed(a, page.filters, tz) for a in page.accounts)]
    blocks = [section(chunk) for chunk in pack(lines)]
    buttons = []
    if page.previous:
        buttons.append(
            ButtonElement(text=_("Previous page"), action_id=LIST_PREVIOUS, value=page.previous)
        )
    if page.next:
        buttons.append(ButtonElement(text=_("Next page"), action_id=LIST_NEXT, value=page.next))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons).to_dict())
    return {"text": header.replace("*", ""), "blocks": blocks}


def _described(page: ListPage) -> str:
    """What the filters and the order ask for: "yours, at risk, by ARR"."""
    f = page.filters
    said = []
    if f.owner_id == page.viewer_id:
        said.append(_("yours"))
    elif f.owner_id:
        said.append(_("of {owner}").format(owner=f"<@{f.owner_id}>"))
    if f.at_risk:
        said.append(_("at risk"))
    if f.stale:
        said.append(
            ngettext(
                "without a call for {n} day", "without a call for {n} days", page.stale_days
            ).format(n=isolate(number(page.stale_days)))
        )
    if f.renewing_days is not None:
        said.append(
            ngettext(
                "renewing in the next {n} day", "renewing in the next {n} days", f.renewing_days
            ).format(n=isolate(number(f.renewing_days)))
        )
    if f.order != ListOrder.NAME:
        said.append(_(LIST_ORDERS[f.order]))
    # Translators: between the parts of "yours, at risk, by ARR".
    return _(", ").join(said)


LIST_ORDERS = {
    ListOrder.LAST_CONTACT: N_("by last contact"),
    ListOrder.RENEWAL: N_("by renewal"),
    ListOrder.ARR: N_("by ARR"),
}


def _listed(a: ListedAccount, filters: ListFilters, tz: str) -> str:
    """An account's line: name, owner, last contact, then the grade when the list is of
    accounts at risk, the renewal when it is about renewals, the ARR when ordered by it."""
    name, owner = _name(a.name), f"<@{a.owner_id}>"
    if a.last_contact:
        line = _("• *{name}*, {owner}, last contact {date}").format(
            name=name, owner=owner, date=date_token(a.last_contact, tz)
        )
    else:
        line = _("• *{name}*, {owner}, last contact no calls yet").format(name=name, owner=owner)
    facts = []
    if filters.at_risk and a.grade:
        facts.append(_("grade {grade}").format(grade=a.grade))
    if filters.renewing_days is not None or filters.order == ListOrder.RENEWAL:
        facts.append(
            _("renewal {day}").format(day=day(a.renewal_on)) if a.renewal_on else _("no renewal")
        )
    if filters.order == ListOrder.ARR:
        facts.append(
            _("ARR {amount}").format(amount=isolate(number(a.arr)))
            if a.arr is not None
            else _("no ARR")
        )
    for fact in facts:
        # Translators: an account's line, then one more fact: "…, renewal Mon 1 Feb 2027".
        line = _("{line}, {fact}").format(line=line, fact=fact)
    return line


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


def account_details(
    view: AccountView, tz: str, viewer_id: str, contact_lines: list[str] = ()
) -> dict:
    """`/account show`: the fields, the contacts' lines (bot/contacts/messages.py
    overview_lines) and the latest calls."""
    lines = [
        f"*{_name(view.account.name)}*",
        *account_fields(view.account).values(),
        "",
        *([*contact_lines, ""] if contact_lines else []),
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
    if change.kind == ChangeKind.ARR_BACKDATED:
        value, on = _back_dated(change)
        # Translators: an ARR set for a past day, which leaves today's ARR as it is.
        return _("{who} set arr to {new} from {day} (back-dated; it was {old} then)").format(
            who=who, new=value, day=on, old=_value("arr", change.old_value)
        )
    if change.kind == ChangeKind.RENAMED:
        return _("{who} renamed the account from *{old}* to *{new}*").format(
            who=who, old=_name(change.old_value or ""), new=_name(change.new_value or "")
        )
    if change.kind == ChangeKind.CALL_DELETED:
        return _("{who} deleted the call of {call}").format(
            who=who, call=_deleted_call(change.old_value or "")
        )
    if change.kind in CONTACT_KINDS:
        return _contact_changed(change, who)
    if change.kind == ChangeKind.CALL_EDITED:
        return _call_edited(change, who)
    if change.kind == ChangeKind.ARCHIVED:
        return _("{who} archived the account").format(who=who)
    return _("{who} unarchived the account").format(who=who)


def _back_dated(change: AccountChange) -> tuple[str, str]:
    """A back-dated ARR change's value and day (bot/accounts/manage.py), shown."""
    value, _line, on = (change.new_value or "").partition("\n")
    return _value("arr", value), _value("renewal", on)


def _contact_changed(change: AccountChange, who: str) -> str:
    """A contact added, removed, or one of its fields changed (bot/contacts/manage.py:
    a change keeps the contact's name, a line break, then the value)."""
    if change.kind == ChangeKind.CONTACT_ADDED:
        return _("{who} added the contact *{name}*").format(
            who=who, name=_name(change.new_value or "")
        )
    if change.kind == ChangeKind.CONTACT_REMOVED:
        return _("{who} removed the contact *{name}*").format(
            who=who, name=_name(change.old_value or "")
        )
    name, _line, old = (change.old_value or "").partition("\n")
    new = (change.new_value or "").partition("\n")[2]
    if change.field == "name":
        return _("{who} renamed the contact *{old}* to *{new}*").format(
            who=who, old=_name(name), new=_name((change.new_value or "").partition("\n")[0])
        )
    shown = [_contact_value(change.field, value) for value in (old, new)]
    text = _(CONTACT_FIELD_CHANGED.get(change.field or "", CONTACT_FIELD_CHANGED["role"]))
    return text.format(who=who, name=_name(name), old=shown[0], new=shown[1])


def _contact_value(field: str | None, stored: str) -> str:
    if not stored:
        # Translators: a field's value in a change: "changed arr from not set to 120,000".
        return _("not set")
    if field == "slack":
        return f"<@{stored}>"
    if field == "language":
        return LANGUAGES.get(stored, stored)
    return isolate(f"“{escape_clipped(stored, CHANGED_TEXT_MAX)}”")


def _call_edited(change: AccountChange, who: str) -> str:
    """A field of a call edited (bot/calls/editing.py): values as stored, None for "not
    set"; the notes or next step of a private call are kept without their text."""
    field, old, new = change.field or "", change.old_value, change.new_value
    if field in CALL_TEXT_FIELDS and old is None and new is None:
        return _(CALL_TEXT_FIELDS[field]).format(who=who)
    if field == "private":
        if new == "true":
            return _("{who} made a call's note private").format(who=who)
        return _("{who} made a call's note shown in digests again").format(who=who)
    shown = [_call_value(field, value) for value in (old, new)]
    return _(CALL_FIELD_CHANGED.get(field, CALL_FIELD_CHANGED["notes"])).format(
        who=who, old=shown[0], new=shown[1]
    )


def _call_value(field: str, stored: str | None) -> str:
    if stored is None:
        return _("not set")
    try:
        if field == "when":
            return date_token(datetime.fromisoformat(stored), "UTC")
        if field == "follow_up":
            return day(date.fromisoformat(stored))
    except ValueError:
        pass
    if field == "account":
        return f"*{_name(stored)}*"
    return isolate(f"“{escape_clipped(stored, CHANGED_TEXT_MAX)}”")


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
