"""Asking for grades and recording the answers."""

import re
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import update

from bot import accounts, grade_blocks, grading, people
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.people import Person
from bot.services import Rapport
from storage import grade_queries, queries
from storage.models import Account, Grade, GradeRequest

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
EXAMPLE = "`/grade Acme @client What grade would you give our proposals?`"
QUESTION_MAX = 300
REASON_MAX = 3000
CLOSED = {
    "answered": "You already answered this one. Thank you!",
    "expired": "This question has expired, so nothing was recorded.",
}


@dataclass(frozen=True)
class Ask:
    """A parsed `<account> @person [question]`."""

    account_name: str
    grader_id: str
    question: str | None


def parse_ask(text: str) -> Ask:
    """`<account> @person [question]`; UserError with an example when a part is missing."""
    mention = MENTION.search(text)
    if not text.strip():
        raise UserError(f"Say which account and whom to ask: {EXAMPLE}.")
    if mention is None:
        raise UserError(f"Mention the person to ask, with @: {EXAMPLE}.")
    name = text[: mention.start()].strip()
    if not name:
        raise UserError(f"Name the account before the person: {EXAMPLE}.")
    question = text[mention.end() :].strip() or None
    if question and len(question) > QUESTION_MAX:
        raise UserError(f"Keep the question under {QUESTION_MAX} characters.")
    return Ask(name, mention.group(1), question)


def ask_text(rapport: Rapport, client: WebClient, *, user: Person, text: str) -> GradeRequest:
    """`/grade <account> @person [question]`: DM the person a grade prompt."""
    wanted = parse_ask(text)
    with rapport.reads.begin() as s:
        account = accounts.find(
            queries.active_accounts(s, team_id=user.team_id), wanted.account_name
        )
    return ask(
        rapport,
        client,
        team_id=user.team_id,
        asked_by=user.user_id,
        account_id=account.id,
        grader_id=wanted.grader_id,
        question=wanted.question,
    )


def ask(
    rapport: Rapport,
    client: WebClient,
    *,
    team_id: str,
    asked_by: str,
    account_id: int,
    grader_id: str,
    question: str | None,
    cadence_id: int | None = None,
) -> GradeRequest:
    """Record a grade request and DM its prompt to the grader.

    The request is stored first, so the prompt's buttons can carry its id; if Slack
    refuses the DM, the request is removed again and the error goes to the asker.
    """
    try:
        grader = people.person(rapport, client, team_id=team_id, user_id=grader_id)
    except UserError as unknown:
        raise UserError(f"{unknown} Mention someone in this workspace: {EXAMPLE}.") from None
    if grader.is_bot:
        raise UserError(f"<@{grader_id}> is a bot; ask a person: {EXAMPLE}.")
    with rapport.sessions.begin() as s:
        account = queries.account_by_id(s, team_id=team_id, account_id=account_id)
        if account is None or account.archived_at is not None:
            raise UserError("That account no longer exists or was archived.")
        request = GradeRequest(
            team_id=team_id,
            account=account,
            asked_by=asked_by,
            grader_id=grader_id,
            question=question or account.grade_question or grading.DEFAULT_QUESTION,
            status="open",
            asked_at=rapport.clock.now(),
            cadence_id=cadence_id,
        )
        s.add(request)
    try:
        posted = client.chat_postMessage(channel=grader_id, **grade_blocks.prompt(request))
    except Exception:
        with rapport.sessions.begin() as s:
            s.delete(s.merge(request))
        raise
    with rapport.sessions.begin() as s:
        request = s.merge(request)
        request.channel_id, request.message_ts = posted["channel"], posted["ts"]
    return request


def check_answerable(
    rapport: Rapport, *, team_id: str, request_id: int, user_id: str
) -> GradeRequest:
    """The open request `user_id` may answer, or UserError saying why not."""
    with rapport.reads.begin() as s:
        request = queries.grade_request(s, team_id=team_id, request_id=request_id)
    if request is None:
        raise UserError("That grade request no longer exists.")
    if request.grader_id != user_id:
        raise UserError(f"This question was for <@{request.grader_id}>.")
    if request.status != "open":
        raise UserError(CLOSED[request.status])
    return request


def answer(
    rapport: Rapport, *, team_id: str, request_id: int, user_id: str, grade: str, reason: str
) -> Grade | None:
    """Record the grade for an open request; None if it was answered (or closed) already,
    so a double click, a second tab or a retried delivery records nothing more."""
    if grade not in grading.POINTS:
        raise UserError(f"“{escape(grade)}” is not a grade; use one of {' '.join(grading.SCALE)}.")
    reason = reason.strip()
    if not reason:
        raise UserError("Please say why: the reason is what makes a grade useful.")
    if len(reason) > REASON_MAX:
        raise UserError(f"Keep the reason under {REASON_MAX:,} characters.")
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        won = s.scalar(
            update(GradeRequest)
            .where(
                GradeRequest.team_id == team_id,
                GradeRequest.id == request_id,
                GradeRequest.grader_id == user_id,
                GradeRequest.status == "open",
            )
            .values(status="answered", closed_at=now)
            .returning(GradeRequest.id)
        )
        if won is None:
            return None
        request = queries.grade_request(s, team_id=team_id, request_id=request_id)
        recorded = Grade(
            team_id=team_id,
            account=request.account,
            request=request,
            grader_id=user_id,
            grade=grade,
            points=grading.POINTS[grade],
            reason=reason,
            graded_at=now,
        )
        s.add(recorded)
        s.flush()
        return recorded


@dataclass(frozen=True)
class History:
    """An account's grades, newest first."""

    account: Account
    grades: list[Grade]

    @property
    def average(self) -> float | None:
        """The mean of the grades in points (grading.POINTS); None when there are none."""
        if not self.grades:
            return None
        return sum(grading.POINTS[grade.grade] for grade in self.grades) / len(self.grades)

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "flat" since the previous grade; None until there are two."""
        if len(self.grades) < 2:
            return None
        return grading.trend(self.grades[0].grade, self.grades[1].grade)


def history(rapport: Rapport, *, team_id: str, query: str) -> History:
    """`/grade history <account>`: every grade the account was given."""
    if not query.strip():
        raise UserError("Name the account: `/grade history Acme`.")
    with rapport.reads.begin() as s:
        account = accounts.find(queries.active_accounts(s, team_id=team_id), query)
        return History(
            account, grade_queries.account_grades(s, team_id=team_id, account_id=account.id)
        )


def pending(rapport: Rapport, *, team_id: str, asked_by: str) -> list[GradeRequest]:
    """`/grade pending`: the requests `asked_by` sent that are still unanswered, oldest first."""
    with rapport.reads.begin() as s:
        return grade_queries.open_requests_sent(s, team_id=team_id, asked_by=asked_by)
