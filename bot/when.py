"""Reading "when" phrases ("yesterday 3pm", "2 hours ago") in the writer's timezone."""

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from hijridate import Gregorian, Hijri

from bot import calendars
from bot import when_words as words
from bot.errors import UserError
from bot.i18n import _, isolate
from bot.letters import fold, latin_digits, plain
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
    phrase: str,
    *,
    tz: str,
    now: datetime,
    languages: tuple[str, ...] = ("en",),
    date_order: str | None = None,
    calendar: str | None = None,
) -> datetime:
    """A past moment (aware UTC) from free text read in `tz`, or UserError quoting the phrase.

    `languages` in order of preference; `date_order` ("DMY", "MDY" or "YMD") of a numeric
    date, by default month first only in a US timezone; `calendar` ("persian", "hijri" or
    "gregorian") of a numeric date, by default Persian when Persian comes first. Refused
    unless every part of the phrase is read: a typed time is never dropped."""
    cleaned = phrase.strip()
    if cleaned.lower() in NOW_WORDS:
        return now.astimezone(timezone.utc)
    moment = _parse(
        cleaned,
        tz=tz,
        now=now,
        languages=languages,
        prefer="past",
        date_order=date_order,
        calendar=calendar,
    )
    if moment is None:
        raise UserError(
            # Translators: the examples may be written as a person of your language would.
            _(
                "I couldn't read “{phrase}” as a date or time. "
                "Try “yesterday 3pm”, “2 hours ago” or “Nov 3 10:00”."
            ).format(phrase=isolate(escape(cleaned)))
        )
    if not in_range(moment):  # its day in UTC, as it is stored
        raise UserError(out_of_range(cleaned))
    if moment > now + FUTURE_TOLERANCE:
        raise UserError(
            _(
                "“{phrase}” is in the future ({moment}). "
                "Log calls once they have happened; to plan the next one, set a follow-up date."
            ).format(phrase=isolate(escape(cleaned)), moment=date_token(moment, tz))
        )
    return moment


def parse_day(
    phrase: str,
    *,
    tz: str,
    now: datetime,
    languages: tuple[str, ...] = ("en",),
    hint: str | None = None,
    date_order: str | None = None,
    calendar: str | None = None,
    prefer: str = "future",
) -> date:
    """A calendar day from free text read in `tz` (future days welcome; a day without a
    year is the next one, or with prefer="past" the last one), or UserError ending with
    `hint` (translated; by default, examples of days) when it cannot be read; the keywords
    as for parse_moment."""
    moment = _parse(
        phrase.strip(),
        tz=tz,
        now=now,
        languages=languages,
        prefer=prefer,
        date_order=date_order,
        calendar=calendar,
    )
    if moment is None:
        hint = hint or _("Try “2027-03-31”, “March 31” or “in 3 months”.")
        raise UserError(
            _("I couldn't read “{phrase}” as a date. {hint}").format(
                phrase=isolate(escape(phrase.strip())), hint=hint
            )
        )
    return moment.astimezone(ZoneInfo(tz)).date()


def parse_time_of_day(
    phrase: str, *, languages: tuple[str, ...] = ("en",)
) -> tuple[int, int] | None:
    """(hour, minute) of a time of day typed in one of `languages`: "8:30", "17:00",
    "5:30pm", "۹:۳۰ صبح", "٥ مساءً", "5 giờ chiều"; None unless every word of it was
    read. An hour with no half or part of the day is on the 24-hour clock."""
    folded = "at " + _latin(fold(phrase))  # "at 9": a bare hour is a clock time
    for language in dict.fromkeys((*languages, "en")):
        english = _english(folded, language if language in words.WORDS else "en")
        clocks, parts, rest = _clock_and_part(english)
        if len(clocks) != 1 or len(parts) > 1 or rest:
            continue
        clock, part = clocks[0], parts.pop() if parts else None
        if clock["half"] and not 1 <= int(clock["hour"]) <= 12:
            return None  # "13pm"
        if clock["half"] or part:
            return _time_of_day(clock, part)
        hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
        return (hour, minute) if hour < 24 and minute < 60 else None
    return None


def out_of_range(phrase: str) -> str:
    """Why `phrase`, read as a day or moment out of range, is refused."""
    return _("I keep dates from {first} to {last}: “{phrase}” is outside them.").format(
        first=EARLIEST.year, last=LATEST.year, phrase=isolate(escape(phrase))
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
    text: str,
    *,
    tz: str,
    now: datetime,
    languages: tuple[str, ...],
    prefer: str,
    date_order: str | None,
    calendar: str | None,
) -> datetime | None:
    """Read as wall-clock time in `tz`: "2 days ago 9am" is 9:00 local even across a
    daylight-saving change (dateparser's TIMEZONE setting would apply today's offset to
    that day). A phrase that names its own zone keeps it. Across a change, a plain
    duration ("2 hours ago") is elapsed time: it reads the same against a UTC clock."""
    if not text:
        return None
    zone = ZoneInfo(tz)
    reading = Reading(
        languages=languages,
        prefer=prefer,
        date_order=date_order or ("MDY" if _month_first(tz) else "DMY"),
        calendar=calendar or ("persian" if languages[:1] == ("fa",) else "gregorian"),
    )
    local_now = now.astimezone(zone).replace(tzinfo=None)
    wall = reading.read(text, local_now)
    if wall is None:
        return None
    if not in_range(wall):  # before any offset, which could take it past year 1 or 9999
        raise UserError(out_of_range(text))
    if wall.tzinfo is not None:
        return wall.astimezone(timezone.utc)
    moment = wall.replace(tzinfo=zone)
    if moment.utcoffset() != now.astimezone(zone).utcoffset():
        utc_now = now.astimezone(timezone.utc).replace(tzinfo=None)
        against_utc = reading.read(text, utc_now)
        if against_utc is not None and against_utc - utc_now == wall - local_now:
            return now.astimezone(timezone.utc) + (wall - local_now)
    return moment.astimezone(timezone.utc)


def _month_first(tz: str) -> bool:
    return tz in words.MONTH_FIRST_ZONES or tz.startswith(words.MONTH_FIRST_PREFIXES)


@dataclass(frozen=True)
class Reading:
    """How one person's phrases are read: their languages (by preference), whether an
    undated day is the next or the last one, the order of a numeric date's day and
    month, and the calendar of a numeric date."""

    languages: tuple[str, ...]
    prefer: str
    date_order: str
    calendar: str

    def read(self, text: str, base: datetime) -> datetime | None:
        """Wall-clock time, or None unless every part of `text` was read."""
        folded = _latin(fold(text))
        for language in self.languages:
            if language != "en" and language in words.WORDS:
                english = _english(folded, language)
                if not NOT_ENGLISH.search(english):
                    found = self._read_english(english, base, ("en",))
                    if found is not None:
                        return found
        typed = " ".join(_latin(plain(text)).casefold().split())
        return self._read_english(_english(typed, "en"), base, self.languages)

    def _read_english(
        self, text: str, base: datetime, languages: tuple[str, ...]
    ) -> datetime | None:
        """Read what bot.when_words made of a phrase: the clock time and the part of the
        day here, the day with dateparser (in `languages`) unless it is a weekday of
        last week or a date of another calendar."""
        clocks, parts, rest = _clock_and_part(text)
        if len(clocks) > 1 or len(parts) > 1:
            return None
        part = parts.pop() if parts else None
        time_of_day = _time_of_day(clocks[0], part) if clocks else None
        if clocks and time_of_day is None:
            return None
        if not rest:
            day = base
        elif (day := self._day(rest, base, languages, timed=bool(clocks or part))) is None:
            return None
        if time_of_day is not None:
            return day.replace(hour=time_of_day[0], minute=time_of_day[1], second=0, microsecond=0)
        if part is not None:
            start, meant = words.PARTS_OF_DAY[part]
            wall = day.replace(hour=meant, minute=0, second=0, microsecond=0)
            # "this afternoon", typed at 14:30, is not 15:00 but some time up to now.
            started = day.replace(hour=start, minute=0, second=0, microsecond=0)
            return base if started <= base < wall else wall
        return day

    def _day(
        self, rest: str, base: datetime, languages: tuple[str, ...], *, timed: bool
    ) -> datetime | None:
        if found := LAST_WEEK.fullmatch(rest):
            weekday = words.WEEKDAYS.index(found["weekday"] or found["after"])
            return base - timedelta(days=base.weekday() + 7 - weekday)
        if found := CALENDAR_DATE.fullmatch(rest):
            year = int(found["year"]) if found["year"] else None
            return self._calendar_day(
                found["calendar"], year, int(found["month"]), int(found["day"]), base
            )
        if self.calendar != "gregorian" and (found := NUMERIC_DATE.fullmatch(rest)):
            year, month, day = self._numeric_date(found)
            if year is None:  # is 29/08 a Persian or a Gregorian date? A guess: refused.
                return None
            if year in CALENDAR_YEARS[self.calendar]:
                return self._calendar_day(self.calendar, year, month, day, base)
        data = DateDataParser(
            languages=list(languages),
            settings={
                "RELATIVE_BASE": base,
                "PREFER_DATES_FROM": self.prefer,
                "DATE_ORDER": self.date_order,
                "RETURN_TIME_AS_PERIOD": True,
            },
        ).get_date_data(rest)
        read = data.date_obj
        if read is None:
            return None
        # Every number typed is in the day read, or is how far it is from now ("3 days
        # ago"): "yesterday 3" is not yesterday, "20 نوامبر" is not November 2020.
        fields = {read.day, read.month, read.year, read.year % 100}
        distances = _distances(read, base)
        numbers = {int(number) for number in NUMBER.findall(rest)}
        if not numbers <= fields | distances:
            return None
        if data.period == "time":
            return None if timed else read
        if numbers & distances:  # "2 weeks ago" is a day
            return read
        if data.period == "day" and {"day", "month"} <= set(data.parts):
            return read
        return None  # a week, month or year, but which day?

    def _numeric_date(self, found: re.Match) -> tuple[int | None, int, int]:
        """Year (None if not written), month and day of a numeric date."""
        first, second, third = found.groups()
        if third is None:
            return None, 0, 0
        if len(first) == 4:
            return int(first), int(second), int(third)
        if self.date_order == "MDY":
            return int(third), int(first), int(second)
        return int(third), int(second), int(first)

    def _calendar_day(
        self, calendar: str, year: int | None, month: int, day: int, base: datetime
    ) -> datetime | None:
        """Day `day` of month `month` of `calendar`; without a year, the last one (or the
        next one, for dates to come)."""
        step = -1 if self.prefer == "past" else 1
        if year is None:
            year = YEAR_OF[calendar](base.date())
            found = self._calendar_day(calendar, year, month, day, base)
            if found is None or (found.date() - base.date()).days * step >= 0:
                return found
            return self._calendar_day(calendar, year + step, month, day, base)
        try:
            gregorian = TO_GREGORIAN[calendar](year, month, day)
        except (ValueError, OverflowError):  # no such day, or a year hijridate has no table for
            return None
        return datetime(gregorian.year, gregorian.month, gregorian.day)


@functools.cache
def _table(language: str) -> tuple[dict[str, str], re.Pattern]:
    """`language`'s words (bot.when_words), with English's, folded; and a pattern
    finding them, longest first."""
    table = {fold(key): value for key, value in {**words.ENGLISH, **words.WORDS[language]}.items()}
    keys = sorted(table, key=len, reverse=True)
    return table, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")


def _english(text: str, language: str) -> str:
    """`text` with the words bot.when_words knows in English, in the order English
    puts them ("before 2 hours" is "2 hours ago", "friday last" is "last friday")."""
    table, pattern = _table(language)
    english = " ".join(pattern.sub(lambda found: table[found[0]], text).split())
    english = ONE.sub(r"1 \1", english)
    english = BEFORE.sub(lambda found: f"{found[1] or 1} {found[2]} ago", english)
    english = IN.sub(lambda found: f"in 1 {found[1]}", english)
    english = DAY_BEFORE_DATE.sub("", english)
    return LAST_AFTER.sub(r"last \1", english)


def _distances(read: datetime, base: datetime) -> set[float]:
    """How far `read` is from `base`, in each unit a phrase counts in."""
    minutes = abs(read - base).total_seconds() // 60
    days = abs((read.date() - base.date()).days)
    months = abs(read.year * 12 + read.month - base.year * 12 - base.month)
    return {minutes, minutes / 60, days, days / 7, months, abs(read.year - base.year)}


def _latin(text: str) -> str:
    """Digits written 0-9, and the Arabic comma as a comma."""
    return latin_digits(text).replace("،", ",")


def _clock_and_part(english: str) -> tuple[list[re.Match], set[str], str]:
    """The clock times and the parts of the day `english` names, and what else it says."""
    clocks = [found for found in CLOCK.finditer(english) if _is_clock(found)]
    parts = set(PART_OF_DAY.findall(english))
    rest = PART_OF_DAY.sub(" ", CLOCK.sub(_drop_clock, english))
    return clocks, parts, " ".join(FILLER.sub(" ", rest).split())


def _is_clock(found: re.Match) -> bool:
    """Whether a number is a clock time: after a clock word, with minutes, "h" or a
    half of the day ("3pm"); a bare number may be a day or a count."""
    return bool(found["lead"] or found["minute"] or found["suffix"] or found["half"])


def _drop_clock(found: re.Match) -> str:
    return " " if _is_clock(found) else found[0]


def _time_of_day(clock: re.Match, part: str | None) -> tuple[int, int] | None:
    """Hour and minute of a clock time, in the half of the day its am/pm or part of the
    day says; without either, a single-digit hour up to 6 is in the afternoon (a call
    "yesterday at 3" was not at 3 in the morning). None if no clock shows it."""
    hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
    half = clock["half"] or HALF_OF.get(part)
    if part == "night":
        half = "pm" if 6 <= hour < 12 else "am"
    elif part == "noon":
        half = "pm" if hour < 6 else None
    if half is None and 1 <= hour <= 6 and not clock["hour"].startswith("0"):
        half = "pm"
    if half and hour > 12 and half == "am":
        return None
    if half == "am" and hour == 12:
        hour = 0
    elif half == "pm" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return hour, minute


NOT_ENGLISH = re.compile(r"[^\x00-\x7f]")
UNIT = r"(?:minutes?|hours?|days?|weeks?|months?|years?)"
WEEKDAY = "|".join(words.WEEKDAYS)
ONE = re.compile(rf"\ban? ({UNIT})\b")
BEFORE = re.compile(rf"\bbefore (?:(\d+) )?({UNIT})\b")
IN = re.compile(rf"\bin ({UNIT})\b")
LAST_AFTER = re.compile(rf"\b({WEEKDAY}) last\b(?! week)")
DAY_BEFORE_DATE = re.compile(rf"\bday (?=\d|(?:{WEEKDAY})\b)")
CLOCK = re.compile(
    r"(?:\b(?P<lead>at|hour) ?)?(?<![\w/.:-])(?P<hour>\d{1,2})"
    r"(?:[:h](?P<minute>\d{2})|(?P<suffix> ?h\b| hour\b(?! ago)))?"
    r"(?: ?(?P<half>am|pm)\b)?(?![\w/.:-])"
)
PART_OF_DAY = re.compile(r"\b(" + "|".join(words.PARTS_OF_DAY) + r")\b")
HALF_OF = {"morning": "am", "afternoon": "pm", "evening": "pm"}
FILLER = re.compile(r"\b(?:at|on)\b|,")
LAST_WEEK = re.compile(rf"(?P<weekday>{WEEKDAY}) last week|last week (?P<after>{WEEKDAY})")
CALENDAR_DATE = re.compile(
    r"(?P<day>\d{1,2}) (?P<calendar>persian|hijri)(?P<month>\d{1,2})(?: (?P<year>\d{4}))?"
)
NUMERIC_DATE = re.compile(r"(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{1,4}))?")
NUMBER = re.compile(r"\d+")


# The other calendars: Persian (Solar Hijri) by convertdate, Hijri (Umm al-Qura) by
# hijridate, both of dateparser's calendars extra.
TO_GREGORIAN = {
    "persian": calendars.from_persian,
    "hijri": lambda year, month, day: Hijri(year, month, day).to_gregorian(),
}
YEAR_OF = {
    "persian": lambda day: calendars.to_persian(day)[0],
    "hijri": lambda day: Gregorian.fromdate(day).to_hijri().year,
}
# The years of a numeric date read in another calendar (1300 AP is 1921, 1340 AH 1921).
CALENDAR_YEARS = {"persian": range(1300, 1500), "hijri": range(1340, 1540)}
