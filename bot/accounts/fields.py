"""The fields `/account set` changes, and how each reads what was typed."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import numbers
from bot.errors import UserError
from bot.grades.scale import QUESTION_MAX
from bot.i18n import N_, _, isolate, ngettext
from bot.mrkdwn import CHANNEL_MENTION, USER_MENTION, escape
from bot.people import Person
from bot.when import parse_day
from storage.models import Account

# Each field, and the column it sets.
COLUMNS = {
    "owner": "owner_id",
    "renewal": "renewal_on",
    "arr": "arr",
    "target": "growth_target_pct",
    "channel": "channel_id",
    "competitors": "competitors",
    "question": "grade_question",
}
FIELDS = tuple(COLUMNS)
COMPETITORS_MAX = 500
# Beyond these, an amount or a growth target is a typing slip, not a plan.
ARR_MAX = 10**15
TARGET_RANGE = (-100, 1000)
# How to set each field, shown when what was typed can't be read.
EXAMPLES = {
    # Translators: this and the next examples of `/account set`: keep the first word of
    # each code span (the field); the value after it may be written in your language.
    "owner": N_("`owner @alex`"),
    "renewal": N_("`renewal March 31 2027` or `renewal in 6 months`"),
    "arr": N_("`arr 120k`, `arr 1.2M`, `arr 120,000` or `arr ۱۲۰ هزار`"),
    "target": N_("`target 15%` (growth a year)"),
    "channel": N_("`channel #acme-team`"),
    "competitors": N_("`competitors Globex, Initech`"),
    "question": N_("`question What grade would you give our onboarding?`"),
}


def apply(
    account: Account,
    field: str,
    value: str,
    *,
    user: Person,
    now: datetime,
    reading: dict,
) -> None:
    """Set `field` of `account` from the typed `value`, or UserError with an example."""
    if field == "owner":
        account.owner_id = _match(USER_MENTION, value, field)
    elif field == "channel":
        account.channel_id = _match(CHANNEL_MENTION, value, field)
    elif field == "renewal":
        account.renewal_on = parse_day(value, tz=user.tz, now=now, **reading)
    elif field == "arr":
        languages = reading["languages"]
        account.arr = _bounded(numbers.amount, value, field, (0, ARR_MAX), languages=languages)
    elif field == "target":
        account.growth_target_pct = _bounded(numbers.percent, value, field, TARGET_RANGE)
    elif field == "question":
        if len(value) > QUESTION_MAX:
            raise UserError(
                ngettext(
                    "Keep the question under {n} character.",
                    "Keep the question under {n} characters.",
                    QUESTION_MAX,
                ).format(n=isolate(str(QUESTION_MAX)))
            )
        account.grade_question = value
    else:
        if len(value) > COMPETITORS_MAX:
            raise UserError(
                ngettext(
                    "Keep competitors under {n} character.",
                    "Keep competitors under {n} characters.",
                    COMPETITORS_MAX,
                ).format(n=isolate(str(COMPETITORS_MAX)))
            )
        account.competitors = ", ".join(part.strip() for part in value.split(",") if part.strip())


def arr_from(value: str, *, user: Person, now: datetime, reading: dict) -> tuple[str, date]:
    """`150k` or `150k from 2026-10-01`: the amount typed and the day it takes effect
    (today in the setter's timezone unless given; never in the future), or UserError."""
    today = now.astimezone(ZoneInfo(user.tz)).date()
    parts = re.split(r"\s+from\s+", value, maxsplit=1, flags=re.I)
    if len(parts) == 1:
        return value, today
    amount, day = parts
    effective_on = parse_day(day, tz=user.tz, now=now, prefer="past", **reading)
    if effective_on > today:
        raise UserError(
            _("ARR can be back-dated, not set ahead: {day} is in the future.").format(
                day=isolate(effective_on.isoformat())
            )
        )
    return amount, effective_on


def stored(account: Account, field: str) -> str | None:
    """The field's value as the change history keeps it: an id, an ISO date, a number or
    the text; None when not set."""
    value = getattr(account, COLUMNS[field])
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}"
    return value.isoformat() if isinstance(value, date) else str(value)


def example(field: str) -> str:
    """How to set `field`, in the reader's language."""
    return _(EXAMPLES[field])


def _match(pattern: re.Pattern, value: str, field: str) -> str:
    found = pattern.fullmatch(value.strip())
    if not found:
        raise UserError(
            _("“{typed}” isn't a valid `{field}`. Try {example}.").format(
                typed=isolate(escape(value)), field=field, example=example(field)
            )
        )
    return found.group(1)


def _bounded(read, value: str, field: str, bounds: tuple, **how) -> float:
    """`value` read by `read` (bot/numbers.py), within `bounds`; else UserError with an
    example."""
    try:
        number = read(value, **how)
    except UserError as error:
        # Translators: {error} is a sentence saying why the value can't be read.
        refusal = _("{error} Try {example}.").format(error=error, example=example(field))
        raise UserError(refusal) from None
    low, high = bounds
    if not low <= number <= high:
        raise UserError(
            _("`{field}` must be between {low} and {high}.").format(
                field=field, low=isolate(f"{low:,}"), high=isolate(f"{high:,}")
            )
        )
    return number
