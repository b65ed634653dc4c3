"""An account's contacts, and who of them was on which call."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Call, CallContact, Contact


def of_account(s: Session, *, team_id: str, account_id: int) -> list[Contact]:
    """The account's contacts that are not removed, by name."""
    return list(
        s.scalars(
            select(Contact)
            .where(
                Contact.team_id == team_id,
                Contact.account_id == account_id,
                Contact.removed_at.is_(None),
            )
            .order_by(Contact.name_key)
        )
    )


def by_email(s: Session, *, team_id: str, account_id: int, email: str) -> Contact | None:
    """The account's contact with that email address in any case, a removed one too (the
    active one first)."""
    return s.scalar(
        select(Contact)
        .where(
            Contact.team_id == team_id,
            Contact.account_id == account_id,
            func.lower(Contact.email) == email.lower(),
        )
        .order_by(Contact.removed_at.is_not(None), Contact.id)
        .limit(1)
    )


def by_name_key(s: Session, *, team_id: str, account_id: int, name_key: str) -> Contact | None:
    """The account's contact with that name key, a removed one too."""
    return s.scalar(
        select(Contact).where(
            Contact.team_id == team_id,
            Contact.account_id == account_id,
            Contact.name_key == name_key,
        )
    )


def by_ids(s: Session, *, team_id: str, account_id: int, ids: Iterable[int]) -> list[Contact]:
    """Those of `ids` that are the account's contacts, not removed, by name."""
    return list(
        s.scalars(
            select(Contact)
            .where(
                Contact.team_id == team_id,
                Contact.account_id == account_id,
                Contact.removed_at.is_(None),
                Contact.id.in_(list(ids)),
            )
            .order_by(Contact.name_key)
        )
    )


def last_calls(s: Session, *, team_id: str, account_id: int) -> dict[int, datetime]:
    """When each of the account's contacts was last on a call, by contact id (those never
    on one are left out)."""
    rows = s.execute(
        select(CallContact.contact_id, func.max(Call.occurred_at))
        .join(Call, Call.id == CallContact.call_id)
        .where(
            CallContact.team_id == team_id,
            Call.team_id == team_id,
            Call.account_id == account_id,
        )
        .group_by(CallContact.contact_id)
    )
    return {contact_id: latest for contact_id, latest in rows}


def attended(s: Session, *, team_id: str, call_id: int, contact_ids: Iterable[int]) -> None:
    """Record that these contacts were on the call."""
    s.add_all(
        CallContact(team_id=team_id, call_id=call_id, contact_id=contact_id)
        for contact_id in dict.fromkeys(contact_ids)
    )
