"""Payloads that are not what Slack sends: refused at the edge, told in plain words.

Every request's text loses its control characters in `drop_control_characters`; a
request missing what Slack always sends with its kind goes no further than
`refuse_incomplete`; the ids and dates that our own buttons and modals carry back are
read with the functions below, which raise a UserError when they hold something else.
"""

import json
import logging
import re
from datetime import date, datetime, timezone

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.blocks import text_message
from bot.errors import UserError
from bot.i18n import N_, _
from bot.mrkdwn import in_range

log = logging.getLogger(__name__)

STALE = N_(
    "I can't read what this button or form sent (it may be out of date): nothing was changed."
)
# Row ids are 32-bit integers (PostgreSQL's `integer`).
ID_MAX = 2**31 - 1
# What Slack always sends with each kind of request, besides the workspace and the person.
REQUIRED = {
    "command": {"channel_id": str, "response_url": str, "trigger_id": str},
    # Their `user` too: without it, Bolt takes the person from the message, our own bot.
    "block_actions": {"user.id": str, "trigger_id": str, "container": dict, "actions": list},
    "message_action": {"user.id": str, "trigger_id": str, "message": dict, "response_url": str},
    "view_submission": {"user.id": str, "view.state.values": dict},
    "event_callback": {"event.type": str},
}
# Control characters but tab and newline: C0 (NUL, BEL, ESC, the vertical tab and form feed
# that Word and PDFs paste, and CR), DEL, and C1 (U+0080 to U+009F: only text decoded with
# the wrong charset holds them, and Slack shows them as nothing or a box).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_control_characters(req: BoltRequest, next):
    """Global middleware: control characters but tab and newline are dropped from all a
    request carries, typed text included (commands, messages, modal fields, a message a
    shortcut is used on), before any listener reads it. Nobody means to type one; pasted
    text brings them. PostgreSQL refuses NUL in text, a workbook most of C0 (reports), and
    Slack sends its line breaks as newlines, so a CR is half of a pasted CRLF."""
    req.body = without_control_characters(req.body)
    return next()


def without_control_characters(value):
    """`value` (a string, or JSON-like data holding strings) without CONTROL_CHARACTERS."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, dict):
        return {key: without_control_characters(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    return value


def refuse_incomplete(body: dict, context: BoltContext, next):
    """Global middleware: a request without its workspace, its person or the fields Slack
    always sends with its kind is answered 200 (an event is not sent again) and dropped."""
    kind = "command" if "command" in body else body.get("type")
    gap = _gap(body, context, REQUIRED.get(kind))
    if gap is None:
        return next()
    if gap == "user" and kind == "event_callback" and from_an_app(body.get("event")):
        return BoltResponse(status=200, body="")  # no person wrote it: nobody to answer
    log.warning("refused a %s request without %s", kind, gap)
    if kind == "event_callback":
        return BoltResponse(status=200, body="")
    message = text_message(_refusal(gap))
    return BoltResponse(
        status=200,
        headers={"content-type": "application/json"},
        body=json.dumps({"response_type": "ephemeral", **message}),
    )


def from_an_app(event) -> bool:
    """Whether `event` is a message an app posted (a classic `bot_message`, or one with
    its bot_id): Slack sends those without a user, and that is no fault of the request."""
    return (
        isinstance(event, dict)
        and event.get("type") == "message"
        and (event.get("subtype") == "bot_message" or isinstance(event.get("bot_id"), str))
    )


def record_id(value) -> int:
    """A row id that one of our buttons or modals carries back."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if type(value) is not int or not 0 < value <= ID_MAX:
        raise stale()
    return value


def metadata(view: dict, **fields: type) -> dict:
    """The JSON object our modal put in its private_metadata, with `fields` of their types."""
    try:
        found = json.loads(view.get("private_metadata") or "")
    except ValueError:
        raise stale() from None
    if not isinstance(found, dict) or any(
        not isinstance(found.get(key), kind) for key, kind in fields.items()
    ):
        raise stale()
    return found


def message_at(body: dict) -> tuple[str, str]:
    """The channel and ts of the message whose button was clicked."""
    container = body["container"]
    channel_id, message_ts = text(container, "channel_id"), text(container, "message_ts")
    if not (channel_id and message_ts):
        raise stale()
    return channel_id, message_ts


def state(values: dict, block_id: str, action_id: str | None = None) -> dict:
    """The state of an input in a modal's state.values (its action_id is the block's id
    unless given); empty when the input was left blank."""
    block = values.get(block_id)
    element = block.get(action_id or block_id) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def text(element: dict, key: str) -> str:
    """A string in an input's state (e.g. "value"); blank when absent."""
    found = element.get(key)
    if found is None:
        return ""
    if not isinstance(found, str):
        raise stale()
    return found


def option(element: dict) -> str:
    """The value of a select's chosen option; blank when none is chosen."""
    chosen = element.get("selected_option")
    if chosen is None:
        return ""
    if not isinstance(chosen, dict):
        raise stale()
    return text(chosen, "value")


def day(element: dict) -> date | None:
    """A date picker's day; None when none is picked."""
    picked = text(element, "selected_date")
    if not picked:
        return None
    try:
        return date.fromisoformat(picked)
    except ValueError:
        raise stale() from None


def message_time(ts) -> datetime:
    """When a message was sent, from its Slack `ts` ("1700000000.000100")."""
    try:
        sent = datetime.fromtimestamp(float(ts), timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        sent = None
    if sent is None or not in_range(sent):
        raise UserError(_("I can't read when that message was sent: nothing was done."))
    return sent


def _gap(body: dict, context: BoltContext, required: dict | None) -> str | None:
    """The first thing missing from the request, or None."""
    if required is None:
        return None  # not a kind this app answers: Bolt answers 404
    if not isinstance(context.team_id, str):
        return "workspace"
    if not isinstance(context.user_id, str):
        return "user"  # every event this app answers is about a person, too
    for path, kind in required.items():
        if not isinstance(_at(body, path), kind):
            return f"`{path}`"
    if any(not isinstance(a, dict) or "action_id" not in a for a in body.get("actions", [])):
        return "`actions`"
    return None


def _refusal(gap: str) -> str:
    """What to tell the person whose request came without `gap` (see `_gap`)."""
    if gap == "workspace":
        return _(
            "Slack sent this request without its workspace, so I did nothing. Please try again."
        )
    if gap == "user":
        return _("Slack sent this request without its user, so I did nothing. Please try again.")
    # Translators: {field} is the name of a field of Slack's request, such as `trigger_id`.
    return _(
        "Slack sent this request without its {field}, so I did nothing. Please try again."
    ).format(field=gap)


def _at(body: dict, path: str):
    """The value at a dotted `path` in `body`, or None."""
    for key in path.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def stale() -> UserError:
    """The refusal of a button or form that carries what our own never hold."""
    return UserError(_(STALE))
