"""The in-process `serve` server of the tests (support/serving.py) stopped while a request
still waits for Slack: it stops once that request is answered, never under it."""

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_sdk import WebClient

from support.serving import served
from support.workspace import BOT_TOKEN


def test_the_server_stops_cleanly_while_a_request_waits_for_slack(settings, rapport, fake, caplog):
    """Slack holds its answer to the auth.test Bolt asks before a first request's ack, and
    the test ends meanwhile. The server used to give its request threads 5 seconds, then
    close its trigger pipe: the request, answered later, wrote to the closed pipe as it
    ended ("Bad file descriptor" in waitress's trigger.py), or into whatever file had been
    given the pipe's number since."""
    fake.hold_next("auth.test")
    with ThreadPoolExecutor(1) as pool:
        with served(
            settings, rapport, fake, WebClient(token=BOT_TOKEN, base_url=fake.url)
        ) as slack:
            answer = pool.submit(slack.command, "/account", "list")
            fake.wait_for("auth.test")
        assert answer.result(timeout=10).status == 200
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
