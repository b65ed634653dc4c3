"""Text that reaches Slack's mrkdwn: escaping user text, and date tokens."""

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

# An entity cut in half by clip(), e.g. "&am…".
CUT_ENTITY = re.compile(r"&[a-z]*…$")


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


def date_token(moment: datetime, fallback_tz: str = "UTC") -> str:
    """Slack's date token: each reader sees `moment` in their own timezone.

    The fallback (for clients that cannot render tokens) is written in `fallback_tz`.
    """
    local = moment.astimezone(ZoneInfo(fallback_tz))
    fallback = f"{local:%a %d %b %Y %H:%M} {local.tzname()}"
    epoch = int(moment.astimezone(timezone.utc).timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback}>"


def first_line(text: str, limit: int = 150) -> str:
    return clip(text.strip().splitlines()[0] if text.strip() else "", limit)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
