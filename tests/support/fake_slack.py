"""A fake of Slack's Web API for tests, served on a free loopback port.

    with FakeSlack() as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.url)
        client.chat_postMessage(channel="C0001", text="hi")
        assert slack.calls_to("chat.postMessage")[0].args["text"] == "hi"

Standard library only. Every request is recorded as a `Call`; answers follow
the shapes Slack documents, closely enough for slack_sdk and slack_bolt.
"""

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

# Arguments that slack_sdk sends as JSON strings inside form bodies.
JSON_ARGS = ("blocks", "attachments", "view", "metadata", "files")

DEFAULT_ERRORS = {429: "ratelimited"}  # any other failing status: "internal_error"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "response_url"
    args: dict  # decoded body plus query string
    headers: dict  # lowercase header names
    path: str


@dataclass
class Upload:
    """A file announced by files.getUploadURLExternal; `content` once its bytes are posted."""

    filename: str
    content: bytes | None = None
    title: str | None = None


@dataclass(frozen=True)
class _Failure:
    status: int
    error: str
    retry_after: int | None


class FakeSlack:
    """Slack's Web API on a free loopback port: records every call, answers as Slack does."""

    def __init__(
        self, *, team_id="T0001", bot_token="xoxb-test-token", bot_user_id="UBOT", bot_id="B0001"
    ):
        self.team_id = team_id
        self.bot_token = bot_token
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[Call] = []
        # Files sent through files_upload_v2: file id -> Upload (name and bytes).
        self.uploads: dict[str, Upload] = {}
        # Files people shared (add_file): file id -> (name, bytes), for files.info and download.
        self.shared: dict[str, tuple[str, bytes]] = {}
        self._lock = threading.Condition()
        self._users: dict[str, dict] = {}
        self._channels: dict[str, dict] = {}
        self._failures: dict[str, deque] = defaultdict(deque)
        self._delays: dict[str, deque] = defaultdict(deque)
        self._holds: dict[str, deque] = defaultdict(deque)
        self._drops: dict[str, deque] = defaultdict(deque)
        self._releases: list[threading.Event] = []  # every hold handed out, to end them on stop
        self._serial = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._answers = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "views.open": self._view,
            "views.push": self._view,
            "views.update": self._view,
            "views.publish": self._view,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.replies": self._conversations_replies,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "users.list": self._users_list,
        }
        self.add_user(bot_user_id, is_bot=True, name="rapport")

    # -- lifecycle

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        # serve_forever notices shutdown() once per poll interval: keep it short so stop() is quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fakeslack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self.release_holds()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>"""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The Web API base URL, for WebClient(base_url=...)."""
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A URL that accepts posts the way Slack's response_url does."""
        return f"{self.base}/response_url/{name}"

    # -- test controls

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def completed_upload(self, index: int = -1) -> list[Upload]:
        """The files of the `index`-th upload completed (files.completeUploadExternal), in
        the order it listed them, once it has been made."""
        completed = self.wait_for("files.completeUploadExternal", max(index + 1, 1))[index]
        with self._lock:
            return [self.uploads[file["id"]] for file in completed.args["files"]]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `method` once there are `count` of them (work the app does after its ack)."""
        with self._lock:
            arrived = self._lock.wait_for(
                lambda: sum(call.method == method for call in self.calls) >= count, timeout
            )
            found = [call for call in self.calls if call.method == method]
        assert arrived, f"expected {count} call(s) to {method}, got {len(found)}"
        return found

    def add_user(
        self,
        user_id,
        *,
        tz="America/New_York",
        locale="en-US",
        is_bot=False,
        name=None,
        team_id=None,
        deleted=False,
        roles=(),
        email=None,
    ) -> dict:
        """Make `user_id` known to users.info; returns the user as users.info shows it.
        `roles` are the flags that are true: is_admin, is_owner, is_restricted (a
        multi-channel guest), is_ultra_restricted (a single-channel guest)."""
        record = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name or f"user_{user_id.lower()}",
            "deleted": deleted,
            "is_bot": is_bot,
            "tz": tz,
            "locale": locale,
            "roles": tuple(roles),
            "email": email,
        }
        with self._lock:
            self._users[user_id] = record
        return _user_object(record, include_locale=True)

    def add_channel(self, channel_id, *, is_private=False, is_member=True) -> None:
        """Make conversations.info describe `channel_id` (a channel not added is public, and
        the bot is in it). As for a bot token on Slack, a private channel the bot is not in
        answers channel_not_found, and joining one fails."""
        with self._lock:
            self._channels[channel_id] = {"is_private": is_private, "is_member": is_member}

    def fail_next(self, method, *, status=429, retry_after=None, error=None, times=1) -> None:
        """Make the next `times` calls to `method` fail.

        Web API methods answer HTTP `status` with {"ok": false, "error": ...};
        status=200 with an error is how Slack reports e.g. channel_not_found.
        For method "response_url" the error is answered as plain text, as Slack does.
        """
        failure = _Failure(
            status, error or DEFAULT_ERRORS.get(status, "internal_error"), retry_after
        )
        with self._lock:
            self._failures[method].extend([failure] * times)

    def delay_next(self, method, seconds, *, times=1) -> None:
        """Make the next `times` calls to `method` answer after sleeping `seconds`."""
        with self._lock:
            self._delays[method].extend([seconds] * times)

    def drop_next(self, method) -> None:
        """Make the next call to `method` get no answer: the connection is closed once the
        request is read, as when it breaks after Slack received (and acted on) the call."""
        with self._lock:
            self._drops[method].append(True)

    def hold_next(self, method) -> threading.Event:
        """Make the next call to `method` wait for its answer until the returned event is set:
        Slack being slow, for as long as the test needs and no longer. The call is recorded
        (wait_for sees it) before it is held; stop() and reset() let held calls go."""
        release = threading.Event()
        with self._lock:
            self._holds[method].append(release)
            self._releases.append(release)
        return release

    def reset(self) -> None:
        """Forget recorded calls and injected faults, let held calls go; keep users."""
        self.release_holds()
        with self._lock:
            self.calls.clear()
            self.uploads.clear()
            self._failures.clear()
            self._delays.clear()
            self._drops.clear()

    def release_holds(self) -> None:
        """Let every held call be answered now (stop() and reset() do too)."""
        with self._lock:
            for release in self._releases:
                release.set()
            self._releases.clear()
            self._holds.clear()

    # -- request handling

    def _handle(self, request: "_Handler") -> None:
        path, _, query = request.path.partition("?")
        if path.startswith("/files/"):
            self._send_file(request, path.removeprefix("/files/").split("/")[0])
            return
        if path.startswith("/upload/") and request.command == "POST":
            self._receive_upload(request, path.removeprefix("/upload/"))
            return
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
        elif path.startswith("/response_url/") and request.command == "POST":
            method = "response_url"
        else:
            request.reply(404, b"not found", "text/plain")
            return

        headers = {name.lower(): value for name, value in request.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = request.rfile.read(length).decode("utf-8")
        call = Call(
            method, _decode_args(query, body, headers.get("content-type", "")), headers, path
        )
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
            delay = _pop(self._delays[method])
            hold = _pop(self._holds[method])
            failure = _pop(self._failures[method])
            drop = _pop(self._drops[method])

        if delay:
            time.sleep(delay)
        if hold:
            hold.wait()
        if drop:
            request.close_connection = True  # no answer: the client sees the connection end
        elif method == "response_url":
            self._answer_response_url(request, failure)
        elif failure:
            extra = (
                {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            )
            request.reply_json(failure.status, {"ok": False, "error": failure.error}, extra)
        else:
            request.reply_json(200, self._answer(call))

    def _receive_upload(self, request: "_Handler", file_id: str) -> None:
        """The upload URL files.getUploadURLExternal handed out: keeps the raw bytes posted."""
        headers = {name.lower(): value for name, value in request.headers.items()}
        content = request.rfile.read(int(headers.get("content-length") or 0))
        with self._lock:
            upload = self.uploads.get(file_id)
            if upload is not None:
                upload.content = content
            self.calls.append(
                Call("upload", {"file_id": file_id, "length": len(content)}, headers, request.path)
            )
            self._lock.notify_all()
        if upload is None:
            request.reply(404, b"unknown upload", "text/plain")
        else:
            request.reply(200, f"OK - {len(content)}".encode(), "text/plain")

    def _answer_response_url(self, request: "_Handler", failure: _Failure | None) -> None:
        if failure:
            request.reply(failure.status, failure.error.encode(), "text/plain; charset=utf-8")
        else:
            request.reply(200, b"ok", "text/plain; charset=utf-8")

    def _answer(self, call: Call) -> dict:
        token = _bearer(call.headers.get("authorization", "")) or call.args.get("token")
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token != self.bot_token:
            return {"ok": False, "error": "invalid_auth"}
        answer = self._answers.get(call.method)
        return answer(call.args) if answer else {"ok": True}

    # -- method answers

    def _auth_test(self, args: dict) -> dict:
        return {
            "ok": True,
            "url": "https://rapport-test.slack.com/",
            "team": "Rapport Test",
            "team_id": self.team_id,
            "user": "rapport",
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict) -> dict:
        with self._lock:
            record = self._users.get(args.get("user", ""))
        if record is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": _user_object(record, include_locale=_truthy(args.get("include_locale"))),
        }

    def _chat_post_message(self, args: dict) -> dict:
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not any(args.get(key) for key in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        if channel[0] in "UW":
            channel = _dm_id(channel)
        ts = self._next_ts()
        message = {
            "type": "message",
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
        }
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, args: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, args: dict) -> dict:
        text = args.get("text", "")
        message = {
            "text": text,
            "blocks": args.get("blocks", []),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
        }
        return {
            "ok": True,
            "channel": args.get("channel"),
            "ts": args.get("ts"),
            "text": text,
            "message": message,
        }

    def _chat_delete(self, args: dict) -> dict:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}

    def _view(self, args: dict) -> dict:
        if not isinstance(args.get("view"), dict):
            return {"ok": False, "error": "invalid_arguments"}
        view = {
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            **args["view"],
            "id": args.get("view_id") or self._next_id("V"),
            "hash": self._next_ts(),
            "team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        return {"ok": True, "view": view}

    def _conversations_open(self, args: dict) -> dict:
        """Opens a DM with the first of `users` (multi-person DMs are not modelled)."""
        channel = args.get("channel") or _dm_id(args.get("users", "").split(",")[0])
        return {"ok": True, "channel": {"id": channel}}

    def _conversations_join(self, args: dict) -> dict:
        with self._lock:
            known = self._channels.get(args.get("channel", ""))
            if known and known["is_private"]:
                return {"ok": False, "error": "method_not_supported_for_channel_type"}
            if known:
                known["is_member"] = True
        return {"ok": True, "channel": {"id": args.get("channel")}}

    def _conversations_info(self, args: dict) -> dict:
        channel = args.get("channel", "")
        with self._lock:
            known = dict(self._channels.get(channel, {"is_private": False, "is_member": True}))
        if known["is_private"] and not known["is_member"]:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": channel, "name": channel.lower(), **known}}

    def _conversations_replies(self, args: dict) -> dict:
        """A thread: the messages this fake posted in it (a thread it knows nothing of
        answers thread_not_found, as Slack does for a ts it does not know)."""
        thread_ts = args.get("ts")
        with self._lock:
            posted = [
                call.args
                for call in self.calls
                if call.method == "chat.postMessage" and call.args.get("thread_ts") == thread_ts
            ]
        if not thread_ts:
            return {"ok": False, "error": "thread_not_found"}
        messages = [
            {
                "type": "message",
                "text": post.get("text", ""),
                "user": self.bot_user_id,
                "bot_id": self.bot_id,
                "thread_ts": thread_ts,
            }
            for post in posted
        ]
        return {"ok": True, "messages": messages, "has_more": False}

    def _files_get_upload_url(self, args: dict) -> dict:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        with self._lock:
            self.uploads[file_id] = Upload(args["filename"])
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict) -> dict:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            for file in files:
                upload = self.uploads.get(file.get("id"))
                if upload is None or upload.content is None:
                    return {"ok": False, "error": "file_not_found"}
                upload.title = file.get("title")
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _files_info(self, args: dict) -> dict:
        with self._lock:
            shared = self.shared.get(args.get("file", ""))
        if shared is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": self._file_object(args["file"], *shared)}

    def _users_lookup_by_email(self, args: dict) -> dict:
        email = (args.get("email") or "").casefold()
        with self._lock:
            found = [r for r in self._users.values() if (r.get("email") or "").casefold() == email]
        if not email or not found:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": _user_object(found[0], include_locale=False)}

    def _users_list(self, args: dict) -> dict:
        with self._lock:
            records = list(self._users.values())
        members = [_user_object(record, include_locale=False) for record in records]
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}

    def _send_file(self, request: "_Handler", file_id: str) -> None:
        """A shared file's url_private_download: its bytes, to the bot token only (else
        Slack's sign-in page, as HTML)."""
        headers = {name.lower(): value for name, value in request.headers.items()}
        with self._lock:
            shared = self.shared.get(file_id)
            self.calls.append(Call("file_download", {"file_id": file_id}, headers, request.path))
            self._lock.notify_all()
        if shared is None:
            request.reply(404, b"not found", "text/plain")
        elif _bearer(headers.get("authorization", "")) != self.bot_token:
            request.reply(200, b"<html>Sign in to Slack</html>", "text/html")
        else:
            request.reply(200, shared[1], "application/octet-stream")

    def add_file(self, name: str, content: bytes) -> dict:
        """A file someone shared (files.info knows it; its download URL serves `content`);
        returns the file as a message event's `files` lists it."""
        file_id = self._next_id("F")
        with self._lock:
            self.shared[file_id] = (name, content)
        return self._file_object(file_id, name, content)

    def _file_object(self, file_id: str, name: str, content: bytes) -> dict:
        url = f"{self.base}/files/{file_id}/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": name.rpartition(".")[2].lower(),
            "size": len(content),
            "url_private": url,
            "url_private_download": f"{url}?download=1",
        }

    # -- ids

    def _next_serial(self) -> int:
        with self._lock:
            self._serial += 1
            return self._serial

    def _next_ts(self) -> str:
        """Unique, increasing message timestamps: 1700000000.000100, 1700000000.000200, ..."""
        micros = 1_700_000_000_000_000 + 100 * self._next_serial()
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{self._next_serial():08d}"


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer  # with a `fake` attribute

    def do_POST(self):
        self.server.fake._handle(self)

    do_GET = do_POST

    def reply(
        self, status: int, body: bytes, content_type: str, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def reply_json(self, status: int, data: dict, headers: dict | None = None) -> None:
        self.reply(status, json.dumps(data).encode(), "application/json; charset=utf-8", headers)

    def log_message(self, format, *args):
        pass  # quiet


def _decode_args(query: str, body: str, content_type: str) -> dict:
    """Query string plus a JSON or form-urlencoded body; JSON strings in JSON_ARGS decoded."""
    args = dict(parse_qsl(query, keep_blank_values=True))
    if body.strip():
        if content_type.startswith("application/json"):
            args.update(json.loads(body))
        else:
            args.update(parse_qsl(body, keep_blank_values=True))
    for key in JSON_ARGS:
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                pass
    return args


ROLES = ("is_admin", "is_owner", "is_restricted", "is_ultra_restricted")


def _user_object(record: dict, *, include_locale: bool) -> dict:
    """A user as users.info answers it, with the offset of its time zone right now."""
    now = datetime.now(ZoneInfo(record["tz"]))
    user = {
        "id": record["id"],
        "team_id": record["team_id"],
        "name": record["name"],
        "real_name": record["name"],
        "deleted": record["deleted"],
        "is_bot": record["is_bot"],
        "tz": record["tz"],
        "tz_label": now.tzname(),
        "tz_offset": int(now.utcoffset().total_seconds()),
        "profile": {
            "display_name": record["name"],
            "real_name": record["name"],
            **({"email": record["email"]} if record.get("email") else {}),
        },
        **{flag: flag in record["roles"] for flag in ROLES},
    }
    if include_locale:
        user["locale"] = record["locale"]
    return user


def _pop(queue: deque):
    return queue.popleft() if queue else None


def _bearer(authorization: str) -> str | None:
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true")


def _dm_id(user_id: str) -> str:
    return "D" + user_id[1:]
