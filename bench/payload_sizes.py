"""How large a body Slack sends Rapport at most, to choose `serve`'s limit
(bot/runtime/server.py, MAX_BODY_BYTES): larger ones are refused before they are read.

Built the way Slack sends them (tests/support/slack_requests.py), at Slack's own limits:

  modal     a view submission of a modal with `inputs` multiline plain-text inputs, each
            holding 3,000 characters (plain_text_input's largest max_length), the modal's
            blocks included as Slack echoes them: a form field `payload` of JSON;
  message   a DM event of 40,000 characters (where Slack truncates a message's text) with
            the rich_text block Slack adds beside the text: a JSON body.

Each in three kinds of text: ASCII; accented Latin ("é", two UTF-8 bytes); emoji (four),
every character JSON-escaped (json.dumps's default, the larger of the two ways Slack may
encode it) and, for the form, percent-encoded on top.

    .venv/bin/python bench/payload_sizes.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.runtime.server import MAX_BODY_BYTES  # noqa: E402
from support import slack_requests  # noqa: E402

INPUT_CHARS = 3000
MESSAGE_CHARS = 40_000
TEXTS = {"ASCII": "a", "accented": "é", "emoji": "\U0001f600"}
INPUTS = (1, 5, 10, 20)


def modal(inputs: int, char: str) -> str:
    blocks = [
        {
            "type": "input",
            "block_id": f"b{i}",
            "label": {"type": "plain_text", "text": f"Field {i}"},
            "element": {
                "type": "plain_text_input",
                "action_id": f"a{i}",
                "multiline": True,
                "max_length": INPUT_CHARS,
            },
        }
        for i in range(inputs)
    ]
    values = {
        f"b{i}": {f"a{i}": {"type": "plain_text_input", "value": char * INPUT_CHARS}}
        for i in range(inputs)
    }
    view = {**slack_requests.modal_view(callback_id="big", values=values), "blocks": blocks}
    payload = {
        "type": "view_submission",
        **slack_requests.envelope(slack_requests.USER_ID, slack_requests.TEAM_ID),
        "trigger_id": slack_requests.TRIGGER_ID,
        "view": view,
        "response_urls": [],
    }
    return slack_requests.form_payload(payload)


def message(char: str) -> str:
    text = char * MESSAGE_CHARS
    event = slack_requests.direct_message(text)
    event["blocks"] = [
        {
            "type": "rich_text",
            "block_id": "r",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]
    return slack_requests.event_callback(event)


def main() -> int:
    print(f"limit: {MAX_BODY_BYTES:,} bytes")
    print(f"{'body':<34}" + "".join(f"{kind:>12}" for kind in TEXTS))
    rows = [(f"modal, {n} x {INPUT_CHARS:,} chars", lambda c, n=n: modal(n, c)) for n in INPUTS]
    rows.append((f"DM event, {MESSAGE_CHARS:,} chars", message))
    for name, build in rows:
        sizes = [len(build(char).encode()) for char in TEXTS.values()]
        print(f"{name:<34}" + "".join(f"{size:>12,}" for size in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
