"""The app wired as production wires it, but talking to the fake Slack: its settings, its
own Web API client, its context on a migrated database, and the scheduler's tick."""

import threading

from slack_sdk import WebClient

from bot.app import JOBS
from bot.runtime import scheduler
from bot.runtime.context import Rapport, make_rapport
from bot.runtime.settings import Settings
from bot.runtime.slack_client import configure_client
from storage import migrate
from support.workspace import SIGNING_SECRET


def settings_for(fake, database_url: str, *, secret: str = SIGNING_SECRET) -> Settings:
    """Settings for an app whose Slack is `fake` and whose database is `database_url`."""
    return Settings(
        slack_bot_token=fake.bot_token,
        slack_signing_secret=secret,
        slack_api_url=fake.url,
        database_url=database_url,
    )


def make_client(settings: Settings) -> WebClient:
    """The Web API client the app builds for itself: it waits out rate limits (Retry-After)
    and resends nothing else blindly."""
    return configure_client(WebClient(token=settings.slack_bot_token), settings)


def migrated(settings: Settings, *, clock=None) -> Rapport:
    """The app's context, on a database brought to the newest migration."""
    rapport = make_rapport(settings, clock=clock)
    migrate.upgrade(rapport.engine)
    return rapport


def tick(rapport: Rapport, client: WebClient) -> None:
    """One pass of the scheduler over the app's jobs, as each replica makes every minute."""
    scheduler.tick(rapport, client, JOBS)


def tick_together(rapports: list[Rapport], client: WebClient) -> None:
    """Every replica (a Rapport of its own on the same database) ticks at the same moment."""
    start = threading.Barrier(len(rapports))
    errors = []

    def replica(rapport):
        start.wait(timeout=10)
        try:
            tick(rapport, client)
        except Exception as error:  # surfaced below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=replica, args=(r,)) for r in rapports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
