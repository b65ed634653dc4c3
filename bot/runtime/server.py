"""The HTTP side of `serve`: Slack's endpoint, a health check and the grade pages of people
outside Slack (`/g/`, bot/grades/web.py), on waitress.

Meant to sit behind a reverse proxy that terminates TLS (README.md, "Running behind a
reverse proxy"), but safe without one: a body larger than Slack sends is refused before it
is read, one Slack did not sign before it is parsed, and clients that send their headers
slowly cannot take every connection."""

import socket
from collections.abc import Callable, Iterable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.runtime.context import Rapport
from storage.db import reachable

# Request threads of one process. A request holds one only until its listener acks
# (handlers/after_ack.py), and a process runs one thread at a time: on 2 cores with 2
# workers, 2 threads a worker served /logcall at 8 and 32 clients faster than 4 or 8,
# which only took turns with each other.
THREADS = 2
# Slack's largest bodies are under 1 MB even in the worst case (bench/payload_sizes.py: a
# modal of 20 multiline inputs full of emoji, 0.97 MB; a 40,000-character DM, 0.96 MB);
# waitress answers a longer Content-Length 413 before reading the body.
MAX_BODY_BYTES = 1024 * 1024
# Slack's headers take under 1 kB; waitress answers 431 past this.
MAX_HEADER_BYTES = 16 * 1024
# Connections a worker keeps open, half-sent ones included: a slowloris client, trickling
# its headers, holds one for as long as it likes, and at the limit waitress stops accepting
# (waitress's default, 100, was taken by 100 of them). 500 and the worker's other files
# stay under the usual 1024 a process may open; poll() instead of select() copes with
# descriptors past 1024 all the same.
CONNECTION_LIMIT = 500
# A connection silent this long is closed (checked every CLEANUP_SECONDS).
IDLE_SECONDS = 10
CLEANUP_SECONDS = 2
# The reverse proxy of README.md ("Running behind a reverse proxy", docs/nginx.conf) runs on
# this machine and sets X-Forwarded-For to the client's address: only from it is the header
# believed (REMOTE_ADDR becomes the client's, which the grade pages' limit of wrong tokens
# counts by); from anyone else waitress drops it.
TRUSTED_PROXY = "127.0.0.1"
# A WSGI application: the grade pages, built above this layer (bot/grades/web.py).
Pages = Callable[[dict, Callable], Iterable[bytes]]


def wsgi_app(app: App, rapport: Rapport, pages: Pages):
    """POST /slack/events goes to Bolt; GET /healthz answers 200 when the database answers;
    /g/... goes to `pages`."""
    slack = SlackHandler(app, SignatureVerifier(rapport.settings.slack_signing_secret))

    def application(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/g/"):
            return pages(environ, start_response)
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            healthy = reachable(rapport.sessions)
            start_response(
                "200 OK" if healthy else "503 Service Unavailable",
                [("Content-Type", "text/plain; charset=utf-8")],
            )
            return [b"ok\n" if healthy else b"database unreachable\n"]
        return slack(environ, start_response)

    return application


class SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler, checking Slack's signature on the body's bytes before anything
    parses them (401 otherwise), then answering 400 to a signed body it cannot read
    (`payload=` that is not JSON, JSON that is not an object, or an `event` that is not
    one: Bolt's own middleware reads it before the app's) instead of raising, a 500.

    Bolt checks the signature again, as it does for every request it is handed (the
    console's too): one more HMAC of at most a megabyte."""

    def __init__(self, app: App, verifier: SignatureVerifier):
        super().__init__(app, path="/slack/events")
        self.verifier = verifier

    def dispatch(self, request) -> BoltResponse:
        length = int(request.environ.get("CONTENT_LENGTH") or 0)  # waitress checked it
        headers = request.get_headers()
        body = self._signed(request.environ["wsgi.input"].read(length), headers)
        if body is None:
            return BoltResponse(status=401, body={"error": "invalid request"})
        try:
            bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
        except (ValueError, TypeError, AttributeError):  # what BoltRequest raises on such bodies
            return BoltResponse(status=400, body="malformed payload")
        if not isinstance(bolt_request.body.get("event", {}), dict):
            return BoltResponse(status=400, body="malformed payload")
        return self.app.dispatch(bolt_request)

    def _signed(self, raw: bytes, headers: dict) -> str | None:
        """The body as text when Slack signed it in the last five minutes, else None."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        try:
            body = raw.decode()
        except UnicodeDecodeError:  # not what Slack sends, nor signs
            return None
        # slack_sdk's verifier raises on a timestamp that is not a number instead of refusing it.
        if timestamp.isdecimal() and self.verifier.is_valid(
            body, timestamp, headers.get("x-slack-signature", "")
        ):
            return body
        return None


def listening_socket(*, host: str = "0.0.0.0", port: int = 3000) -> socket.socket:
    """The socket `serve` takes connections on, opened once and shared by its workers;
    port 0 picks a free port."""
    listener = socket.create_server((host, port), backlog=1024)
    listener.setblocking(False)
    return listener


def make_server(app: App, rapport: Rapport, listener: socket.socket, *, pages: Pages):
    """A waitress server taking connections on `listener`, serving `pages` under /g/: .run()
    serves until the process ends."""
    return _server(wsgi_app(app, rapport, pages), listener)


def pages_server(pages: Pages, listener: socket.socket):
    """A waitress server of the grade pages alone (the console's, on a local port)."""

    def application(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/g/"):
            return pages(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return _server(application, listener)


def _server(application, listener: socket.socket):
    return create_server(
        application,
        sockets=[listener],
        threads=THREADS,
        ident="rapport",
        max_request_body_size=MAX_BODY_BYTES,
        max_request_header_size=MAX_HEADER_BYTES,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=CLEANUP_SECONDS,
        trusted_proxy=TRUSTED_PROXY,
        trusted_proxy_count=1,
        trusted_proxy_headers={"x-forwarded-for"},
        clear_untrusted_proxy_headers=True,
    )
