"""The Bolt app factory, where the app's parts meet: what it answers (handlers/) and what
it does on its own every scheduler tick (JOBS). Nothing connects at import time."""

from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

import handlers
from bot.digests import delivery
from bot.followups import due as followups
from bot.grades import cadences, reminders
from bot.recovery import plans
from bot.runtime.clock import Clock
from bot.runtime.context import Rapport, make_rapport
from bot.runtime.scheduler import Job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import configure_client, respond_or_dm

# Threads for listeners' work after their acks: most of it is waiting for Slack.
AFTER_ACK_THREADS = 16

# What every replica's scheduler does each tick (bot/runtime/scheduler.py).
JOBS: tuple[Job, ...] = (
    delivery.post_due,
    reminders.remind,
    followups.remind,
    reminders.expire,
    cadences.send_due,
    lambda rapport, client: plans.mark_overdue(rapport),
)


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    clock: Clock | None = None,
    rapport: Rapport | None = None,
    executor: Executor | None = None,
) -> App:
    """Build the Bolt app; tests pass `client` (a fake Web API) and `clock`. Listeners
    go on after their ack on `executor` (handlers/after_ack.py): `python -m bot` passes the
    pool it drains on shutdown, tests one they can wait on."""
    if rapport is None:
        rapport = make_rapport(settings, clock=clock)
    if executor is None:
        executor = ThreadPoolExecutor(AFTER_ACK_THREADS, thread_name_prefix="after-ack")
    app = App(
        # Bolt builds the client from the token (and warns when given both: it reads
        # SLACK_BOT_TOKEN from the environment itself); tests hand it theirs.
        token=None if client else settings.slack_bot_token,
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        # The response is the ack: listeners hand the rest to `executor` themselves, so
        # no request waits on Bolt polling for an ack from another thread.
        process_before_response=True,
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
    handlers.register(app, pool=executor)
    return app
