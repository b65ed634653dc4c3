"""The HTTP edge against the real `serve` server: request signatures, the health check,
and what a person sees when something goes wrong on the app's side or Slack's."""

import hashlib
import hmac
import time
import urllib.error
import urllib.request

import pytest

from storage.models import Account, Call, EventDelivery
from support import slack_requests
from support.app import make_client
from support.serving import served
from support.shown import visible
from support.stored import count
from support.workspace import SIGNING_SECRET

LOGCALL = "Acme yesterday 3pm: discussed renewal"
DM_EVENT = slack_requests.direct_message(
    "log Acme yesterday 3pm: discussed renewal",
    ts="1795377600.000100",
    client_msg_id="6a1b8f8e-0000-4000-8000-000000000009",
)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


# -- forged requests


def forgeries(body: str, content_type: str) -> dict[str, dict]:
    """Header sets for `body` that Slack did not sign, by what is wrong with them."""
    now = int(time.time())

    def signed(**signing):
        return slack_requests.signed_headers(
            SIGNING_SECRET, body, content_type=content_type, **signing
        )

    return {
        "unsigned": {"Content-Type": content_type},
        "signature only": {k: v for k, v in signed().items() if k != "X-Slack-Request-Timestamp"},
        "wrong secret": slack_requests.signed_headers(
            "not-the-secret", body, content_type=content_type
        ),
        "wrong signature": {**signed(), "X-Slack-Signature": "v0=" + "0" * 64},
        "another body's signature": slack_requests.signed_headers(
            SIGNING_SECRET, body.replace("discussed", "invented"), content_type=content_type
        ),
        "10 minutes old": signed(timestamp=now - 600),
        "10 minutes ahead": signed(timestamp=now + 600),
    }


def garbage_timestamp(body: str, content_type: str) -> dict:
    """A correct HMAC over "v0:abc:<body>", with "abc" as the timestamp."""
    signature = hmac.new(
        SIGNING_SECRET.encode(), f"v0:abc:{body}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": "abc",
        "X-Slack-Signature": f"v0={signature}",
    }


def assert_nothing_happened(slack, rapport, fake, *, accounts: int):
    slack.settle()
    assert count(rapport, Call) == 0
    assert count(rapport, Account) == accounts
    assert count(rapport, EventDelivery) == 0
    assert fake.calls_to("chat.postMessage") == []


FORGERIES = list(forgeries("x", "text/plain"))


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_logcall_is_refused_and_logs_nothing(slack, rapport, fake, forgery):
    slack.ask("/account", "add Acme Corp")
    answered = len(fake.calls_to("response_url"))
    body = slack_requests.slash_command("/logcall", LOGCALL, response_url=fake.response_url())
    headers = forgeries(body, "application/x-www-form-urlencoded")[forgery]

    status, _, _ = slack_requests.post(f"{slack.base_url}/slack/events", body, headers)

    assert status == 401
    assert_nothing_happened(slack, rapport, fake, accounts=1)
    assert len(fake.calls_to("response_url")) == answered
    # The same request, signed, does log the call: the refusal was the signature's doing.
    assert "discussed renewal" in visible(slack.ask("/logcall", LOGCALL))
    assert count(rapport, Call) == 1


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_dm_event_is_refused_and_logs_nothing(slack, rapport, fake, forgery):
    slack.ask("/account", "add Acme Corp")
    body = slack_requests.event_callback(DM_EVENT, event_id="Ev0FORGED")
    headers = forgeries(body, "application/json")[forgery]

    status, _, _ = slack_requests.post(f"{slack.base_url}/slack/events", body, headers)

    assert status == 401
    assert_nothing_happened(slack, rapport, fake, accounts=1)
    assert slack.event(DM_EVENT, event_id="Ev0FORGED").status == 200
    slack.settle()
    assert count(rapport, Call) == 1


@pytest.mark.parametrize(
    "body, content_type",
    [
        (
            slack_requests.slash_command("/logcall", LOGCALL, response_url="http://127.0.0.1:9/r"),
            "application/x-www-form-urlencoded",
        ),
        (slack_requests.event_callback(DM_EVENT, event_id="Ev0ABC"), "application/json"),
    ],
    ids=["logcall", "dm event"],
)
def test_a_garbage_timestamp_is_refused(slack, rapport, fake, body, content_type):
    slack.ask("/account", "add Acme Corp")
    answered = len(fake.calls_to("response_url"))

    status, _, text = slack_requests.post(
        f"{slack.base_url}/slack/events", body, garbage_timestamp(body, content_type)
    )

    assert_nothing_happened(slack, rapport, fake, accounts=1)
    assert len(fake.calls_to("response_url")) == answered
    assert status == 401, (status, text)


def test_a_garbage_timestamp_stores_nothing(slack, rapport, fake):
    """Whatever the status, an unverified request with a garbage timestamp does nothing."""
    slack.ask("/account", "add Acme Corp")
    body = slack_requests.slash_command("/logcall", LOGCALL, response_url=fake.response_url())
    status, _, text = slack_requests.post(
        f"{slack.base_url}/slack/events",
        body,
        garbage_timestamp(body, "application/x-www-form-urlencoded"),
    )
    assert status != 200 or "discussed renewal" not in text
    assert_nothing_happened(slack, rapport, fake, accounts=1)


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "application/json"},
        slack_requests.signed_headers(
            SIGNING_SECRET,
            slack_requests.slash_command("/logcall", LOGCALL, response_url="http://127.0.0.1:9/r"),
        ),
    ],
    ids=["unsigned form", "unsigned json", "signature of another body"],
)
def test_an_empty_body_is_refused(slack, rapport, fake, headers):
    slack.ask("/account", "add Acme Corp")
    status, _, _ = slack_requests.post(f"{slack.base_url}/slack/events", "", headers)
    assert status == 401
    assert_nothing_happened(slack, rapport, fake, accounts=1)


def test_a_replayed_signature_is_refused_once_stale(slack, rapport, fake):
    """A request captured and replayed later: the signature was right, the timestamp is old."""
    slack.ask("/account", "add Acme Corp")
    body = slack_requests.slash_command("/logcall", LOGCALL, response_url=fake.response_url())
    captured = slack.post(body, timestamp=int(time.time()) - 6 * 60)
    assert captured[0] == 401
    assert_nothing_happened(slack, rapport, fake, accounts=1)


def test_a_signed_request_four_minutes_old_is_accepted(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    body = slack_requests.slash_command("/logcall", LOGCALL, response_url=slack.fake.response_url())
    status, _, text = slack.post(body, timestamp=int(time.time()) - 4 * 60)
    assert status == 200 and "discussed renewal" in text
    assert count(rapport, Call) == 1


# -- health


def test_healthz_answers_200_when_the_database_answers(slack):
    status, text = get(f"{slack.base_url}/healthz")
    assert status == 200 and text.strip() == "ok"


def test_healthz_is_not_behind_the_signature_check(slack):
    status, _, _ = slack_requests.post(f"{slack.base_url}/slack/events", "", {})
    assert status == 401
    assert get(f"{slack.base_url}/healthz")[0] == 200


# -- errors people see


def test_an_unexpected_error_shows_a_reference_and_no_traceback(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp", user_id="U0002")  # U0001 stays a first-time user
    fake.fail_next("users.info", status=500)
    answered = len(fake.calls_to("response_url"))

    ack = slack.command("/logcall", LOGCALL, user_id="U0001")

    assert ack.status == 200
    told = fake.wait_for("response_url", answered + 1)[-1].args
    slack.settle()
    shown = visible(told)
    assert "reference" in shown
    assert "Traceback" not in shown and 'File "' not in shown and "internal_error" not in shown
    assert told.get("response_type", "ephemeral") == "ephemeral"
    assert count(rapport, Call) == 0
    asked = [c for c in fake.calls_to("users.info") if c.args["user"] == "U0001"]
    assert len(asked) == 1  # a 5xx is not retried blindly


def test_the_same_person_can_log_once_slack_recovers(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp", user_id="U0002")
    fake.fail_next("users.info", status=500)
    slack.command("/logcall", LOGCALL, user_id="U0001")
    fake.wait_for("response_url", 2)
    slack.settle()
    assert "discussed renewal" in visible(slack.ask("/logcall", LOGCALL, user_id="U0001"))
    assert count(rapport, Call) == 1


def test_a_rate_limit_is_waited_out_and_the_call_is_logged(settings, rapport, fake):
    """The app's own client (make_client) honours Retry-After; the call is logged after it."""
    with served(settings, rapport, fake, make_client(settings)) as slack:
        base_url = slack.base_url
        add = slack_requests.slash_command(
            "/account", "add Acme Corp", user_id="U0002", response_url=fake.response_url()
        )
        assert (
            slack_requests.post(
                f"{base_url}/slack/events", add, slack_requests.signed_headers(SIGNING_SECRET, add)
            )[0]
            == 200
        )
        slack.settle()
        fake.reset()
        fake.fail_next("users.info", status=429, retry_after=1)

        body = slack_requests.slash_command(
            "/logcall", LOGCALL, user_id="U0001", response_url=fake.response_url()
        )
        started = time.monotonic()
        status, _, _ = slack_requests.post(
            f"{base_url}/slack/events", body, slack_requests.signed_headers(SIGNING_SECRET, body)
        )
        assert status == 200
        assert time.monotonic() - started < 1, (
            "the acknowledgement must not wait for the rate limit"
        )

        reply = fake.wait_for("response_url", 1, timeout=10)[-1].args
        slack.settle()
        assert time.monotonic() - started >= 1
    assert "discussed renewal" in visible(reply) and "reference" not in visible(reply)
    assert len(fake.calls_to("users.info")) == 2
    assert count(rapport, Call) == 1
