"""Slack's Web API misbehaving under each method the app uses: a rate limit (429 with
Retry-After, and one that outlasts the retries), a 500, a 503, an answer lost with its
connection, and a slow answer.

One table, FLOWS: each method, the flow that calls it, and what the person and the data
should end up with. The app runs with its production client (make_client: rate limits are
waited out, nothing else is resent blindly) behind the real `serve` server. Nothing sleeps:
the retry handler's wait is recorded instead of slept, and a slow answer is held by the
fake until the test lets it go. The 5xx rows, where what is stored matters most, run on
both databases; the others on SQLite only, to keep the matrix affordable.
"""

import json
import types
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from slack_sdk.http_retry import builtin_handlers, handler
from sqlalchemy import select

from bot.runtime.slack_client import NOT_RESENT, RATE_LIMIT_RETRIES
from storage.models import Account, DigestSubscription, Grade, GradeRequest, RecoveryPlan
from storage.models import Call as LoggedCall
from support import slack_requests
from support.app import make_client
from support.fake_slack import Call, FakeSlack
from support.forms import call_form
from support.grading import press, submit
from support.serving import Ack, SlackClient, served
from support.shown import visible
from support.stored import count
from support.workspace import CLIENT

OWNER = "U0001"  # owns Acme; their profile is cached
NEWCOMER = "U0002"  # no cached profile until a flow needs it
CHANNEL = "C0001"  # where slash commands are typed
RETRY_AFTER = 1  # seconds Slack asks to wait; recorded, not slept


@pytest.fixture
def slack(settings, rapport, fake):
    """As conftest's, but with the client the app builds for itself (make_client)."""
    with served(settings, rapport, fake, make_client(settings)) as slack:
        yield slack


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The seconds slack_sdk's retry handlers waited, recorded instead of slept."""
    waited = []
    for module in (builtin_handlers, handler):
        monkeypatch.setattr(module, "time", types.SimpleNamespace(sleep=waited.append))
    return waited


SLACK_FAILED = "Slack had a problem answering me"  # handlers/errors.py


@dataclass(frozen=True)
class Flow:
    """What a person does that makes the app call `method`, and what it leaves behind."""

    method: str
    prepare: Callable[[SlackClient, object], object]  # (slack, rapport), before the fault
    act: Callable[[SlackClient, object], Ack]  # (slack, what prepare returned): the request
    sends: Callable[[Call], bool]  # which calls to `method` are this flow's operation
    stored: Callable[[object, object], int]  # (rapport, fake) -> what the operation left
    done: int  # stored when Slack answered
    kept: int  # stored when Slack answered the operation with a 5xx, or its answer was lost
    tells: str = SLACK_FAILED  # what the person is shown then


def acme(slack: SlackClient, rapport=None) -> None:
    slack.ask("/account", "add Acme Corp", user_id=OWNER)


def acme_id(slack: SlackClient, rapport) -> int:
    acme(slack)
    with rapport.reads.begin() as s:
        return s.scalar(select(Account.id))


def log_from_home(slack: SlackClient, account_id: int) -> Ack:
    values = call_form(account_id, when="now", notes="renewal")
    home = json.dumps({"from_home": True})
    return slack.submit(callback_id="log_call", values=values, private_metadata=home)


def reason_modal(label: str) -> Callable[[SlackClient, object], dict]:
    """Acme asked of the client, who pressed `label`: the reason modal, to submit."""

    def prepare(slack: SlackClient, rapport) -> dict:
        acme(slack)
        slack.ask("/grade", f"Acme <@{CLIENT}|client>", user_id=OWNER)
        assert press(slack, rapport, label) is None
        return slack.fake.wait_for("views.open")[-1].args["view"]

    return prepare


def log_in_a_dm(slack: SlackClient, _) -> Ack:
    event = slack_requests.direct_message("log Acme: quick check-in", user_id=OWNER)
    return slack.event(event, event_id="Ev0FAULT")


def rows(model) -> Callable[[object, object], int]:
    return lambda rapport, fake: count(rapport, model)


def nothing(rapport, fake) -> int:
    return 0


def uploaded(rapport, fake) -> int:
    """Reports whose upload was completed (their workbook shared with a title, after its
    picture)."""
    return sum(
        upload.title is not None and upload.filename.endswith(".xlsx")
        for upload in fake.uploads.values()
    )


def the_picture(call: Call) -> bool:
    return call.args.get("filename", "").endswith(".png")


def every(call: Call) -> bool:
    return True


def to(channel: str) -> Callable[[Call], bool]:
    return lambda call: call.args.get("channel") == channel


def logcall(text: str, user_id: str) -> Callable[[SlackClient, object], Ack]:
    return lambda slack, _: slack.command("/logcall", text, user_id=user_id)


def command(name: str, text: str) -> Callable[[SlackClient, object], Ack]:
    return lambda slack, _: slack.command(name, text, user_id=OWNER)


def answer(reason: str) -> Callable[[SlackClient, dict], Ack]:
    return lambda slack, view: submit(slack, view, reason)


REPORT = dict(prepare=acme, act=command("/account", "report"), sends=every, stored=uploaded)
SUBSCRIBE = dict(
    prepare=lambda slack, _: (acme(slack), slack.fake.add_channel(CHANNEL, is_member=False)),
    act=command("/digest", "subscribe"),  # in a public channel the bot is not in: it joins
    sends=every,
    stored=rows(DigestSubscription),
    done=1,
    kept=0,
)
ASK = command("/grade", f"Acme <@{CLIENT}|client>")

FLOWS = {
    # A first-time user's /logcall: their timezone comes from users.info, after the ack.
    "users.info": Flow(
        "users.info", acme, logcall("Acme: renewal", NEWCOMER), every, rows(LoggedCall), 1, 0
    ),
    # The reply to `log ...` in a DM; the call is stored before it, and stays: the person
    # is told so, not that it may not have gone through (they would send it again).
    "chat.postMessage (DM reply)": Flow(
        "chat.postMessage",
        acme,
        log_in_a_dm,
        lambda call: "Logged a call" in call.args.get("text", ""),
        rows(LoggedCall),
        1,
        1,
        tells="Your call with *Acme Corp* is stored, but Slack did not show its confirmation",
    ),
    # /grade DMs the prompt; a request whose prompt Slack did not take is removed again.
    "chat.postMessage (grade prompt)": Flow(
        "chat.postMessage", acme, ASK, to(CLIENT), rows(GradeRequest), 1, 0
    ),
    # A C is recorded and the owner alerted; the grader is not told of the owner's alert.
    "chat.postMessage (at-risk alert)": Flow(
        "chat.postMessage",
        reason_modal("C"),
        answer("slow proposals"),
        to(OWNER),
        rows(RecoveryPlan),
        1,
        1,
        tells="You gave *Acme Corp* a *C*",
    ),
    # An A is recorded, then the prompt is updated to show it.
    "chat.update": Flow(
        "chat.update", reason_modal("A"), answer("great proposals"), every, rows(Grade), 1, 1
    ),
    # /logcall alone opens the modal.
    "views.open": Flow("views.open", acme, logcall("", OWNER), every, nothing, 0, 0),
    # The log-call modal, opened from the Home tab: the call is stored and confirmed in a
    # DM, then the Home is published again: a side step.
    "views.publish": Flow(
        "views.publish",
        acme_id,
        log_from_home,
        every,
        rows(LoggedCall),
        1,
        1,
        tells="Logged a call with *Acme Corp*",
    ),
    # /account report: a spreadsheet uploaded to the person's DM.
    "conversations.open": Flow("conversations.open", **REPORT, done=1, kept=0),
    # (one file of two: the picture, announced first; the faults hit it)
    "files.getUploadURLExternal": Flow(
        "files.getUploadURLExternal", **{**REPORT, "sends": the_picture}, done=1, kept=0
    ),
    "files.completeUploadExternal": Flow("files.completeUploadExternal", **REPORT, done=1, kept=0),
    # /digest subscribe checks the channel and joins it.
    "conversations.info": Flow("conversations.info", **SUBSCRIBE),
    "conversations.join": Flow("conversations.join", **SUBSCRIBE),
    # /grade's confirmation goes through the command's response_url, else to a DM.
    "response_url": Flow(
        "response_url",
        acme,
        ASK,
        every,
        rows(GradeRequest),
        1,
        1,
        tells=f"Asked <@{CLIENT}> for a grade on *Acme Corp*",
    ),
}


@pytest.fixture(params=FLOWS)
def flow(request, slack, rapport) -> tuple[Flow, object]:
    """The flow, prepared; what was called while preparing is forgotten."""
    flow = FLOWS[request.param]
    prepared = flow.prepare(slack, rapport)
    slack.settle()
    slack.fake.reset()
    return flow, prepared


def attempts(fake: FakeSlack, flow: Flow) -> list[Call]:
    return [call for call in fake.calls_to(flow.method) if flow.sends(call)]


SHOWN = ("response_url", "chat.postMessage", "chat.update")


def shown(ack: Ack, fake: FakeSlack) -> str:
    """Everything people were shown: the acknowledgement, and what was sent after it."""
    sent = [call for call in fake.calls if call.method in SHOWN]
    return "\n".join([ack.raw, *(visible(call.args) for call in sent)])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_rate_limit_is_waited_out_and_the_operation_happens_once(flow, slack, rapport, waits):
    flow, prepared = flow
    slack.fake.fail_next(flow.method, status=429, retry_after=RETRY_AFTER)

    ack = flow.act(slack, prepared)

    assert ack.status == 200, ack.raw
    slack.settle()
    assert len(attempts(slack.fake, flow)) == 2  # the 429, then the one after Retry-After
    assert len(waits) == 1 and waits[0] >= RETRY_AFTER
    assert flow.stored(rapport, slack.fake) == flow.done
    assert "reference" not in shown(ack, slack.fake)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("flow", ["users.info", "chat.postMessage (grade prompt)"], indirect=True)
def test_a_rate_limit_that_outlasts_the_retries_is_told_plainly(flow, slack, rapport, waits):
    flow, prepared = flow
    slack.fake.fail_next(flow.method, status=429, retry_after=0, times=RATE_LIMIT_RETRIES + 1)

    ack = flow.act(slack, prepared)

    assert ack.status == 200, ack.raw
    slack.settle()
    assert len(attempts(slack.fake, flow)) == RATE_LIMIT_RETRIES + 1
    assert flow.stored(rapport, slack.fake) == 0
    assert "Slack asked me to slow down" in shown(ack, slack.fake)


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_not_resent_and_the_person_is_told(flow, slack, rapport, status):
    flow, prepared = flow
    slack.fake.fail_next(flow.method, status=status)

    ack = flow.act(slack, prepared)

    assert ack.status == 200, ack.raw
    slack.settle()
    assert_told_once(flow, ack, slack.fake, rapport)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "flow", [name for name, flow in FLOWS.items() if flow.method in NOT_RESENT], indirect=True
)
def test_a_post_whose_answer_was_lost_is_not_resent(flow, slack, rapport):
    """The connection broke after Slack had the post: sending it again could post twice."""
    flow, prepared = flow
    slack.fake.drop_next(flow.method)

    ack = flow.act(slack, prepared)

    assert ack.status == 200, ack.raw
    slack.settle()
    assert_told_once(flow, ack, slack.fake, rapport)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("flow", ["users.info", "conversations.info"], indirect=True)
def test_a_read_whose_answer_was_lost_is_asked_again(flow, slack, rapport, waits):
    flow, prepared = flow
    slack.fake.drop_next(flow.method)

    ack = flow.act(slack, prepared)

    assert ack.status == 200, ack.raw
    slack.settle()
    assert len(attempts(slack.fake, flow)) == 2 and len(waits) == 1
    assert flow.stored(rapport, slack.fake) == flow.done


def assert_told_once(flow: Flow, ack: Ack, fake: FakeSlack, rapport) -> None:
    """Slack failed the flow's operation: it was not sent again, what was done before it
    stands, and the person is told plainly."""
    assert len(attempts(fake, flow)) == 1
    assert flow.stored(rapport, fake) == flow.kept
    seen = shown(ack, fake)
    assert flow.tells in seen
    assert (SLACK_FAILED in seen) == (flow.tells == SLACK_FAILED)
    assert "Traceback" not in seen and "internal_error" not in seen


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_slow_answer_does_not_delay_the_acknowledgement(flow, slack, rapport):
    flow, prepared = flow
    release = slack.fake.hold_next(flow.method)

    ack = flow.act(slack, prepared)  # it returns while Slack's answer is held

    assert ack.status == 200, ack.raw
    release.set()
    slack.settle()
    assert len(attempts(slack.fake, flow)) == 1
    assert flow.stored(rapport, slack.fake) == flow.done
