"""Requests as Slack sends them, signed as Slack signs them: bot/runtime/slack_requests.py
(which the local console uses too), the kinds only the tests send, and two ways to send
one: over HTTP (post), or straight to a Bolt app (dispatch)."""

import urllib.error
import urllib.request

from slack_bolt import BoltRequest, BoltResponse

from bot.runtime.slack_requests import *  # noqa: F403
from bot.runtime.slack_requests import (
    CHANNEL_ID,
    TEAM_ID,
    TRIGGER_ID,
    USER_ID,
    envelope,
    form_payload,
    modal_view,
    now_ts,
    signed_headers,
)

# Port 9 (discard) refuses connections: an app that responds to a payload
# built without a test's response_url fails fast instead of reaching out.
UNROUTED_RESPONSE_URL = "http://127.0.0.1:9/response_url/unset"


def block_suggestion(
    *,
    action_id,
    value,
    user_id=USER_ID,
    team_id=TEAM_ID,
    block_id="account",
    view_id="V0001",
) -> str:
    """A request for the options of an external select in a modal, after the user typed `value`."""
    payload = {
        "type": "block_suggestion",
        **envelope(user_id, team_id),
        "container": {"type": "view", "view_id": view_id},
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "view": modal_view(view_id=view_id, team_id=team_id),
    }
    return form_payload(payload)


def message_shortcut(
    *,
    callback_id,
    message: dict,
    user_id=USER_ID,
    team_id=TEAM_ID,
    channel_id=CHANNEL_ID,
    response_url=UNROUTED_RESPONSE_URL,
    trigger_id=TRIGGER_ID,
) -> str:
    """A message shortcut used on `message` (a message object with at least "ts")."""
    payload = {
        "type": "message_action",
        **envelope(user_id, team_id),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "action_ts": now_ts(),
        "channel": {"id": channel_id, "name": "general"},
        "message_ts": message["ts"],
        "message": message,
        "response_url": response_url,
    }
    return form_payload(payload)


def post(url: str, body: str, headers: dict, timeout=10) -> tuple[int, dict, str]:
    """POST `body` to `url`: (status, headers with lowercase names, body text), also for 4xx/5xx."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _lower(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _lower(error.headers), error.read().decode()


def dispatch(
    app, body: str, *, secret: str, content_type="application/x-www-form-urlencoded"
) -> BoltResponse:
    """`body`, signed with `secret`, handed to the Bolt `app` in this thread; its answer."""
    headers = signed_headers(secret, body, content_type=content_type)
    return app.dispatch(BoltRequest(body=body, headers=headers))


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}
