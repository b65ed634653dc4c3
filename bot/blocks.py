"""Block Kit builders: pure functions from domain data to Slack message and view payloads.

Built with slack_sdk.models, which check Slack's limits when serialised.
"""

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.accounts import AccountView
from bot.mrkdwn import clip, date_token, escape, escape_clipped, first_line
from storage.models import Account, Call

SECTION_TEXT_MAX = 3000
BLOCKS_MAX = 50
NOTES_SHOWN = 500


def text_message(text: str) -> dict:
    """A plain reply: one mrkdwn section (Slack's limit cut with an ellipsis)."""
    shown = clip(text, SECTION_TEXT_MAX)
    return {"text": shown, "blocks": [_section(shown)]}


def call_logged(call: Call, tz: str) -> dict:
    """The confirmation of a logged call, with an Undo button only its author can use."""
    notes = escape_clipped(call.notes, NOTES_SHOWN)
    summary = (
        f"Logged a call with *{escape(call.account.name)}* on {date_token(call.occurred_at, tz)}."
    )
    details = [f"> {line}" for line in notes.splitlines() if line.strip()]
    if call.next_step:
        details.append(f"*Next step:* {escape(first_line(call.next_step))}")
    if call.follow_up_on:
        details.append(f"*Follow up:* {call.follow_up_on:%a %d %b %Y}")
    if call.private:
        details.append("_Private note: never shown in digests._")
    undo = ActionsBlock(
        elements=[ButtonElement(text="Undo", action_id=ids.UNDO_CALL, value=str(call.id))]
    )
    return {
        "text": f"Logged a call with {call.account.name}.",
        "blocks": [_section(summary), _section("\n".join(details)), undo.to_dict()],
    }


def call_undone(call: Call) -> dict:
    return text_message(f"Removed the call with *{escape(call.account.name)}*.")


def account_picker(block_id: str) -> InputBlock:
    """An account input with type-ahead; handlers/calls.py serves its options."""
    return InputBlock(
        block_id=block_id,
        label="Account",
        element=ExternalDataSelectElement(
            action_id=ids.CALL_ACCOUNT, placeholder="Type to search", min_query_length=0
        ),
    )


def call_modal(*, when: str = "now", notes: str = "", metadata: dict | None = None) -> dict:
    """The log-call modal; `metadata` (e.g. where to confirm) rides in private_metadata."""
    blocks = [
        account_picker(ids.CALL_ACCOUNT),
        InputBlock(
            block_id=ids.CALL_WHEN,
            label="When",
            hint="In your timezone, e.g. “yesterday 3pm” or “2 hours ago”.",
            element=PlainTextInputElement(
                action_id=ids.CALL_WHEN, initial_value=when, max_length=100
            ),
        ),
        InputBlock(
            block_id=ids.CALL_NOTES,
            label="What was said",
            element=PlainTextInputElement(
                action_id=ids.CALL_NOTES,
                multiline=True,
                initial_value=notes[:3000] or None,
                max_length=3000,
            ),
        ),
        InputBlock(
            block_id=ids.CALL_NEXT_STEP,
            label="Next step",
            optional=True,
            element=PlainTextInputElement(action_id=ids.CALL_NEXT_STEP, max_length=500),
        ),
        InputBlock(
            block_id=ids.CALL_FOLLOW_UP,
            label="Follow up on",
            optional=True,
            element=DatePickerElement(action_id=ids.CALL_FOLLOW_UP),
        ),
        InputBlock(
            block_id=ids.CALL_PRIVATE,
            label="Privacy",
            optional=True,
            element=CheckboxesElement(
                action_id=ids.CALL_PRIVATE,
                options=[
                    Option(
                        value="private",
                        text="Private note",
                        description="Never shown in channel digests.",
                    )
                ],
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=ids.LOG_CALL_VIEW,
        title="Log a client call",
        submit="Log call",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(metadata or {}),
    )
    return view.to_dict()


def account_options(accounts: list[Account]) -> list[dict]:
    """Options for the account picker's type-ahead (Slack shows at most 100)."""
    return [Option(value=str(a.id), text=a.name[:75]).to_dict() for a in accounts[:100]]


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
        "renewal": f"Renewal: {a.renewal_on:%a %d %b %Y}" if a.renewal_on else "Renewal: not set",
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


def lines_message(lines: list[str]) -> dict:
    """Lines packed into as few sections as Slack's limits allow (3,000 characters a
    section, 50 blocks a message); what does not fit is counted in a last line."""
    chunks = pack(lines)
    if len(chunks) > BLOCKS_MAX:
        left_out = sum(chunk.count("\n") + 1 for chunk in chunks[BLOCKS_MAX - 1 :])
        chunks = chunks[: BLOCKS_MAX - 1] + [f"…and {left_out} more lines."]
    return {"text": lines[0].strip("*"), "blocks": [_section(chunk) for chunk in chunks]}


def pack(lines: list[str]) -> list[str]:
    """Lines joined into as few section texts of at most 3,000 characters as they fit
    (a longer line is clipped)."""
    chunks, current = [], ""
    for line in (clip(line, SECTION_TEXT_MAX) for line in lines):
        if current and len(current) + 1 + len(line) > SECTION_TEXT_MAX:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current]


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX))).to_dict()
