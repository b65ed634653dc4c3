"""handlers/after_ack.py: a request is answered as soon as its listener acknowledges, the
rest of the listener goes on in the pool, and errors on either side of the ack reach the
person. Run on a bare Bolt app with the app's settings (process_before_response=True)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

import handlers
from bot.app import create_app
from bot.errors import UserError
from handlers import after_ack, errors
from support import slack_requests
from support.app import migrated, settings_for
from support.databases import sqlite_file

WAIT = 5  # seconds, for what a test waits on at most; nothing here should take long


@pytest.fixture
def pool():
    with ThreadPoolExecutor(4) as pool:
        yield pool


def bare_app(pool, fake) -> App:
    """Bolt with Rapport's settings, the after-ack pool and error handler, and no listener."""
    app = App(
        client=WebClient(token=fake.bot_token, base_url=fake.url),
        signing_secret="",
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,
    )
    app.middleware(after_ack.provide(pool))
    errors.register(app)
    return app


def dispatch(app: App, body: str, content_type="application/x-www-form-urlencoded"):
    return app.dispatch(BoltRequest(body=body, headers={"content-type": content_type}))


def command(text: str = "") -> str:
    return slack_requests.slash_command("/logcall", text, response_url="http://127.0.0.1:9/r")


def test_the_ack_is_the_response_while_the_listener_goes_on(pool, fake):
    app, release, finished = bare_app(pool, fake), threading.Event(), threading.Event()

    @after_ack.listener
    def slow(ack, context):
        ack(text="on it")
        assert release.wait(WAIT)  # Slack taking its time with what follows the ack
        finished.set()

    app.command("/logcall")(slow)
    response = dispatch(app, command())

    assert response.status == 200 and "on it" in response.body
    assert not finished.is_set()
    release.set()
    assert finished.wait(WAIT)


def test_an_error_before_the_ack_is_answered_in_it(pool, fake):
    app = bare_app(pool, fake)

    @after_ack.listener
    def refusing(ack, context):
        raise UserError("Name the account first.")

    app.command("/logcall")(refusing)
    response = dispatch(app, command())

    assert response.status == 200 and "Name the account first." in response.body


def test_a_listener_that_never_acks_does_not_hang_its_request(pool, fake):
    app = bare_app(pool, fake)

    @after_ack.listener
    def quiet(ack, context):
        return None

    app.command("/logcall")(quiet)
    assert dispatch(app, command()).status == 404  # Bolt's answer when no ack was given


def test_an_event_is_acknowledged_before_its_listener_runs(pool, fake):
    app, release, finished = bare_app(pool, fake), threading.Event(), threading.Event()

    @after_ack.listener
    def on_dm(event, context):
        assert release.wait(WAIT)
        finished.set()

    app.event("message")(on_dm)
    body = slack_requests.event_callback(slack_requests.direct_message("hi"), event_id="Ev1")
    response = dispatch(app, body, "application/json")

    assert response.status == 200 and not finished.is_set()
    release.set()
    assert finished.wait(WAIT)


def test_every_listener_of_the_app_runs_through_after_ack(fake, tmp_path, pool):
    settings = settings_for(fake, sqlite_file(tmp_path))
    rapport = migrated(settings)
    app = create_app(settings, rapport=rapport, executor=pool)
    wrapped = after_ack.listener(lambda context: None).__code__  # the same for every listener
    bare = [
        listener.ack_function.__name__
        for listener in app._listeners
        if listener.ack_function.__code__ is not wrapped
    ]
    assert bare == [] and len(app._listeners) >= len(handlers.MODULES)
    rapport.engine.dispose()
