"""Requests as Slack sends them to an app, signed as Slack signs them (the local console,
and the tests).

    body = slash_command("/logcall", "acme", response_url=reply_url)
    headers = signed_headers(SIGNING_SECRET, body)
    app.dispatch(BoltRequest(body=body, headers=headers))

Payload shapes follow Slack's documented interaction, slash command and
Events API payloads. Standard library only.
"""

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

TEAM_ID = "T0001"
USER_ID = "U0001"
CHANNEL_ID = "C0001"
API_APP_ID = "A0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
TEAM_DOMAIN = "rapport-test"
TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"
MESSAGE_TS = "1700000000.000100"
VIEW_ID = "V0001"
# The deprecated verification token Slack still includes in payloads.
VERIFICATION_TOKEN = "fake-verification-token"


def signed_headers(secret: str, body: str, *, timestamp: int, content_type: str) -> dict:
    """Headers for `body` sent at `timestamp` (Unix seconds) with Slack's v0 signature
    (HMAC-SHA256 of "v0:<timestamp>:<body>")."""
    base = f"v0:{timestamp}:{body}".encode()
    signature = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={signature}",
    }


def slash_command(
    command: str,
    text: str = "",
    *,
    user_id=USER_ID,
    team_id=TEAM_ID,
    channel_id=CHANNEL_ID,
    channel_name="general",
    response_url: str,
) -> str:
    """A slash command's form-urlencoded body."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": _username(user_id),
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": TRIGGER_ID,
        }
    )


def block_actions(
    *,
    action_id,
    value=None,
    user_id=USER_ID,
    team_id=TEAM_ID,
    channel_id=CHANNEL_ID,
    response_url=None,
    message=None,
) -> str:
    """A click on a button in `message`, by default a plain message posted by the bot."""
    message = message or _bot_message()
    payload = {
        "type": "block_actions",
        **envelope(user_id, team_id),
        "trigger_id": TRIGGER_ID,
        "actions": [button(action_id, value)],
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "channel": {"id": channel_id, "name": "general"},
        "message": message,
        "state": {"values": {}},
    }
    if response_url is not None:
        payload["response_url"] = response_url
    return form_payload(payload)


def button(action_id: str, value: str | None = None) -> dict:
    """A pressed button as a block_actions payload lists it."""
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": "b",
        "action_ts": now_ts(),
        "text": {"type": "plain_text", "text": "Button", "emoji": True},
    }
    if value is not None:
        action["value"] = value
    return action


def view_submission(
    *,
    callback_id,
    values: dict,
    user_id=USER_ID,
    team_id=TEAM_ID,
    private_metadata="",
    blocks: list | None = None,
) -> str:
    """A modal's submission; `values` as in view.state.values: {block_id: {action_id: {...}}},
    and the modal's `blocks` when given."""
    view = modal_view(
        team_id=team_id, callback_id=callback_id, private_metadata=private_metadata, values=values
    )
    if blocks is not None:
        view["blocks"] = blocks
    payload = {
        "type": "view_submission",
        **envelope(user_id, team_id),
        "trigger_id": TRIGGER_ID,
        "view": view,
        "response_urls": [],
    }
    return form_payload(payload)


def block_suggestion(
    *, action_id, block_id, value, view: dict, user_id=USER_ID, team_id=TEAM_ID
) -> str:
    """A request for an external select's options in the modal `view` (its state.values
    holding what is chosen so far), after the user typed `value`."""
    payload = {
        "type": "block_suggestion",
        **envelope(user_id, team_id),
        "container": {"type": "view", "view_id": view.get("id", VIEW_ID)},
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "view": view,
    }
    return form_payload(payload)


def direct_message(text: str, *, user_id=USER_ID, channel="D0001") -> dict:
    """A `message` event as Slack sends it for a DM to the bot (the inner event)."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user_id,
        "text": text,
        "ts": MESSAGE_TS,
    }


def event_callback(
    event: dict,
    *,
    event_id="Ev0001",
    team_id=TEAM_ID,
) -> str:
    """An Events API delivery of `event`; a JSON body (send it as application/json)."""
    payload = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(payload)


def modal_view(*, team_id=TEAM_ID, callback_id="", private_metadata="", values=None) -> dict:
    """A modal as Slack includes it in interaction payloads."""
    return {
        "id": VIEW_ID,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values or {}},
        "hash": "1700000000.abcdef01",
        "title": {"type": "plain_text", "text": "Rapport", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Save", "emoji": True},
        "previous_view_id": None,
        "root_view_id": VIEW_ID,
        "app_id": API_APP_ID,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }


def envelope(user_id: str, team_id: str) -> dict:
    """Fields every interaction payload carries."""
    return {
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {
            "id": user_id,
            "username": _username(user_id),
            "name": _username(user_id),
            "team_id": team_id,
        },
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _bot_message() -> dict:
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "ts": MESSAGE_TS,
        "text": "",
        "blocks": [],
    }


def form_payload(payload: dict) -> str:
    """Interaction payloads arrive as a form field `payload` holding JSON."""
    return urlencode({"payload": json.dumps(payload)})


def _username(user_id: str) -> str:
    return f"user_{user_id.lower()}"


def now_ts() -> str:
    return f"{time.time():.6f}"
