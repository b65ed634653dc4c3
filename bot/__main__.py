"""`python -m bot [serve|socket|console|migrate]`: see README.md, "Modes"."""

import argparse
import logging
import signal
import sys
from concurrent.futures import ThreadPoolExecutor

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import JOBS, create_app
from bot.runtime import console
from bot.runtime import settings as settings_module
from bot.runtime.context import make_rapport
from bot.runtime.scheduler import Scheduler
from bot.runtime.server import make_server
from bot.runtime.settings import Settings, SettingsError
from storage import migrate

MODES = ("serve", "socket", "console", "migrate")
# Bolt runs each listener whole on this pool, its Slack calls after the ack included (a Home
# tab refresh takes Slack 100-300 ms): with Bolt's default of 5 threads, acks queued behind
# them and /logcall topped out near 25 a second.
LISTENER_THREADS = 64


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Rapport, a Slack app for account managers."
    )
    parser.add_argument(
        "--demo", action="store_true", help="console: start with a realistic sample team"
    )
    parser.add_argument(
        "mode",
        nargs="?",
        choices=MODES,
        help="default: socket, serve or console, from the settings",
    )
    args = parser.parse_args()
    try:
        settings = settings_module.load()
        mode = args.mode or settings.default_mode
        # The console's output is the conversation: only warnings and errors join it.
        logging.basicConfig(
            level="WARNING" if mode == "console" else settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        if mode == "console":
            return console.run(settings, create_app=create_app, jobs=JOBS, demo=args.demo)
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


def _started(settings: Settings):
    """The database at the newest migration, the app, and its scheduler ticking."""
    rapport = _migrated(settings)
    listeners = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    app = create_app(settings, rapport=rapport, executor=listeners)
    Scheduler(rapport, app.client, settings.digest_tick_seconds, JOBS).start()
    return rapport, app


def _migrated(settings: Settings):
    rapport = make_rapport(settings)
    migrate.upgrade(rapport.engine)
    return rapport


RUNNERS = {"serve": run_serve, "socket": run_socket, "migrate": run_migrate}

if __name__ == "__main__":
    sys.exit(main())
