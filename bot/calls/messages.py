"""Block Kit for calls: the confirmation with its Undo and Edit buttons, the log-call
modal (also to edit a call), an account's calls page by page, and search results."""

import hashlib
import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    DividerBlock,
    ExternalDataMultiSelectElement,
    InputBlock,
    Option,
)

from bot.accounts.messages import account_picker, what_changed
from bot.blocks import BLOCKS_MAX, lines_message, modal, pack, section, text_input, text_message
from bot.calls import ids
from bot.calls.values import CallPage, Found
from bot.contacts.messages import attendee_names, contact_options
from bot.i18n import N_, _, isolate
from bot.mrkdwn import date_token, day, escape, escape_clipped, first_line
from storage.models import Account, AccountChange, Call

NOTES_SHOWN = 500
NOTE_PIECE = 2900  # of a note in a section of `/account calls` (Slack takes 3,000)
FOUND_SHOWN = 300  # of a call's text in `/account search`
NOTES_MAX = 3000  # what the modal takes; /logcall takes more (bot/calls/logcall.py)
# Translators: keep what is between backticks as it is: `log` and the slash commands are
# typed in English.
DM_HELP = N_(
    "Hi! I keep your client accounts. To log a call, write\n"
    "`log Acme yesterday 3pm: discussed renewal`\n"
    "(no time means now; times are read in your Slack timezone).\n"
    "Add the next step and a follow-up day after the notes: "
    "`log Acme yesterday: discussed renewal; next: send proposal; follow up Friday`.\n"
    "Type `/account help` or `/logcall help` for everything else."
)


def call_logged(call: Call, tz: str) -> dict:
    """The confirmation of a logged call, with an Undo button only its author can use and
    an Edit button for its author, the account's owner and Rapport admins."""
    notes = escape_clipped(call.notes, NOTES_SHOWN)
    summary = _("Logged a call with *{account}* on {date}.").format(
        account=isolate(escape(call.account.name)), date=date_token(call.occurred_at, tz)
    )
    details = [f"> {line}" for line in notes.splitlines() if line.strip()]
    if call.contacts:
        details.insert(0, _("*With:* {names}").format(names=attendee_names(call.contacts)))
    if call.next_step:
        details.append(
            _("*Next step:* {step}").format(step=isolate(escape(first_line(call.next_step))))
        )
    if call.follow_up_on:
        details.append(_("*Follow up:* {day}").format(day=day(call.follow_up_on)))
    if call.private:
        details.append(_("_Private note: never shown in digests._"))
    # Translators: a button, at most 75 characters.
    undo_button = ButtonElement(text=_("Undo"), action_id=ids.UNDO_CALL, value=str(call.id))
    # Translators: a button, at most 75 characters.
    edit_button = ButtonElement(text=_("Edit"), action_id=ids.EDIT_CALL, value=str(call.id))
    return {
        "text": _("Logged a call with {account}.").format(account=isolate(call.account.name)),
        "blocks": [
            section(summary),
            section("\n".join(details)),
            ActionsBlock(elements=[undo_button, edit_button]).to_dict(),
        ],
    }


def call_undone(call: Call) -> dict:
    return text_message(
        _("Removed the call with *{account}*.").format(account=isolate(escape(call.account.name)))
    )


def call_kept(call: Call) -> dict:
    """Said when a call is stored but Slack did not take its confirmation: it needs no
    sending again."""
    return text_message(
        _(
            "Your call with *{account}* is stored, but Slack did not show its confirmation. "
            "No need to send it again."
        ).format(account=isolate(escape(call.account.name)))
    )


def dm_help() -> dict:
    """The answer to a DM that is not `log ...`."""
    return text_message(_(DM_HELP))


def call_modal(
    *,
    when: str = "now",
    notes: str = "",
    from_home: bool = False,
    edit: Call | None = None,
    account: Account | None = None,
) -> dict:
    """The log-call modal, its "when" and notes filled in when given; `from_home` when
    opened from the Home tab, which then shows the call at once. With `edit`, the modal
    edits that call (its account and attendees loaded), filled with what it holds. With
    `account` (a follow-up's "Log the call"), that account is picked already."""
    blocks = [
        account_picker(ids.CALL_ACCOUNT),
        InputBlock(
            block_id=ids.CALL_CONTACTS,
            # Translators: a modal field's label: who of the client's side was on the call.
            label=_("With"),
            optional=True,
            # Translators: under a modal field, at most 150 characters.
            hint=_("The account's contacts on the call; add them with /account contact add."),
            element=ExternalDataMultiSelectElement(
                action_id=ids.CALL_CONTACTS,
                # Translators: at most 150 characters (a placeholder).
                placeholder=_("Pick the account, then who was on the call"),
                min_query_length=0,
                initial_options=contact_options(edit.contacts) if edit and edit.contacts else None,
            ),
        ),
        text_input(
            ids.CALL_WHEN,
            _("When"),
            # Translators: the examples are phrases a person types for when a call was.
            hint=_("In your timezone, e.g. “yesterday 3pm” or “2 hours ago”."),
            initial_value=when,
            max_length=100,
        ),
        text_input(
            ids.CALL_NOTES,
            _("What was said"),
            multiline=True,
            initial_value=notes[:NOTES_MAX] or None,
            max_length=NOTES_MAX,
        ),
        text_input(ids.CALL_NEXT_STEP, _("Next step"), optional=True, max_length=500),
        InputBlock(
            block_id=ids.CALL_FOLLOW_UP,
            label=_("Follow up on"),
            optional=True,
            element=DatePickerElement(action_id=ids.CALL_FOLLOW_UP),
        ),
        InputBlock(
            block_id=ids.CALL_PRIVATE,
            label=_("Privacy"),
            optional=True,
            element=CheckboxesElement(
                action_id=ids.CALL_PRIVATE,
                options=[
                    Option(
                        value="private",
                        # Translators: a checkbox, at most 75 characters.
                        text=_("Private note"),
                        # Translators: under the checkbox, at most 75 characters.
                        description=_("Never shown in channel digests."),
                    )
                ],
            ),
        ),
    ]
    if account is not None:
        blocks[0].element.initial_option = Option(value=str(account.id), text=account.name[:75])
    if edit is not None:
        return _edit_modal(blocks, edit, when)
    return modal(
        callback_id=ids.LOG_CALL_VIEW,
        # Translators: at most 24 characters (a modal title).
        title=_("Log a client call"),
        # Translators: at most 24 characters (a modal's submit button).
        submit=_("Log call"),
        blocks=blocks,
        metadata={"from_home": True} if from_home else None,
    )


def _edit_modal(blocks: list, call: Call, when: str) -> dict:
    """The log-call modal's `blocks` filled with what `call` holds, to edit it. Notes
    longer than a modal's field (a `/logcall` takes more) are left out and kept."""
    notes_kept = len(call.notes) > NOTES_MAX
    filled = []
    for block in blocks:
        element = block.element
        if block.block_id == ids.CALL_ACCOUNT:
            element.initial_option = Option(value=str(call.account.id), text=call.account.name)
        elif block.block_id == ids.CALL_CONTACTS and call.contacts:
            element.initial_options = [Option(value=str(c.id), text=c.name) for c in call.contacts]
        elif block.block_id == ids.CALL_NOTES and notes_kept:
            block = section(
                _("The notes are longer than a form can hold, so they are kept as they are.")
            )
        elif block.block_id == ids.CALL_NEXT_STEP and call.next_step:
            element.initial_value = call.next_step[:NOTES_MAX]
            element.max_length = max(element.max_length, min(len(call.next_step), NOTES_MAX))
        elif block.block_id == ids.CALL_FOLLOW_UP and call.follow_up_on:
            element.initial_date = call.follow_up_on.isoformat()
        elif block.block_id == ids.CALL_PRIVATE and call.private:
            element.initial_options = [element.options[0]]
        filled.append(block)
    return modal(
        callback_id=ids.EDIT_CALL_VIEW,
        # Translators: at most 24 characters (a modal title).
        title=_("Edit the call"),
        # Translators: at most 24 characters (a modal's submit button).
        submit=_("Save"),
        blocks=filled,
        metadata={
            "call_id": call.id,
            "when": when,
            "notes_kept": notes_kept,
            "version": version(call),
        },
    )


def version(call: Call) -> str:
    """Which version of the call an edit modal shows: a digest of what the modal holds
    (its account and attendees loaded), so any change since is seen, whenever it was."""
    held = [
        call.account_id,
        call.occurred_at.isoformat(),
        call.notes,
        call.next_step,
        call.follow_up_on and call.follow_up_on.isoformat(),
        call.private,
        sorted(contact.id for contact in call.contacts),
    ]
    return hashlib.sha256(json.dumps(held).encode()).hexdigest()[:32]


def call_edited(call: Call, changed: bool, tz: str) -> dict:
    """The editor's confirmation: the call as it now is, with its buttons."""
    if not changed:
        return text_message(
            _("Nothing changed in the call with *{account}*.").format(
                account=isolate(escape(call.account.name))
            )
        )
    message = call_logged(call, tz)
    summary = _("Updated the call with *{account}* on {date}.").format(
        account=isolate(escape(call.account.name)), date=date_token(call.occurred_at, tz)
    )
    text = _("Updated the call with {account}.").format(account=isolate(call.account.name))
    return {"text": text, "blocks": [section(summary), *message["blocks"][1:]]}


def call_edited_notice(call: Call, changes: list[AccountChange]) -> dict:
    """The DM telling an account's owner that someone else edited a call of theirs."""
    # Translators: keep `/account history {typed}` as is.
    lines = [
        _("A call on *{account}* was edited (see `/account history {typed}`):").format(
            account=isolate(escape(call.account.name)), typed=escape(call.account.name)
        ),
        *(f"• {what_changed(change)}" for change in changes),
    ]
    return lines_message(lines)


def calls_page(page: CallPage, tz: str, viewer_id: str) -> dict:
    """A page of `/account calls`: each call whole (its notes split across sections within
    Slack's limits), newest first, as many as a message holds; an "Older calls" button
    when more follow. Another person's private note is not shown."""
    name = isolate(escape(page.account.name))
    if page.period:
        header = _("*Calls with {account}*, {period}, newest first").format(
            account=name, period=page.period
        )
    else:
        header = _("*Calls with {account}*, newest first").format(account=name)
    if page.cursor.before is not None:
        header += " " + _("(older calls)")
    if not page.calls:
        return text_message(
            _("No calls with *{account}* in {period}.").format(account=name, period=page.period)
            if page.period
            else _("No calls with *{account}* yet.").format(account=name)
        )
    blocks = [section(header)]
    shown = []
    for call in page.calls:
        sections = [section(text) for text in pack(_call_texts(call, tz, viewer_id))]
        if shown and len(blocks) + 1 + len(sections) + 1 > BLOCKS_MAX:
            break
        blocks += [DividerBlock().to_dict(), *sections]
        shown.append(call)
    if page.more or len(shown) < len(page.calls):
        older = ButtonElement(
            # Translators: a button, at most 75 characters.
            text=_("Older calls"),
            action_id=ids.OLDER_CALLS,
            value=page.cursor.after(shown[-1]).value(),
        )
        blocks.append(ActionsBlock(elements=[older]).to_dict())
    return {"text": header.replace("*", ""), "blocks": blocks}


def _call_texts(call: Call, tz: str, viewer_id: str) -> list[str]:
    """A call of `/account calls`, as lines and pieces of notes of at most NOTE_PIECE."""
    head = f"{date_token(call.occurred_at, tz)}, <@{call.logged_by}>"
    if call.contacts:
        head += " " + _("with {names}").format(names=attendee_names(call.contacts))
    if call.private and call.logged_by != viewer_id:
        return [head, _("_private note_")]
    texts = [head, *_pieces(escape(call.notes))]
    if call.next_step:
        texts.append(_("*Next step:* {step}").format(step=isolate(escape(call.next_step))))
    if call.follow_up_on:
        texts.append(_("*Follow up:* {day}").format(day=day(call.follow_up_on)))
    if call.private:
        texts.append(_("_Private note: only you see it._"))
    return texts


def _pieces(escaped: str) -> list[str]:
    """Escaped text cut into pieces of at most NOTE_PIECE characters, at a line break or a
    space where there is one, never inside an entity (`&amp;`)."""
    pieces = []
    while len(escaped) > NOTE_PIECE:
        cut = max(escaped.rfind("\n", 0, NOTE_PIECE), escaped.rfind(" ", 0, NOTE_PIECE))
        if cut < NOTE_PIECE // 2:
            cut = NOTE_PIECE
        entity = escaped.rfind("&", 0, cut)
        if entity != -1 and ";" not in escaped[entity:cut]:
            cut = entity
        pieces.append(isolate(escaped[:cut]))
        escaped = escaped[cut:]
        if escaped[:1] in ("\n", " "):
            escaped = escaped[1:]
    return [*pieces, isolate(escaped)]


def search_results(found: Found, tz: str, viewer_id: str) -> dict:
    """`/account search`: the accounts named so, then the calls, best first."""
    typed = isolate(escape(" ".join(found.words)))
    if not found.calls and not found.accounts:
        return text_message(_("Nothing found for “{words}”.").format(words=typed))
    lines = [_("*Found for “{words}”*").format(words=typed)]
    if found.accounts:
        lines.append(_("*Accounts*"))
        for account in found.accounts:
            line = f"• *{isolate(escape(account.name))}*, <@{account.owner_id}>"
            if account.archived_at is not None:
                line += " " + _("(archived)")
            lines.append(line)
    if found.calls:
        lines.append(_("*Calls*, best match first"))
        for call, account in found.calls:
            name = f"*{isolate(escape(account.name))}*"
            if account.archived_at is not None:
                name += " " + _("(archived)")
            text = " ".join(f"{call.notes} {call.next_step or ''}".split())
            line = f"• {name}, {date_token(call.occurred_at, tz)}, <@{call.logged_by}>: "
            line += isolate(escape_clipped(text, FOUND_SHOWN))
            if call.private:
                line += " " + _("_(private: only you see it)_")
            lines.append(line)
    return lines_message(lines)
