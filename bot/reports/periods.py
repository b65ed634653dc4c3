"""What `/account report` and `/account export` read after their verb: `[period] [scope]`.

period: `this quarter` (the default), `last quarter`, `last N days`, or `<day> to <day>`
        (each day as bot.when.parse_day reads it: "Oct 1", "2026-10-01", "yesterday").
        Quarters are calendar quarters in the caller's timezone; days are whole days there.
scope:  `all` (the default), `mine`, or `@owner`.
"""

import functools
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.mrkdwn import USER_MENTION, escape
from bot.reports.values import Period, Request
from bot.when import parse_day

EXAMPLES = (
    "Try `/account report last quarter`, `/account report Oct 1 to Nov 15 mine` "
    "or `/account report last 30 days @alex`."
)
LAST_DAYS = re.compile(r"^last\s+(\d{1,4})\s+days?$", re.IGNORECASE)
DAY_RANGE = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|through)\s+(.+)$", re.IGNORECASE)
YEAR = re.compile(r"\b\d{4}\b")


def parse(text: str, *, tz: str, user_id: str, now: datetime, languages=("en",)) -> Request:
    """`[period] [all|mine|@owner]` read in `tz`, or UserError with an example."""
    words = text.split()
    owner_id = None
    if words and words[-1].lower() in ("all", "mine"):
        owner_id = user_id if words.pop().lower() == "mine" else None
    elif words and (mention := USER_MENTION.fullmatch(words[-1])):
        owner_id = mention.group(1)
        words.pop()
    elif words and words[-1].startswith("@"):
        raise UserError(f"Mention the owner so Slack links it: “{escape(words[-1])}”. {EXAMPLES}")
    return Request(_period(" ".join(words), tz=tz, now=now, languages=languages), owner_id)


def _period(text: str, *, tz: str, now: datetime, languages) -> Period:
    today = now.astimezone(ZoneInfo(tz)).date()
    phrase = text.strip().lower()
    if phrase in ("", "this quarter"):
        return quarter(today)
    if phrase == "last quarter":
        return quarter(quarter(today).first - timedelta(days=1))
    if found := LAST_DAYS.match(phrase):
        days = int(found.group(1))
        if days < 1:
            raise UserError(f"Ask for at least one day. {EXAMPLES}")
        return days_period(today - timedelta(days=days - 1), today)
    if found := DAY_RANGE.match(text.strip()):
        read = functools.partial(parse_day, tz=tz, now=now, languages=languages, hint=EXAMPLES)
        first = _recent(read(found.group(1)), found.group(1), today)
        last = read(found.group(2))
        # "Nov 1 to Jan 31" ends in the coming January; "Oct 1 to Nov 15" this November.
        if (recent := _recent(last, found.group(2), today)) >= first:
            last = recent
        if last < first:
            raise UserError(
                f"“{escape(text.strip())}” ends before it starts ({first:%-d %b %Y}). {EXAMPLES}"
            )
        return days_period(first, last)
    raise UserError(f"I couldn't read “{escape(text.strip())}” as a period. {EXAMPLES}")


def quarter(day: date) -> Period:
    """The calendar quarter that contains `day`."""
    number = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * number - 2, 1)
    after = date(day.year + 1, 1, 1) if number == 4 else date(day.year, 3 * number + 1, 1)
    return Period(
        first, after - timedelta(days=1), f"Q{number} {day.year}", f"{day.year}-Q{number}"
    )


def days_period(first: date, last: date) -> Period:
    return Period(
        first,
        last,
        f"{first:%-d %b %Y} to {last:%-d %b %Y}",
        f"{first:%Y-%m-%d}-to-{last:%Y-%m-%d}",
    )


def _recent(day: date, phrase: str, today: date) -> date:
    """Reports look back: parse_day reads "Oct 1" as the next Oct 1; without a written
    year, a day after today means the year before."""
    if day <= today or YEAR.search(phrase):
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
