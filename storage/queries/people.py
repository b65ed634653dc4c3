"""The cached Slack profiles of the people Rapport talks to."""

from collections.abc import Collection

from sqlalchemy.orm import Session

from storage.models import UserProfile
from storage.queries.inserts import dialect_insert

PROFILE_COLUMNS = ("tz", "locale", "is_bot", "is_admin", "is_guest", "fetched_at", "display_name")


def profile(s: Session, *, team_id: str, user_id: str) -> UserProfile | None:
    return s.get(UserProfile, (team_id, user_id))


def save_profile(s: Session, row: UserProfile, *, keep: Collection[str] = ()) -> UserProfile:
    """Insert the person's profile, or replace the one stored (keeping its columns named
    in `keep`, which Slack's answer did not carry): one statement, so concurrent first
    requests of one person both succeed. Returns the profile as stored."""
    values = {name: getattr(row, name) for name in ("team_id", "user_id", *PROFILE_COLUMNS)}
    statement = dialect_insert(s)(UserProfile).values(values)
    replaced = [name for name in PROFILE_COLUMNS if name not in keep]
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "user_id"],
        set_={name: statement.excluded[name] for name in replaced},
    ).returning(UserProfile)
    return s.scalars(statement, execution_options={"populate_existing": True}).one()
