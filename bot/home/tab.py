"""Publishing the viewer's Home tab: when they open it, unless it was published moments
ago and nothing it shows changed since (use cases record changes with
storage.queries.home.changed), and after what they do from the Home tab itself. Its facts
are read in one transaction and a fixed number of statements, whatever the number of
accounts."""

from datetime import datetime, timedelta
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
from storage.queries import home as home_queries
from storage.queries import recovery as plan_queries

# A burst of opens (clicking between the Messages and Home tabs) publishes once.
BURST = timedelta(seconds=30)


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
        if plan is not None and plan.follow_up_done_at is not None:
            plan = None  # its follow-up call is done (the follow-up DM's Done)
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
    """The viewer's Home tab as a view payload, in their language."""
    person = people.person(rapport, client, team_id=team_id, user_id=user_id)
    with rapport.reads.begin() as s:
        home = gather(s, team_id=team_id, user_id=user_id, tz=person.tz, now=rapport.clock.now())
    with person.speaking(rapport.settings.default_language):
        return messages.home(home)


def opened(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> None:
    """The viewer opened their Home tab: publish it, unless it was published moments ago
    and nothing it shows changed since."""
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        if not home_queries.claim(s, team_id=team_id, user_id=user_id, now=now, since=now - BURST):
            return
    _publish(rapport, client, team_id=team_id, user_id=user_id, now=now)


def refresh(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> None:
    """Publish the viewer's Home tab now (after what they did from it)."""
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        home_queries.published(s, team_id=team_id, user_id=user_id, at=now)
    _publish(rapport, client, team_id=team_id, user_id=user_id, now=now)


def _publish(
    rapport: Rapport, client: WebClient, *, team_id: str, user_id: str, now: datetime
) -> None:
    """Someone Slack no longer knows (an owner who left) has no Home to publish. A Home
    that Slack failed to take is only logged, and published when next opened: what was
    done before it (a call logged) stands."""
    try:
        home = view(rapport, client, team_id=team_id, user_id=user_id)
    except UserError:
        return
    with unless_slack_fails(f"Home tab of {user_id} not published"):
        try:
            client.views_publish(user_id=user_id, view=home)
        except Exception:
            with rapport.sessions.begin() as s:
                home_queries.changed(s, team_id=team_id, user_ids=[user_id], now=now)
            raise
