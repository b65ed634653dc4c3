"""The Bolt app factory. Nothing here connects to anything at import time."""

from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

import handlers
from bot.clock import Clock, SystemClock
from bot.services import Rapport
from bot.settings import Settings
from handlers.errors import handle_error
from storage.db import make_engine, make_read_sessions, make_sessions


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
        client=client or make_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        listener_executor=executor,
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
    return Rapport(
        settings, engine, make_sessions(engine), make_read_sessions(engine), clock or SystemClock()
    )


def make_client(settings: Settings) -> WebClient:
    """A Web API client that waits out rate limits (Retry-After) and retries nothing else blindly."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client
