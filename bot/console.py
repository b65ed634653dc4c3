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
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import tzlocal
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot import scheduler, slack_requests
from bot.app import create_app, make_rapport
from bot.mrkdwn import unescape
from bot.settings import Settings
from storage import migrate

TEAM = "T0LOCAL"
SECRET = secrets.token_hex(16)
YOU = "U0YOU"
CHANNEL = "C0GENERAL"
HELP = """\
Type what you would in Slack:
  /account add Acme Corp           a slash command (/account, /logcall, /grade, /digest; each has help)
  log Acme yesterday 3pm: kickoff  a direct message to Rapport
  press C                          press the button labelled C in the last message that has buttons
  submit too slow on proposals     submit the open form, with this text in its first text field
  as @sam                          act as someone else (`as @you` to come back)
  tick                             run the scheduler now (digests, reminders, cadences)
  home                             open your Home tab in Rapport
  quit"""


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
    """Bolt's pool for the work listeners do after acknowledging; `settle` waits for it."""

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


class ConsoleSlack:
    """Slack's Web API, played in this process; what the app sends is kept in `shown`.
    (Bolt copies its client for each request, so the app reaches this over loopback.)"""

    def __init__(self, tz: str):
        self.tz = tz
        self.people = {YOU: "you"}
        self.shown: list[tuple[str, dict]] = []  # (where, message), in order
        self.modal: dict | None = None
        self.homes: dict[str, dict] = {}  # the Home tab published for each person
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def answer(self, method: str, args: dict) -> dict:
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        answer = getattr(self, "_" + method.replace(".", "_"), lambda args: {})
        with self._lock:
            return {"ok": True, **answer(args)}

    def show(self, where: str, message: dict) -> None:
        with self._lock:
            self.shown.append((where, message))

    def _ts(self) -> str:
        return f"{datetime.now().timestamp():.0f}.{next(self._ids):06d}"

    def _auth_test(self, args):
        return {"team_id": TEAM, "user_id": "U0RAPPORT", "bot_id": "B0RAPPORT"}

    def _users_info(self, args):
        user = args["user"]
        name = self.people.setdefault(user, user.lower())
        return {
            "user": {"id": user, "name": name, "tz": self.tz, "locale": "en-US", "is_bot": False}
        }

    def _chat_postMessage(self, args):
        channel = args["channel"]
        where = "DM" if channel.startswith(("U", "D")) else f"#{channel}"
        self.shown.append((f"{where} to {self.name(channel)}" if where == "DM" else where, args))
        return {"channel": channel, "ts": self._ts(), "message": args}

    def _chat_update(self, args):
        self.shown.append(("updated", args))
        return {"channel": args["channel"], "ts": args["ts"]}

    def _views_open(self, args):
        self.modal = args["view"]
        self.shown.append(("form", {"blocks": [], "view": args["view"]}))
        return {"view": {**args["view"], "id": f"V{next(self._ids)}"}}

    _views_push = _views_open

    def _views_publish(self, args):
        """Kept, not shown: in Slack a Home tab changes unseen until it is opened (`home`)."""
        self.homes[args["user_id"]] = args["view"]
        return {"view": args["view"]}

    def _conversations_open(self, args):
        return {"channel": {"id": args.get("users", YOU)}}

    def _conversations_info(self, args):
        return {"channel": {"id": args["channel"], "is_private": False, "is_member": True}}

    def name(self, user: str) -> str:
        """@name for a user id, or for the id of their DM with the app."""
        user = "U" + user[1:] if user.startswith("D") else user
        return "@" + self.people.get(user, user)


class Endpoints(BaseHTTPRequestHandler):
    """The stand-in's Web API, response_url and file-upload endpoints, on loopback."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        slack: ConsoleSlack = self.server.slack
        answer = b"ok"
        if self.path.startswith("/api/"):
            if self.headers.get("content-type", "").startswith("application/json"):
                args = json.loads(body or b"{}")
            else:
                args = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            answer = json.dumps(slack.answer(self.path.removeprefix("/api/"), args)).encode()
        elif self.path.startswith("/upload/"):
            slack.show("file", {"text": f"(a file of {len(body):,} bytes was uploaded)"})
        else:
            slack.show("only you see this", json.loads(body or b"{}"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Console:
    def __init__(self, settings: Settings, out: TextIO):
        self.out = out
        self.tz = tzlocal.get_localzone_name() or "UTC"
        self.slack = ConsoleSlack(self.tz)
        self.rapport = make_rapport(settings)
        migrate.upgrade(self.rapport.engine)
        self.executor = SettlingExecutor()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoints)
        self.server.slack = self.slack
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{self.server.server_port}"
        self.client = WebClient(token="xoxb-console", base_url=f"{base}/api/")
        # Requests are signed as Slack signs them, so they pass the app's real checks.
        signed = dataclasses.replace(settings, slack_signing_secret=SECRET)
        self.app = create_app(
            signed, client=self.client, rapport=self.rapport, executor=self.executor
        )
        self.user = YOU
        self.with_buttons: list[dict] = []  # messages shown that have buttons, oldest first
        self.events = itertools.count(1)

    def close(self) -> None:
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
        elif word == "as":
            self.become(rest.strip())
        elif word == "tick":
            scheduler.tick(self.rapport, self.client)
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
        headers = slack_requests.signed_headers(SECRET, body, content_type=content_type)
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
        view, self.slack.modal = self.slack.modal, None
        if view is None:
            self.print("(no form is open)")
            return
        values, filled = {}, False
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            value = {"type": element["type"]}
            if element["type"] == "plain_text_input":
                value["value"] = text if not filled else element.get("initial_value")
                filled = True
            elif element["type"] == "datepicker":
                value["selected_date"] = element.get("initial_date")
            values[block["block_id"]] = {element["action_id"]: value}
        response = self.dispatch(
            slack_requests.view_submission(
                callback_id=view["callback_id"],
                values=values,
                user_id=self.user,
                team_id=TEAM,
                private_metadata=view.get("private_metadata", ""),
            )
        )
        if response.body.startswith("{"):
            errors = json.loads(response.body).get("errors", {})
            self.print("(the form stays open: " + "; ".join(errors.values()) + ")")
            self.slack.modal = view

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
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = re.sub(
            r"(?<!\w)@([\w.-]+)", lambda m: f"<@{self.person(m[1].lower())}|{m[1]}>", text
        )
        return re.sub(r"(?<!\w)#([\w-]+)", lambda m: f"<#C0{m[1].upper()[:9]}|{m[1]}>", text)

    def reply_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/response/{len(self.slack.shown)}"

    def seed(self) -> None:
        """--demo: a realistic sample team, made by typing its history into the app."""
        shown, self.out = self.out, io.StringIO()
        try:
            for line in DEMO:
                self.handle(line)
        finally:
            self.out = shown
        self.print(
            "(a sample team is ready: try /account list, /grade history Acme, /digest preview)"
        )

    # -- printing

    def show(self, where: str, message: dict) -> None:
        if message.get("view"):
            view = message["view"]
            fields = [
                b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input"
            ]
            self.print(
                f"[form] {view.get('title', {}).get('text', '')}: {', '.join(fields)}  (type `submit <text>`)"
            )
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

        text = re.sub(r"<!date\^(\d+)\^[^|>]*\|[^>]*>", date, mrkdwn)
        text = re.sub(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", lambda m: self.slack.name(m[1]), text)
        text = re.sub(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>", lambda m: "#" + (m[2] or m[1]), text)
        text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
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


def run(
    settings: Settings, *, demo: bool = False, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    console = Console(settings, out)
    console.print(
        f"Rapport local console: Slack is played here, on {settings.database_url}. "
        'To connect to Slack, see README.md, "Set up the Slack app". Type help.'
    )
    try:
        if demo:
            console.seed()
        interactive = stdin.isatty()
        while True:
            if interactive:
                print(f"{console.slack.name(console.user)}> ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line or not console.handle(line):
                return 0
    finally:
        console.close()
