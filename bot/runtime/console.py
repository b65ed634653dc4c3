"""The local console: the real app (the same handlers, use cases and database), with Slack
played in this process, so Rapport can be tried before a Slack app exists.

Each line typed is turned into what Slack would send (a slash command, a DM, a button
press, a form submission) and dispatched to the app; what the app sends back to Slack is
printed, with mrkdwn rendered plainly and date tokens in this machine's timezone.
"""

import dataclasses
import io
import itertools
import json
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import tzlocal
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy.engine import make_url

from bot.mrkdwn import CHANNEL_MENTION, DATE_TOKEN, USER_MENTION, escape, unescape
from bot.runtime import console_forms, scheduler, server, slack_requests
from bot.runtime.console_slack import CHANNEL, TEAM, YOU, ConsoleSlack, serve
from bot.runtime.context import Rapport, make_rapport
from bot.runtime.settings import Settings
from storage import migrate
from storage.queries import accounts as account_queries

SECRET = secrets.token_hex(16)
# create_app as bot/app.py defines it: the console plays Slack for the app it builds.
AppFactory = Callable[..., App]
# grade_pages as bot/grades/web.py defines it: (rapport, client) -> the WSGI app of /g/.
PagesFactory = Callable[..., server.Pages]
HELP = """\
Type what you would in Slack:
  /account add Acme Corp           a slash command (/account, /logcall, /grade, /digest; each has help)
  log Acme yesterday 3pm: kickoff  a direct message to Rapport
  press C                          press the button labelled C in the last message that has buttons
  submit too slow on proposals     submit the open form, with this text in its first text field
  submit account=Acme; when=yesterday 3pm; notes=kickoff; follow_up=2026-12-04; private=yes
                                   fill any fields of the open form by their keys, then submit it:
                                   text; a day as YYYY-MM-DD (or today, tomorrow); yes or no for a
                                   single checkbox; a choice or a picker (the account picker) by its
                                   name or the start of it; several, comma-separated; @person
                                   `submit` alone sends it as it stands; fields not named keep theirs
  form                             show the open form again: its fields, their keys and values
  as @sam                          act as someone else (`as @you` to come back)
  tick                             run the scheduler now (digests, reminders, cadences)
  home                             open your Home tab in Rapport
  quit
Reports and exports are saved under the folder of --reports (./reports/ by default)."""
# `--demo` plays its sample team here, in the working folder, unless `--database` says where.
DEMO_DATABASE_URL = "sqlite:///demo.db"


# --demo: what a small team would have typed over the last weeks.
DEMO = (
    "/account add Acme Corp",
    "/account set Acme renewal in 2 months",
    "/account set Acme arr 120k",
    "/account set Acme competitors Globex Analytics",
    "/account add Globex",
    "/account set Globex arr 340k",
    "/account set Globex owner @sam",
    "/account add Initech",
    "/account set Initech renewal in 25 days",
    "/logcall Acme 3 days ago: quarterly review; they want a proposal for the new region",
    "/logcall Globex yesterday 10am: pricing questions from their CFO",
    "/logcall Initech 20 days ago: kickoff with the new IT lead",
    "/grade Acme @dana",
    "as @dana",
    "press C",
    "submit Your proposals come late and miss our priorities.",
    "as @you",
    "/grade Globex @lee",
    "/digest subscribe at 8:00 daily",
)


class SettlingExecutor(ThreadPoolExecutor):
    """The after-ack pool (handlers/after_ack.py); `settle` waits for the work in it."""

    def __init__(self):
        super().__init__(max_workers=4)
        self._pending: list[futures.Future] = []

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        self._pending.append(future)
        return future

    def settle(self, timeout: float = 30.0) -> None:
        futures.wait(self._pending, timeout=timeout)
        self._pending = [future for future in self._pending if not future.done()]


class Console:
    """The app `create_app` builds, with Slack played here; `jobs` are what `tick` runs."""

    def __init__(
        self,
        settings: Settings,
        out: TextIO,
        *,
        create_app: AppFactory,
        jobs: Sequence[scheduler.Job],
        files: Path = Path("reports"),
        grade_pages: PagesFactory | None = None,
    ):
        """`files`: where the reports and exports people ask for are saved. With
        `grade_pages`, the grade pages of people outside Slack are served on a local port
        (`pages_url`), which links point to unless PUBLIC_URL says otherwise."""
        self.out = out
        self.jobs = jobs
        self.tz = tzlocal.get_localzone_name() or "UTC"
        self.slack = ConsoleSlack(self.tz, files)
        self.pages_url = self.pages_server = None
        if grade_pages is not None:
            listener = _local_listener(settings.port)
            self.pages_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
            settings = dataclasses.replace(
                settings, public_url=settings.public_url or self.pages_url
            )
        self.rapport: Rapport = make_rapport(settings)
        migrate.upgrade(self.rapport.engine)
        self.executor = SettlingExecutor()
        self.server = serve(self.slack)
        base = f"http://127.0.0.1:{self.server.server_port}"
        self.client = WebClient(token="xoxb-console", base_url=f"{base}/api/")
        # Requests are signed as Slack signs them, so they pass the app's real checks.
        signed = dataclasses.replace(settings, slack_signing_secret=SECRET)
        self.app = create_app(
            signed, client=self.client, rapport=self.rapport, executor=self.executor
        )
        if grade_pages is not None:
            pages = grade_pages(self.rapport, self.app.client)
            self.pages_server = server.pages_server(pages, listener)
            threading.Thread(target=self.pages_server.run, daemon=True).start()
        self.user = YOU
        self.with_buttons: list[dict] = []  # messages shown that have buttons, oldest first
        self.events = itertools.count(1)

    def close(self) -> None:
        if self.pages_server is not None:  # closed from its own loop (tests/support/serving.py)
            trigger = self.pages_server.trigger
            with trigger.lock:
                trigger.thunks.append(self.pages_server.close)
                trigger.pull_trigger()
        self.server.shutdown()
        self.executor.shutdown()
        self.rapport.engine.dispose()

    # -- one line typed

    def handle(self, line: str) -> bool:
        """Act on one line; False when the person wants to leave."""
        line = line.strip()
        word, _, rest = line.partition(" ")
        if not line:
            return True
        if word in ("quit", "exit"):
            return False
        seen = len(self.slack.shown)
        if word == "help":
            self.print(HELP)
        elif word.startswith("/"):
            self.ack(
                self.dispatch(
                    slack_requests.slash_command(
                        word,
                        self.escaped(rest),
                        user_id=self.user,
                        team_id=TEAM,
                        channel_id=CHANNEL,
                        channel_name="general",
                        response_url=self.reply_url(),
                    )
                )
            )
        elif word == "press":
            self.press(rest.strip())
        elif word == "submit":
            self.submit(rest)
        elif word == "form":
            self.show_form()
        elif word == "as":
            self.become(rest.strip())
        elif word == "tick":
            scheduler.tick(self.rapport, self.client, self.jobs)
        elif word == "home":
            opened = {
                "type": "app_home_opened",
                "user": self.user,
                "channel": "D" + self.user[1:],
                "tab": "home",
            }
            delivery = slack_requests.event_callback(
                opened, event_id=f"Ev{next(self.events)}", team_id=TEAM
            )
            self.dispatch(delivery, "application/json")
            self.executor.settle()
            self.slack.show(
                "home tab", self.slack.homes.get(self.user, {"text": "(nothing published)"})
            )
        else:
            event = slack_requests.direct_message(
                line, user_id=self.user, channel="D" + self.user[1:]
            )
            delivery = slack_requests.event_callback(
                event, event_id=f"Ev{next(self.events)}", team_id=TEAM
            )
            self.dispatch(delivery, "application/json")
        self.executor.settle()
        for where, message in self.slack.shown[seen:]:
            self.show(where, message)
        return True

    def dispatch(self, body: str, content_type: str = "application/x-www-form-urlencoded"):
        headers = slack_requests.signed_headers(
            SECRET, body, timestamp=int(time.time()), content_type=content_type
        )
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def ack(self, response) -> None:
        if response.body.startswith("{"):
            self.slack.show("only you see this", json.loads(response.body))

    def press(self, label: str) -> None:
        """Press the button labelled `label` in the latest message that has one."""
        for message in reversed(self.with_buttons):
            button = next(
                (b for b in buttons(message) if b["text"]["text"].lower() == label.lower()), None
            )
            if button is not None:
                break
        else:
            self.print(f"(no button “{label}” in the messages so far)")
            return
        channel = message.get("channel", CHANNEL)
        self.dispatch(
            slack_requests.block_actions(
                action_id=button["action_id"],
                value=button.get("value"),
                user_id=self.user,
                team_id=TEAM,
                channel_id=channel,
                response_url=self.reply_url(),
                message={
                    "type": "message",
                    "ts": message.get("ts", slack_requests.MESSAGE_TS),
                    "text": message.get("text", ""),
                    "blocks": message.get("blocks", []),
                },
            )
        )

    def submit(self, text: str) -> None:
        """Fill the open form as `text` says (console_forms.py), then submit it as Slack
        does; what Slack or the app refuses is printed under the field's key."""
        view = self.slack.modal
        if view is None:
            self.print("(no form is open)")
            return
        try:
            values = console_forms.fill(
                view,
                text,
                suggest=lambda field, typed, values: self.suggest(view, field, typed, values),
                person=self.person,
                channel=lambda typed: "C0" + re.sub(r"[^A-Z0-9]", "", typed.upper())[:9],
                today=datetime.now(ZoneInfo(self.tz)).date(),
            )
        except console_forms.Refused as refused:
            self.refused(refused.errors, show_form=not text.strip())
            return
        self.slack.modal = None
        response = self.dispatch(
            slack_requests.view_submission(
                callback_id=view["callback_id"],
                values=values,
                user_id=self.user,
                team_id=TEAM,
                private_metadata=view.get("private_metadata", ""),
                blocks=view.get("blocks", []),
            )
        )
        answer = json.loads(response.body) if response.body.startswith("{") else {}
        action = answer.get("response_action")
        if action == "errors":
            self.slack.modal = view
            self.refused(answer.get("errors", {}))
        elif action in ("update", "push") and isinstance(answer.get("view"), dict):
            self.slack.modal = answer["view"]
            self.slack.show("form", {"blocks": [], "view": answer["view"]})

    def suggest(self, view: dict, field: console_forms.Field, typed: str, values: dict):
        """The options the app serves for an external select after `typed`, asked as Slack
        asks (a block_suggestion carrying the form's state so far)."""
        asking = {**view, "id": view.get("id", slack_requests.VIEW_ID), "state": {"values": values}}
        response = self.dispatch(
            slack_requests.block_suggestion(
                action_id=field.element.get("action_id", field.key),
                block_id=field.key,
                value=typed,
                view=asking,
                user_id=self.user,
                team_id=TEAM,
            )
        )
        found = json.loads(response.body) if response.body.startswith("{") else {}
        groups = found.get("option_groups") or []
        return found.get("options") or [o for g in groups for o in g.get("options", [])]

    def refused(self, errors: dict, *, show_form: bool = False) -> None:
        self.print("(the form stays open)")
        for key, error in errors.items():
            self.print(f"  {key}: {self.plain(str(error))}")
        if show_form:
            self.show_form()

    def show_form(self) -> None:
        view = self.slack.modal
        if view is None:
            self.print("(no form is open)")
            return
        self.print(
            f"[form] {view.get('title', {}).get('text', '')}  "
            "(type `submit key=value; key=value`, or `submit <text>` for its first text field)"
        )
        for line in console_forms.described(view):
            self.print(line)

    def become(self, who: str) -> None:
        name = who.lstrip("@").lower() or "you"
        self.user = self.person(name)
        self.print(f"(you are now @{name})")

    def person(self, name: str) -> str:
        """The user id of the person called `name`, made up the first time."""
        user = next((u for u, n in self.slack.people.items() if n == name), None)
        if user is None:
            user = "U0" + re.sub(r"[^A-Z0-9]", "", name.upper())[:9]
            self.slack.people[user] = name
        return user

    def escaped(self, text: str) -> str:
        """Command text as Slack sends it (should_escape): @name and #channel as mentions,
        and &, <, > as entities."""
        text = re.sub(
            r"(?<!\w)@([\w.-]+)",
            lambda m: f"<@{self.person(m[1].lower())}|{m[1]}>",
            escape(text),
        )
        return re.sub(r"(?<!\w)#([\w-]+)", lambda m: f"<#C0{m[1].upper()[:9]}|{m[1]}>", text)

    def reply_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/response/{len(self.slack.shown)}"

    def seed(self) -> bool:
        """--demo: a realistic sample team, made by typing its history into the app; only
        into a database without accounts (False, and nothing typed, otherwise)."""
        with self.rapport.reads.begin() as s:
            if account_queries.any_account(s):
                return False
        shown, self.out = self.out, io.StringIO()
        try:
            for line in DEMO:
                self.handle(line)
        finally:
            self.out = shown
        self.print(
            "(a sample team is ready: try /account list, /grade history Acme, /digest preview)"
        )
        return True

    # -- printing

    def show(self, where: str, message: dict) -> None:
        if message.get("view"):
            self.show_form()
            return
        lines = [self.plain(text) for text in texts(message)] or [
            self.plain(message.get("text", ""))
        ]
        labels = [button["text"]["text"] for button in buttons(message)]
        if labels:
            self.with_buttons.append(message)
            lines.append("buttons: " + "  ".join(f"[{label}]" for label in labels))
        self.print(f"[{where}] " + "\n  ".join("\n".join(lines).splitlines()))

    def plain(self, mrkdwn: str) -> str:
        """mrkdwn as plain text: dates in this machine's timezone, people by name."""

        def date(match):
            moment = datetime.fromtimestamp(int(match[1]), ZoneInfo(self.tz))
            return f"{moment:%a %d %b %Y %H:%M}"

        text = DATE_TOKEN.sub(date, mrkdwn)
        text = USER_MENTION.sub(lambda m: self.slack.name(m[1]), text)
        text = CHANNEL_MENTION.sub(lambda m: "#" + (m[2] or m[1]), text)
        text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
        text = re.sub(r"<(https?://[^|>]+)>", r"\1", text)
        text = re.sub(r"(?<!\w)_([^_\n]+)_(?!\w)", r"\1", text.replace("*", ""))
        return unescape(text)

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def texts(message: dict) -> list[str]:
    """The text of a message's sections and context lines, in order."""
    found = []
    for block in message.get("blocks", []):
        if block.get("type") == "section" and block.get("text"):
            found.append(block["text"]["text"])
        elif block.get("type") == "context":
            found.extend(e.get("text", "") for e in block.get("elements", []))
        elif block.get("type") == "header":
            found.append(block["text"]["text"])
    return found


def _local_listener(port: int):
    """A loopback socket for the grade pages: on PORT when it is free, else on any port."""
    try:
        return server.listening_socket(host="127.0.0.1", port=port)
    except OSError:
        return server.listening_socket(host="127.0.0.1", port=0)


def run(
    settings: Settings,
    *,
    create_app: AppFactory,
    jobs: Sequence[scheduler.Job],
    demo: bool = False,
    reports: Path = Path("reports"),
    grade_pages: PagesFactory | None = None,
) -> int:
    """The console on this terminal (or pipe), until its input ends or `quit`; reports and
    exports saved under `reports`. With `demo`, the sample team is added first, unless the
    database already has accounts (its settings say which: `python -m bot --demo` gives it
    DEMO_DATABASE_URL)."""
    out, stdin = sys.stdout, sys.stdin
    console = Console(
        settings, out, create_app=create_app, jobs=jobs, files=reports, grade_pages=grade_pages
    )
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    console.print(
        f"Rapport local console: Slack is played here, on {where}. "
        'To connect to Slack, see README.md, "Set up the Slack app". Type help.'
    )
    if console.pages_url:
        console.print(f"Grade pages: {console.pages_url}/g/…")
    try:
        if demo and not console.seed():
            console.print(
                f"(the sample team was not added: {where} already has accounts; "
                "the console opens on them as they are)"
            )
        interactive = stdin.isatty()
        while True:
            if interactive:
                print(f"{console.slack.name(console.user)}> ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line or not console.handle(line):
                return 0
    finally:
        console.close()
