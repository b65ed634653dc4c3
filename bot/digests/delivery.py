"""Posting digests exactly once a day, whatever the number of replicas.

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
"""

import logging
from datetime import date, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import i18n, people
from bot.blocks import text_message
from bot.digests import content, messages
from bot.digests.schedule import due_date
from bot.i18n import _
from bot.mrkdwn import escape
from bot.runtime.claims import LEASE
from bot.runtime.context import Rapport
from storage.models import DigestSubscription, PostStatus
from storage.queries import digests as digest_queries

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


def post_due(rapport: Rapport, client: WebClient) -> None:
    """The scheduler's job: post every digest due now, each exactly once."""
    now = rapport.clock.now()
    with rapport.reads.begin() as s:
        active = digest_queries.active_subscriptions(s)
        due = [(sub, day) for sub in active if (day := due_date(sub, now)) is not None]
        done = digest_queries.finished(s, keys=[(sub.id, day) for sub, day in due])
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
        if digest_queries.claim_day(s, subscription=subscription, day=day, now=now, lease=lease):
            return lease
        taken = digest_queries.take_over(
            s, subscription_id=subscription.id, day=day, now=now, lease=lease
        )
        if taken is None:
            return None
        if taken.status == PostStatus.CLAIMED:
            return lease
        if taken.message_ts is None:
            status, detail = PostStatus.FAILED, "replica died or failed posting; not resent"
        else:
            status, detail = PostStatus.POSTED, "replica died or failed mid-thread; not resent"
        log.error("digest %s: %s", subscription.id, detail)
        digest_queries.settle(
            s, subscription_id=subscription.id, day=day, status=status, detail=detail
        )
        return None


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

    def record(**values) -> bool:
        return _record(rapport, subscription, day, lease, **values)

    if channel_message is None:
        record(status=PostStatus.QUIET, covered_until=until)
        return
    if not record(status=PostStatus.POSTING):
        return
    try:
        posted = client.chat_postMessage(channel=subscription.channel_id, **channel_message)
    except SlackApiError as failure:
        error = failure.response.get("error", "")
        if failure.response.status_code >= 500:
            log.error("digest %s: Slack answered %s; not resending", subscription.id, error)
            record(status=PostStatus.FAILED, detail=f"5xx {error}; not resent")
        elif error in PAUSING_ERRORS:
            record(status=PostStatus.FAILED, detail=error)
            pause(rapport, client, subscription, error)
        else:
            record(status=PostStatus.CLAIMED)
            raise
        return
    if not record(message_ts=posted["ts"], posted_at=rapport.clock.now()):
        return
    _post_thread(client, subscription, posted["ts"], thread)
    record(status=PostStatus.POSTED, covered_until=until)


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
    the channel message and its thread replies, in the subscription's language; (None, [])
    on a quiet day when the subscription posts nothing then."""
    now = until or rapport.clock.now()
    with rapport.reads.begin() as s:
        since = digest_queries.covered_until(s, subscription_id=subscription.id)
        if since is None:  # nothing covered yet: the day before the first digest, even a failed one
            first = digest_queries.first_claimed_at(s, subscription_id=subscription.id)
            since = (first or now) - timedelta(days=1)
        digest = content.gather(
            s,
            subscription=subscription,
            since=since,
            now=now,
            stale_days=rapport.settings.stale_days,
        )
    if digest.quiet and subscription.skip_quiet:
        return None, []
    with i18n.speaking(subscription.language or rapport.settings.default_language):
        return messages.messages(digest, subscription=subscription, tz=subscription.tz)


def pause(
    rapport: Rapport, client: WebClient, subscription: DigestSubscription, error: str
) -> None:
    """Stop posting until someone subscribes again, and tell the subscription's creator, in
    their language (the workspace's if Slack no longer knows them)."""
    with rapport.sessions.begin() as s:
        digest_queries.pause(s, subscription_id=subscription.id, reason=error)
    try:
        with people.speaking_to(
            rapport, client, team_id=subscription.team_id, user_id=subscription.created_by
        ):
            text = _(
                "I paused the daily digest for <#{channel}>: Slack answered `{error}` when I "
                "posted it. Invite me to the channel (or check it still exists), then run "
                "`/digest subscribe` there again."
            ).format(channel=subscription.channel_id, error=escape(error))
        client.chat_postMessage(channel=subscription.created_by, **text_message(text))
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
        ours = digest_queries.record_step(
            s, subscription_id=subscription.id, day=day, lease=lease, **values
        )
    if not ours:
        log.warning("digest %s of %s: the claim was taken over; stopping", subscription.id, day)
    return ours
