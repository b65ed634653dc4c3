"""What use cases need from the running app: settings, session factories, a clock, and
what this process remembers for a few minutes."""

import threading
from dataclasses import dataclass, field

from cachetools import TTLCache
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime.clock import Clock, SystemClock
from bot.runtime.settings import Settings
from storage.db import make_engine, make_read_sessions, make_sessions


class Remembered:
    """Up to `size` values, each kept for `seconds` of `clock`; safe across threads."""

    def __init__(self, clock: Clock, *, size: int, seconds: float):
        self._values = TTLCache(size, seconds, timer=lambda: clock.now().timestamp())
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._values.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._values[key] = value


@dataclass(frozen=True)
class Rapport:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]
    clock: Clock
    # People's profiles, read lately (bot/people.py): most requests then read none.
    profiles: Remembered = field(init=False)
    # Names of people and channels a message mentions (bot/calls/written.py), read lately.
    names: Remembered = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "profiles", Remembered(self.clock, size=10_000, seconds=300))
        object.__setattr__(self, "names", Remembered(self.clock, size=10_000, seconds=3600))


def make_rapport(settings: Settings, *, clock: Clock | None = None) -> Rapport:
    """The context for `settings`: an engine on DATABASE_URL (nothing connects yet)."""
    engine = make_engine(settings.database_url)
    return Rapport(
        settings, engine, make_sessions(engine), make_read_sessions(engine), clock or SystemClock()
    )
