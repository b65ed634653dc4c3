"""Posting digests: when each subscription is due, and posting it exactly once a day.

Every replica's scheduler calls `post_due`. For each subscription whose local time
has passed its HH:MM today (and today is one of its days), a replica claims the day
by inserting a DigestPost row unique on (subscription, local date); only the replica
whose insert wins posts. A digest missed while every replica was down is posted late
the same local day, and never on the next day: the next day has a date, and so a
claim, of its own.

A claim's status, each change committed on its own:
- `claimed`: inserted (or taken over); the digest is being rendered.
- `posting`: committed just before chat.postMessage is sent. The channel message's ts
  (and posted_at) are recorded as soon as it is posted, then the thread replies follow.
- `posted` once the thread is posted too, with covered_until (where the next digest
  starts); `quiet` when there was nothing to post; `failed` when Slack refused, or when
  it is unknown whether Slack posted.
A claim left `claimed` or `posting` past its lease (the replica died, raised, or stalled)
is taken over by the next tick of any replica:
- `claimed`: nothing reached Slack; the digest is rendered and posted.
- `posting` with no ts: Slack may or may not have posted it, so it is not resent; it
  is recorded as failed.
- `posting` with a ts: the channel message is out; it is recorded as posted. The thread
  replies a dead replica did not post are not resent (which of them Slack got is unknown).
Either way covered_until stays empty, so the next digest covers the same calls again: a
call may be shown twice, but is never lost.

A claim's lease_until is its fencing token: a takeover moves it, and each later step of
the replica that wrote it updates the row only where lease_until is still that value. A
replica that stalls past its lease (a GC pause, a slow Slack) while another takes its claim
over changes nothing more and stops at its next step: before posting if it was `claimed`;
if it was `posting`, its message may still go out, as the one the takeover did not resend.

The statuses are plain strings (the column is String(8)), as elsewhere in the schema: no
CHECK constraint and no migration.
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
        if (subscription.id, day) not in done and (lease := _claim(rapport, subscription, day)):
            deliver(rapport, client, subscription, day, lease)


def _claim(rapport: Rapport, subscription: DigestSubscription, day: date) -> datetime | None:
    """The claim's lease_until (its fencing token) if this replica is to post the day's
    digest: it inserted the claim, or took over one left `claimed`; else None. One left
    `posting` is settled here, without posting."""
    now = rapport.clock.now()
    lease = now + LEASE
    with rapport.sessions.begin() as s:
        if queries.insert_new(
            s,
            DigestPost,
            team_id=subscription.team_id,
            subscription_id=subscription.id,
            local_date=day,
            claimed_at=now,
            lease_until=lease,
            status="claimed",
        ):
            return lease
        this_day = (DigestPost.subscription_id == subscription.id, DigestPost.local_date == day)
        taken = s.execute(
            update(DigestPost)
            .where(
                *this_day,
                DigestPost.status.in_(digest_posts.UNFINISHED),
                DigestPost.lease_until < now,
            )
            .values(lease_until=lease)  # claimed_at stays: see render
            .returning(DigestPost.status, DigestPost.message_ts)
        ).one_or_none()
        if taken is None:
            return None
        if taken.status == "claimed":
            return lease
        if taken.message_ts is None:
            settled = dict(status="failed", detail="replica died or failed posting; not resent")
        else:
            settled = dict(status="posted", detail="replica died or failed mid-thread; not resent")
        log.error("digest %s: %s", subscription.id, settled["detail"])
        s.execute(update(DigestPost).where(*this_day).values(**settled))
        return False


def deliver(
    rapport: Rapport,
    client: WebClient,
    subscription: DigestSubscription,
    day: date,
    lease: datetime,
) -> None:
    """Build and post the digest of `day` this replica claimed with `lease`, recording each
    step (module docstring); it stops where the claim turns out to be taken over.

    A rate limit is waited out by the client (Retry-After); if Slack still refuses, nothing
    was posted: the claim goes back to `claimed` and is retried after its lease. A 5xx
    leaves it unknown whether Slack posted, so it is recorded as failed, not sent again.
    Errors that a retry cannot fix pause the subscription and tell its creator.
    """
    until = rapport.clock.now()
    channel_message, thread = render(rapport, subscription, until=until)
    if channel_message is None:
        _record(rapport, subscription, day, lease, status="quiet", covered_until=until)
        return
    if not _record(rapport, subscription, day, lease, status="posting"):
        return
    try:
        posted = client.chat_postMessage(channel=subscription.channel_id, **channel_message)
    except SlackApiError as failure:
        error = failure.response.get("error", "")
        if failure.response.status_code >= 500:
            log.error("digest %s: Slack answered %s; not resending", subscription.id, error)
            detail = f"5xx {error}; not resent"
            _record(rapport, subscription, day, lease, status="failed", detail=detail)
        elif error in PAUSING_ERRORS:
            _record(rapport, subscription, day, lease, status="failed", detail=error)
            pause(rapport, client, subscription, error)
        else:
            _record(rapport, subscription, day, lease, status="claimed")
            raise
        return
    if not _record(
        rapport, subscription, day, lease, message_ts=posted["ts"], posted_at=rapport.clock.now()
    ):
        return
    _post_thread(client, subscription, posted["ts"], thread)
    _record(rapport, subscription, day, lease, status="posted", covered_until=until)


def post_now(rapport: Rapport, client: WebClient, subscription: DigestSubscription) -> str | None:
    """/digest now: post the digest at once; it does not count as the day's scheduled one.
    The message ts, or None on a quiet day for a subscription that skips those."""
    channel_message, thread = render(rapport, subscription)
    if channel_message is None:
        return None
    posted = client.chat_postMessage(channel=subscription.channel_id, **channel_message)
    _post_thread(client, subscription, posted["ts"], thread)
    return posted["ts"]


def _post_thread(
    client: WebClient, subscription: DigestSubscription, ts: str, thread: list[dict]
) -> None:
    for reply in thread:
        client.chat_postMessage(channel=subscription.channel_id, thread_ts=ts, **reply)


def render(
    rapport: Rapport, subscription: DigestSubscription, *, until: datetime | None = None
) -> tuple[dict | None, list[dict]]:
    """The digest of what was logged since the last posted one and before `until` (now):
    the channel message and its thread replies; (None, []) on a quiet day when the
    subscription posts nothing then."""
    now = until or rapport.clock.now()
    with rapport.reads.begin() as s:
        since = digest_posts.covered_until(s, subscription_id=subscription.id)
        if since is None:  # nothing covered yet: the day before the first digest, even a failed one
            first = digest_posts.first_claimed_at(s, subscription_id=subscription.id)
            since = (first or now) - timedelta(days=1)
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
    rapport: Rapport, subscription: DigestSubscription, day: date, lease: datetime, **values
) -> bool:
    """Commit a step of the day's digest: the DigestPost columns in `values`. False, and
    nothing changed, if the claim is no longer this replica's (its lease_until moved)."""
    with rapport.sessions.begin() as s:
        ours = s.execute(
            update(DigestPost)
            .where(
                DigestPost.subscription_id == subscription.id,
                DigestPost.local_date == day,
                DigestPost.lease_until == lease,
            )
            .values(**values)
        ).rowcount
    if not ours:
        log.warning("digest %s of %s: the claim was taken over; stopping", subscription.id, day)
    return bool(ours)
