"""What people are shown: a message's text and blocks, the messages the app posted to a
channel, the buttons on a message, and Slack's date tokens."""

import json
from datetime import datetime

from support.workspace import DIGEST_CHANNEL


def visible(message: dict) -> str:
    """Everything a message shows: its text and its blocks, as one string."""
    return "\n".join(
        [message.get("text", ""), json.dumps(message.get("blocks", []), ensure_ascii=False)]
    )


def reported(slack, text: str, *, user_id: str = "U0001") -> str:
    """What `/account <text>` (a report or an export) shows once its file is sent, after
    "Building your report of …", which is checked."""
    seen = len(slack.fake.calls_to("response_url"))
    assert "Building your report of" in visible(slack.ask("/account", text, user_id=user_id))
    return visible(slack.fake.wait_for("response_url", seen + 2)[-1].args)


def posted_to(fake, channel: str) -> list[dict]:
    """The messages the app posted to `channel` (a channel, or a user's DM), oldest first."""
    return [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == channel]


def posts_to_channel(fake) -> list[dict]:
    """The messages posted to the digest channel: digests and their threads."""
    return posted_to(fake, DIGEST_CHANNEL)


def section_texts(message: dict) -> list[str]:
    """The text of each section block of a message or view."""
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def actions(message: dict) -> list[dict]:
    """The actions blocks of a message or view (the rows of buttons)."""
    return [block for block in message["blocks"] if block["type"] == "actions"]


def buttons(message: dict) -> list[dict]:
    """The elements of every actions block of a message, in order."""
    return [element for block in actions(message) for element in block["elements"]]


def token_for(moment: datetime) -> str:
    """How the date token showing `moment` starts, as calls and accounts show it."""
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|"
