"""What `/account show` and `/account contact list` show of an account's contacts."""

from dataclasses import dataclass
from datetime import datetime

from storage.models import Contact

QUIET_DAYS = 90  # a team with no contact on a call for this long is flagged


@dataclass(frozen=True)
class ContactView:
    contact: Contact
    last_call: datetime | None  # when they were last on a call; None: never


@dataclass(frozen=True)
class Overview:
    """An account's contacts, by name, and its teams (departments, as first written) that
    no contact of theirs was on a call with in the last QUIET_DAYS days."""

    contacts: list[ContactView]
    quiet_teams: list[str]
