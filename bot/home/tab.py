"""Publishing the viewer's Home tab. Its facts are read in one transaction and a fixed
number of statements, whatever the number of accounts."""

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import people
from bot.errors import UserError, unless_slack_fails
from bot.grades import scale
from bot.home import messages
from bot.home.values import Home, HomeAccount
from bot.recovery.plans import latest_by_account
from bot.runtime.context import Rapport
from storage.queries import accounts as account_queries
from storage.queries import grades as grade_queries
from storage.queries import recovery as plan_queries


def gather(s: Session, *, team_id: str, user_id: str, tz: str, now: datetime) -> Home:
    """The viewer's Home: three statements, however many accounts they own."""
    today = now.astimezone(ZoneInfo(tz)).date()
    scope = account_queries.in_scope(team_id=team_id, owner_id=user_id)
    facts = account_queries.facts(s, team_id=team_id, scope=scope)
    previous = grade_queries.previous_grades(s, team_id=team_id, scope=scope)
    latest_plan = latest_by_account(plan_queries.open_plans(s, team_id=team_id, scope=scope))
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
                target=scale.recovery_target(a.grade) if a.grade else None,
                last_call_at=a.last_call_at,
                # A call's follow-up that has passed is only "overdue"; a plan's stays the next one.
                follow_up_on=None if overdue and plan is None else follow_up_on,
                overdue_on=follow_up_on if overdue else None,
                renewal_on=a.renewal_on,
                arr=a.arr,
            )
        )
    at_risk = sorted(
        (a for a in accounts if a.at_risk), key=lambda a: scale.POINTS[a.grade]
    )  # stable: by name within a grade
    others = [a for a in accounts if not a.at_risk]
    return Home(user_id, tz, today, tuple(at_risk + others))


def view(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> dict:
    """The viewer's Home tab as a view payload."""
    person = people.person(rapport, client, team_id=team_id, user_id=user_id)
    with rapport.reads.begin() as s:
        home = gather(s, team_id=team_id, user_id=user_id, tz=person.tz, now=rapport.clock.now())
    return messages.home(home)


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
