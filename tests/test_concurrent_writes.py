"""Concurrent use cases on one database: writers queue instead of failing, readers never
wait for writers (storage/db.py: reads BEGIN deferred, writes BEGIN IMMEDIATE on SQLite)."""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import NEW_YORK, FakeClock
from sqlalchemy import func, select

from bot import accounts, calls
from bot.app import make_rapport
from bot.people import Person
from bot.settings import Settings
from storage import migrate
from storage.models import Call

TEAM = "T0001"
ALEX = Person(TEAM, "U0001", NEW_YORK, "en-US", False)
THREADS = 4
CALLS_EACH = 50
PROCESSES = 2
CALLS_PER_PROCESS = 100
TIMEOUT = 120

# One writer process: logs its calls through the use case once the test says go.
WRITER = """
import sys
from bot import calls
from bot.app import make_rapport
from bot.people import Person
from bot.settings import Settings

url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rapport = make_rapport(Settings(database_url=url))
user = Person("T0001", "U0001", "America/New_York", "en-US", False)
calls.log_text(rapport, user=user, text="Acme 1 hour ago: warm-up", source="command")
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(3)
for i in range(count):
    calls.log_text(rapport, user=user, text=f"Acme 2 hours ago: note {worker}-{i}", source="command")
print("done", flush=True)
"""


def count_calls(rapport) -> int:
    with rapport.reads.begin() as s:
        return s.scalar(select(func.count()).select_from(Call))


def test_threads_logging_at_once_lose_nothing(rapport):
    accounts.add(rapport, user=ALEX, name="Acme")
    start = threading.Barrier(THREADS)

    def log_many(worker: int) -> None:
        start.wait(timeout=TIMEOUT)
        for i in range(CALLS_EACH):
            calls.log_text(
                rapport, user=ALEX, text=f"Acme 2 hours ago: note {worker}-{i}", source="command"
            )

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [pool.submit(log_many, worker) for worker in range(THREADS)]
        for result in results:
            result.result(timeout=TIMEOUT)  # re-raises any error of the thread

    assert count_calls(rapport) == THREADS * CALLS_EACH
    with rapport.reads.begin() as s:
        notes = set(s.scalars(select(Call.notes)))
    assert notes == {f"note {w}-{i}" for w in range(THREADS) for i in range(CALLS_EACH)}


def test_processes_writing_one_sqlite_file_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    rapport = make_rapport(Settings(database_url=url), clock=FakeClock())
    migrate.upgrade(rapport.engine)
    accounts.add(rapport, user=ALEX, name="Acme")

    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(worker), str(CALLS_PER_PROCESS)],
            cwd=tmp_path,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for worker in range(PROCESSES)
    ]
    results = []
    try:
        # Each writer has its connection and has written once before any starts the race.
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.communicate(timeout=TIMEOUT)
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            out, err = writer.communicate(timeout=TIMEOUT)
            results.append((writer.returncode, out, err))
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()

    assert [code for code, _, _ in results] == [0] * PROCESSES, results
    with rapport.reads.begin() as s:
        notes = list(s.scalars(select(Call.notes).where(Call.notes.like("note %"))))
    assert len(notes) == PROCESSES * CALLS_PER_PROCESS
    assert set(notes) == {
        f"note {w}-{i}" for w in range(PROCESSES) for i in range(CALLS_PER_PROCESS)
    }
    rapport.engine.dispose()


def test_a_read_does_not_wait_for_an_open_write(rapport, clock):
    acme = accounts.add(rapport, user=ALEX, name="Acme")
    listed = []
    reader = threading.Thread(
        target=lambda: listed.append(accounts.listing(rapport, team_id=TEAM)), daemon=True
    )

    with rapport.sessions.begin() as s:
        s.add(
            Call(
                team_id=TEAM,
                account_id=acme.id,
                logged_by=ALEX.user_id,
                occurred_at=clock.now(),
                notes="not committed yet",
                private=False,
                source="command",
                created_at=clock.now(),
            )
        )
        s.flush()  # the write transaction now holds the database's write lock (SQLite)
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive(), "the read waited for the open write transaction"

    [views] = listed
    assert [(view.account.name, view.last_contact) for view in views] == [("Acme", None)]
    assert count_calls(rapport) == 1
