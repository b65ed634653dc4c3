"""Helpers the tests share (to be regrouped in tests/support/)."""

from alembic import command
from slack_sdk import WebClient

from bot.app import JOBS
from bot.runtime import scheduler
from bot.runtime.slack_client import configure_client
from storage import migrate


def tick(rapport, client) -> None:
    scheduler.tick(rapport, client, JOBS)


def make_client(settings) -> WebClient:
    return configure_client(WebClient(token=settings.slack_bot_token), settings)


def downgrade(engine, revision: str) -> None:
    with migrate.locked_connection(engine) as connection:
        command.downgrade(migrate.config(connection), revision)
