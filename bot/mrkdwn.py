"""Text that reaches Slack's mrkdwn: escaping user text, mentions, and dates."""

import functools
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

# An entity cut in half by clip(), e.g. "&am…".
CUT_ENTITY = re.compile(r"&[a-z]*…$")
# How Slack writes a mention of a person (<@U123> or <@U123|name>) or a channel, in
# command text and messages: group 1 is the id, group 2 the name when given.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
# A date token (date_token): group 1 is the epoch, group 2 the fallback text.
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")


def escape(text: str) -> str:
    """Escape user text so it can never ping @channel, mention someone or forge a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_clipped(text: str, limit: int) -> str:
    """User text escaped for mrkdwn, then cut to `limit` characters, never inside an entity
    (escaping can make text five times longer, so cutting first is not enough)."""
    return CUT_ENTITY.sub("…", clip(escape(text), limit))


def unescape(text: str) -> str:
    """Slack sends typed `&`, `<` and `>` escaped (in command and message text); undo that."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def date_token(moment: datetime, fallback_tz: str) -> str:
    """Slack's date token: each reader sees `moment` in their own timezone.

    The fallback (for clients that cannot render tokens) is written in `fallback_tz`.
    """
    local = moment.astimezone(ZoneInfo(fallback_tz))
    fallback = f"{day(local.date())} {local:%H:%M} {local.tzname()}"
    epoch = int(moment.astimezone(timezone.utc).timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback}>"


@functools.cache  # a long digest writes the same few hundred days thousands of times
def day(on: date) -> str:
    """A calendar day without a time (a renewal, a follow-up): "Mon 23 Nov 2026"."""
    return f"{on:%a %d %b %Y}"


def first_line(text: str) -> str:
    return clip(text.strip().splitlines()[0] if text.strip() else "", 150)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
