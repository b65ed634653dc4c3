"""Grade requests on a cadence: `/grade every month|quarter <account> @person [question]`
asks now and then every period; `/grade cadence` lists them and stops an account's.
`send_due` is the scheduler's job."""

import logging
from datetime import datetime

from dateutil.relativedelta import relativedelta
from slack_sdk import WebClient

from bot import access
from bot.accounts.names import find_active
from bot.errors import UserError
from bot.grades.asking import Ask, ask, parse_ask
from bot.grades.messages import EVERY
from bot.i18n import _, isolate
from bot.mrkdwn import escape
from bot.people import Person
from bot.runtime.claims import run_once
from bot.runtime.context import Rapport
from storage.models import Account, CadencePeriod, GradeCadence
from storage.queries import grades as grade_queries
from storage.queries.inserts import insert_new_key

log = logging.getLogger(__name__)
PERIODS = {
    CadencePeriod.MONTH: relativedelta(months=1),
    CadencePeriod.QUARTER: relativedelta(months=3),
}
EVERY_WORDS = {
    "month": CadencePeriod.MONTH,
    "monthly": CadencePeriod.MONTH,
    "quarter": CadencePeriod.QUARTER,
    "quarterly": CadencePeriod.QUARTER,
}


def start(rapport: Rapport, client: WebClient, *, user: Person, text: str) -> GradeCadence:
    """`month|quarter <account> @person [question]`: ask now, then on that cadence.

    The cadence is stored before the prompt is sent, and removed again if it can't be:
    of two requests at once, the one that stored it asks, the other is told it runs."""
    word, _space, rest = text.strip().partition(" ")
    every = EVERY_WORDS.get(word.lower())
    if every is None:
        raise UserError(_("Say how often: `/grade every month Acme @client` (or `every quarter`)."))
    wanted = parse_ask(rest)
    with rapport.reads.begin() as s:
        account = find_active(s, team_id=user.team_id, query=wanted.account_name)
    cadence = _store(rapport, user=user, account=account, wanted=wanted, every=every)
    try:
        _ask(rapport, client, cadence)
    except Exception:
        with rapport.sessions.begin() as s:
            grade_queries.delete_cadence(s, team_id=user.team_id, cadence_id=cadence.id)
        raise
    return cadence


def _store(
    rapport: Rapport, *, user: Person, account: Account, wanted: Ask, every: CadencePeriod
) -> GradeCadence:
    """The new cadence, stored; UserError if one is running for the account and person."""
    now = rapport.clock.now()
    columns = dict(
        team_id=user.team_id,
        account_id=account.id,
        asked_by=user.user_id,
        grader_id=wanted.grader_id,
        question=wanted.question,
        every=every,
        next_due_at=now + PERIODS[every],
        created_at=now,
    )
    with rapport.sessions.begin() as s:
        # The unique index on running cadences refuses a second one. If the one refused for
        # is gone before it can be read here (its prompt failed), try again.
        while (cadence_id := insert_new_key(s, GradeCadence, **columns)) is None:
            running = grade_queries.running_cadence(
                s, team_id=user.team_id, account_id=account.id, grader_id=wanted.grader_id
            )
            if running is not None:
                raise UserError(
                    _(
                        "{grader} is already asked about this account {every}. "
                        "Stop it first with `/grade cadence stop {name}`."
                    ).format(
                        grader=f"<@{wanted.grader_id}>",
                        every=_(EVERY[running.every]),
                        name=account.name,
                    )
                )
        return s.get(GradeCadence, cadence_id)


def active(rapport: Rapport, *, team_id: str) -> list[GradeCadence]:
    with rapport.reads.begin() as s:
        return grade_queries.running_cadences(s, team_id=team_id)


def stop(rapport: Rapport, *, user: Person, account_name: str) -> tuple[str, int]:
    """End the account's cadences (the owner or an admin); (the account's name, how many
    were running)."""
    if not account_name.strip():
        raise UserError(_("Name the account: `/grade cadence stop Acme`."))
    with rapport.sessions.begin() as s:
        account = find_active(s, team_id=user.team_id, query=account_name)
        # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
        doing = _("stop the grade requests on *{name}*").format(name=isolate(escape(account.name)))
        access.require_change(s, user, account, doing)
        stopped = grade_queries.stop_cadences(
            s, team_id=user.team_id, account_id=account.id, now=rapport.clock.now()
        )
        return account.name, stopped


def send_due(rapport: Rapport, client: WebClient) -> None:
    """Send the next request of each cadence that is due, once, then schedule the one after."""
    with rapport.reads.begin() as s:
        due = grade_queries.due_cadences(s, now=rapport.clock.now())
    for cadence in due:
        key = f"grade-cadence:{cadence.id}:{cadence.next_due_at:%Y%m%dT%H%M%S}"
        run_once(
            rapport,
            team_id=cadence.team_id,
            key=key,
            job=lambda cadence=cadence: _send(rapport, client, cadence),
        )


def next_after(cadence: GradeCadence, now: datetime) -> datetime:
    """The cadence's next date after `now` (periods missed while no replica ran are skipped)."""
    due = cadence.next_due_at
    while due <= now:
        due += PERIODS[cadence.every]
    return due


def _send(rapport: Rapport, client: WebClient, cadence: GradeCadence) -> None:
    try:
        _ask(rapport, client, cadence)
    except UserError as error:  # e.g. the grader left: skip this one, keep the cadence
        log.warning("cadence %s: request not sent: %s", cadence.id, error)
    with rapport.sessions.begin() as s:
        s.add(cadence)
        cadence.next_due_at = next_after(cadence, rapport.clock.now())


def _ask(rapport: Rapport, client: WebClient, cadence: GradeCadence) -> None:
    """Send the cadence's grade request (bot/grades/asking.py ask)."""
    ask(
        rapport,
        client,
        team_id=cadence.team_id,
        asked_by=cadence.asked_by,
        account_id=cadence.account_id,
        grader_id=cadence.grader_id,
        question=cadence.question,
        cadence_id=cadence.id,
    )
