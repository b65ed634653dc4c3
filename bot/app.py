"""The Bolt app factory. Nothing here connects to anything at import time."""

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from urllib.parse import urlparse

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry import default_retry_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

import handlers
from bot.clock import Clock, SystemClock
from bot.services import Rapport
from bot.settings import Settings
from handlers.errors import handle_error
from storage.db import make_engine, make_read_sessions, make_sessions

log = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 2
# Methods Slack may have acted on when the connection broke before its answer came back:
# sending them again could post, or share a file, twice.
NOT_RESENT = ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal")


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    clock: Clock | None = None,
    rapport: Rapport | None = None,
    executor: Executor | None = None,
) -> App:
    """Build the Bolt app; tests pass `client` (a fake Web API), `clock`, and an
    `executor` for the work done after acknowledgements, to wait for it."""
    if rapport is None:
        rapport = make_rapport(settings, clock=clock)
    app = App(
        # Bolt builds the client from the token (and warns when given both: it reads
        # SLACK_BOT_TOKEN from the environment itself); tests hand it theirs.
        token=None if client else settings.slack_bot_token,
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        listener_executor=executor,
    )

    @app.middleware
    def provide_rapport(context, next):
        """Hand the use cases' dependencies to listeners (no session is opened here), and
        a respond() that does not lose its message."""
        context["rapport"] = rapport
        if context.response_url:
            context["respond"] = respond_or_dm(context)
        return next()

    if client is None:
        configure_client(app.client, settings)
    app.error(handle_error)
    handlers.register(app)
    return app


def make_rapport(settings: Settings, *, clock: Clock | None = None) -> Rapport:
    engine = make_engine(settings.database_url)
    return Rapport(
        settings, engine, make_sessions(engine), make_read_sessions(engine), clock or SystemClock()
    )


def make_client(settings: Settings) -> WebClient:
    return configure_client(WebClient(token=settings.slack_bot_token), settings)


def configure_client(client: WebClient, settings: Settings) -> WebClient:
    """Point `client` at SLACK_API_URL; it waits out rate limits (Retry-After), retries a
    broken connection except for a post, and retries nothing else blindly (a 5xx may have
    been acted on)."""
    client.base_url = settings.slack_api_url
    client.retry_handlers = [
        ConnectionRetryExceptPosts(),
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    return client


class ConnectionRetryExceptPosts(ConnectionErrorRetryHandler):
    """slack_sdk's default retry of a broken connection, but never of a NOT_RESENT method."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        method = urlparse(request.url).path.rsplit("/", 1)[-1]
        return method not in NOT_RESENT and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


def respond_or_dm(context: BoltContext) -> Callable[..., None]:
    """respond() for listeners: posts to the request's response_url, waiting out a rate
    limit as the client does; when Slack still does not take it (a 5xx, an expired URL),
    the message goes to the person's DM with the app instead: a reply is never dropped
    silently (Bolt's respond() returns the failure and nobody looks at it)."""
    webhook = WebhookClient(
        context.response_url,
        retry_handlers=[
            *default_retry_handlers(),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )

    def respond(*, response_type=None, replace_original=None, **message) -> None:
        answer = webhook.send(
            response_type=response_type, replace_original=replace_original, **message
        )
        if answer.status_code != 200:
            log.warning("response_url answered %s: replying in a DM", answer.status_code)
            context.client.chat_postMessage(channel=context.user_id, **message)

    return respond
