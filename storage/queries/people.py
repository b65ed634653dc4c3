"""The cached Slack profiles of the people Rapport talks to."""

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import UserProfile


def profile(s: Session, *, team_id: str, user_id: str) -> UserProfile | None:
    return s.get(UserProfile, (team_id, user_id))


def save_profile(
    s: Session,
    *,
    team_id: str,
    user_id: str,
    tz: str,
    locale: str | None,
    is_bot: bool,
    fetched_at: datetime,
) -> UserProfile:
    """Insert or replace the person's profile."""
    return s.merge(
        UserProfile(
            team_id=team_id,
            user_id=user_id,
            tz=tz,
            locale=locale,
            is_bot=is_bot,
            fetched_at=fetched_at,
        )
    )
