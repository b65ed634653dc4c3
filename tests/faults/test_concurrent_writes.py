"""Concurrent use cases on one database: writers queue instead of failing, readers never
wait for writers (storage/db.py: reads BEGIN deferred, writes BEGIN IMMEDIATE on SQLite)."""

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bot import people
from bot.accounts import listing, manage
from bot.accounts.values import ListFilters
from bot.calls import logcall
from bot.errors import UserError
from bot.runtime.settings import Settings
from storage.models import Call
from support.app import migrated
from support.databases import sqlite_file
from support.processes import environment, finish, kill_leftovers
from support.rows import add, call
from support.stored import count
from support.workspace import ALEX, BOT_TOKEN, NEW_YORK, SIGNING_SECRET

TEAM = "T0001"
THREADS = 4
CALLS_EACH = 50
PROCESSES = 2
CALLS_PER_PROCESS = 200
TIMEOUT = 120

# One writer process, as one `serve` replica: signed /logcall requests dispatched through
# the real app once the test says go; prints each acknowledgement's status and text.
WRITER = """
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from bot.app import create_app
from bot.runtime.settings import Settings
from bot.runtime.slack_requests import signed_headers, slash_command

url, api_url, response_url, token, secret, worker, count = sys.argv[1:8]
settings = Settings(
    slack_bot_token=token, slack_signing_secret=secret, slack_api_url=api_url, database_url=url
)
executor = ThreadPoolExecutor()  # the work after each ack
app = create_app(settings, client=WebClient(token=token, base_url=api_url), executor=executor)

def logcall(notes):
    body = slash_command("/logcall", f"Acme 2 hours ago: {notes}", response_url=response_url)
    headers = signed_headers(
        secret, body, timestamp=int(time.time()), content_type="application/x-www-form-urlencoded"
    )
    ack = app.dispatch(BoltRequest(body=body, headers=headers))
    return ack.status, json.loads(ack.body or "{}").get("text", ack.body)

logcall(f"warm-up {worker}")
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(3)
acks = [logcall(f"note {worker}-{i}") for i in range(int(count))]
executor.shutdown(wait=True)
print(json.dumps(acks), flush=True)
"""


def count_calls(rapport) -> int:
    return count(rapport, Call)


def test_threads_logging_at_once_lose_nothing(rapport):
    manage.add(rapport, user=ALEX, name="Acme")
    start = threading.Barrier(THREADS)

    def log_many(worker: int) -> None:
        start.wait(timeout=TIMEOUT)
        for i in range(CALLS_EACH):
            logcall.log_text(
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


def test_processes_writing_one_sqlite_file_lose_nothing(tmp_path, fake):
    """Two processes answer /logcall at once on one SQLite file: every request is
    acknowledged as logged, no one is shown an error, and every call is stored once."""
    url = sqlite_file(tmp_path)
    rapport = migrated(Settings(database_url=url))  # the writers' clock: the system's
    manage.add(rapport, user=ALEX, name="Acme")
    people.remember(rapport, team_id=TEAM, user={"id": "U0001", "tz": NEW_YORK, "locale": "en-US"})

    env = environment()
    argv = [url, fake.url, fake.response_url(), BOT_TOKEN, SIGNING_SECRET]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, *argv, str(worker), str(CALLS_PER_PROCESS)],
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
        # Each writer has its connection and has answered once before any starts the race.
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.communicate(timeout=TIMEOUT)
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        results = finish(writers, timeout=TIMEOUT)
    finally:
        kill_leftovers(writers)

    assert [code for code, _, _ in results] == [0] * PROCESSES, results
    acks = [ack for _, out, _ in results for ack in json.loads(out)]
    assert len(acks) == PROCESSES * CALLS_PER_PROCESS
    assert [ack for ack in acks if ack != [200, "Logged a call with Acme."]] == []
    # Nothing after the acks told anyone of an error.
    assert fake.calls_to("response_url") == []
    with rapport.reads.begin() as s:
        notes = list(s.scalars(select(Call.notes)))
    assert len(notes) == PROCESSES * (CALLS_PER_PROCESS + 1)  # with each writer's warm-up
    assert set(notes) == {
        note
        for w in range(PROCESSES)
        for note in [f"warm-up {w}", *(f"note {w}-{i}" for i in range(CALLS_PER_PROCESS))]
    }
    rapport.engine.dispose()


def test_a_read_does_not_wait_for_an_open_write(rapport, clock):
    acme = manage.add(rapport, user=ALEX, name="Acme")
    listed = []
    reader = threading.Thread(
        target=lambda: listed.append(listing.page(rapport, person=ALEX, filters=ListFilters())),
        daemon=True,
    )

    with rapport.sessions.begin() as s:
        # Flushed: the write transaction now holds the database's write lock (SQLite).
        add(s, call("not committed yet", of=acme, at=clock.now()))
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive(), "the read waited for the open write transaction"

    [page] = listed
    assert [(a.name, a.last_contact) for a in page.accounts] == [("Acme", None)]
    assert count_calls(rapport) == 1


def test_logcall_reads_its_when_phrase_before_it_writes(rapport, monkeypatch):
    """dateparser takes milliseconds: meanwhile other writers go on (on SQLite a writing
    transaction holds the database's one write lock, and under load they queued behind it)."""
    manage.add(rapport, user=ALEX, name="Acme")
    written = []
    parse = logcall.parse_moment

    def parse_while_another_writes(*args, **kwargs):
        written.extend(add_globex_from_another_thread(rapport))
        return parse(*args, **kwargs)

    monkeypatch.setattr(logcall, "parse_moment", parse_while_another_writes)
    call = logcall.log_text(rapport, user=ALEX, text="Acme 2 hours ago: renewal", source="command")

    assert (call.account.name, written) == ("Acme", ["Globex"])
    assert count_calls(rapport) == 1


def test_a_writer_gets_its_turn_after_a_write_commits_or_fails(rapport):
    """SQLite writers take turns on a lock of the engine's (storage/db.py): every way a
    writing transaction ends must hand the turn on, or the next writer waits for ever."""
    manage.add(rapport, user=ALEX, name="Acme")  # committed
    with pytest.raises(UserError):
        manage.add(rapport, user=ALEX, name="Acme")  # rolled back
    assert add_globex_from_another_thread(rapport) == ["Globex"]


def add_globex_from_another_thread(rapport) -> list[str]:
    """Adds the account Globex in a thread of its own; the names it added. Fails if that
    writer is still waiting for its turn after 5 s."""
    written = []
    writer = threading.Thread(
        target=lambda: written.append(manage.add(rapport, user=ALEX, name="Globex").name),
        daemon=True,
    )
    writer.start()
    writer.join(timeout=5)
    assert not writer.is_alive(), "the other writer is still waiting for its turn"
    return written
