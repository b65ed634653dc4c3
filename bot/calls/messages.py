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
from bot.i18n import N_, _, isolate
from bot.mrkdwn import date_token, day, escape, escape_clipped, first_line
from storage.models import Call

NOTES_SHOWN = 500
NOTES_MAX = 3000  # what the modal takes; /logcall takes more (bot/calls/logcall.py)
# Translators: keep what is between backticks as it is: `log` and the slash commands are
# typed in English.
DM_HELP = N_(
    "Hi! I keep your client accounts. To log a call, write\n"
    "`log Acme yesterday 3pm: discussed renewal`\n"
    "(no time means now; times are read in your Slack timezone).\n"
    "Type `/account help` or `/logcall help` for everything else."
)


def call_logged(call: Call, tz: str) -> dict:
    """The confirmation of a logged call, with an Undo button only its author can use."""
    notes = escape_clipped(call.notes, NOTES_SHOWN)
    summary = _("Logged a call with *{account}* on {date}.").format(
        account=isolate(escape(call.account.name)), date=date_token(call.occurred_at, tz)
    )
    details = [f"> {line}" for line in notes.splitlines() if line.strip()]
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
    return {
        "text": _("Logged a call with {account}.").format(account=isolate(call.account.name)),
        "blocks": [
            section(summary),
            section("\n".join(details)),
            ActionsBlock(elements=[undo_button]).to_dict(),
        ],
    }


def call_undone(call: Call) -> dict:
    return text_message(
        _("Removed the call with *{account}*.").format(account=isolate(escape(call.account.name)))
    )


def dm_help() -> dict:
    """The answer to a DM that is not `log ...`."""
    return text_message(_(DM_HELP))


def call_modal(*, when: str = "now", notes: str = "", from_home: bool = False) -> dict:
    """The log-call modal, its "when" and notes filled in when given; `from_home` when
    opened from the Home tab, which then shows the call at once."""
    blocks = [
        account_picker(ids.CALL_ACCOUNT),
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
    return modal(
        callback_id=ids.LOG_CALL_VIEW,
        # Translators: at most 24 characters (a modal title).
        title=_("Log a client call"),
        # Translators: at most 24 characters (a modal's submit button).
        submit=_("Log call"),
        blocks=blocks,
        metadata={"from_home": True} if from_home else None,
    )
