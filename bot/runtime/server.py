"""The HTTP side of `serve`: Slack's endpoint and a health check, on waitress."""

import socket

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bot.runtime.context import Rapport
from storage.db import reachable

# Request threads of one process. A request holds one only until its listener acks
# (handlers/after_ack.py), and a process runs one thread at a time: on 2 cores with 2
# workers, 2 threads a worker served /logcall at 8 and 32 clients faster than 4 or 8,
# which only took turns with each other.
THREADS = 2


def wsgi_app(app: App, rapport: Rapport):
    """POST /slack/events goes to Bolt; GET /healthz answers 200 when the database answers."""
    slack = SlackHandler(app, path="/slack/events")

    def application(environ, start_response):
        if not environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "0").isdigit():
            # slack_sdk's verifier raises on a non-numeric timestamp instead of refusing it.
            start_response("401 Unauthorized", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"invalid request\n"]
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
    """Bolt's WSGI handler, answering 400 to a body it cannot read (`payload=` that is not
    JSON, JSON that is not an object, or an `event` that is not one: Bolt's own middleware
    reads it before the app's) instead of raising, which would be a 500."""

    def dispatch(self, request) -> BoltResponse:
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        except (ValueError, TypeError, AttributeError):  # what BoltRequest raises on such bodies
            return BoltResponse(status=400, body="malformed payload")
        if not isinstance(bolt_request.body.get("event", {}), dict):
            return BoltResponse(status=400, body="malformed payload")
        return self.app.dispatch(bolt_request)


def listening_socket(*, host: str = "0.0.0.0", port: int = 3000) -> socket.socket:
    """The socket `serve` takes connections on, opened once and shared by its workers;
    port 0 picks a free port."""
    listener = socket.create_server((host, port), backlog=1024)
    listener.setblocking(False)
    return listener


def make_server(app: App, rapport: Rapport, listener: socket.socket):
    """A waitress server taking connections on `listener`: .run() serves until the
    process ends."""
    return create_server(
        wsgi_app(app, rapport), sockets=[listener], threads=THREADS, ident="rapport"
    )
