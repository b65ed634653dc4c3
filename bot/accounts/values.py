"""What `/account show` and `/account list` show of accounts."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from storage.models import Account, Call


@dataclass(frozen=True)
class AccountView:
    account: Account
    last_contact: datetime | None
    calls: list[Call]  # the latest, newest first


class ListOrder(StrEnum):
    """How `/account list` orders accounts: the words after `by`."""

    NAME = "name"
    LAST_CONTACT = "last contact"  # longest without a call first, never called at the top
    RENEWAL = "renewal"  # soonest first, those without a renewal date last
    ARR = "arr"  # largest first, those without an ARR last


@dataclass(frozen=True)
class ListFilters:
    """What `/account list` was asked for; each filter narrows the others' accounts."""

    owner_id: str | None = None  # `mine` or `@owner`; None: every owner
    at_risk: bool = False  # latest grade below B
    stale: bool = False  # no call for STALE_DAYS, or never
    renewing_days: int | None = None  # renewal from today to this many days ahead
    order: ListOrder = ListOrder.NAME


@dataclass(frozen=True)
class ListedAccount:
    name: str
    owner_id: str
    last_contact: datetime | None
    grade: str | None
    renewal_on: date | None
    arr: int | None


@dataclass(frozen=True)
class ListPage:
    """One page of `/account list`: `accounts` are those matching from `offset` on."""

    filters: ListFilters
    accounts: list[ListedAccount]
    offset: int
    total: int  # accounts matching, on every page
    stale_days: int
    viewer_id: str
    previous: str | None  # the value of the "Previous page" button; None on the first page
    next: str | None  # the value of the "Next page" button; None on the last page
