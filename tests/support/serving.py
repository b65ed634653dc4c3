"""The real HTTP server of `serve`, run in a thread of the test, and a Slack that talks to
it: requests signed as Slack signs them, acknowledgements decoded, and a wait for the work
the app does after each acknowledgement."""

import contextlib
import json
import threading
from collections.abc import Iterator

from slack_sdk import WebClient

from bot.app import create_app
from bot.grades.web import grade_pages
from bot.runtime.console import SettlingExecutor
from bot.runtime.context import Rapport
from bot.runtime.server import listening_socket, make_server
from bot.runtime.settings import Settings
from support import slack_requests
from support.fake_slack import FakeSlack
from support.workspace import SIGNING_SECRET


class TrackedExecutor(SettlingExecutor):
    """The after-ack pool; tests wait until the work after each ack is done."""

    def settle(self, timeout: float = 10.0) -> None:
        super().settle(timeout)
        assert not self._pending, "listener work did not finish"


# How long the server's request threads get to finish once a test is done with it.
REQUESTS_END_SECONDS = 10


@contextlib.contextmanager
def serving(app, rapport: Rapport) -> Iterator[str]:
    """`serve`'s HTTP server for `app` on a free port, in a thread; yields its base URL."""
    listener = listening_socket(host="127.0.0.1", port=0)
    server = make_server(app, rapport, listener, pages=grade_pages(rapport, app.client))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Its request threads first: each pulls the server's trigger (writes to its pipe)
        # when it finishes a request, so the pipe may only be closed once none is left.
        # waitress's shutdown() gives up waiting after its timeout and returns all the
        # same: closing then let a request still waiting (for Slack, say) write to the
        # closed pipe when it ended, "Bad file descriptor" in trigger.py, or into whatever
        # had been given the pipe's number since. Such a server is left open instead.
        server.task_dispatcher.shutdown(timeout=REQUESTS_END_SECONDS)
        if server.task_dispatcher.threads:
            raise RuntimeError(
                f"a request was still being served {REQUESTS_END_SECONDS} s after the test"
            )
        # Closed from the server's own loop, which then ends at once instead of after the
        # select() it is waiting in times out (a second). The trigger's lock is held until
        # the pull is written: the loop, woken by a byte a request thread left in the pipe,
        # would otherwise run the close, which closes the pipe, before the pull writes to it.
        trigger = server.trigger
        with trigger.lock:
            trigger.thunks.append(server.close)
            trigger.pull_trigger()
        thread.join(timeout=5)


@contextlib.contextmanager
def served(
    settings: Settings, rapport: Rapport, fake: FakeSlack, client: WebClient
) -> Iterator["SlackClient"]:
    """The app, with `client` as its Web API client, behind `serving`; yields the Slack that
    talks to it."""
    executor = TrackedExecutor()
    app = create_app(settings, client=client, rapport=rapport, executor=executor)
    try:
        with serving(app, rapport) as base_url:
            try:
                yield SlackClient(base_url, fake, executor)
            finally:
                # Slack answers what it still holds (a test that failed before letting it
                # go), so that no request is left waiting for it when the server stops.
                fake.release_holds()
    finally:
        executor.shutdown()


class SlackClient:
    """Sends what Slack would send to the app, signed, and decodes the acknowledgements.
    Without an executor (the app runs in another process) there is nothing to settle."""

    def __init__(
        self,
        base_url: str,
        fake: FakeSlack,
        executor: TrackedExecutor | None = None,
        *,
        secret: str = SIGNING_SECRET,
    ):
        self.base_url = base_url
        self.fake = fake
        self.executor = executor
        self.secret = secret

    def settle(self) -> None:
        """Wait until the work the app does after its acknowledgements is done."""
        if self.executor is None:
            raise RuntimeError("the app runs in another process: wait for what it sends")
        self.executor.settle()

    def post(self, body: str, *, content_type="application/x-www-form-urlencoded", **signing):
        headers = slack_requests.signed_headers(
            self.secret, body, content_type=content_type, **signing
        )
        return slack_requests.post(f"{self.base_url}/slack/events", body, headers)

    def command(self, command: str, text: str = "", *, user_id="U0001", **extra) -> "Ack":
        body = slack_requests.slash_command(
            command, text, user_id=user_id, response_url=self.fake.response_url(), **extra
        )
        return Ack(*self.post(body))

    def event(self, event: dict, *, event_id="Ev0001", retry_num=None) -> "Ack":
        body = slack_requests.event_callback(event, event_id=event_id)
        return Ack(*self.post(body, content_type="application/json", retry_num=retry_num))

    def action(self, **payload) -> "Ack":
        payload.setdefault("response_url", self.fake.response_url())
        return Ack(*self.post(slack_requests.block_actions(**payload)))

    def submit(self, **payload) -> "Ack":
        return Ack(*self.post(slack_requests.view_submission(**payload)))

    def shortcut(self, **payload) -> "Ack":
        payload.setdefault("response_url", self.fake.response_url())
        return Ack(*self.post(slack_requests.message_shortcut(**payload)))

    def options(self, **payload) -> "Ack":
        return Ack(*self.post(slack_requests.block_suggestion(**payload)))

    def ask(self, command: str, text: str = "", *, user_id="U0001", **extra) -> dict:
        """What the person sees: the acknowledgement's message, or the reply sent after it."""
        seen = len(self.fake.calls_to("response_url"))
        ack = self.command(command, text, user_id=user_id, **extra)
        assert ack.status == 200, ack.raw
        if ack.json.get("text"):
            return ack.json
        return self.fake.wait_for("response_url", seen + 1)[-1].args


class Ack:
    def __init__(self, status: int, headers: dict, body: str):
        self.status = status
        self.headers = headers
        self.raw = body
        self.json = json.loads(body) if body.startswith("{") else {}
