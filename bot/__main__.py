"""`python -m bot [serve|socket|console|migrate]`: see README.md, "Modes"."""

import argparse
import logging
import signal
import sys

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import settings as settings_module
from bot.app import create_app, make_rapport
from bot.scheduler import Scheduler
from bot.server import make_server
from bot.settings import Settings, SettingsError
from storage import migrate

MODES = ("serve", "socket", "console", "migrate")
NOT_CONFIGURED = """\
Rapport is not connected to Slack yet: no SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set.
To connect it, create the Slack app from manifest.yml, then put its tokens in .env
(copy .env.example; README.md, "Set up the Slack app", walks through it):
  Socket Mode: SLACK_BOT_TOKEN and SLACK_APP_TOKEN
  HTTP:        SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, then `python -m bot serve`
The local console (no Slack needed) is not available yet."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Rapport, a Slack app for account managers."
    )
    parser.add_argument(
        "mode",
        nargs="?",
        choices=MODES,
        help="default: socket, serve or console, from the settings",
    )
    args = parser.parse_args(argv)
    try:
        settings = settings_module.load()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        mode = args.mode or settings.default_mode
        return RUNNERS[mode](settings)
    except SettingsError as error:
        print(f"rapport: {error}", file=sys.stderr)
        return 2


def run_migrate(settings: Settings) -> int:
    _migrated(settings).engine.dispose()
    print("rapport: the database is at the newest migration")
    return 0


def run_serve(settings: Settings) -> int:
    settings.require("slack_bot_token", "slack_signing_secret")
    rapport, app = _started(settings)
    server = make_server(app, rapport, port=settings.port)
    logging.getLogger(__name__).info(
        "serving POST /slack/events and GET /healthz on port %s", server.effective_port
    )
    # On SIGTERM (a deploy), stop taking requests and let those under way finish.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.run()
    return 0


def run_socket(settings: Settings) -> int:
    settings.require("slack_bot_token", "slack_app_token")
    _, app = _started(settings)
    SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def run_console(settings: Settings) -> int:
    print(NOT_CONFIGURED, file=sys.stderr)
    return 1


def _started(settings: Settings):
    """The database at the newest migration, the app, and its scheduler ticking."""
    rapport = _migrated(settings)
    app = create_app(settings, rapport=rapport)
    Scheduler(rapport, app.client, settings.digest_tick_seconds).start()
    return rapport, app


def _migrated(settings: Settings):
    rapport = make_rapport(settings)
    migrate.upgrade(rapport.engine)
    return rapport


RUNNERS = {"serve": run_serve, "socket": run_socket, "console": run_console, "migrate": run_migrate}

if __name__ == "__main__":
    sys.exit(main())
