"""`python -m bot [serve|socket|console|migrate]`: see README.md, "Modes"."""

import argparse
import contextlib
import dataclasses
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import when
from bot.app import AFTER_ACK_THREADS, JOBS, create_app
from bot.grades.web import grade_pages
from bot.imports import command as import_command
from bot.runtime import console, workers
from bot.runtime import settings as settings_module
from bot.runtime.context import make_rapport
from bot.runtime.scheduler import Scheduler
from bot.runtime.server import listening_socket, make_server
from bot.runtime.settings import Settings, SettingsError
from bot.runtime.slack_client import check_token
from storage import migrate
from storage.db import Unreachable, reachable

MODES = ("serve", "socket", "console", "migrate")


def main() -> int:
    if sys.argv[1:2] == ["import"]:  # `python -m bot import FILE --team T…`: its own arguments
        return _started_import(sys.argv[2:])
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Rapport, a Slack app for account managers. "
        "`python -m bot import FILE --team T…` imports accounts (see its --help).",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="console: start with a realistic sample team, in ./demo.db (unless --database "
        "says where; DATABASE_URL is not used), added only when that database has no accounts",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="the database to use instead of DATABASE_URL, e.g. sqlite:///try.db",
    )
    parser.add_argument(
        "--reports",
        metavar="DIR",
        type=Path,
        default=Path("reports"),
        help="console: the folder where reports and exports are saved (default: ./reports)",
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
        if args.database:
            settings = settings_module.with_database_url(settings, args.database)
        elif (
            args.demo and mode == "console"
        ):  # never the person's own database: the sample team plays apart
            settings = dataclasses.replace(settings, database_url=console.DEMO_DATABASE_URL)
        # The console's output is the conversation: only warnings and errors join it.
        logging.basicConfig(
            level="WARNING" if mode == "console" else settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        if mode == "console":
            return console.run(
                settings,
                create_app=create_app,
                jobs=JOBS,
                demo=args.demo,
                reports=args.reports,
                grade_pages=grade_pages,
            )
        return RUNNERS[mode](settings)
    except SettingsError as error:
        return _refused(str(error))
    except Unreachable as error:
        return _refused(f"cannot connect to DATABASE_URL {error}")


def _started_import(argv: list[str]) -> int:
    try:
        settings = settings_module.load()
        logging.basicConfig(level="WARNING", format="%(levelname)s %(name)s: %(message)s")
        return import_command.run(settings, argv)
    except SettingsError as error:
        return _refused(str(error))
    except Unreachable as error:
        return _refused(f"cannot connect to DATABASE_URL {error}")


def _refused(why: str) -> int:
    """A start refused for a reason of the settings': one line, and exit code 2."""
    print(f"rapport: {why}", file=sys.stderr)
    return 2


def run_migrate(settings: Settings) -> int:
    _migrated(settings).engine.dispose()
    print("rapport: the database is at the newest migration")
    return 0


def run_serve(settings: Settings) -> int:
    settings.require("slack_bot_token", "slack_signing_secret")
    _prepare(settings)  # before the workers fork: they start warm
    listener = listening_socket(port=settings.port)
    logging.getLogger(__name__).info(
        "serving POST /slack/events, GET /healthz and the grade pages /g/ on port %s with %s worker(s)",
        listener.getsockname()[1],
        settings.serve_workers,
    )
    return workers.run(settings.serve_workers, lambda: _serve_worker(settings, listener))


def _serve_worker(settings: Settings, listener: socket.socket) -> int:
    rapport, app, pool = _started(settings)
    reachable(rapport.sessions)  # its first connection opened now, not by a person's request
    server = make_server(app, rapport, listener, pages=grade_pages(rapport, app.client))
    with _until_sigterm(pool):
        logging.getLogger(__name__).info("worker %s ready", os.getpid())
        try:
            server.run()
        finally:
            server.task_dispatcher.shutdown()  # requests under way finish first
    return 0


def run_socket(settings: Settings) -> int:
    settings.require("slack_bot_token", "slack_app_token")
    _prepare(settings)
    _, app, pool = _started(settings)
    with _until_sigterm(pool):
        SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def _prepare(settings: Settings) -> None:
    """The bot token accepted by Slack, the database at the newest migration, and
    dateparser loaded (its first read takes a quarter of a second, which would otherwise
    be a person's first request)."""
    check_token(settings)
    _migrated(settings).engine.dispose()
    when.warm_up(settings.date_languages)


@contextlib.contextmanager
def _until_sigterm(pool: Executor) -> Iterator[None]:
    """Run the block until SIGTERM (a deploy); then let the work after the acks already
    given finish."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        yield
    except SystemExit:
        pass
    finally:
        pool.shutdown(wait=True)


def _started(settings: Settings):
    """The app, the pool for its listeners' work after their acks, and its scheduler
    ticking."""
    rapport = make_rapport(settings)
    pool = ThreadPoolExecutor(AFTER_ACK_THREADS, thread_name_prefix="after-ack")
    app = create_app(settings, rapport=rapport, executor=pool)
    Scheduler(rapport, app.client, settings.digest_tick_seconds, JOBS).start()
    return rapport, app, pool


def _migrated(settings: Settings):
    rapport = make_rapport(settings)
    migrate.upgrade(rapport.engine)
    return rapport


RUNNERS = {"serve": run_serve, "socket": run_socket, "migrate": run_migrate}

if __name__ == "__main__":
    sys.exit(main())
