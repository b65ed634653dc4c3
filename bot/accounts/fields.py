"""The fields `/account set` changes, and how each reads what was typed."""

import re
from datetime import date, datetime

from bot import numbers
from bot.errors import UserError
from bot.grades.scale import QUESTION_MAX
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
EXAMPLES = {
    "owner": "`owner @alex`",
    "renewal": "`renewal March 31 2027` or `renewal in 6 months`",
    "arr": "`arr 120k`, `arr 1.2M`, `arr 120,000` or `arr ۱۲۰ هزار`",
    "target": "`target 15%` (growth a year)",
    "channel": "`channel #acme-team`",
    "competitors": "`competitors Globex, Initech`",
    "question": "`question What grade would you give our onboarding?`",
}


def apply(
    account: Account,
    field: str,
    value: str,
    *,
    user: Person,
    now: datetime,
    languages: tuple[str, ...],
) -> None:
    """Set `field` of `account` from the typed `value`, or UserError with an example."""
    if field == "owner":
        account.owner_id = _match(USER_MENTION, value, field)
    elif field == "channel":
        account.channel_id = _match(CHANNEL_MENTION, value, field)
    elif field == "renewal":
        account.renewal_on = parse_day(value, tz=user.tz, now=now, languages=languages)
    elif field == "arr":
        account.arr = _bounded(numbers.amount, value, field, (0, ARR_MAX), languages=languages)
    elif field == "target":
        account.growth_target_pct = _bounded(numbers.percent, value, field, TARGET_RANGE)
    elif field == "question":
        if len(value) > QUESTION_MAX:
            raise UserError(f"Keep the question under {QUESTION_MAX} characters.")
        account.grade_question = value
    else:
        if len(value) > COMPETITORS_MAX:
            raise UserError(f"Keep competitors under {COMPETITORS_MAX} characters.")
        account.competitors = ", ".join(part.strip() for part in value.split(",") if part.strip())


def stored(account: Account, field: str) -> str | None:
    """The field's value as the change history keeps it: an id, an ISO date, a number or
    the text; None when not set."""
    value = getattr(account, COLUMNS[field])
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}"
    return value.isoformat() if isinstance(value, date) else str(value)


def _match(pattern: re.Pattern, value: str, field: str) -> str:
    found = pattern.fullmatch(value.strip())
    if not found:
        raise UserError(f"“{escape(value)}” isn't a valid `{field}`. Try {EXAMPLES[field]}.")
    return found.group(1)


def _bounded(read, value: str, field: str, bounds: tuple, **how) -> float:
    """`value` read by `read` (bot/numbers.py), within `bounds`; else UserError with an
    example."""
    try:
        number = read(value, **how)
    except UserError as error:
        raise UserError(f"{error} Try {EXAMPLES[field]}.") from None
    low, high = bounds
    if not low <= number <= high:
        raise UserError(f"`{field}` must be between {low:,} and {high:,}.")
    return number
