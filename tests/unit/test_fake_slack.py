"""The tests' own fake Slack Web API (support/fake_slack.py) and signed requests
(support/slack_requests.py) behave as Slack does."""

import json
import time
import types
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from support import slack_requests
from support.fake_slack import FakeSlack

SECRET = "test-signing-secret"


@pytest.fixture
def fake():
    """A fake Slack as it starts: no user but the bot (conftest's client talks to it)."""
    with FakeSlack() as fake:
        yield fake


def test_users_info_with_locale(fake, client):
    fake.add_user("U0001", tz="Europe/Berlin", locale="de-DE", name="anna")

    user = client.users_info(user="U0001", include_locale=True)["user"]

    assert user["id"] == "U0001"
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert user["locale"] == "de-DE"
    assert user["profile"]["display_name"] == "anna"
    assert "locale" not in client.users_info(user="U0001")["user"]


def test_unknown_user(client):
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="UNOBODY")
    assert raised.value.response["error"] == "user_not_found"


def test_invalid_token_is_rejected_and_recorded(fake):
    client = WebClient(token="xoxb-wrong", base_url=fake.url)

    with pytest.raises(SlackApiError) as raised:
        client.auth_test()

    assert raised.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.url).auth_test()
    assert raised.value.response["error"] == "not_authed"
    assert [call.method for call in fake.calls] == ["auth.test", "auth.test"]


def test_post_message_is_recorded_with_decoded_blocks(fake, client):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]

    first = client.chat_postMessage(channel="C0001", text="hi", blocks=blocks)
    second = client.api_call(
        "chat.postMessage", params={"channel": "U0002", "text": "dm", "blocks": json.dumps(blocks)}
    )

    assert first["channel"] == "C0001"
    assert second["channel"] == "D0002"
    assert float(second["ts"]) > float(first["ts"])
    calls = fake.calls_to("chat.postMessage")
    assert [call.args["blocks"] for call in calls] == [blocks, blocks]
    assert calls[0].headers["authorization"] == f"Bearer {fake.bot_token}"


def test_views_open_answers_the_view_with_an_id(client):
    view = {
        "type": "modal",
        "callback_id": "log_call",
        "title": {"type": "plain_text", "text": "Log"},
        "blocks": [],
    }

    answered = client.views_open(trigger_id="t", view=view)["view"]

    assert answered["callback_id"] == "log_call"
    assert answered["id"].startswith("V")


def test_slack_level_error(fake, client):
    fake.fail_next("chat.postMessage", status=200, error="channel_not_found")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C404", text="hi")

    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C404", text="hi")["ok"]


def test_rate_limit_answer_carries_retry_after(fake, client):
    fake.fail_next("chat.postMessage", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0001", text="hi")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"


def test_rate_limit_retry_handler_honours_retry_after(fake, monkeypatch):
    slept = []
    monkeypatch.setattr(builtin_handlers, "time", types.SimpleNamespace(sleep=slept.append))
    client = WebClient(
        token=fake.bot_token, base_url=fake.url, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=1)

    assert client.chat_postMessage(channel="C0001", text="hi")["ok"]

    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(slept) == 1 and 1 <= slept[0] < 2


def test_delay_next(fake, client):
    fake.delay_next("auth.test", 0.2)

    started = time.monotonic()
    client.auth_test()

    assert time.monotonic() - started >= 0.2


def test_hold_next_keeps_one_answer_until_released(fake, client):
    release = fake.hold_next("auth.test")
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(client.auth_test)
        fake.wait_for("auth.test")

        assert client.auth_test()["ok"]  # only the next call is held; others are answered
        assert not held.done()
        release.set()
        assert held.result(timeout=5)["ok"]


def test_drop_next_closes_the_connection_unanswered(fake):
    client = WebClient(token=fake.bot_token, base_url=fake.url, retry_handlers=[])
    fake.drop_next("chat.postMessage")

    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel="C0001", text="hi")

    assert len(fake.calls_to("chat.postMessage")) == 1  # Slack had it
    assert client.chat_postMessage(channel="C0001", text="hi")["ok"]


def test_reset_lets_held_calls_go(fake, client):
    fake.hold_next("auth.test")
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(client.auth_test)
        fake.wait_for("auth.test")
        fake.reset()
        assert held.result(timeout=5)["ok"]


def test_response_url_posts_are_recorded(fake):
    response = WebhookClient(fake.response_url("r7")).send(text="done", replace_original=True)

    assert response.status_code == 200
    assert response.body == "ok"
    [call] = fake.calls_to("response_url")
    assert call.args == {"text": "done", "replace_original": True}
    assert call.path == "/response_url/r7"


def test_post_returns_error_statuses(fake):
    fake.fail_next("response_url", status=404, error="expired_url")

    status, headers, body = slack_requests.post(
        fake.response_url(), '{"text": "late"}', {"Content-Type": "application/json"}
    )

    assert (status, body) == (404, "expired_url")
    assert headers["content-type"].startswith("text/plain")


def test_reset_forgets_calls_and_faults_but_keeps_users(fake, client):
    fake.add_user("U0001")
    fake.fail_next("users.info", status=500)
    fake.reset()

    assert client.users_info(user="U0001")["ok"]
    assert len(fake.calls) == 1


def test_signed_headers_pass_slack_sdk_verification():
    body = slack_requests.slash_command("/logcall", "acme", response_url="http://127.0.0.1:9/r")
    headers = slack_requests.signed_headers(SECRET, body)

    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)
    retried = slack_requests.signed_headers(SECRET, body, retry_num=1)
    assert (retried["X-Slack-Retry-Num"], retried["X-Slack-Retry-Reason"]) == ("1", "http_timeout")


# -- slack_bolt parses and routes the signed payloads


@pytest.fixture
def app(fake):
    """A Bolt app that runs listeners before answering, so a test can see what they did."""
    return App(
        signing_secret=SECRET,
        client=WebClient(token=fake.bot_token, base_url=fake.url),
        token_verification_enabled=False,
        request_verification_enabled=True,
        process_before_response=True,
    )


def dispatch(app, body, content_type="application/x-www-form-urlencoded"):
    return slack_requests.dispatch(app, body, secret=SECRET, content_type=content_type)


def test_bolt_routes_slash_command(app, fake):
    seen = []

    @app.command("/logcall")
    def handle(ack, command, respond):
        ack()
        seen.append(command["text"])
        respond("logged")

    response = dispatch(
        app, slack_requests.slash_command("/logcall", "acme", response_url=fake.response_url())
    )

    assert response.status == 200
    assert seen == ["acme"]
    assert fake.calls_to("response_url")[0].args["text"] == "logged"


def test_bolt_rejects_a_bad_signature(app, fake):
    body = slack_requests.slash_command("/logcall", response_url=fake.response_url())
    headers = slack_requests.signed_headers("wrong-secret", body)

    assert app.dispatch(BoltRequest(body=body, headers=headers)).status == 401


def test_bolt_routes_block_actions(app, fake):
    seen = []

    @app.action("undo_call")
    def handle(ack, action, body):
        ack()
        seen.append((action["value"], body["channel"]["id"], body["user"]["id"]))

    response = dispatch(
        app,
        slack_requests.block_actions(
            action_id="undo_call", value="42", response_url=fake.response_url()
        ),
    )

    assert response.status == 200
    assert seen == [("42", "C0001", "U0001")]


def test_bolt_routes_view_submission(app):
    seen = []

    @app.view("log_call")
    def handle(ack, view):
        ack()
        seen.append(
            (view["state"]["values"]["notes"]["notes_input"]["value"], view["private_metadata"])
        )

    values = {"notes": {"notes_input": {"type": "plain_text_input", "value": "went well"}}}
    response = dispatch(
        app,
        slack_requests.view_submission(
            callback_id="log_call", values=values, private_metadata="C0001"
        ),
    )

    assert response.status == 200
    assert seen == [("went well", "C0001")]


def test_bolt_routes_block_suggestion(app):
    @app.options("account")
    def handle(ack, payload):
        ack(
            options=[
                {"text": {"type": "plain_text", "text": payload["value"].title()}, "value": "a1"}
            ]
        )

    response = dispatch(app, slack_requests.block_suggestion(action_id="account", value="acme"))

    assert response.status == 200
    assert json.loads(response.body)["options"][0]["text"]["text"] == "Acme"


def test_bolt_routes_message_shortcut(app, fake):
    seen = []

    @app.shortcut("log_call_from_message")
    def handle(ack, shortcut):
        ack()
        seen.append(shortcut["message"]["text"])

    message = {
        "type": "message",
        "user": "U0002",
        "ts": "1700000000.000200",
        "text": "call with acme",
    }
    body = slack_requests.message_shortcut(
        callback_id="log_call_from_message", message=message, response_url=fake.response_url()
    )
    response = dispatch(app, body)

    assert response.status == 200
    assert seen == ["call with acme"]


def test_bolt_routes_event_callback(app):
    seen = []

    @app.event("message")
    def handle(event):
        seen.append(event["text"])

    event = {
        "type": "message",
        "channel": "C0001",
        "user": "U0001",
        "text": "hello",
        "ts": "1700000000.000300",
    }
    response = dispatch(app, slack_requests.event_callback(event), content_type="application/json")

    assert response.status == 200
    assert seen == ["hello"]
