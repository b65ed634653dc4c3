"""Clients Slack never is, against the real `serve`: unsigned bodies far larger than Slack
sends or nested deeper than a parser copes with, headers larger than Slack sends, and
slowloris connections holding the server's connections. Each is refused, or outlasted,
and Slack's signed requests are still answered."""

import pytest

from storage.models import Account
from support.hostile_clients import MIB, memory_mib, nested_json, post_raw, post_unsigned, slowloris
from support.serve_processes import serve_processes
from support.shown import visible
from support.stored import count
from support.workspace import SIGNING_SECRET

TOO_LARGE = "HTTP/1.1 413 Request Entity Too Large"
# Growth of the server's peak memory a refused body may cause: reading a 100 MB body used
# to take it up by 190 MiB (bench/hostile_clients.py).
MEMORY_SLACK_MIB = 20
SLOW_CONNECTIONS = 150


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_larger_than_slack_sends_is_refused_before_it_is_read(slack, rapport, chunked):
    assert post_unsigned(slack.base_url, 100 * 10**6, chunked=chunked) == TOO_LARGE
    assert post_unsigned(slack.base_url, MIB, chunked=chunked) == TOO_LARGE
    assert count(rapport, Account) == 0


def test_an_unsigned_body_is_refused_before_it_is_parsed(slack, rapport, caplog):
    """JSON nested 100,000 deep makes Bolt's parser raise RecursionError (a 500 and a
    traceback in the log), and a body not in UTF-8 its decoder; unsigned, neither is read."""
    for body in (nested_json(), b"\xff" * 1000, b"x" * (MIB - 1000)):
        status, answer = post_raw(slack.base_url, body)
        assert status == 401, answer[:200]
    assert not [r for r in caplog.records if r.levelname == "ERROR" or r.exc_info]
    assert count(rapport, Account) == 0


def test_headers_larger_than_slack_sends_are_refused(slack):
    status, _ = post_raw(slack.base_url, b"{}", headers=b"X-Padding: %s\r\n" % (b"x" * 20_000))
    assert status == 431


def test_signed_requests_are_answered_while_slow_clients_hold_connections(slack):
    """Slowloris: each connection sends the start of its headers, and a line now and then,
    never the end. Waitress used to stop accepting at 100 of them."""
    with slowloris(slack.base_url, SLOW_CONNECTIONS) as held:
        assert held.trickle() == SLOW_CONNECTIONS
        assert "Added *Acme Corp*" in visible(slack.ask("/account", "add Acme Corp"))
        assert held.trickle() == SLOW_CONNECTIONS  # not dropped to make room, either


def test_python_m_bot_serve_keeps_its_memory_under_hostile_bodies(database_url, fake, tmp_path):
    """The process's peak resident memory (VmHWM) barely moves under a 100 MB unsigned body,
    sent with its length or chunked, and a deeply nested one; nothing is logged as an error."""
    with (
        (tmp_path / "serve.log").open("w+") as log,
        serve_processes(
            url=database_url,
            fake=fake,
            secret=SIGNING_SECRET,
            tick_seconds=60,
            log=log,
            settings={"SERVE_WORKERS": "1", "LOG_LEVEL": "INFO"},
        ) as [served],
    ):
        before = memory_mib(served.process.pid, "VmHWM")
        assert post_unsigned(served.base, 100 * 10**6) == TOO_LARGE
        assert post_unsigned(served.base, 100 * 10**6, chunked=True) == TOO_LARGE
        assert post_raw(served.base, nested_json())[0] == 401
        assert memory_mib(served.process.pid, "VmHWM") - before < MEMORY_SLACK_MIB
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output and " ERROR " not in output, output
