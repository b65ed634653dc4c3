"""Grade requests over time: one reminder, expiry, and requests sent on a cadence."""

import logging
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from slack_sdk import WebClient
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from bot import accounts, grade_blocks, grades, jobs
from bot.errors import UserError
from bot.people import Person
from bot.services import Rapport
from storage import queries
from storage.models import GradeCadence, GradeRequest

log = logging.getLogger(__name__)
PERIODS = {"month": relativedelta(months=1), "quarter": relativedelta(months=3)}
EVERY_WORDS = {"month": "month", "monthly": "month", "quarter": "quarter", "quarterly": "quarter"}


def remind(rapport: Rapport, client: WebClient) -> None:
    """Remind each grader once, REMINDER_DAYS after the request, if still unanswered."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        due = s.scalars(
            _open_requests().where(
                GradeRequest.reminded_at.is_(None),
                GradeRequest.asked_at <= now - timedelta(days=rapport.settings.reminder_days),
                GradeRequest.asked_at > now - timedelta(days=rapport.settings.expiry_days),
            )
        ).all()
    for request in due:

        def send(request=request) -> None:
            client.chat_postMessage(channel=request.channel_id, **grade_blocks.reminder(request))
            with rapport.sessions.begin() as s:
                s.merge(request).reminded_at = rapport.clock.now()

        jobs.run_once(
            rapport, team_id=request.team_id, key=f"grade-reminder:{request.id}", job=send
        )


def expire(rapport: Rapport, client: WebClient) -> None:
    """Close requests unanswered for EXPIRY_DAYS; their prompt says so and loses its buttons."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        due = s.scalars(
            _open_requests().where(
                GradeRequest.asked_at <= now - timedelta(days=rapport.settings.expiry_days)
            )
        ).all()
    for request in due:

        def close(request=request) -> None:
            with rapport.sessions.begin() as s:
                closed = s.scalar(
                    update(GradeRequest)
                    .where(GradeRequest.id == request.id, GradeRequest.status == "open")
                    .values(status="expired", closed_at=rapport.clock.now())
                    .returning(GradeRequest.id)
                )
            if closed is not None:  # not answered meanwhile
                client.chat_update(
                    channel=request.channel_id,
                    ts=request.message_ts,
                    **grade_blocks.expired(request),
                )

        jobs.run_once(rapport, team_id=request.team_id, key=f"grade-expiry:{request.id}", job=close)


def send_cadences(rapport: Rapport, client: WebClient) -> None:
    """Send the next request of each cadence that is due, once, then schedule the one after."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        due = s.scalars(
            select(GradeCadence).where(
                GradeCadence.stopped_at.is_(None), GradeCadence.next_due_at <= now
            )
        ).all()
    for cadence in due:
        key = f"grade-cadence:{cadence.id}:{cadence.next_due_at:%Y%m%dT%H%M%S}"
        jobs.run_once(
            rapport,
            team_id=cadence.team_id,
            key=key,
            job=lambda cadence=cadence: _send(rapport, client, cadence),
        )


def _send(rapport: Rapport, client: WebClient, cadence: GradeCadence) -> None:
    try:
        grades.ask(
            rapport,
            client,
            team_id=cadence.team_id,
            asked_by=cadence.asked_by,
            account_id=cadence.account_id,
            grader_id=cadence.grader_id,
            question=cadence.question,
            cadence_id=cadence.id,
        )
    except UserError as error:  # e.g. the grader left: skip this one, keep the cadence
        log.warning("cadence %s: request not sent: %s", cadence.id, error)
    with rapport.sessions.begin() as s:
        s.merge(cadence).next_due_at = next_after(cadence, rapport.clock.now())


def next_after(cadence: GradeCadence, now: datetime) -> datetime:
    """The cadence's next date after `now` (periods missed while no replica ran are skipped)."""
    due = cadence.next_due_at
    while due <= now:
        due += PERIODS[cadence.every]
    return due


def start(rapport: Rapport, client: WebClient, *, user: Person, text: str) -> GradeCadence:
    """`month|quarter <account> @person [question]`: ask now, then on that cadence."""
    word, _, rest = text.strip().partition(" ")
    every = EVERY_WORDS.get(word.lower())
    if every is None:
        raise UserError("Say how often: `/grade every month Acme @client` (or `every quarter`).")
    wanted = grades.parse_ask(rest)
    with rapport.reads.begin() as s:
        account = accounts.find(
            queries.active_accounts(s, team_id=user.team_id), wanted.account_name
        )
        running = s.scalar(
            select(GradeCadence).where(
                GradeCadence.team_id == user.team_id,
                GradeCadence.account_id == account.id,
                GradeCadence.grader_id == wanted.grader_id,
                GradeCadence.stopped_at.is_(None),
            )
        )
    if running is not None:
        raise UserError(
            f"<@{wanted.grader_id}> is already asked about this account every {running.every}. "
            f"Stop it first with `/grade cadence stop {account.name}`."
        )
    first = grades.ask(
        rapport,
        client,
        team_id=user.team_id,
        asked_by=user.user_id,
        account_id=account.id,
        grader_id=wanted.grader_id,
        question=wanted.question,
    )
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        cadence = GradeCadence(
            team_id=user.team_id,
            account=s.merge(first.account),
            asked_by=user.user_id,
            grader_id=wanted.grader_id,
            question=wanted.question,
            every=every,
            next_due_at=now + PERIODS[every],
            created_at=now,
        )
        s.add(cadence)
        s.flush()
        s.merge(first).cadence_id = cadence.id
    return cadence


def active(rapport: Rapport, *, team_id: str) -> list[GradeCadence]:
    with rapport.reads.begin() as s:
        return list(
            s.scalars(
                select(GradeCadence)
                .options(joinedload(GradeCadence.account))
                .where(GradeCadence.team_id == team_id, GradeCadence.stopped_at.is_(None))
                .order_by(GradeCadence.next_due_at)
            )
        )


def stop(rapport: Rapport, *, team_id: str, account_name: str) -> tuple[str, int]:
    """End the account's cadences; (the account's name, how many were running)."""
    with rapport.sessions.begin() as s:
        account = accounts.find(queries.active_accounts(s, team_id=team_id), account_name)
        stopped = s.scalars(
            update(GradeCadence)
            .where(
                GradeCadence.team_id == team_id,
                GradeCadence.account_id == account.id,
                GradeCadence.stopped_at.is_(None),
            )
            .values(stopped_at=rapport.clock.now())
            .returning(GradeCadence.id)
        ).all()
        return account.name, len(stopped)


def _open_requests():
    """Open requests whose prompt was posted, with their account (named in messages)."""
    return (
        select(GradeRequest)
        .options(joinedload(GradeRequest.account))
        .where(GradeRequest.status == "open", GradeRequest.message_ts.is_not(None))
    )
