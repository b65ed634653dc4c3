"""Slack's side of the local console: its Web API, response URLs and file uploads,
served on loopback by this process, with what the app sends kept to be printed."""

import itertools
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

TEAM = "T0LOCAL"
YOU = "U0YOU"
CHANNEL = "C0GENERAL"


class ConsoleSlack:
    """Slack's Web API, played in this process; what the app sends is kept in `shown`.
    (Bolt copies its client for each request, so the app reaches this over loopback.)"""

    def __init__(self, tz: str, files: Path):
        self.tz = tz
        self.files = files  # where uploaded files (reports, exports) are saved
        self.base_url = ""  # set by serve()
        self.uploads: dict[str, str] = {}  # file id: its file name, until its bytes arrive
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
        name = self.people.setdefault(user, made_up_name(user))
        # You set the console up, so you own its workspace (a Rapport admin); others are members.
        return {
            "user": {
                "id": user,
                "name": name,
                "tz": self.tz,
                "locale": "en-US",
                "is_bot": False,
                "is_owner": user == YOU,
            }
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

    def _views_update(self, args):
        """A form changed in place (e.g. by a select in it): it is the one open now."""
        self.modal = args["view"]
        self.shown.append(("form", {"blocks": [], "view": args["view"]}))
        return {"view": {**args["view"], "id": args.get("view_id", "V0")}}

    def _views_publish(self, args):
        """Kept, not shown: in Slack a Home tab changes unseen until it is opened (`home`)."""
        self.homes[args["user_id"]] = args["view"]
        return {"view": args["view"]}

    def _files_getUploadURLExternal(self, args):
        file_id = f"F{next(self._ids)}"
        self.uploads[file_id] = Path(args["filename"]).name
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args):
        """The files are shared: their comment (a report's summary) shown where they went."""
        files = json.loads(args["files"]) if isinstance(args["files"], str) else args["files"]
        if args.get("initial_comment"):
            channel = args.get("channel_id", YOU)
            self.shown.append((f"DM to {self.name(channel)}", {"text": args["initial_comment"]}))
        return {"files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}

    def save(self, file_id: str, content: bytes) -> Path:
        """Keep an uploaded file's bytes in `files`, under the name it was announced with;
        where it is, as an absolute path."""
        self.files.mkdir(parents=True, exist_ok=True)
        path = (self.files / self.uploads.pop(file_id)).resolve()
        path.write_bytes(content)
        return path

    def _conversations_open(self, args):
        return {"channel": {"id": args.get("users", YOU)}}

    def _conversations_info(self, args):
        return {"channel": {"id": args["channel"], "is_private": False, "is_member": True}}

    def name(self, user: str) -> str:
        """@name for a user id, or for the id of their DM with the app."""
        user = "U" + user[1:] if user.startswith("D") else user
        return "@" + self.people.get(user, made_up_name(user))


def made_up_name(user: str) -> str:
    """The name behind an id the console made up for it ("U0SAM" for @sam: console.py
    `person`), for the people of an earlier run; other ids as they are."""
    return user[2:].lower() if user.startswith("U0") else user


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
            path = slack.save(self.path.removeprefix("/upload/"), body)
            slack.show("file", {"text": f"saved {path} ({len(body):,} bytes)"})
        else:
            slack.show("only you see this", json.loads(body or b"{}"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def serve(slack: ConsoleSlack) -> ThreadingHTTPServer:
    """The stand-in's endpoints on a free loopback port, served in a thread until
    .shutdown()."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoints)
    server.slack = slack
    slack.base_url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
