"""Block Kit builders for grade prompts and their answers."""

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import grading, ids
from bot.mrkdwn import clip, escape
from storage.models import Grade, GradeRequest

# Two rows of buttons read better than one of thirteen: the A and B grades, then the rest.
ROWS = (grading.SCALE[:6], grading.SCALE[6:])


def prompt(request: GradeRequest) -> dict:
    """The DM asking for a grade: account, question, and a button per grade."""
    account = escape(request.account.name)
    rows = [
        ActionsBlock(
            block_id=f"grades_{n}",
            elements=[
                ButtonElement(
                    text=label,
                    action_id=ids.GRADE_BUTTON_PREFIX + label,
                    value=f"{request.id}:{label}",
                )
                for label in row
            ],
        ).to_dict()
        for n, row in enumerate(ROWS)
    ]
    return {
        "text": f"<@{request.asked_by}> asks for your grade on {request.account.name}.",
        "blocks": [
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"<@{request.asked_by}> would like your grade on *{account}*:\n"
                    f"> {escape(request.question)}"
                )
            ).to_dict(),
            *rows,
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="A+ is the best, F the worst. You'll be asked why: that's what helps most."
                    )
                ]
            ).to_dict(),
        ],
    }


def answered(grade: Grade) -> dict:
    """The prompt once answered: the recorded grade and a thank-you, no buttons."""
    text = (
        f"You gave *{escape(grade.account.name)}* a *{grade.grade}*: "
        f"“{escape(clip(grade.reason, 2500))}”\nThank you!"
    )
    return {
        "text": f"You gave {grade.account.name} a {grade.grade}. Thank you!",
        "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()],
    }


def reason_modal(request: GradeRequest, grade: str, *, channel_id: str, message_ts: str) -> dict:
    """Asked after a grade button: why? (required). Where the prompt is rides along."""
    metadata = {"request_id": request.id, "grade": grade, "channel": channel_id, "ts": message_ts}
    return View(
        type="modal",
        callback_id=ids.GRADE_REASON_VIEW,
        title=f"Your grade: {grade}",
        submit="Send grade",
        close="Cancel",
        private_metadata=json.dumps(metadata),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{escape(request.account.name)}*: {escape(request.question)}"
                )
            ),
            InputBlock(
                block_id=ids.GRADE_REASON,
                label=f"Why {grade}?",
                element=PlainTextInputElement(
                    action_id=ids.GRADE_REASON, multiline=True, max_length=3000
                ),
            ),
        ],
    ).to_dict()
