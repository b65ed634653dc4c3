"""Follow-ups that come to their owner: one DM on the morning they are due.

Every replica's scheduler calls `remind`. At 09:00 in an account owner's timezone, on a
weekday, the owner gets one DM listing each follow-up due that day or overdue: a call's
(while it is its account's latest call and not done) and an open recovery plan's (not
done). A follow-up due on a Saturday or Sunday is told on the Monday, with the overdue
ones: nothing is told before its day. On Mondays the DM also lists the owner's accounts
without a call for STALE_DAYS; on a Monday with nothing due but stale accounts, those
alone make the DM.

Exactly once across replicas: the DM of (owner, local day) is a job claim keyed
`followups:<owner>:<day>` (bot/runtime/claims.py). A day with nothing to tell claims
nothing, so a follow-up set for today after 09:00 is told at the next tick; after the
DM went out, anything else waits for the next weekday. A DM missed while every replica
was down is sent at the first tick of the same day after they are back, never on the
next day (which has a date, and so a key, of its own).

Slack failures: a 5xx leaves it unknown whether the DM went out, so it is not sent again;
an owner Slack cannot reach (gone, deactivated) is skipped for the day; anything else
(e.g. a rate limit not waited out) leaves the claim unfinished, retried after its lease.

The owner's buttons: Snooze 3 days (the follow-up's day becomes three calendar days after
today; one landing on a weekend is told on the Monday) and Done (no more reminders of it).
`/rapport reminders off` stops the DM for that person (`on` brings it back).
"""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import access, people
from bot.errors import UserError
from bot.followups import messages
from bot.followups.values import SNOOZE_DAYS, Due, Kind, Reminder, Stale
from bot.i18n import _
from bot.people import Person
from bot.runtime.claims import run_once
from bot.runtime.context import Rapport
from storage.models import Account, Call, PlanStatus, RecoveryPlan
from storage.queries import accounts as account_queries
from storage.queries import followups as followup_queries
from storage.queries import home as home_queries
from storage.queries import recovery as plan_queries

log = logging.getLogger(__name__)

REMIND_AT = time(9, 0)
STALE_WEEKDAY = 0  # Monday
# Slack's answers that mean the owner cannot be reached today: retrying will not help.
UNREACHABLE = {
    "user_not_found",
    "account_inactive",
    "user_disabled",
    "channel_not_found",
    "cannot_dm_bot",
    "invalid_auth",
    "token_revoked",
}


def key(owner_id: str, day: date) -> str:
    """The job claim of an owner's DM of `day` (their local day)."""
    return f"followups:{owner_id}:{day.isoformat()}"


def remind(rapport: Rapport, client: WebClient) -> None:
    """The scheduler's job: DM every owner whose morning it is and who has something due,
    each once a day (module docstring)."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        owners = followup_queries.owners(s)
    mornings = {}
    for team_id, owner_id, tz, reminders in owners:
        if reminders is False:
            continue
        day = _morning(rapport, client, team_id, owner_id, tz, now)
        if day is not None:
            mornings[(team_id, owner_id)] = day
    if not mornings:
        return
    before = now - timedelta(days=rapport.settings.stale_days)
    with rapport.reads.begin() as s:
        done = followup_queries.finished(
            s, keys=[(team, key(owner, day)) for (team, owner), day in mornings.items()]
        )
        first_due = followup_queries.first_due(s, by=max(mornings.values()))
        mondays = any(day.weekday() == STALE_WEEKDAY for day in mornings.values())
        stale = followup_queries.stale_owners(s, before=before) if mondays else set()
    for (team_id, owner_id), day in mornings.items():
        if (team_id, key(owner_id, day)) in done:
            continue
        due = (first := first_due.get((team_id, owner_id))) is not None and first <= day
        if not due and not (day.weekday() == STALE_WEEKDAY and (team_id, owner_id) in stale):
            continue

        def send(team_id: str = team_id, owner_id: str = owner_id, day: date = day) -> None:
            _send(rapport, client, team_id=team_id, owner_id=owner_id, day=day)

        run_once(rapport, team_id=team_id, key=key(owner_id, day), job=send)


def gather(rapport: Rapport, *, team_id: str, owner_id: str, day: date, tz: str) -> Reminder:
    """What `owner_id` is told on `day` (their local day, in `tz`); the stale accounts on
    Mondays only."""
    now = rapport.clock.now()
    limit = messages.DUE_SHOWN
    with rapport.reads.begin() as s:
        calls, call_count = followup_queries.due_calls(
            s, team_id=team_id, owner_id=owner_id, by=day, limit=limit
        )
        plans, plan_count = followup_queries.due_plans(
            s, team_id=team_id, owner_id=owner_id, by=day, limit=limit
        )
        stale_rows = None
        if day.weekday() == STALE_WEEKDAY:
            stale_rows = followup_queries.stale_accounts(
                s,
                team_id=team_id,
                owner_id=owner_id,
                before=now - timedelta(days=rapport.settings.stale_days),
            )
    due = sorted(
        [_of_call(call, owner_id) for call in calls] + [_of_plan(plan) for plan in plans],
        key=lambda d: (d.on, d.account.casefold(), d.id),
    )
    shown = tuple(due[:limit])
    stale = None
    if stale_rows is not None:
        stale = tuple(
            Stale(row.name, row.last_call_at, row.last_call_at or row.created_at)
            for row in stale_rows[: messages.STALE_SHOWN]
        )
    return Reminder(
        owner_id=owner_id,
        day=day,
        tz=tz,
        due=shown,
        more=call_count + plan_count - len(shown),
        stale=stale,
        stale_more=len(stale_rows) - len(stale) if stale_rows is not None else 0,
    )


def snooze(rapport: Rapport, *, user: Person, kind: Kind, item_id: int) -> Due:
    """Move the follow-up SNOOZE_DAYS after today (the presser's today): the owner or an
    admin only. A plan that had turned overdue is planned again."""
    today = rapport.clock.now().astimezone(ZoneInfo(user.tz)).date()
    on = today + timedelta(days=SNOOZE_DAYS)

    def change(item: Call | RecoveryPlan, now: datetime) -> None:
        item.follow_up_on = on
        if isinstance(item, RecoveryPlan):
            item.updated_at = now
            if item.status == PlanStatus.OVERDUE:
                item.status = PlanStatus.PLANNED

    # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
    doing = _("snooze it")
    return _decide(rapport, user=user, kind=kind, item_id=item_id, doing=doing, change=change)


def done(rapport: Rapport, *, user: Person, kind: Kind, item_id: int) -> Due:
    """The follow-up was done: it is not reminded again (the owner or an admin only)."""

    def change(item: Call | RecoveryPlan, now: datetime) -> None:
        item.follow_up_done_at = now
        if isinstance(item, RecoveryPlan):
            item.updated_at = now

    # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
    doing = _("mark it done")
    return _decide(rapport, user=user, kind=kind, item_id=item_id, doing=doing, change=change)


def account_to_log(rapport: Rapport, *, user: Person, account_id: int) -> Account | None:
    """The active account whose call "Log the call" logs; None if it is gone (the modal
    then asks for one)."""
    access.require_member(user)
    with rapport.reads.begin() as s:
        account = account_queries.by_id(s, team_id=user.team_id, account_id=account_id)
    return account if account is not None and account.archived_at is None else None


def _decide(rapport: Rapport, *, user: Person, kind: Kind, item_id: int, doing: str, change) -> Due:
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        if kind == Kind.CALL:
            item = followup_queries.call(s, team_id=user.team_id, call_id=item_id, lock=True)
        else:
            item = plan_queries.plan(s, team_id=user.team_id, plan_id=item_id, lock=True)
        if item is None:
            raise UserError(_("That follow-up is gone: its call or plan was deleted."))
        access.require_change(s, user, item.account, doing)
        change(item, now)
        home_queries.changed(s, team_id=user.team_id, user_ids=[item.account.owner_id], now=now)
        return _of_call(item, user.user_id) if kind == Kind.CALL else _of_plan(item)


def _morning(
    rapport: Rapport, client: WebClient, team_id: str, owner_id: str, tz: str | None, now: datetime
) -> date | None:
    """The owner's local day if it is a weekday at or after REMIND_AT there, else None. An
    owner never seen before is asked of Slack (once: the answer is cached)."""
    if tz is None:
        try:
            tz = people.person(rapport, client, team_id=team_id, user_id=owner_id).tz
        except (UserError, SlackApiError) as error:
            log.warning("follow-ups: no timezone for %s (%s); skipped", owner_id, error)
            return None
    local = now.astimezone(ZoneInfo(tz))
    if local.weekday() >= 5 or local.time() < REMIND_AT:
        return None
    return local.date()


def _send(rapport: Rapport, client: WebClient, *, team_id: str, owner_id: str, day: date) -> None:
    try:
        owner = people.person(rapport, client, team_id=team_id, user_id=owner_id)
    except UserError:  # gone from the workspace
        log.warning("follow-ups of %s on %s: not in the workspace; skipped", owner_id, day)
        return
    reminder = gather(rapport, team_id=team_id, owner_id=owner_id, day=day, tz=owner.tz)
    if reminder.empty:  # done or snoozed meanwhile
        return
    with owner.speaking(rapport.settings.default_language):
        message = messages.reminder(reminder)
    try:
        client.chat_postMessage(channel=owner_id, **message)
    except SlackApiError as failure:
        error = failure.response.get("error", "")
        if failure.response.status_code >= 500:
            log.error("follow-ups of %s on %s: Slack answered %s; not resent", owner_id, day, error)
        elif error in UNREACHABLE:
            log.warning("follow-ups of %s on %s: %s; skipped for the day", owner_id, day, error)
        else:
            raise


def _of_call(call: Call, reader_id: str) -> Due:
    hidden = call.private and call.logged_by != reader_id
    return Due(
        Kind.CALL,
        call.id,
        call.account_id,
        call.account.name,
        call.follow_up_on,
        next_step=None if hidden else call.next_step,
        done=call.follow_up_done_at is not None,
    )


def _of_plan(plan: RecoveryPlan) -> Due:
    return Due(
        Kind.PLAN,
        plan.id,
        plan.account_id,
        plan.account.name,
        plan.follow_up_on,
        target=plan.target,
        done=plan.follow_up_done_at is not None,
    )
