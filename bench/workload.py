"""What the benchmarks send: one team of many people logging calls on several accounts,
as a real team does (not one person logging everything), and the bare Bolt app that the
app's acknowledgements are measured against.

    USERS        200 people, in four timezones, known to the fake Slack (add_users);
    ACCOUNTS     ten accounts, each owned by one of them (add_accounts stores them);
    logcall(i)   the i-th `/logcall`: person i % 200 on one of the ten accounts, with one
                 of six when-phrases (one of them empty: "now"); from one round of the
                 200 people to the next, each moves on to the next account and phrase.

`python bench/workload.py` serves the bare app over waitress with 16 threads, on PORT,
with SLACK_SIGNING_SECRET, SLACK_API_URL and SLACK_BOT_TOKEN from the environment as
`python -m bot serve` reads them (bench/serve_load.py starts it with
support/serve_processes.py).
"""

import logging
import os
import re
import signal
import sys
from pathlib import Path
from typing import NamedTuple

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.grades import ids as grade_ids  # noqa: E402
from support.rows import account, add  # noqa: E402

USERS = tuple(f"UL{n:04d}" for n in range(1, 201))
TIMEZONES = ("America/New_York", "Europe/London", "Asia/Tokyo", "America/Los_Angeles")
ACCOUNTS = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Wonka",
    "Tyrell",
    "Cyberdyne Systems",
)
WHEN = ("yesterday 3pm", "2 hours ago", "last friday 10am", "30 minutes ago", "3 days ago", "")
NOTES = ("discussed renewal", "pricing questions from their CFO", "demo of the reporting module")
ACKED = "Logged a call"  # what /logcall's acknowledgement says, the bare app's too
SERVER_THREADS = 16  # as `serve`'s waitress had before issue 11


ZONE_OF = {user_id: TIMEZONES[k % len(TIMEZONES)] for k, user_id in enumerate(USERS)}


def timezone(user_id: str) -> str:
    """The timezone users.info gives `user_id`."""
    return ZONE_OF.get(user_id, TIMEZONES[0])


class Logcall(NamedTuple):
    user: str  # who sends it
    account: str  # the account's name, as typed
    when: str  # the when-phrase, "" for now
    text: str  # all of the command's text


def logcall(i: int) -> Logcall:
    """The i-th /logcall."""
    person, rounds = i % len(USERS), i // len(USERS)
    name = ACCOUNTS[(person + rounds) % len(ACCOUNTS)]
    when = WHEN[(person + rounds) % len(WHEN)]
    text = f"{' '.join(filter(None, (name, when)))}: {NOTES[i % len(NOTES)]} #{i}"
    return Logcall(USERS[person], name, when, text)


def add_users(fake, extra: tuple[str, ...] = ()) -> None:
    """Make USERS, and `extra` people, known to the fake Slack's users.info."""
    for user_id in USERS + extra:
        fake.add_user(user_id, tz=timezone(user_id))


def add_accounts(rapport, team_id: str) -> dict[str, int]:
    """Store ACCOUNTS in `team_id`, the k-th owned by USERS[k]; their ids by name."""
    with rapport.sessions.begin() as s:
        stored = add(
            s,
            *(account(name, team_id=team_id, owner_id=USERS[k]) for k, name in enumerate(ACCOUNTS)),
        )
        return {row.name: row.id for row in stored}


def bare_app(secret: str, api_url: str, token: str) -> App:
    """A Bolt app with process_before_response=True and Rapport's request checks, whose
    listeners for the kinds the benchmarks send only acknowledge (/logcall with a short
    text): the least any Bolt app does for those requests. Bolt asks `api_url` (the fake
    Slack) for auth.test once, on the first request."""
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=secret,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        process_before_response=True,
    )
    app.command("/logcall")(lambda ack: ack(text=ACKED))
    app.action(re.compile("^" + re.escape(grade_ids.GRADE_BUTTON_PREFIX)))(lambda ack: ack())
    app.view(grade_ids.GRADE_REASON_VIEW)(lambda ack: ack())
    return app


def serve_bare() -> int:
    """The bare app on waitress: POST /slack/events, and GET /healthz answering 200."""
    # Taken out of the environment, where Bolt would find it too and warn that the client's
    # token wins.
    token = os.environ.pop("SLACK_BOT_TOKEN")
    slack = SlackRequestHandler(
        bare_app(os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_API_URL"], token)
    )

    def application(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return slack(environ, start_response)

    # As `serve` logs, so that waitress's "Task queue depth" warnings read the same.
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = create_server(
        application, host="127.0.0.1", port=int(os.environ["PORT"]), threads=SERVER_THREADS
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(serve_bare())
