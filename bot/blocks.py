"""Block Kit every feature uses: plain replies, lines packed within Slack's limits, the
mrkdwn section, and modals. Built with slack_sdk.models, which check Slack's limits when
serialised."""

import json

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.i18n import _, isolate, ngettext
from bot.mrkdwn import clip

SECTION_TEXT_MAX = 3000
BLOCKS_MAX = 50  # in a message; a Home tab or a modal takes 100


def text_message(text: str) -> dict:
    """A plain reply: one mrkdwn section (Slack's limit cut with an ellipsis)."""
    shown = clip(text, SECTION_TEXT_MAX)
    return {"text": shown, "blocks": [section(shown)]}


def lines_message(lines: list[str]) -> dict:
    """Lines packed into as few sections as Slack's limits allow (3,000 characters a
    section, 50 blocks a message); what does not fit is counted in a last line."""
    chunks = pack(lines)
    if len(chunks) > BLOCKS_MAX:
        left_out = sum(chunk.count("\n") + 1 for chunk in chunks[BLOCKS_MAX - 1 :])
        more = ngettext("…and {n} more line.", "…and {n} more lines.", left_out)
        chunks = chunks[: BLOCKS_MAX - 1] + [more.format(n=isolate(str(left_out)))]
    return {"text": lines[0].strip("*"), "blocks": [section(chunk) for chunk in chunks]}


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


def section(text: str) -> dict:
    """A mrkdwn section block (text past Slack's 3,000 characters is clipped)."""
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX))).to_dict()


def modal(
    *, callback_id: str, title: str, submit: str, blocks: list, metadata: dict | None = None
) -> dict:
    """A modal that Cancel closes; `metadata` (e.g. where its message is, to update it)
    rides in private_metadata as JSON."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=submit,
        # Translators: at most 24 characters (a modal's close button).
        close=_("Cancel"),
        blocks=blocks,
        private_metadata=None if metadata is None else json.dumps(metadata),
    ).to_dict()


def text_input(
    block_id: str,
    label: str,
    *,
    max_length: int,
    multiline: bool = False,
    initial_value: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    """A modal's text field; its action id is its block id, so a submission's value is
    read as values[block_id][block_id]."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(
            action_id=block_id,
            multiline=multiline,
            initial_value=initial_value,
            max_length=max_length,
        ),
    )
