"""Text that reaches Slack's mrkdwn: escaping user text, mentions, and dates; and the
range of dates that Rapport stores and shows, in Slack as in its spreadsheets."""

import functools
import logging
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from bot import calendars, i18n

log = logging.getLogger(__name__)

# An entity cut in half by clip(), e.g. "&am…".
CUT_ENTITY = re.compile(r"&[a-z]*…$")
# How Slack writes a mention of a person (<@U123> or <@U123|name>) or a channel, in
# command text and messages: group 1 is the id, group 2 the name when given.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
# A date token (date_token): group 1 is the epoch, group 2 the fallback text.
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")
# The days Rapport stores and shows; bot/when.py refuses others where they are typed.
# Spreadsheets count days from 1900; Python's dates end in 9999, too near for a timezone's
# offset or a day's arithmetic. Calls are in the past; renewals and report periods lie
# years ahead, not centuries.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
INVALID_DATE = "invalid date"
_warned: set[str] = set()  # the kinds of date (day, moment) found out of range


def escape(text: str) -> str:
    """Escape user text so it can never ping @channel, mention someone or forge a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_clipped(text: str, limit: int) -> str:
    """User text escaped for mrkdwn, then cut to `limit` characters, never inside an entity
    (escaping can make text five times longer, so cutting first is not enough)."""
    return CUT_ENTITY.sub("…", clip(escape(text), limit))


def grader(user_id: str | None, contact_name: str | None) -> str:
    """Who gave (or was asked for) a grade: a Slack user as a mention, else the contact
    outside Slack by name, escaped, in bold."""
    if user_id:
        return f"<@{user_id}>"
    return f"*{i18n.isolate(escape(contact_name or '?'))}*"


def unescape(text: str) -> str:
    """Slack sends typed `&`, `<` and `>` escaped (in command and message text); undo that."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def in_range(value: date) -> bool:
    """Whether `value`, a day or a moment (its day on its own clock), is from EARLIEST to LATEST."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def showable(value: date) -> bool:
    """Whether a stored day or moment can be shown. One out of range (a row stored before
    input was checked) is shown as INVALID_DATE, and logged once a process for each kind."""
    if in_range(value):
        return True
    kind = "moment" if isinstance(value, datetime) else "day"
    if kind not in _warned:
        _warned.add(kind)
        log.warning("a stored %s is out of range (%s): shown as %r", kind, value, INVALID_DATE)
    return False


def date_token(moment: datetime, fallback_tz: str) -> str:
    """Slack's date token: each reader sees `moment` in their own timezone.

    The fallback (for clients that cannot render tokens) is written in `fallback_tz`.
    For a reader of another language than English, the moment is written out in
    `fallback_tz` (theirs, or their channel's) in their language and calendar instead:
    Slack's token would put English words into their sentence.
    """
    if not showable(moment):
        return INVALID_DATE
    local = moment.astimezone(ZoneInfo(fallback_tz))
    if i18n.language() != "en":
        return calendars.written_moment(local)
    fallback = f"{_written(local.date())} {local:%H:%M} {local.tzname()}"
    epoch = int(moment.astimezone(timezone.utc).timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback}>"


def day(on: date) -> str:
    """A calendar day without a time (a renewal, a follow-up): "Mon 23 Nov 2026", or in
    the reader's language and calendar."""
    if not showable(on):
        return INVALID_DATE
    return _written(on) if i18n.language() == "en" else calendars.written_day(on)


@functools.cache  # a long digest writes the same few hundred days thousands of times
def _written(on: date) -> str:
    return f"{on:%a %d %b %Y}"


def first_line(text: str) -> str:
    return clip(text.strip().splitlines()[0] if text.strip() else "", 150)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
