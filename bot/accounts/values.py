"""What `/account list` and `/account show` show of an account."""

from dataclasses import dataclass
from datetime import datetime

from storage.models import Account, Call


@dataclass(frozen=True)
class AccountView:
    account: Account
    last_contact: datetime | None
    calls: list[Call]  # the latest, newest first; empty in a listing
