"""Posting digests: when each subscription is due, and posting it exactly once a day.

Every replica's scheduler calls `post_due`. For each subscription whose local time
has passed its HH:MM today (and today is one of its days), a replica claims the day
by inserting a DigestPost row unique on (subscription, local date); only the replica
whose insert wins posts, then records the message ts. A claim left unfinished past
its lease (the replica died) is taken over. A digest missed while every replica was
down is posted late the same local day, and never on the next day: the next day has
a date, and so a claim, of its own.
"""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select, update

from bot import blocks, digest_blocks, digest_content
from bot.jobs import LEASE
from bot.mrkdwn import escape
from bot.services import Rapport
from storage import digest_posts, queries
from storage.models import DigestPost, DigestSubscription

log = logging.getLogger(__name__)
# Slack's answers that retrying will not fix: the subscription waits for a person.
PAUSING_ERRORS = {
    "invalid_auth",
    "token_revoked",
    "account_inactive",
    "channel_not_found",
    "not_in_channel",
    "is_archived",
}


def due_date(subscription: DigestSubscription, now: datetime) -> date | None:
    """The subscription's local date if its digest is due by `now`, else None. The first
    digest is the first HH:MM after subscribing: subscribing at noon to 09:00 means tomorrow."""
    zone = ZoneInfo(subscription.tz)
    local = now.astimezone(zone)
    if subscription.days == "weekdays" and local.weekday() >= 5:
        return None
    scheduled = datetime.combine(local.date(), _at(subscription), zone)
    if now < scheduled or subscription.created_at > scheduled:
        return None
    return local.date()


def _at(subscription: DigestSubscription) -> time:
    return time(*map(int, subscription.at_time.split(":")))


def next_post_at(subscription: DigestSubscription, now: datetime, posted_today: bool) -> datetime:
    """When the next scheduled digest goes out: today at HH:MM while that is ahead (or at
    the next tick, if it is due and not posted yet), else the next day it posts on."""
    zone = ZoneInfo(subscription.tz)
    today = now.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        moment = datetime.combine(day, _at(subscription), zone)
        skipped = subscription.days == "weekdays" and day.weekday() >= 5
        if skipped or (offset == 0 and (posted_today or subscription.created_at > moment)):
            continue
        return max(moment, now)
    raise AssertionError("every week has a weekday")


def post_due(rapport: Rapport, client: WebClient) -> None:
    """The scheduler's job: post every digest due now, each exactly once."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        active = s.scalars(
            select(DigestSubscription).where(DigestSubscription.status == "active")
        ).all()
        due = [(sub, day) for sub in active if (day := due_date(sub, now)) is not None]
        done = digest_posts.finished(s, keys=[(sub.id, day) for sub, day in due])
    for subscription, day in due:
        if (subscription.id, day) not in done and _claim(rapport, subscription, day):
            deliver(rapport, client, subscription, day)


def _claim(rapport: Rapport, subscription: DigestSubscription, day: date) -> bool:
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        if queries.insert_new(
            s,
            DigestPost,
            team_id=subscription.team_id,
            subscription_id=subscription.id,
            local_date=day,
            claimed_at=now,
            lease_until=now + LEASE,
            status="claimed",
        ):
            return True
        taken = s.scalar(
            update(DigestPost)
            .where(
                DigestPost.subscription_id == subscription.id,
                DigestPost.local_date == day,
                DigestPost.status == "claimed",
                DigestPost.lease_until < now,
            )
            .values(claimed_at=now, lease_until=now + LEASE)
            .returning(DigestPost.id)
        )
        return taken is not None


def deliver(
    rapport: Rapport, client: WebClient, subscription: DigestSubscription, day: date
) -> None:
    """Build and post the claimed digest of `day`, then record how it went.

    A rate limit is waited out by the client (Retry-After); if Slack still refuses, the
    claim stays unfinished and is retried after its lease. A 5xx leaves it unknown
    whether Slack posted, so it is recorded as failed, not sent again. Errors that a
    retry cannot fix pause the subscription and tell its creator.
    """
    until = rapport.clock.now()
    channel_message, thread = render(rapport, subscription, until=until)
    if channel_message is None:
        _record(rapport, subscription, day, status="quiet", covered_until=until)
        return
    try:
        ts = _post(client, subscription, channel_message, thread)
    except SlackApiError as failure:
        error = failure.response.get("error", "")
        if failure.response.status_code >= 500:
            log.error("digest %s: Slack answered %s; not resending", subscription.id, error)
            _record(rapport, subscription, day, status="failed", detail=f"5xx {error}; not resent")
        elif error in PAUSING_ERRORS:
            _record(rapport, subscription, day, status="failed", detail=error)
            pause(rapport, client, subscription, error)
        else:
            raise
        return
    _record(rapport, subscription, day, status="posted", ts=ts, covered_until=until)


def post_now(rapport: Rapport, client: WebClient, subscription: DigestSubscription) -> str | None:
    """/digest now: post the digest at once; it does not count as the day's scheduled one.
    The message ts, or None on a quiet day for a subscription that skips those."""
    channel_message, thread = render(rapport, subscription)
    if channel_message is None:
        return None
    return _post(client, subscription, channel_message, thread)


def _post(
    client: WebClient, subscription: DigestSubscription, message: dict, thread: list[dict]
) -> str:
    """The channel message, then the thread replies under it; the channel message's ts."""
    posted = client.chat_postMessage(channel=subscription.channel_id, **message)
    for reply in thread:
        client.chat_postMessage(channel=subscription.channel_id, thread_ts=posted["ts"], **reply)
    return posted["ts"]


def render(
    rapport: Rapport, subscription: DigestSubscription, *, until: datetime | None = None
) -> tuple[dict | None, list[dict]]:
    """The digest of what was logged since the last posted one and before `until` (now):
    the channel message and its thread replies; (None, []) on a quiet day when the
    subscription posts nothing then."""
    now = until or rapport.clock.now()
    with rapport.reads.begin() as s:
        covered = digest_posts.covered_until(s, subscription_id=subscription.id)
        since = covered or now - timedelta(days=1)
        digest = digest_content.gather(
            s, subscription=subscription, since=since, now=now, settings=rapport.settings
        )
    if digest.quiet and subscription.skip_quiet:
        return None, []
    return digest_blocks.messages(digest, subscription=subscription, tz=subscription.tz)


def pause(
    rapport: Rapport, client: WebClient, subscription: DigestSubscription, error: str
) -> None:
    """Stop posting until someone subscribes again, and tell the subscription's creator."""
    with rapport.sessions.begin() as s:
        s.execute(
            update(DigestSubscription)
            .where(DigestSubscription.id == subscription.id)
            .values(status="paused", paused_reason=error)
        )
    text = (
        f"I paused the daily digest for <#{subscription.channel_id}>: Slack answered "
        f"`{escape(error)}` when I posted it. Invite me to the channel (or check it still "
        "exists), then run `/digest subscribe` there again."
    )
    try:
        client.chat_postMessage(channel=subscription.created_by, **blocks.text_message(text))
    except SlackApiError:  # e.g. the token was revoked: nobody can be told through Slack
        log.warning(
            "digest %s paused (%s); could not tell %s",
            subscription.id,
            error,
            subscription.created_by,
        )


def _record(
    rapport: Rapport,
    subscription: DigestSubscription,
    day: date,
    *,
    status: str,
    ts: str | None = None,
    detail: str | None = None,
    covered_until: datetime | None = None,
) -> None:
    with rapport.sessions.begin() as s:
        s.execute(
            update(DigestPost)
            .where(DigestPost.subscription_id == subscription.id, DigestPost.local_date == day)
            .values(
                status=status,
                message_ts=ts,
                detail=detail,
                posted_at=rapport.clock.now() if status == "posted" else None,
                covered_until=covered_until,
            )
        )
