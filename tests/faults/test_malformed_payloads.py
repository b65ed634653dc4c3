"""Signed requests whose payloads are not what Slack sends: each kind (slash command, block
action, view submission, event, shortcut) in several shapes, through the real server.

Whatever the shape: no 5xx, nothing stored or changed in any table, and a person who can
be told something (a user, and a response_url or a channel) is told clearly, never with
an error reference."""

import json
from string import Template
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import select

from bot.calls import ids as call_ids
from bot.grades import answering
from bot.grades import ids as grade_ids
from bot.home import ids as home_ids
from bot.recovery import ids as recovery_ids
from bot.recovery import plans
from storage.models import Base, Call, GradeRequest, RecoveryPlan
from support import slack_requests

DROP = object()  # an edit that leaves the field out
OTHER_TEAM = "T0002"


# -- requests as Slack sends them; "$name" is filled in from the `world` fixture

LOGCALL = slack_requests.slash_command(
    "/logcall", "Acme yesterday 3pm: discussed renewal", response_url="$response_url"
)
ACCOUNT_ADD = slack_requests.slash_command("/account", "add Globex", response_url="$response_url")
DIGEST = slack_requests.slash_command("/digest", "subscribe at 9:00", response_url="$response_url")
GRADE_PENDING = slack_requests.slash_command("/grade", "pending", response_url="$response_url")


def action(action_id: str, value: str | None = None, *, user_id="U0001") -> str:
    return slack_requests.block_actions(
        action_id=action_id, value=value, user_id=user_id, response_url="$response_url"
    )


def submission(callback_id: str, values=None, private_metadata="", *, user_id="U0001") -> str:
    return slack_requests.view_submission(
        callback_id=callback_id,
        values=values or {},
        private_metadata=private_metadata,
        user_id=user_id,
    )


def event(event: dict) -> str:
    return slack_requests.event_callback(event)


UNDO = action(call_ids.UNDO_CALL, "$call")
GRADE = action(grade_ids.GRADE_BUTTON_PREFIX + "A", "$request:A", user_id="U0002")
CALL_FORM = submission(
    call_ids.LOG_CALL_VIEW,
    {
        call_ids.CALL_ACCOUNT: {call_ids.CALL_ACCOUNT: {"selected_option": {"value": "$account"}}},
        call_ids.CALL_WHEN: {call_ids.CALL_WHEN: {"value": "yesterday"}},
        call_ids.CALL_NOTES: {call_ids.CALL_NOTES: {"value": "talked"}},
    },
)
# The edit modal's metadata, as calls/messages.py _edit_modal writes it.
EDITING = '{"call_id": $call, "when": "now", "notes_kept": false, "version": "v"}'
EDIT_FORM = submission(
    call_ids.EDIT_CALL_VIEW,
    {
        call_ids.CALL_ACCOUNT: {call_ids.CALL_ACCOUNT: {"selected_option": {"value": "$account"}}},
        call_ids.CALL_WHEN: {call_ids.CALL_WHEN: {"value": "yesterday"}},
        call_ids.CALL_NOTES: {call_ids.CALL_NOTES: {"value": "forged"}},
    },
    EDITING,
)
# The reason modal's metadata, as grade_blocks.reason_modal writes it.
PROMPT = '{"request_id": $request, "grade": "A", "channel": "D0002", "ts": "1.2"}'
REASON = submission(
    grade_ids.GRADE_REASON_VIEW,
    {
        grade_ids.GRADE_REASON: {
            grade_ids.GRADE_REASON: {"type": "plain_text_input", "value": "fast"}
        }
    },
    PROMPT,
    user_id="U0002",
)
DM = event(slack_requests.direct_message("log Acme yesterday 3pm: discussed renewal"))
HOME_OPENED = event({"type": "app_home_opened", "user": "U0001", "tab": "home", "channel": "D1"})
USER_CHANGE = event({"type": "user_change", "user": {"id": "U0001", "tz": "Asia/Tokyo"}})
SHORTCUT = slack_requests.message_shortcut(
    callback_id=call_ids.LOG_CALL_SHORTCUT,
    message={"type": "message", "user": "U0002", "ts": "1795377600.000100", "text": "we met"},
    response_url="$response_url",
)

# Each request, well formed, does something: stores or changes a row, or opens a modal.
WELL_FORMED = {
    "/logcall": LOGCALL,
    "/account add": ACCOUNT_ADD,
    "/digest subscribe": DIGEST,
    "undo": UNDO,
    "grade button": GRADE,
    "call form": CALL_FORM,
    "grade reason": REASON,
    "DM": DM,
    "user_change": USER_CHANGE,
    "shortcut": SHORTCUT,
}

# kind, shape, request, edits (dotted paths; DROP leaves the field out), and whether a
# person is there to be told (a user, and a response_url or a channel).
CASES = [
    ("slash command", "no user", LOGCALL, {"user_id": DROP}, False),
    ("slash command", "no team", ACCOUNT_ADD, {"team_id": DROP}, True),
    ("slash command", "no text, no trigger_id", LOGCALL, {"text": DROP, "trigger_id": DROP}, True),
    ("slash command", "no response_url", GRADE_PENDING, {"response_url": DROP}, True),
    ("slash command", "no channel", DIGEST, {"channel_id": DROP}, True),
    ("slash command", "no command", LOGCALL, {"command": DROP}, False),
    ("slash command", "unknown command", LOGCALL, {"command": "/nope"}, False),
    ("block action", "garbage JSON", "payload=%7Bnot+json", {}, False),
    ("block action", "payload not an object", "payload=%5B1%2C2%5D", {}, False),
    ("block action", "no actions", UNDO, {"actions": DROP}, False),
    ("block action", "actions not a list", UNDO, {"actions": "undo"}, True),
    ("block action", "action not an object", UNDO, {"actions": ["undo"]}, True),
    ("block action", "unknown action_id", UNDO, {"actions.0.action_id": "nope"}, False),
    ("block action", "no user", UNDO, {"user": DROP}, False),
    ("block action", "no team", UNDO, {"team": DROP, "user.team_id": DROP}, True),
    ("block action", "no trigger_id", action(home_ids.HOME_ASK_GRADE), {"trigger_id": DROP}, True),
    ("block action", "undo: no value", UNDO, {"actions.0.value": DROP}, True),
    ("block action", "undo: value abc", UNDO, {"actions.0.value": "abc"}, True),
    ("block action", "undo: value a list", UNDO, {"actions.0.value": ["$call"]}, True),
    ("block action", "undo: id out of range", UNDO, {"actions.0.value": "9" * 20}, True),
    ("block action", "undo: another team's call", UNDO, {"actions.0.value": "$other_call"}, True),
    ("block action", "edit: value abc", action(call_ids.EDIT_CALL, "abc"), {}, True),
    (
        "block action",
        "edit: another team's call",
        action(call_ids.EDIT_CALL, "$other_call"),
        {},
        True,
    ),
    ("block action", "older calls: value abc", action(call_ids.OLDER_CALLS, "abc"), {}, True),
    (
        "block action",
        "older calls: another team's account",
        action(call_ids.OLDER_CALLS, "$other_account::::"),
        {},
        True,
    ),
    ("block action", "grade: abc:Z", GRADE, {"actions.0.value": "abc:Z"}, True),
    ("block action", "grade: no such request", GRADE, {"actions.0.value": "999999:A"}, True),
    ("block action", "grade: another team's", GRADE, {"actions.0.value": "$other_request:A"}, True),
    ("block action", "grade: not a grade", GRADE, {"actions.0.value": "$request:Z"}, True),
    ("block action", "grade: no container", GRADE, {"container": DROP}, True),
    ("block action", "grade: no message_ts", GRADE, {"container.message_ts": DROP}, True),
    ("block action", "plan: value abc", action(recovery_ids.PLAN_FOLLOW_UP, "abc"), {}, True),
    (
        "block action",
        "dismiss: another team's",
        action(recovery_ids.DISMISS_PLAN, "$other_plan"),
        {},
        True,
    ),
    ("view submission", "unknown callback_id", CALL_FORM, {"view.callback_id": "nope"}, False),
    ("view submission", "no view", CALL_FORM, {"view": DROP}, True),
    ("view submission", "no state values", CALL_FORM, {"view.state": DROP}, True),
    ("view submission", "no user", CALL_FORM, {"user": DROP}, False),
    ("view submission", "call form: no values", CALL_FORM, {"view.state.values": {}}, True),
    (
        "view submission",
        "call form: option not an object",
        CALL_FORM,
        {"view.state.values.account.account.selected_option": "$account"},
        True,
    ),
    (
        "view submission",
        "call form: date not a date",
        CALL_FORM,
        {"view.state.values.follow_up": {"follow_up": {"selected_date": "soon"}}},
        True,
    ),
    ("view submission", "edit: garbage metadata", EDIT_FORM, {"view.private_metadata": "{x"}, True),
    (
        "view submission",
        "edit: another team's call",
        EDIT_FORM,
        {"view.private_metadata": EDITING.replace("$call", "$other_call")},
        True,
    ),
    (
        "view submission",
        "edit: call id a string",
        EDIT_FORM,
        {"view.private_metadata": EDITING.replace("$call", '"$call"')},
        True,
    ),
    ("view submission", "reason: no metadata", REASON, {"view.private_metadata": DROP}, True),
    ("view submission", "reason: garbage metadata", REASON, {"view.private_metadata": "{x"}, True),
    (
        "view submission",
        "reason: metadata without request",
        REASON,
        {"view.private_metadata": PROMPT.replace('"request_id": $request, ', "")},
        True,
    ),
    (
        "view submission",
        "reason: another team's request",
        REASON,
        {"view.private_metadata": PROMPT.replace("$request", "$other_request")},
        True,
    ),
    (
        "view submission",
        "reason: not a grade",
        REASON,
        {"view.private_metadata": PROMPT.replace('"A"', '"Z"')},
        True,
    ),
    ("view submission", "reason: no values", REASON, {"view.state.values": {}}, True),
    (
        "view submission",
        "plan: metadata a list",
        submission(recovery_ids.PLAN_FOLLOW_UP_VIEW),
        {"view.private_metadata": "[]"},
        True,
    ),
    (
        "view submission",
        "ask: account abc",
        submission(grade_ids.ASK_GRADE_VIEW),
        {"view.state.values": {"account": {"account": {"selected_option": {"value": "abc"}}}}},
        True,
    ),
    ("event", "no event", DM, {"event": DROP}, False),
    ("event", "event not an object", DM, {"event": "message"}, False),
    ("event", "no event type", DM, {"event.type": DROP}, False),
    ("event", "DM without text", DM, {"event.text": DROP}, False),
    ("event", "DM without user", DM, {"event.user": DROP}, False),
    ("event", "DM text not a string", DM, {"event.text": 42}, False),
    ("event", "DM without team", DM, {"team_id": DROP, "authorizations": DROP}, False),
    ("event", "home opened without user", HOME_OPENED, {"event.user": DROP}, False),
    ("event", "user_change without user", USER_CHANGE, {"event.user": DROP}, False),
    ("event", "user_change user not an object", USER_CHANGE, {"event.user": "U0001"}, False),
    ("shortcut", "no message", SHORTCUT, {"message": DROP}, True),
    ("shortcut", "message ts not a number", SHORTCUT, {"message.ts": "abc"}, True),
    ("shortcut", "message ts out of range", SHORTCUT, {"message.ts": "1e300"}, True),
    ("shortcut", "message text not a string", SHORTCUT, {"message.text": ["x"]}, True),
    ("shortcut", "no trigger_id", SHORTCUT, {"trigger_id": DROP}, True),
    ("shortcut", "no user", SHORTCUT, {"user": DROP}, False),
    ("shortcut", "unknown callback_id", SHORTCUT, {"callback_id": "nope"}, False),
]


def reshape(body: str, edits: dict, world: dict) -> tuple[str, str]:
    """`body` with `edits` applied and "$name"s filled in from `world`, and its content type."""
    if body.startswith("{"):
        return json.dumps(_edited(json.loads(body), edits, world)), "application/json"
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in fields:
        try:
            content = json.loads(fields["payload"])
        except ValueError:
            return body, "application/x-www-form-urlencoded"  # garbage stays garbage
        fields["payload"] = json.dumps(_edited(content, edits, world))
    else:
        fields = _edited(fields, edits, world)
    return urlencode(fields), "application/x-www-form-urlencoded"


def _edited(content, edits: dict, world: dict):
    for path, value in edits.items():
        *parents, last = path.split(".")
        target = content
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DROP:
            del target[last]
        else:
            target[last] = value
    return _filled(content, world)


def _filled(content, world: dict):
    if isinstance(content, str):
        return Template(content).safe_substitute(world)
    if isinstance(content, dict):
        return {key: _filled(value, world) for key, value in content.items()}
    if isinstance(content, list):
        return [_filled(value, world) for value in content]
    return content


def snapshot(rapport) -> dict:
    """Every row of every table."""
    with rapport.reads.begin() as s:
        return {
            table.name: sorted(map(repr, s.execute(select(table)).all()))
            for table in Base.metadata.sorted_tables
        }


SHOWN = ("response_url", "chat.postMessage", "chat.postEphemeral", "views.open")


def send(slack, request: str, edits: dict, world: dict) -> list[str]:
    """Post `request` with `edits`; what the person was shown: the acknowledgement's
    message or errors, replies, messages and modals opened."""
    seen = {method: len(slack.fake.calls_to(method)) for method in SHOWN}
    body, content_type = reshape(request, edits, world)
    status, _, answer = slack.post(body, content_type=content_type)
    slack.settle()
    assert status < 500, answer
    shown = [answer] if answer.startswith("{") else []
    for method in SHOWN:
        shown += [json.dumps(call.args) for call in slack.fake.calls_to(method)[seen[method] :]]
    return shown


@pytest.fixture
def world(slack, rapport, fake, client) -> dict:
    """In this workspace an account, a call and a grade request for U0002; in another one
    the same and a recovery plan; both people's profiles cached. Their ids by name."""
    for team in ("T0001", OTHER_TEAM):
        for user in ("U0001", "U0002"):
            slack.command("/account", "list", user_id=user, team_id=team)
            slack.settle()
        for command, text in (
            ("/account", "add Acme Corp"),
            ("/logcall", "Acme 2 hours ago: kickoff"),
            ("/grade", "Acme <@U0002>"),
        ):
            assert slack.command(command, text, team_id=team).status == 200
            slack.settle()
    found = {"response_url": fake.response_url()}
    with rapport.reads.begin() as s:
        for team, prefix in (("T0001", ""), (OTHER_TEAM, "other_")):
            call = s.scalars(select(Call).where(Call.team_id == team)).one()
            found[prefix + "call"] = call.id
            found[prefix + "account"] = call.account_id
            found[prefix + "request"] = s.scalar(
                select(GradeRequest.id).where(GradeRequest.team_id == team)
            )
    grade = answering.answer(
        rapport,
        team_id=OTHER_TEAM,
        request_id=found["other_request"],
        user_id="U0002",
        grade="C",
        reason="slow",
    )
    plans.on_grade(rapport, client, grade)
    with rapport.reads.begin() as s:
        found["other_plan"] = s.scalar(select(RecoveryPlan.id))
    assert all(found.values()), found
    return found


@pytest.mark.parametrize("request_", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_each_request_well_formed_does_something(slack, rapport, world, request_):
    """The requests the cases below break, unbroken: each stores, changes or opens something."""
    before = snapshot(rapport)
    modals = len(slack.fake.calls_to("views.open"))
    send(slack, request_, {}, world)
    assert snapshot(rapport) != before or len(slack.fake.calls_to("views.open")) > modals


@pytest.mark.parametrize(
    ("request_", "edits", "told"),
    [pytest.param(*case[2:], id=f"{case[0]}: {case[1]}") for case in CASES],
)
def test_a_malformed_payload_gets_no_5xx_stores_nothing_and_is_told_plainly(
    slack, rapport, world, request_, edits, told
):
    before = snapshot(rapport)
    shown = send(slack, request_, edits, world)
    assert snapshot(rapport) == before
    assert not [s for s in shown if "went wrong" in s or "Traceback" in s], shown
    if told:
        assert shown, "the person was told nothing"
