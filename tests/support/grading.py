"""Grades asked and answered: through the use cases, or as the client answers a prompt in
Slack (a grade button on the DM, then the reason modal)."""

from sqlalchemy import select

from bot.grades import answering, asking
from storage.models import Account, Grade, GradeRequest
from support.forms import reason_form
from support.shown import buttons, posted_to
from support.workspace import ALEX, CLIENT


def asked(rapport, client, account_id: int, *, grader_id: str = CLIENT) -> GradeRequest:
    """Alex asks `grader_id` (the client) to grade the account: the prompt goes to a DM."""
    return asking.ask(
        rapport,
        client,
        team_id=ALEX.team_id,
        asked_by=ALEX.user_id,
        account_id=account_id,
        grader_id=grader_id,
        question=None,
    )


def answered(rapport, request: GradeRequest, grade: str, *, reason: str) -> Grade:
    """The request's grader answers it with `grade` and `reason`."""
    return answering.answer(
        rapport,
        team_id=request.team_id,
        request_id=request.id,
        user_id=request.grader_id,
        grade=grade,
        reason=reason,
    )


def graded(
    rapport, client, account: Account, grade: str, reason="Your proposals come late."
) -> Grade:
    """A grade recorded the way a client gives one: asked in a DM, then answered."""
    return answered(rapport, asked(rapport, client, account.id), grade, reason=reason)


def latest_request(rapport) -> GradeRequest:
    with rapport.reads.begin() as s:
        return s.scalars(select(GradeRequest).order_by(GradeRequest.id.desc())).first()


def press(slack, rapport, label: str, *, user_id=CLIENT) -> dict | None:
    """Press `label` on the latest prompt, in the DM it was posted to; what the presser
    is told, if anything."""
    request = latest_request(rapport)
    prompt = [message for message in posted_to(slack.fake, CLIENT) if buttons(message)][-1]
    button = next(b for b in buttons(prompt) if b["text"]["text"] == label)
    message = {"type": "message", "ts": request.message_ts, "text": "", "blocks": prompt["blocks"]}
    told = len(slack.fake.calls_to("response_url"))
    ack = slack.action(
        action_id=button["action_id"],
        value=button["value"],
        user_id=user_id,
        channel_id=request.channel_id,
        message=message,
    )
    assert ack.status == 200, ack.raw
    slack.settle()
    replies = slack.fake.calls_to("response_url")[told:]
    return replies[-1].args if replies else None


def submit(slack, view: dict, reason: str, *, user_id=CLIENT):
    """Submit the reason modal `view` with `reason` typed; the acknowledgement."""
    return slack.submit(
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        user_id=user_id,
        values=reason_form(reason),
    )
