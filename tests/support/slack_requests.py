"""Requests as Slack sends them, signed as Slack signs them: bot/runtime/slack_requests.py
(which the local console uses too) with what only the tests vary (a request's time, a
retry, a DM's ts and client_msg_id, a button in a view), the kinds only the tests send,
and two ways to send one: over HTTP (post), or straight to a Bolt app (dispatch)."""

import time
import urllib.error
import urllib.request

from slack_bolt import BoltRequest, BoltResponse

from bot.runtime import slack_requests as shipped
from bot.runtime.slack_requests import *  # noqa: F403
from bot.runtime.slack_requests import (
    CHANNEL_ID,
    MESSAGE_TS,
    TEAM_ID,
    TRIGGER_ID,
    USER_ID,
    VIEW_ID,
    button,
    envelope,
    form_payload,
    modal_view,
    now_ts,
)

# Port 9 (discard) refuses connections: an app that responds to a payload
# built without a test's response_url fails fast instead of reaching out.
UNROUTED_RESPONSE_URL = "http://127.0.0.1:9/response_url/unset"


def signed_headers(
    secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    content_type="application/x-www-form-urlencoded",
    retry_num: int | None = None,
) -> dict:
    """Signed headers as Slack sends them now (or at `timestamp`), and for its retry
    number `retry_num` when given."""
    headers = shipped.signed_headers(
        secret,
        body,
        timestamp=int(time.time()) if timestamp is None else timestamp,
        content_type=content_type,
    )
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def direct_message(text: str, *, ts=MESSAGE_TS, client_msg_id=None, **fields) -> dict:
    """A DM to the bot (the inner event), sent at `ts`, with Slack's client_msg_id if given."""
    event = {**shipped.direct_message(text, **fields), "ts": ts}
    if client_msg_id:
        event["client_msg_id"] = client_msg_id
    return event


def block_actions(*, view=None, **fields) -> str:
    """A button pressed in a message, or, when `view` is given, in that view (a modal or
    the Home tab)."""
    if view is None:
        return shipped.block_actions(**fields)
    payload = {
        "type": "block_actions",
        **envelope(fields.get("user_id", USER_ID), fields.get("team_id", TEAM_ID)),
        "trigger_id": TRIGGER_ID,
        "actions": [button(fields["action_id"], fields.get("value"))],
        "container": {"type": "view", "view_id": view["id"]},
        "view": view,
        "state": view.get("state", {"values": {}}),
    }
    if fields.get("response_url") is not None:
        payload["response_url"] = fields["response_url"]
    return form_payload(payload)


def block_suggestion(
    *, action_id, value, user_id=USER_ID, team_id=TEAM_ID, block_id="account", values=None
) -> str:
    """A request for the options of an external select in a modal, after the user typed
    `value`; the modal's state.values as `values` (what is chosen in its other inputs)."""
    payload = {
        "type": "block_suggestion",
        **envelope(user_id, team_id),
        "container": {"type": "view", "view_id": VIEW_ID},
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "view": modal_view(team_id=team_id, values=values),
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
) -> str:
    """A message shortcut used on `message` (a message object with at least "ts")."""
    payload = {
        "type": "message_action",
        **envelope(user_id, team_id),
        "callback_id": callback_id,
        "trigger_id": TRIGGER_ID,
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
