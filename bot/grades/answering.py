"""Answering a grade prompt: who may, the reason that must come with it, and recording
the grade exactly once; then what follows (recovery, the prompt, the owner's Home)."""

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.errors import FormErrors, UserError
from bot.grades import ids, messages, scale
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import escape
from bot.recovery import plans
from bot.runtime.context import Rapport
from storage.models import Grade, GradeRequest, RequestStatus
from storage.queries import grades as grade_queries
from storage.queries import home as home_queries

REASON_MAX = 3000
CLOSED = {
    RequestStatus.ANSWERED: N_("You already answered this one. Thank you!"),
    RequestStatus.EXPIRED: N_("This question has expired, so nothing was recorded."),
}


@dataclass(frozen=True)
class Reason:
    """The reason modal's text, checked when made: FormErrors when it is blank."""

    text: str

    def __post_init__(self):
        if not self.text.strip():
            raise FormErrors({ids.GRADE_REASON: _("Please say why you gave this grade.")})


def check_answerable(
    rapport: Rapport, *, team_id: str, request_id: int, user_id: str
) -> GradeRequest:
    """The open request `user_id` may answer, or UserError saying why not."""
    with rapport.reads.begin() as s:
        request = grade_queries.request(s, team_id=team_id, request_id=request_id)
    if request is None:
        raise UserError(_("That grade request no longer exists."))
    if request.grader_id != user_id:
        raise UserError(
            _("This question was for {grader}.").format(grader=f"<@{request.grader_id}>")
        )
    if request.status != RequestStatus.OPEN:
        raise UserError(_(CLOSED[request.status]))
    return request


def checked(grade: str, reason: str) -> str:
    """The reason, stripped, if `grade` is a grade and the reason is given and not too
    long; else UserError in the reader's language."""
    if grade not in scale.POINTS:
        raise UserError(
            # Translators: {grades} are the grade labels A+ ... F, which stay as they are.
            _("“{grade}” is not a grade; use one of {grades}.").format(
                grade=isolate(escape(grade)), grades=isolate(" ".join(scale.SCALE))
            )
        )
    reason = reason.strip()
    if not reason:
        raise UserError(_("Please say why: the reason is what makes a grade useful."))
    if len(reason) > REASON_MAX:
        raise UserError(
            ngettext(
                "Keep the reason under {n} character.",
                "Keep the reason under {n} characters.",
                REASON_MAX,
            ).format(n=isolate(number(REASON_MAX)))
        )
    return reason


def answer(
    rapport: Rapport,
    *,
    team_id: str,
    request_id: int,
    user_id: str | None,
    grade: str,
    reason: str,
) -> Grade | None:
    """Record the grade for an open request; None if it was answered (or closed) already,
    so a double click, a second tab or a retried delivery records nothing more. `user_id`
    is the Slack user answering, who must be the one asked; None for a contact answering
    by their link (bot/grades/links.py), whose token found the request. The grade names
    the request's contact, if it has one."""
    reason = checked(grade, reason)
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        won = grade_queries.close_request(
            s,
            team_id=team_id,
            request_id=request_id,
            status=RequestStatus.ANSWERED,
            now=now,
            grader_id=user_id,
        )
        if not won:
            return None
        request = grade_queries.request(s, team_id=team_id, request_id=request_id)
        recorded = Grade(
            team_id=team_id,
            account=request.account,
            request=request,
            grader_id=user_id,
            contact=request.contact,
            grade=grade,
            points=scale.POINTS[grade],
            reason=reason,
            graded_at=now,
        )
        s.add(recorded)
        s.flush()
        owner = request.account.owner_id
        home_queries.changed(s, team_id=team_id, user_ids=[owner], now=now)
        return recorded


def record(
    rapport: Rapport,
    client: WebClient,
    *,
    team_id: str,
    request_id: int,
    user_id: str,
    grade: str,
    reason: Reason,
    prompt: tuple[str, str],
) -> Grade:
    """The reason modal was submitted: record the grade once (UserError for a double
    click, a second tab, a retry, or a request that expired); recovery looks at it; the
    prompt at `prompt` (channel, ts) shows it with no buttons left, even if the owner
    could not be alerted; and the owner's Home shows it."""
    recorded = answer(
        rapport,
        team_id=team_id,
        request_id=request_id,
        user_id=user_id,
        grade=grade,
        reason=reason.text,
    )
    if recorded is None:
        raise UserError(
            _("Nothing more was recorded: this question was already answered or has expired.")
        )
    try:
        plans.on_grade(rapport, client, recorded)
    finally:
        channel, ts = prompt
        client.chat_update(channel=channel, ts=ts, **messages.answered(recorded))
    return recorded
