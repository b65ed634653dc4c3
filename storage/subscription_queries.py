"""Digest subscriptions, one per channel. Functions take the session and never commit."""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from storage.models import DigestSubscription, DigestSubscriptionAccount


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
