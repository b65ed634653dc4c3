"""What use cases need from the running app: settings, session factories and a clock."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime.clock import Clock, SystemClock
from bot.runtime.settings import Settings
from storage.db import make_engine, make_read_sessions, make_sessions


@dataclass(frozen=True)
class Rapport:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]
    clock: Clock


def make_rapport(settings: Settings, *, clock: Clock | None = None) -> Rapport:
    """The context for `settings`: an engine on DATABASE_URL (nothing connects yet)."""
    engine = make_engine(settings.database_url)
    return Rapport(
        settings, engine, make_sessions(engine), make_read_sessions(engine), clock or SystemClock()
    )
