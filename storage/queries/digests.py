"""Digest subscriptions (one per channel), the accounts each covers, and the day's
claims (DigestPost, one per subscription and local date; bot/digests/delivery.py says
how a claim moves through its statuses)."""

from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    FINISHED_POSTS,
    UNFINISHED_POSTS,
    Account,
    DigestPost,
    DigestScope,
    DigestSubscription,
    DigestSubscriptionAccount,
    PostStatus,
    SubscriptionStatus,
)
from storage.queries.accounts import in_scope
from storage.queries.inserts import insert_new

# -- subscriptions


def scope(subscription: DigestSubscription) -> ColumnElement[bool]:
    """The subscription's accounts, as a condition on Account: its workspace's active
    accounts, all of them, one owner's (mine, owner) or the named ones (accounts)."""
    if subscription.scope == DigestScope.ALL:
        return in_scope(team_id=subscription.team_id)
    if subscription.scope in (DigestScope.MINE, DigestScope.OWNER):
        return in_scope(team_id=subscription.team_id, owner_id=subscription.scope_owner_id)
    named = select(DigestSubscriptionAccount.account_id).where(
        DigestSubscriptionAccount.team_id == subscription.team_id,
        DigestSubscriptionAccount.subscription_id == subscription.id,
    )
    return in_scope(team_id=subscription.team_id) & Account.id.in_(named)


def for_channel(
    s: Session, *, team_id: str, channel_id: str, lock: bool = False
) -> DigestSubscription | None:
    """The channel's subscription with its named accounts loaded (it is used after the
    transaction); `lock` takes its row lock on PostgreSQL, to change it."""
    query = (
        select(DigestSubscription)
        .options(selectinload(DigestSubscription.accounts))
        .where(DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id)
        .order_by(DigestSubscription.id)
    )
    return s.scalar(query.with_for_update(of=DigestSubscription) if lock else query)


def active_subscriptions(s: Session) -> list[DigestSubscription]:
    """The active subscriptions of every workspace."""
    return list(
        s.scalars(
            select(DigestSubscription).where(DigestSubscription.status == SubscriptionStatus.ACTIVE)
        )
    )


def set_accounts(s: Session, *, subscription: DigestSubscription, account_ids: list[int]) -> None:
    """Make `account_ids` the subscription's named accounts (none unless its scope is accounts)."""
    s.execute(
        delete(DigestSubscriptionAccount).where(
            DigestSubscriptionAccount.subscription_id == subscription.id
        )
    )
    s.add_all(
        DigestSubscriptionAccount(
            subscription_id=subscription.id, account_id=account_id, team_id=subscription.team_id
        )
        for account_id in account_ids
    )


def delete_for_channel(s: Session, *, team_id: str, channel_id: str) -> int:
    """Delete the channel's subscription (its accounts and posts go with it); how many rows."""
    return s.execute(
        delete(DigestSubscription).where(
            DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id
        )
    ).rowcount


def pause(s: Session, *, subscription_id: int, reason: str) -> None:
    s.execute(
        update(DigestSubscription)
        .where(DigestSubscription.id == subscription_id)
        .values(status=SubscriptionStatus.PAUSED, paused_reason=reason)
    )


# -- the day's claims


def finished(s: Session, *, keys: list[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which of the (subscription id, local date) pairs are done with for the day."""
    if not keys:
        return set()
    rows = s.execute(
        select(DigestPost.subscription_id, DigestPost.local_date).where(
            DigestPost.subscription_id.in_({sub for sub, _ in keys}),
            DigestPost.local_date.in_({day for _, day in keys}),
            DigestPost.status.in_(FINISHED_POSTS),
        )
    )
    return {(sub, day) for sub, day in rows} & set(keys)


def claim_day(
    s: Session, *, subscription: DigestSubscription, day: date, now: datetime, lease: datetime
) -> bool:
    """Insert the day's claim, leased until `lease`; False if there is one already."""
    return insert_new(
        s,
        DigestPost,
        team_id=subscription.team_id,
        subscription_id=subscription.id,
        local_date=day,
        claimed_at=now,
        lease_until=lease,
        status=PostStatus.CLAIMED,
    )


def take_over(
    s: Session, *, subscription_id: int, day: date, now: datetime, lease: datetime
) -> Row | None:
    """Move the lease of the day's claim to `lease` if it is unfinished and its lease ran
    out by `now` (claimed_at stays): its (status, message_ts) as they were; None if there
    was nothing to take over."""
    return s.execute(
        update(DigestPost)
        .where(
            *_day(subscription_id, day),
            DigestPost.status.in_(UNFINISHED_POSTS),
            DigestPost.lease_until < now,
        )
        .values(lease_until=lease)
        .returning(DigestPost.status, DigestPost.message_ts)
    ).one_or_none()


def settle(s: Session, *, subscription_id: int, day: date, status: PostStatus, detail: str) -> None:
    s.execute(
        update(DigestPost).where(*_day(subscription_id, day)).values(status=status, detail=detail)
    )


def record_step(s: Session, *, subscription_id: int, day: date, lease: datetime, **values) -> bool:
    """Set the DigestPost columns in `values` if the claim is still leased until `lease`
    (its fencing token); False, and nothing changed, if it was taken over."""
    return bool(
        s.execute(
            update(DigestPost)
            .where(*_day(subscription_id, day), DigestPost.lease_until == lease)
            .values(**values)
        ).rowcount
    )


def covered_until(s: Session, *, subscription_id: int) -> datetime | None:
    """Where the subscription's last posted digest stopped: the next one starts there."""
    return s.scalar(
        select(func.max(DigestPost.covered_until)).where(
            DigestPost.subscription_id == subscription_id,
            DigestPost.covered_until.is_not(None),
        )
    )


def first_claimed_at(s: Session, *, subscription_id: int) -> datetime | None:
    """When the subscription's first digest was claimed (posted or not)."""
    return s.scalar(
        select(func.min(DigestPost.claimed_at)).where(DigestPost.subscription_id == subscription_id)
    )


def _day(subscription_id: int, day: date) -> tuple:
    return (DigestPost.subscription_id == subscription_id, DigestPost.local_date == day)
