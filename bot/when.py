"""Reading "when" phrases ("yesterday 3pm", "2 hours ago") in the writer's timezone."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

from bot.errors import UserError
from bot.mrkdwn import EARLIEST, LATEST, date_token, escape, in_range

# A call "now" on a laptop whose clock runs a little ahead is still now.
FUTURE_TOLERANCE = timedelta(minutes=5)
NOW_WORDS = {"", "now", "just now", "today"}


def languages_for(locale: str | None, extra: tuple[str, ...]) -> tuple[str, ...]:
    """English, the DATE_LANGUAGES setting, and the language of the user's Slack locale."""
    languages = ["en", *extra]
    if locale:
        languages.append(locale.split("-")[0].lower())
    return tuple(dict.fromkeys(languages))


def parse_moment(
    phrase: str, *, tz: str, now: datetime, languages: tuple[str, ...] = ("en",)
) -> datetime:
    """A past moment (aware UTC) from free text read in `tz`, or UserError quoting the phrase."""
    cleaned = phrase.strip()
    if cleaned.lower() in NOW_WORDS:
        return now.astimezone(timezone.utc)
    moment = _parse(cleaned, tz=tz, now=now, languages=languages, prefer="past")
    if moment is None:
        raise UserError(
            f"I couldn't read “{escape(cleaned)}” as a date or time. "
            "Try “yesterday 3pm”, “2 hours ago” or “Nov 3 10:00”."
        )
    if not in_range(moment):  # its day in UTC, as it is stored
        raise UserError(out_of_range(cleaned))
    if moment > now + FUTURE_TOLERANCE:
        raise UserError(
            f"“{escape(cleaned)}” is in the future ({date_token(moment, tz)}). "
            "Log calls once they have happened; to plan the next one, set a follow-up date."
        )
    return moment


def parse_day(
    phrase: str,
    *,
    tz: str,
    now: datetime,
    languages: tuple[str, ...] = ("en",),
    hint: str = "Try “2027-03-31”, “March 31” or “in 3 months”.",
) -> date:
    """A calendar day from free text read in `tz` (future days welcome), or UserError
    ending with `hint` when it cannot be read."""
    moment = _parse(phrase.strip(), tz=tz, now=now, languages=languages, prefer="future")
    if moment is None:
        raise UserError(f"I couldn't read “{escape(phrase.strip())}” as a date. {hint}")
    return moment.astimezone(ZoneInfo(tz)).date()


def out_of_range(phrase: str) -> str:
    """Why `phrase`, read as a day or moment out of range, is refused."""
    return (
        f"I keep dates from {EARLIEST.year} to {LATEST.year}: “{escape(phrase)}” is outside them."
    )


def warm_up(languages: tuple[str, ...] = ()) -> None:
    """Read one phrase in each of `languages` and English: dateparser loads its data on
    its first read (a quarter of a second), which a person's first request would pay."""
    now = datetime.now(timezone.utc)
    parse_moment("yesterday 3pm", tz="UTC", now=now, languages=languages_for(None, languages))


def local_phrase(moment: datetime, tz: str) -> str:
    """`moment` written so that parse_moment reads it back in `tz` (used to prefill forms)."""
    return f"{moment.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M}"


def _parse(
    text: str, *, tz: str, now: datetime, languages: tuple[str, ...], prefer: str
) -> datetime | None:
    """Read as wall-clock time in `tz`: "2 days ago 9am" is 9:00 local even across a
    daylight-saving change (dateparser's TIMEZONE setting would apply today's offset to
    that day). A phrase that names its own zone keeps it. Across a change, a plain
    duration ("2 hours ago") is elapsed time: it reads the same against a UTC clock."""
    if not text:
        return None
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    wall = _dateparser(text, languages, local_now, prefer)
    if wall is None:
        return None
    if not in_range(wall):  # before any offset, which could take it past year 1 or 9999
        raise UserError(out_of_range(text))
    if wall.tzinfo is not None:
        return wall.astimezone(timezone.utc)
    moment = wall.replace(tzinfo=zone)
    if moment.utcoffset() != now.astimezone(zone).utcoffset():
        utc_now = now.astimezone(timezone.utc).replace(tzinfo=None)
        against_utc = _dateparser(text, languages, utc_now, prefer)
        if against_utc is not None and against_utc - utc_now == wall - local_now:
            return now.astimezone(timezone.utc) + (wall - local_now)
    return moment.astimezone(timezone.utc)


def _dateparser(
    text: str, languages: tuple[str, ...], base: datetime, prefer: str
) -> datetime | None:
    return dateparser.parse(
        text,
        languages=list(languages),
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer},
    )
