"""The cached Slack profiles of the people Rapport talks to."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import UserProfile
from storage.queries.inserts import upsert

PROFILE_COLUMNS = ("tz", "locale", "is_bot", "is_admin", "is_guest", "fetched_at")


def profile(s: Session, *, team_id: str, user_id: str) -> UserProfile | None:
    return s.get(UserProfile, (team_id, user_id))


def save_profile(s: Session, row: UserProfile, *, keep_locale: bool) -> UserProfile:
    """Insert the person's profile, or replace the one stored (keeping its locale when
    `keep_locale`): one statement, so concurrent first requests of one person both
    succeed. Returns the profile as stored."""
    columns = [name for name in PROFILE_COLUMNS if not (keep_locale and name == "locale")]
    values = {name: getattr(row, name) for name in ("team_id", "user_id", *PROFILE_COLUMNS)}
    upsert(s, UserProfile, [values], update=tuple(columns))
    return s.scalars(
        select(UserProfile)
        .where(UserProfile.team_id == row.team_id, UserProfile.user_id == row.user_id)
        .execution_options(populate_existing=True)
    ).one()
