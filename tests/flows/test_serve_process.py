"""Black-box: `python -m bot serve` as its own process, configured only by its environment,
talking to the fake Slack. The scenario of the foundation issue, on SQLite and PostgreSQL."""

import signal
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from storage.db import make_engine, make_sessions
from storage.models import Call, Grade, RecoveryPlan
from support import slack_requests
from support.forms import plan_form, reason_form
from support.serve_processes import serve_processes
from support.serving import SlackClient
from support.shown import visible
from support.workspace import NEW_YORK, SIGNING_SECRET

HELD_REPLIES = 8  # more than Bolt's default listener pool


@pytest.fixture
def served(database_url, fake, tmp_path):
    """`python -m bot serve` on a free port, in an empty folder; yields its base URL once
    /healthz answers 200, and checks that SIGTERM ends it cleanly."""
    with (
        (tmp_path / "serve.log").open("w+") as log,
        serve_processes(
            url=database_url,
            fake=fake,
            secret=SIGNING_SECRET,
            tick_seconds=60,
            log=log,
            cwd=tmp_path,
        ) as [process],
    ):
        yield process.base


def command(base: str, fake, text: str, name: str = "/logcall") -> dict:
    """Send a slash command; what the person sees (the ack, or the reply after it)."""
    return SlackClient(base, fake).ask(name, text)


def calls_stored(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with make_sessions(engine).begin() as s:
            return s.scalar(select(func.count()).select_from(Call))
    finally:
        engine.dispose()


def test_the_foundation_scenario_against_python_m_bot_serve(served, fake, database_url):
    assert "Added *Acme Corp*" in visible(command(served, fake, "add Acme Corp", name="/account"))

    before = datetime.now(ZoneInfo(NEW_YORK))
    reply = visible(command(served, fake, "Acme yesterday 3pm: discussed renewal"))
    expected = {
        int(
            (day - timedelta(days=1))
            .replace(hour=15, minute=0, second=0, microsecond=0)
            .timestamp()
        )
        for day in (before, datetime.now(ZoneInfo(NEW_YORK)))
    }
    assert any(f"<!date^{epoch}^{{date_short_pretty}} {{time}}|" in reply for epoch in expected), (
        reply
    )
    assert calls_stored(database_url) == 1

    bad_date = visible(command(served, fake, "Acme blursday at teatime: discussed renewal"))
    assert "blursday at teatime" in bad_date
    unknown = visible(command(served, fake, "Globex yesterday 3pm: discussed renewal"))
    assert "Globex" in unknown
    assert calls_stored(database_url) == 1

    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0001",
        "user": "U0001",
        "text": "log Acme 2 hours ago: follow-up by DM",
        "ts": f"{time.time():.6f}",
        "client_msg_id": "0b4bd3a6-1e0f-4c8a-9c1e-000000000003",
    }
    body = slack_requests.event_callback(event, event_id="Ev0SERVE1")
    for retry in (None, 1, 2):
        headers = slack_requests.signed_headers(
            SIGNING_SECRET, body, content_type="application/json", retry_num=retry
        )
        status, _, _ = slack_requests.post(f"{served}/slack/events", body, headers)
        assert status == 200
    # Then another DM: its help reply is queued after the three deliveries, so by the time
    # it arrives the retries have almost surely been handled. (flows/test_flow_calls.py
    # proves the same deterministically, in-process, by waiting for Bolt's executor.)
    hello = {**event, "text": "hello", "client_msg_id": "0b4bd3a6-1e0f-4c8a-9c1e-000000000004"}
    body = slack_requests.event_callback(hello, event_id="Ev0SERVE2")
    headers = slack_requests.signed_headers(SIGNING_SECRET, body, content_type="application/json")
    assert slack_requests.post(f"{served}/slack/events", body, headers)[0] == 200
    replies = [visible(call.args) for call in fake.wait_for("chat.postMessage", 2)]
    assert sum("Logged a call" in reply for reply in replies) == 1
    assert calls_stored(database_url) == 2


def test_the_grade_scenario_against_python_m_bot_serve(served, fake, database_url):
    """/grade, a stranger's press, the client's C with a reason (twice), the owner's
    at-risk DM naming B-, and the planned follow-up, all through the separate process."""
    command(served, fake, "add Acme Corp", name="/account")
    asked = visible(command(served, fake, "Acme <@U0003|client>", name="/grade"))
    assert "Asked <@U0003>" in asked
    [prompt] = [c.args for c in fake.wait_for("chat.postMessage") if c.args["channel"] == "U0003"]
    buttons = {
        e["text"]["text"]: e
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }
    assert list(buttons) == [
        "A+",
        "A",
        "A-",
        "B+",
        "B",
        "B-",
        "C+",
        "C",
        "C-",
        "D+",
        "D",
        "D-",
        "F",
    ]

    def press(button: dict, user_id: str) -> None:
        body = slack_requests.block_actions(
            action_id=button["action_id"],
            value=button["value"],
            user_id=user_id,
            channel_id="D0003",
            response_url=fake.response_url(),
            message={"type": "message", "ts": "1700000000.000100", "text": "", "blocks": []},
        )
        headers = slack_requests.signed_headers(SIGNING_SECRET, body)
        assert slack_requests.post(f"{served}/slack/events", body, headers)[0] == 200

    press(buttons["A+"], "U0002")
    told = fake.wait_for("response_url", 3)[-1].args  # add, grade, then this
    assert "This question was for <@U0003>" in visible(told)

    press(buttons["C"], "U0003")
    view = fake.wait_for("views.open")[0].args["view"]
    reason = reason_form("proposals come late")

    def submit_reason() -> None:
        body = slack_requests.view_submission(
            callback_id=view["callback_id"],
            values=reason,
            user_id="U0003",
            private_metadata=view["private_metadata"],
        )
        headers = slack_requests.signed_headers(SIGNING_SECRET, body)
        assert slack_requests.post(f"{served}/slack/events", body, headers)[0] == 200

    submit_reason()
    fake.wait_for("chat.update")  # the prompt now shows the grade
    submit_reason()  # a second tab: nothing more is recorded, and the client is told
    told_client = [
        c.args for c in fake.wait_for("chat.postMessage", 3) if c.args["channel"] == "U0003"
    ]
    assert "Nothing more was recorded" in visible(told_client[-1])
    alert = next(c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "U0001")
    assert "*B-*" in visible(alert)
    engine = make_engine(database_url)
    with make_sessions(engine).begin() as s:
        assert [g.grade for g in s.scalars(select(Grade))] == ["C"]
    plan_button = next(e for b in alert["blocks"] if b["type"] == "actions" for e in b["elements"])

    press(plan_button, "U0001")
    plan_view = fake.wait_for("views.open", 2)[-1].args["view"]
    body = slack_requests.view_submission(
        callback_id=plan_view["callback_id"],
        user_id="U0001",
        private_metadata=plan_view["private_metadata"],
        values=plan_form("2099-01-04", "a pricing proposal"),
    )
    headers = slack_requests.signed_headers(SIGNING_SECRET, body)
    status, _, raw = slack_requests.post(f"{served}/slack/events", body, headers)
    assert status == 200 and raw == "", raw
    fake.wait_for("chat.update", 2)
    with make_sessions(engine).begin() as s:
        plan = s.scalars(select(RecoveryPlan)).one()
        assert (plan.status, plan.target, plan.what_it_takes) == (
            "planned",
            "B-",
            "a pricing proposal",
        )
        assert len(s.scalars(select(Grade)).all()) == 1
    engine.dispose()


def test_acks_do_not_wait_for_slack_calls_after_earlier_acks(served, fake, database_url):
    """Each `log ...` DM is answered with chat.postMessage after its ack. While Slack holds
    those answers, more DMs are still acknowledged at once: Slack gives up on an ack after
    3 seconds, and retries the event."""
    command(served, fake, "add Acme Corp", name="/account")
    slack = SlackClient(served, fake)
    held = [fake.hold_next("chat.postMessage") for _ in range(HELD_REPLIES)]
    try:
        for i in range(HELD_REPLIES):
            dm = slack_requests.direct_message(f"log Acme: note {i}", user_id="U0001")
            began = time.monotonic()
            assert slack.event(dm, event_id=f"EvHeld{i}").status == 200
            assert time.monotonic() - began < 2
        fake.wait_for("chat.postMessage", HELD_REPLIES)
    finally:
        for release in held:
            release.set()
    assert calls_stored(database_url) == HELD_REPLIES


def test_sigterm_lets_the_work_after_acks_finish(database_url, fake, tmp_path):
    """A deploy stops the server while Slack is still answering a reply sent after an ack:
    the server waits for it, then exits cleanly; nothing is dropped."""
    with (
        (tmp_path / "serve.log").open("w+") as log,
        serve_processes(
            url=database_url, fake=fake, secret=SIGNING_SECRET, tick_seconds=60, log=log
        ) as [server],
    ):
        command(server.base, fake, "add Acme Corp", name="/account")
        release = fake.hold_next("chat.postMessage")
        dm = slack_requests.direct_message("log Acme: just before the deploy", user_id="U0001")
        assert SlackClient(server.base, fake).event(dm, event_id="EvDeploy").status == 200
        fake.wait_for("chat.postMessage")
        server.process.send_signal(signal.SIGTERM)
        time.sleep(1)
        assert server.process.poll() is None  # still waiting for Slack's answer
        release.set()
        code = server.process.wait(timeout=10)
        log.seek(0)
        assert code == 0, log.read()
    [reply] = fake.calls_to("chat.postMessage")
    assert "Logged a call with *Acme Corp*" in visible(reply.args)


def test_serve_starts_when_slack_fails_its_token_check(database_url, fake, tmp_path):
    """Slack failing auth.test at start (a 500, an outage) is not Slack refusing the token:
    `serve` says it could not check, starts, and answers once Slack does."""
    fake.fail_next("auth.test", status=500)
    with (
        (tmp_path / "serve.log").open("w+") as log,
        serve_processes(
            url=database_url, fake=fake, secret=SIGNING_SECRET, tick_seconds=60, log=log
        ) as [server],
    ):
        assert "Added *Acme Corp*" in visible(
            command(server.base, fake, "add Acme Corp", "/account")
        )
    assert (
        "could not check SLACK_BOT_TOKEN: Slack answered 500"
        in (tmp_path / "serve.log").read_text()
    )
