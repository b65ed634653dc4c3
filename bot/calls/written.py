"""A Slack message as the person wrote it, for a call's notes: Slack sends `&`, `<` and `>`
escaped and mentions, channels and links as markup (`<@U123>`, `<#C123|general>`,
`<https://x|label>`, `<!here>`); a message may hold no text at all, only rich text
blocks, attachments or files.

    written(rapport, client, team_id="T1", message={"text": "Q&amp;A with <@U2>"})
    -> "Q&A with @dana"
"""

import re
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.errors import unless_slack_fails
from bot.i18n import _
from bot.mrkdwn import unescape
from bot.runtime.context import Rapport

# Slack's markup in message text: <@U123>, <@U123|name>, <#C123|general>, <!here>,
# <!subteam^S123|@team>, <!date^1700000000^{date}|fallback>, <https://x|label>, <mailto:..>.
MARKUP = re.compile(r"<([^<>\n]*)>")
# How many people and channels one message may send us asking Slack for names; the rest
# are shown by their ids (a modal's trigger_id lasts 3 seconds).
LOOKUPS_MAX = 10
# Special mentions (<!here>) and the words a person typed for them.
SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
LIST_BULLET = "•"


def written(rapport: Rapport, client: WebClient, *, team_id: str, message: dict) -> str:
    """What `message` (a message event, or the message of a shortcut) says, as plain text
    a person would have typed: its text with Slack's escaping and markup undone; without
    text, its rich text blocks or its attachments' text; and the names of its files."""
    names = _Names(rapport, client, team_id)
    text = _string(message.get("text"))
    body = (
        readable(text, names)
        if text.strip()
        else _rich_text(message.get("blocks"), names) or _attachments(message.get("attachments"))
    )
    files = [
        _string(file.get("name")) or _string(file.get("title"))
        for file in message.get("files") or []
        if isinstance(file, dict)
    ]
    if any(files):
        # Translators: a line added to a call's notes; {names} are the names of files.
        attached = _("Attached: {names}").format(names=", ".join(filter(None, files)))
        body = f"{body}\n{attached}" if body.strip() else attached
    return body.strip()


def readable(text: str, names: Callable[[str, str], str | None]) -> str:
    """`text` as Slack sends it (escaped, with markup), as the person typed it; `names(kind,
    id)` gives a person's ("user") or channel's ("channel") name, or None."""
    parts, end = [], 0
    for found in MARKUP.finditer(text):
        parts.append(unescape(text[end : found.start()]))
        parts.append(_markup(found.group(1), names))
        end = found.end()
    parts.append(unescape(text[end:]))
    return "".join(parts)


def _markup(inside: str, names: Callable[[str, str], str | None]) -> str:
    """What `<inside>` shows in Slack."""
    target, _bar, label = inside.partition("|")
    label = unescape(label)
    if target.startswith("@"):
        return "@" + (label or names("user", target[1:]) or target[1:])
    if target.startswith("#"):
        return "#" + (label or names("channel", target[1:]) or target[1:])
    if target.startswith("!"):
        word = target[1:].split("^", 1)[0]
        if word in SPECIAL:
            return SPECIAL[word]
        if label:  # a date's fallback, a user group's @handle
            return label
        return "@" + word
    url = unescape(target)
    if not label or label == url or label == url.split(":", 1)[-1].lstrip("/"):
        return label or url
    return f"{label} ({url})"


def _rich_text(blocks, names: Callable[[str, str], str | None]) -> str:
    """The text of a message's rich_text blocks (what Slack's composer sends): sections,
    lists, quotes and code, each on lines of its own."""
    lines = []
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "rich_text":
            elements = block.get("elements") if isinstance(block.get("elements"), list) else []
            lines += [_part(e, names) for e in elements if isinstance(e, dict)]
    return "\n".join(line.strip("\n") for line in lines if line.strip())


def _part(part: dict, names: Callable[[str, str], str | None]) -> str:
    """One part of a rich_text block: a section or code (its leaves), a list, a quote."""
    leaves = part.get("elements") if isinstance(part.get("elements"), list) else []
    kind = part.get("type")
    if kind == "rich_text_list":
        indent = "  " * (part.get("indent") if isinstance(part.get("indent"), int) else 0)
        ordered = part.get("style") == "ordered"
        items = [_part(item, names) for item in leaves if isinstance(item, dict)]
        return "\n".join(
            f"{indent}{f'{n}.' if ordered else LIST_BULLET} {item}"
            for n, item in enumerate(items, 1)
        )
    text = "".join(_element(leaf, names) for leaf in leaves if isinstance(leaf, dict))
    if kind == "rich_text_quote":
        return "\n".join(f"> {line}" for line in text.splitlines())
    return text


def _element(element: dict, names: Callable[[str, str], str | None]) -> str:
    """One leaf of rich text: text, a link, a mention, an emoji, a date."""
    kind = element.get("type")
    if kind == "text":
        return _string(element.get("text"))
    if kind == "link":
        url, label = _string(element.get("url")), _string(element.get("text"))
        return f"{label} ({url})" if label and label != url else url
    if kind == "user":
        user_id = _string(element.get("user_id"))
        return "@" + (names("user", user_id) or user_id)
    if kind == "channel":
        channel_id = _string(element.get("channel_id"))
        return "#" + (names("channel", channel_id) or channel_id)
    if kind == "broadcast":
        return SPECIAL.get(_string(element.get("range")), "")
    if kind == "usergroup":
        return "@" + _string(element.get("usergroup_id"))
    if kind == "emoji":
        return _emoji(_string(element.get("unicode"))) or f":{_string(element.get('name'))}:"
    if kind == "date":
        return _string(element.get("fallback"))
    return _string(element.get("text"))


def _emoji(code: str) -> str:
    """An emoji's `unicode` field ("1f44d" or "1f468-200d-1f4bb") as its characters."""
    if not code:
        return ""
    try:
        return "".join(chr(int(part, 16)) for part in code.split("-"))
    except (ValueError, OverflowError):
        return ""


def _attachments(attachments) -> str:
    """The text of a message's legacy attachments (what other apps and unfurls send)."""
    lines = []
    for attachment in attachments if isinstance(attachments, list) else []:
        if not isinstance(attachment, dict):
            continue
        for key in ("pretext", "title", "text"):
            if value := _string(attachment.get(key)).strip():
                lines.append(readable(value, lambda kind, id: None))
        if not any(_string(attachment.get(k)).strip() for k in ("pretext", "title", "text")):
            if fallback := _string(attachment.get("fallback")).strip():
                lines.append(unescape(fallback))
    return "\n".join(lines)


def _string(value) -> str:
    return value if isinstance(value, str) else ""


class _Names:
    """Names of the people and channels a message mentions: remembered for a while by this
    process; asked of Slack (users.info, conversations.info) at most LOOKUPS_MAX times."""

    def __init__(self, rapport: Rapport, client: WebClient, team_id: str):
        self.rapport, self.client, self.team_id = rapport, client, team_id
        self.asked = 0

    def __call__(self, kind: str, id: str) -> str | None:
        if not id:
            return None
        key = (kind, self.team_id, id)
        if (known := self.rapport.names.get(key)) is not None:
            return known or None
        if self.asked >= LOOKUPS_MAX:
            return None
        self.asked += 1
        found = ""
        with unless_slack_fails(f"the name of {kind} {id}"):
            found = (
                people.name(self.rapport, self.client, team_id=self.team_id, user_id=id)
                if kind == "user"
                else self._channel(id)
            )
        self.rapport.names.put(key, found or "")
        return found or None

    def _channel(self, channel_id: str) -> str:
        try:
            channel = self.client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError as error:
            if error.response.status_code == 200:  # not found, not allowed: shown by id
                return ""
            raise
        return _string(channel.get("name"))
