"""The App Home: the viewer's own accounts at a glance, and asking for a grade from it.

The facts are read in one transaction and a fixed number of statements, whatever the
number of accounts (storage/digest_queries.py, storage/home_queries.py).
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import grades, grading, home_blocks, ids, people
from bot.calls import FormErrors
from bot.errors import UserError, unless_slack_fails
from bot.recovery import OPEN_STATUSES
from bot.services import Rapport
from storage import digest_queries, home_queries, queries
from storage.models import Account, GradeRequest


@dataclass(frozen=True)
class HomeAccount:
    """One of the viewer's accounts, as its row on the Home tab shows it."""

    id: int
    name: str
    grade: str | None  # the latest; None until the account is graded
    previous: str | None  # the grade before it
    target: str | None  # the recovery target when the latest grade is at risk
    last_call_at: datetime | None
    follow_up_on: date | None  # the open recovery plan's, else the latest call's if not past
    overdue_on: date | None  # a follow-up day that has passed (the plan's, else the call's)
    renewal_on: date | None
    arr: int | None

    @property
    def at_risk(self) -> bool:
        return self.grade is not None and grading.at_risk(self.grade)

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "flat" since the previous grade; None until there are two."""
        return grading.trend(self.grade, self.previous) if self.previous else None


@dataclass(frozen=True)
class Home:
    """What the viewer's Home tab shows: their active accounts, at risk (worst first)
    then the rest by name."""

    user_id: str
    tz: str
    today: date  # in the viewer's timezone
    accounts: tuple[HomeAccount, ...]

    @property
    def needs_attention(self) -> tuple[HomeAccount, ...]:
        """At-risk accounts, worst first; then the others with an overdue follow-up,
        longest overdue first."""
        overdue = sorted(
            (a for a in self.accounts if a.overdue_on and not a.at_risk),
            key=lambda a: (a.overdue_on, a.name.casefold()),
        )
        return tuple(a for a in self.accounts if a.at_risk) + tuple(overdue)


@dataclass(frozen=True)
class AskForm:
    """What the "Ask for a grade" modal collects; None or blank means "not given"."""

    account_id: int | None
    grader_id: str | None
    question: str = ""


def gather(s: Session, *, team_id: str, user_id: str, tz: str, now: datetime) -> Home:
    """The viewer's Home: three statements, however many accounts they own."""
    today = now.astimezone(ZoneInfo(tz)).date()
    scope = {
        "team_id": team_id,
        "accounts": (Account.owner_id == user_id) & Account.archived_at.is_(None),
    }
    facts = digest_queries.account_facts(s, **scope)
    previous = home_queries.previous_grades(s, **scope)
    plans = digest_queries.open_plans(s, **scope, statuses=OPEN_STATUSES)
    latest_plan = {plan.account_id: plan for plan in plans}  # oldest first: the latest wins
    accounts = []
    for a in facts:
        plan = latest_plan.get(a.id)
        follow_up_on = plan.follow_up_on if plan else a.follow_up_on
        overdue = follow_up_on is not None and follow_up_on < today
        accounts.append(
            HomeAccount(
                id=a.id,
                name=a.name,
                grade=a.grade,
                previous=previous.get(a.id),
                target=grading.recovery_target(a.grade) if a.grade else None,
                last_call_at=a.last_call_at,
                # A call's follow-up that has passed is only "overdue"; a plan's stays the next one.
                follow_up_on=None if overdue and plan is None else follow_up_on,
                overdue_on=follow_up_on if overdue else None,
                renewal_on=a.renewal_on,
                arr=a.arr,
            )
        )
    at_risk = sorted(
        (a for a in accounts if a.at_risk), key=lambda a: grading.POINTS[a.grade]
    )  # stable: by name within a grade
    others = [a for a in accounts if not a.at_risk]
    return Home(user_id, tz, today, tuple(at_risk + others))


def view(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> dict:
    """The viewer's Home tab as a view payload."""
    person = people.person(rapport, client, team_id=team_id, user_id=user_id)
    with rapport.reads.begin() as s:
        home = gather(s, team_id=team_id, user_id=user_id, tz=person.tz, now=rapport.clock.now())
    return home_blocks.home(home)


def refresh(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> None:
    """Publish the viewer's Home tab again (on opening it, after a call or a grade).
    Someone Slack no longer knows (an owner who left) has no Home to refresh. A Home that
    Slack failed to take is only logged: what was done before it (a call logged, a grade
    recorded) stands, and the Home is published again the next time it is opened."""
    with unless_slack_fails(f"Home tab of {user_id} not published"):
        try:
            home = view(rapport, client, team_id=team_id, user_id=user_id)
        except UserError:
            return
        client.views_publish(user_id=user_id, view=home)


def check_ask(form: AskForm) -> None:
    """FormErrors, keyed by the modal's block ids, when a field is missing or too long."""
    errors = {}
    if form.account_id is None:
        errors[ids.ASK_GRADE_ACCOUNT] = "Pick an account."
    if not form.grader_id:
        errors[ids.ASK_GRADE_GRADER] = "Pick the person to ask."
    if len(form.question.strip()) > grades.QUESTION_MAX:
        errors[ids.ASK_GRADE_QUESTION] = (
            f"Keep the question under {grades.QUESTION_MAX} characters."
        )
    if errors:
        raise FormErrors(errors)


def ask(
    rapport: Rapport, client: WebClient, *, team_id: str, user_id: str, form: AskForm
) -> GradeRequest:
    """Ask the form's person for a grade on its account, as `/grade` does; UserError when
    the account was archived (or removed) after the modal opened."""
    with rapport.reads.begin() as s:
        account = queries.account_by_id(s, team_id=team_id, account_id=form.account_id)
    if account is None or account.archived_at is not None:
        raise UserError("That account is archived or gone; pick another one.")
    return grades.ask(
        rapport,
        client,
        team_id=team_id,
        asked_by=user_id,
        account_id=account.id,
        grader_id=form.grader_id,
        question=form.question.strip() or None,
    )
