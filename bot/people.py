"""Slack users as Rapport needs them: timezone, locale, role and name, cached from
users.info."""

from dataclasses import dataclass
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import i18n
from bot.errors import UserError
from bot.i18n import _
from bot.runtime.context import Rapport
from bot.when import languages_for
from storage.models import UserProfile
from storage.queries import people as people_queries

# Refreshed sooner when Slack sends user_change (someone travels and changes timezone).
PROFILE_TTL = timedelta(days=1)


@dataclass(frozen=True)
class Person:
    team_id: str
    user_id: str
    tz: str
    locale: str | None
    is_bot: bool
    is_admin: bool = False  # a Slack admin or owner of the workspace
    is_guest: bool = False  # a single- or multi-channel guest
    language: str | None = None  # chosen in Rapport (bot/i18n.py LANGUAGES)
    calendar: str | None = None
    date_order: str | None = None  # "DMY" or "MDY"; None: their timezone's region decides
    display_name: str | None = None  # as Slack shows them (name); None: not cached yet

    def languages(self, extra: tuple[str, ...]) -> tuple[str, ...]:
        """The languages what they type is read in: their own first (a Persian reader's
        numeric dates are then read in the Persian calendar), English, `extra`."""
        own = self.language or i18n.supported(self.locale)
        return tuple(dict.fromkeys(filter(None, (own, *languages_for(self.locale, extra)))))

    def reading(self, extra: tuple[str, ...]) -> dict:
        """How what they type is read (bot/when.py parse_moment's keywords): their
        languages, calendar and day/month order."""
        return {
            "languages": self.languages(extra),
            "calendar": self.calendar,
            "date_order": self.date_order,
        }

    def reads(self, default: str) -> str:
        """The language Rapport writes to this person in: their choice, else their Slack
        language where Rapport speaks it, else the workspace's `default`."""
        return self.language or i18n.supported(self.locale) or default

    def voice(self, default: str) -> tuple[str, str | None]:
        """The language and calendar of what is written to them (bot/i18n.py use)."""
        return self.reads(default), self.calendar

    def speaking(self, default: str):
        """Write to this person, in their language and calendar, inside the block."""
        return i18n.speaking(*self.voice(default))


def cached(rapport: Rapport, *, team_id: str, user_id: str) -> Person | None:
    """The cached person, if fresh: from this process's memory, else the database; no
    call to Slack."""
    if known := rapport.profiles.get((team_id, user_id)):
        return known
    with rapport.reads.begin() as s:
        row = people_queries.profile(s, team_id=team_id, user_id=user_id)
        if row is None or row.fetched_at < rapport.clock.now() - PROFILE_TTL:
            return None
        return _kept(rapport, row)


def fetch(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> Person:
    """Ask Slack (users.info) and cache the answer."""
    try:
        user = client.users_info(user=user_id, include_locale=True)["user"]
    except SlackApiError as error:
        if error.response.get("error") == "user_not_found":
            raise UserError(
                _("I can't find the Slack user {person}.").format(person=f"<@{user_id}>")
            ) from None
        raise
    return remember(rapport, team_id=team_id, user=user)


def name(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> str:
    """How Slack shows `user_id` (display name, else real name, else handle): from their
    cached profile while it is fresh, else asked of users.info and cached with their
    profile; blank when Slack does not know them. Slack failing raises."""
    known = cached(rapport, team_id=team_id, user_id=user_id)
    if known is None or known.display_name is None:
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError as error:
            if error.response.status_code == 200:  # user_not_found, and the like
                return ""
            raise
        known = remember(rapport, team_id=team_id, user=user)
    return known.display_name or ""


def remember(rapport: Rapport, *, team_id: str, user: dict) -> Person:
    """Cache a users.info `user` object (also what a user_change event carries, minus
    locale: the locale cached before is kept, as is the name when `user` carries none).
    Two first requests of one person at once both store it; neither fails."""
    shown = _shown_name(user)
    kept = [] if "locale" in user else ["locale"]  # what `user` does not carry stays
    if shown is None:
        kept.append("display_name")
    with rapport.sessions.begin() as s:
        row = people_queries.save_profile(
            s,
            UserProfile(
                team_id=team_id,
                user_id=user["id"],
                tz=user.get("tz") or "UTC",
                locale=user.get("locale"),
                is_bot=bool(user.get("is_bot")),
                is_admin=bool(user.get("is_admin") or user.get("is_owner")),
                is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
                fetched_at=rapport.clock.now(),
                display_name=shown,
            ),
            keep=kept,
        )
        return _kept(rapport, row)


def _shown_name(user: dict) -> str | None:
    """The name Slack shows for `user`: display name, else real name, else handle; blank
    when all three are; None when the object carries none of them."""
    if "profile" not in user and "name" not in user:
        return None
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    names = (profile.get("display_name"), profile.get("real_name"), user.get("name"))
    return next((n.strip() for n in names if isinstance(n, str) and n.strip()), "")


def choose(rapport: Rapport, *, person: Person, **settings: str) -> Person:
    """Keep `person`'s choice of `language`, `calendar` (bot/i18n.py) or `date_order`:
    Rapport's own settings, which a refresh of their profile from Slack keeps."""
    with rapport.sessions.begin() as s:
        row = people_queries.profile(s, team_id=person.team_id, user_id=person.user_id)
        for name in ("language", "calendar", "date_order"):
            setattr(row, name, settings.get(name, getattr(row, name)))
        return _kept(rapport, row)


def speaking_to(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str):
    """Write to `user_id` inside the block, in their language and calendar; in the
    workspace's language when Slack no longer knows them."""
    default = rapport.settings.default_language
    try:
        return person(rapport, client, team_id=team_id, user_id=user_id).speaking(default)
    except UserError:  # gone from the workspace
        return i18n.speaking(default)


def person(rapport: Rapport, client: WebClient, *, team_id: str, user_id: str) -> Person:
    return cached(rapport, team_id=team_id, user_id=user_id) or fetch(
        rapport, client, team_id=team_id, user_id=user_id
    )


def _kept(rapport: Rapport, row: UserProfile) -> Person:
    """The person in `row`, remembered in memory for the next requests."""
    known = Person(
        row.team_id,
        row.user_id,
        row.tz,
        row.locale,
        row.is_bot,
        row.is_admin,
        row.is_guest,
        row.language,
        row.calendar,
        row.date_order,
        row.display_name,
    )
    rapport.profiles.put((row.team_id, row.user_id), known)
    return known
