"""Unanswered grade requests: one reminder after REMINDER_DAYS, expiry after EXPIRY_DAYS.
Scheduler jobs: each request is reminded and expired once, across replicas. For a Slack
prompt both are written to the grader, in their DM, so in the grader's language; for a
request by link, bot/grades/links.py says what they are (a second email, or a nudge to the
asker; its page says it expired)."""

from datetime import timedelta

from slack_sdk import WebClient

from bot import people
from bot.grades import links, messages
from bot.runtime.claims import run_once
from bot.runtime.context import Rapport
from storage.models import GradeRequest, RequestStatus
from storage.queries import grades as grade_queries


def remind(rapport: Rapport, client: WebClient) -> None:
    """Remind each grader once, REMINDER_DAYS after the request, if still unanswered."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        due = grade_queries.unreminded_requests(
            s,
            asked_after=now - timedelta(days=rapport.settings.expiry_days),
            asked_before=now - timedelta(days=rapport.settings.reminder_days),
        )
    for request in due:

        def send(request: GradeRequest = request) -> None:
            with people.speaking_to(
                rapport, client, team_id=request.team_id, user_id=request.grader_id
            ):
                reminder = messages.reminder(request)
            client.chat_postMessage(channel=request.channel_id, **reminder)
            with rapport.sessions.begin() as s:
                s.add(request)
                request.reminded_at = rapport.clock.now()

        run_once(rapport, team_id=request.team_id, key=f"grade-reminder:{request.id}", job=send)
    with rapport.reads.begin() as s:
        due = grade_queries.unreminded_links(
            s,
            asked_after=now - timedelta(days=rapport.settings.expiry_days),
            asked_before=now - timedelta(days=rapport.settings.reminder_days),
        )
    for request in due:
        run_once(
            rapport,
            team_id=request.team_id,
            key=f"grade-reminder:{request.id}",
            job=lambda request=request: links.remind(rapport, client, request),
        )


def expire(rapport: Rapport, client: WebClient) -> None:
    """Close requests unanswered for EXPIRY_DAYS; their prompt says so and loses its buttons."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        due = grade_queries.requests_asked_before(
            s, before=now - timedelta(days=rapport.settings.expiry_days)
        )
    for request in due:

        def close(request: GradeRequest = request) -> None:
            with people.speaking_to(
                rapport, client, team_id=request.team_id, user_id=request.grader_id
            ):
                notice = messages.expired(request)
            with rapport.sessions.begin() as s:
                closed = grade_queries.close_request(
                    s,
                    team_id=request.team_id,
                    request_id=request.id,
                    status=RequestStatus.EXPIRED,
                    now=rapport.clock.now(),
                )
            if closed:  # not answered meanwhile
                client.chat_update(channel=request.channel_id, ts=request.message_ts, **notice)

        run_once(rapport, team_id=request.team_id, key=f"grade-expiry:{request.id}", job=close)
    with rapport.reads.begin() as s:
        due = grade_queries.links_asked_before(
            s, before=now - timedelta(days=rapport.settings.expiry_days)
        )
    for request in due:  # nothing to edit in Slack: the conditional update is the once
        links.expire(rapport, request)
