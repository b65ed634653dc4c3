"""The Bolt app factory. Nothing here connects to anything at import time."""

import json
import logging
import uuid

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

import handlers
from bot import blocks
from bot.clock import Clock, SystemClock
from bot.errors import UserError
from bot.services import Rapport
from bot.settings import Settings
from storage.db import make_engine, make_sessions

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    clock: Clock | None = None,
    rapport: Rapport | None = None,
) -> App:
    """Build the Bolt app; pass `client` (a fake Web API) and `clock` in tests."""
    if rapport is None:
        rapport = make_rapport(settings, clock=clock)
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )

    @app.middleware
    def provide_rapport(context, next):
        """Hand the use cases' dependencies to listeners (no session is opened here)."""
        context["rapport"] = rapport
        return next()

    app.error(handle_error)
    handlers.register(app)
    return app


def make_rapport(settings: Settings, *, clock: Clock | None = None) -> Rapport:
    engine = make_engine(settings.database_url)
    return Rapport(settings, make_sessions(engine), clock or SystemClock())


def make_client(settings: Settings) -> WebClient:
    """A Web API client that waits out rate limits (Retry-After) and retries nothing else blindly."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def handle_error(error: Exception, body: dict, response: BoltResponse | None, respond, client: WebClient):
    """Turn a UserError into its message; log anything else with a reference the user can quote."""
    if isinstance(error, UserError):
        text = str(error)
    else:
        reference = uuid.uuid4().hex[:8]
        log.error("unhandled error, reference %s", reference, exc_info=error)
        text = f"Sorry, something went wrong on my side (reference `{reference}`). Please try again."
    if response is not None:  # not acknowledged yet: the answer is the acknowledgement
        return BoltResponse(
            status=200,
            headers={"content-type": "application/json"},
            body=json.dumps(_ack_body(body, text)),
        )
    if body.get("response_url"):
        respond(response_type="ephemeral", replace_original=False, **blocks.text_message(text))
    elif channel := body.get("event", {}).get("channel"):
        client.chat_postMessage(channel=channel, **blocks.text_message(text))
    return None


def _ack_body(body: dict, text: str) -> dict:
    """An acknowledgement that shows `text`: inline in a modal, else an ephemeral reply."""
    view = body.get("view") if body.get("type") == "view_submission" else None
    if view:
        inputs = [block["block_id"] for block in view.get("blocks", []) if block.get("type") == "input"]
        if inputs:
            return {"response_action": "errors", "errors": {inputs[0]: _clip(text, 150)}}
    return {"response_type": "ephemeral", **blocks.text_message(text)}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
