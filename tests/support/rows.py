"""Rows for tests to start from, built with the models: an account with its calls, grade
requests, grades and recovery plans, and a digest subscription. Each builder returns an
unsaved row whose defaults are the workspace's (support/workspace.py) at START; keyword
arguments override any column. The rows are linked through their relationships, so they
serve in memory as well as stored: `add(s, row)` stores one (and what it links to)."""

from datetime import date, datetime, timedelta

from bot.accounts.names import name_key
from bot.grades.scale import POINTS
from storage.models import (
    Account,
    Call,
    DigestSubscription,
    DigestSubscriptionAccount,
    Grade,
    GradeRequest,
    RecoveryPlan,
)
from support.clock import START
from support.workspace import ALEX, CLIENT, DIGEST_CHANNEL, NEW_YORK, TEAM

QUESTION = "What grade would you give our proposals?"
IN_TWO_WEEKS = (START + timedelta(days=14)).date()


def add(s, *rows):
    """`rows` added to the session `s` and flushed, so they have their ids: the row, or
    the rows when there are several."""
    s.add_all(rows)
    s.flush()
    return rows[0] if len(rows) == 1 else rows


def account(name: str = "Acme Corp", **fields) -> Account:
    """Alex's account, added 60 days before START."""
    values = dict(team_id=TEAM, owner_id=ALEX.user_id, created_at=START - timedelta(days=60))
    values.update(fields)
    values.setdefault("created_by", values["owner_id"])
    return Account(name=name, name_key=name_key(name), **values)


def call(
    notes: str = "Discussed the renewal",
    *,
    of: Account | None = None,
    at: datetime = START - timedelta(hours=3),
    logged_at: datetime | None = None,
    **fields,
) -> Call:
    """A call with `of` (by default a new Acme Corp) that took place `at` (three hours
    before START), logged by the account's owner then (or `logged_at`), with a /logcall."""
    of = of or account()
    values = dict(logged_by=of.owner_id, private=False, source="command")
    return Call(
        team_id=of.team_id,
        account=of,
        occurred_at=at,
        notes=notes,
        created_at=logged_at or at,
        **values | fields,
    )


def grade_request(
    of: Account, *, status: str = "open", asked_at: datetime = START - timedelta(days=3), **fields
) -> GradeRequest:
    """A request, by the account's owner, that the client grade `of`; asked three days
    before START, still open."""
    values = dict(asked_by=of.owner_id, grader_id=CLIENT, question=QUESTION)
    return GradeRequest(
        team_id=of.team_id, account=of, status=status, asked_at=asked_at, **values | fields
    )


def grade(
    letter: str,
    *,
    of: Account,
    at: datetime = START - timedelta(hours=2),
    reason: str = "Proposals come late.",
) -> Grade:
    """The client's grade `letter` for `of`, given `at` (two hours before START), in answer
    to a request asked a day before."""
    asked = grade_request(of, status="answered", asked_at=at - timedelta(days=1))
    return Grade(
        team_id=of.team_id,
        account=of,
        request=asked,
        grader_id=asked.grader_id,
        grade=letter,
        points=POINTS[letter],
        reason=reason,
        graded_at=at,
    )


def plan(
    graded: Grade,
    *,
    target: str = "B-",
    follow_up_on: date = IN_TWO_WEEKS,
    status: str = "planned",
) -> RecoveryPlan:
    """The recovery plan of a low `graded`: aim for `target` by a follow-up two weeks on."""
    return RecoveryPlan(
        team_id=graded.team_id,
        account=graded.account,
        grade=graded,
        target=target,
        follow_up_on=follow_up_on,
        status=status,
        created_at=graded.graded_at,
        updated_at=graded.graded_at,
    )


def subscription(**fields) -> DigestSubscription:
    """Alex's subscription of the digest channel to a digest of all accounts, every weekday
    at 09:00 in New York; subscribed a week before START."""
    values = dict(
        team_id=TEAM,
        channel_id=DIGEST_CHANNEL,
        created_by=ALEX.user_id,
        at_time="09:00",
        tz=NEW_YORK,
        days="weekdays",
        scope="all",
        skip_quiet=False,
        status="active",
        created_at=START - timedelta(days=7),
    )
    return DigestSubscription(**values | fields)


def subscribed_account(sub: DigestSubscription, of: Account) -> DigestSubscriptionAccount:
    """`of` named in `sub` (scope "accounts"); both must be stored already, for their ids."""
    return DigestSubscriptionAccount(subscription_id=sub.id, account_id=of.id, team_id=sub.team_id)
