"""What `/account report` and `/account export` read after their verb: `[period] [scope]`.

period: `this quarter` (the default), `last quarter`, `Q3` (the latest Q3 begun: asked in
        Q2 it is last year's), `Q3 2026`, `this month`, `last month`, `this year`, `YTD`
        (the year so far), `last N days`, `last N months` (`last 12 months`: a year to
        today), or `<day> to <day>` (each day as bot.when.parse_day reads it: "Oct 1",
        "2026-10-01", "yesterday"). Everything is read in the caller's timezone (periods
        are whole days there, from local midnight). Months and years follow the reader's
        calendar (bot.i18n.calendar()): a Persian reader's `this month` is an Azar, their
        `this year` begins at Nowruz. Quarters stay Gregorian calendar quarters for
        everyone, as companies report them; Hijri readers' months stay Gregorian too.
scope:  `all` (the default), `mine`, or `@owner`.
"""

import functools
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot import calendars, i18n, mrkdwn
from bot.errors import UserError
from bot.i18n import N_, _, isolate
from bot.mrkdwn import USER_MENTION, escape
from bot.reports.values import Period, Request
from bot.when import parse_day

EXAMPLES = N_(
    "Periods: `this quarter`, `last quarter`, `Q3`, `Q3 2026`, `this month`, `last month`, "
    "`this year`, `YTD`, `last 30 days`, `last 12 months`, `Oct 1 to Nov 15`. "
    "Try `/account report last quarter`, `/account report Oct 1 to Nov 15 mine` "
    "or `/account report last 30 days @alex`."
)
LAST_DAYS = re.compile(r"^last\s+(\d{1,4})\s+days?$", re.IGNORECASE)
DAY_RANGE = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|through)\s+(.+)$", re.IGNORECASE)
LAST_MONTHS = re.compile(r"^last\s+(\d{1,3})\s+months?$", re.IGNORECASE)
QUARTER = re.compile(r"^q([1-4])(?:\s+(\d{4}))?$", re.IGNORECASE)
YEAR = re.compile(r"\b\d{4}\b")


def parse(
    text: str, *, tz: str, user_id: str, now: datetime, reading: dict | None = None
) -> Request:
    """`[period] [all|mine|@owner]` read in `tz` (days as `reading` says: bot/people.py
    Person.reading), or UserError with an example."""
    words = text.split()
    owner_id = None
    if words and words[-1].lower() in ("all", "mine"):
        owner_id = user_id if words.pop().lower() == "mine" else None
    elif words and (mention := USER_MENTION.fullmatch(words[-1])):
        owner_id = mention.group(1)
        words.pop()
    elif words and words[-1].startswith("@"):
        raise UserError(
            _("Mention the owner so Slack links it: “{typed}”. {examples}").format(
                typed=isolate(escape(words[-1])), examples=_(EXAMPLES)
            )
        )
    return Request(_period(" ".join(words), tz=tz, now=now, reading=reading or {}), owner_id)


def period(text: str, *, tz: str, now: datetime, reading: dict | None = None) -> Period:
    """A period alone (`last 90 days`, `Oct 1 to Nov 15`...), as `parse` reads it, or
    UserError; blank is this quarter."""
    return _period(text, tz=tz, now=now, reading=reading or {})


def _period(text: str, *, tz: str, now: datetime, reading: dict) -> Period:
    today = now.astimezone(ZoneInfo(tz)).date()
    phrase = text.strip().lower()
    if phrase in ("", "this quarter"):
        return quarter(today)
    if phrase == "last quarter":
        return quarter(quarter(today).first - timedelta(days=1))
    if found := QUARTER.match(phrase):
        number = int(found.group(1))
        year = int(found.group(2) or today.year)
        if not found.group(2) and 3 * number - 2 > today.month:  # not begun yet: last year's
            year -= 1
        return quarter(date(year, 3 * number - 2, 1))
    if phrase == "this month":
        return month(today)
    if phrase == "last month":
        return month(month(today).first - timedelta(days=1))
    if phrase == "this year":
        return year_period(today)
    if phrase in ("ytd", "year to date"):
        this_year = year_period(today)
        return Period(
            this_year.first,
            today,
            # Translators: the year so far, e.g. "2026 to date (1 Jan 2026 to 30 Nov 2026)".
            _("{year} to date ({first} to {last})").format(
                year=this_year.label, first=_day(this_year.first), last=_day(today)
            ),
            f"{this_year.slug}-to-date",
        )
    if found := LAST_MONTHS.match(phrase):
        months = int(found.group(1))
        if months < 1:
            raise UserError(
                _("Ask for at least one month. {examples}").format(examples=_(EXAMPLES))
            )
        return days_period(_months_before(today, months) + timedelta(days=1), today)
    if found := LAST_DAYS.match(phrase):
        days = int(found.group(1))
        if days < 1:
            raise UserError(_("Ask for at least one day. {examples}").format(examples=_(EXAMPLES)))
        return days_period(today - timedelta(days=days - 1), today)
    if found := DAY_RANGE.match(text.strip()):
        read = functools.partial(parse_day, tz=tz, now=now, hint=_(EXAMPLES), **reading)
        first = _recent(read(found.group(1)), found.group(1), today)
        last = read(found.group(2))
        # "Nov 1 to Jan 31" ends in the coming January; "Oct 1 to Nov 15" this November.
        if (recent := _recent(last, found.group(2), today)) >= first:
            last = recent
        if last < first:
            raise UserError(
                _("“{typed}” ends before it starts ({first}). {examples}").format(
                    typed=isolate(escape(text.strip())), first=_day(first), examples=_(EXAMPLES)
                )
            )
        return days_period(first, last)
    raise UserError(
        _("I couldn't read “{typed}” as a period. {examples}").format(
            typed=isolate(escape(text.strip())), examples=_(EXAMPLES)
        )
    )


def quarter(day: date) -> Period:
    """The calendar quarter that contains `day`, labelled in the reader's language."""
    number = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * number - 2, 1)
    after = date(day.year + 1, 1, 1) if number == 4 else date(day.year, 3 * number + 1, 1)
    # Translators: a calendar quarter, e.g. "Q3 2026" (July to September 2026).
    label = _digits(_("Q{number} {year}").format(number=number, year=day.year))
    return Period(first, after - timedelta(days=1), label, f"{day.year}-Q{number}")


def month(day: date, *, short: bool = False) -> Period:
    """The month that contains `day`, in the reader's calendar (Gregorian or Persian);
    `short`: labelled as a chart's axis has room for ("Oct 2026")."""
    if _persian():
        year, number, _day_of_month = calendars.to_persian(day)
        first = calendars.from_persian(year, number, 1)
        after = calendars.from_persian(year + number // 12, number % 12 + 1, 1)
        label = f"{calendars.PERSIAN_MONTHS[number - 1]} {year}"
        return Period(first, after - timedelta(days=1), _digits(label), f"{year}-{number:02d}-AP")
    first = day.replace(day=1)
    after = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return Period(
        first,
        after - timedelta(days=1),
        _digits(format_date(first, "LLL y" if short else "LLLL y", locale=i18n.language())),
        f"{first:%Y-%m}",
    )


def year_period(day: date) -> Period:
    """The year that contains `day`, in the reader's calendar: a Persian year runs from
    Nowruz to the day before the next."""
    if _persian():
        year = calendars.to_persian(day)[0]
        first, after = calendars.from_persian(year, 1, 1), calendars.from_persian(year + 1, 1, 1)
        return Period(first, after - timedelta(days=1), _digits(str(year)), f"{year}-AP")
    return Period(
        date(day.year, 1, 1), date(day.year, 12, 31), _digits(str(day.year)), str(day.year)
    )


def _persian() -> bool:
    return i18n.calendar() == "persian"


def _digits(text: str) -> str:
    return text.translate(i18n.DIGITS.get(i18n.language(), {}))


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, number = divmod(day.year * 12 + day.month - 1 - months, 12)
    after = date(year + (number + 1) // 12, (number + 1) % 12 + 1, 1)
    return date(year, number + 1, min(day.day, (after - timedelta(days=1)).day))


def days_period(first: date, last: date) -> Period:
    return Period(
        first,
        last,
        # Translators: a period of days, e.g. "1 Oct 2026 to 15 Nov 2026".
        _("{first} to {last}").format(first=_day(first), last=_day(last)),
        f"{first:%Y-%m-%d}-to-{last:%Y-%m-%d}",
    )


def _day(on: date) -> str:
    """A period's day, "1 Oct 2026"; for readers of other languages than English, in their
    language and calendar."""
    return f"{on:%-d %b %Y}" if i18n.language() == "en" else mrkdwn.day(on)


def _recent(day: date, phrase: str, today: date) -> date:
    """Reports look back: parse_day reads "Oct 1" as the next Oct 1; without a written
    year, a day after today means the year before."""
    if day <= today or YEAR.search(phrase):
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
