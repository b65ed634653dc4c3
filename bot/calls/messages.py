"""Block Kit for calls: the confirmation with its Undo button, and the log-call modal."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
)

from bot.accounts.messages import account_picker
from bot.blocks import modal, section, text_input, text_message
from bot.calls import ids
from bot.mrkdwn import date_token, day, escape, escape_clipped, first_line
from storage.models import Call

NOTES_SHOWN = 500
NOTES_MAX = 3000  # what the modal takes; /logcall takes more (bot/calls/logcall.py)
DM_HELP = (
    "Hi! I keep your client accounts. To log a call, write\n"
    "`log Acme yesterday 3pm: discussed renewal`\n"
    "(no time means now; times are read in your Slack timezone).\n"
    "Type `/account help` or `/logcall help` for everything else."
)


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
        details.append(f"*Follow up:* {day(call.follow_up_on)}")
    if call.private:
        details.append("_Private note: never shown in digests._")
    undo = ActionsBlock(
        elements=[ButtonElement(text="Undo", action_id=ids.UNDO_CALL, value=str(call.id))]
    )
    return {
        "text": f"Logged a call with {call.account.name}.",
        "blocks": [section(summary), section("\n".join(details)), undo.to_dict()],
    }


def call_undone(call: Call) -> dict:
    return text_message(f"Removed the call with *{escape(call.account.name)}*.")


def dm_help() -> dict:
    """The answer to a DM that is not `log ...`."""
    return text_message(DM_HELP)


def call_modal(*, when: str = "now", notes: str = "", from_home: bool = False) -> dict:
    """The log-call modal, its "when" and notes filled in when given; `from_home` when
    opened from the Home tab, which then shows the call at once."""
    blocks = [
        account_picker(ids.CALL_ACCOUNT),
        text_input(
            ids.CALL_WHEN,
            "When",
            hint="In your timezone, e.g. “yesterday 3pm” or “2 hours ago”.",
            initial_value=when,
            max_length=100,
        ),
        text_input(
            ids.CALL_NOTES,
            "What was said",
            multiline=True,
            initial_value=notes[:NOTES_MAX] or None,
            max_length=NOTES_MAX,
        ),
        text_input(ids.CALL_NEXT_STEP, "Next step", optional=True, max_length=500),
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
    return modal(
        callback_id=ids.LOG_CALL_VIEW,
        title="Log a client call",
        submit="Log call",
        blocks=blocks,
        metadata={"from_home": True} if from_home else None,
    )
