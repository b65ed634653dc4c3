"""A call's next step and follow-up day, typed after its notes:
`went through the renewal; next: send proposal; follow up Friday`.

The notes come first. Each later part (after `;`, or the Arabic `؛`) that starts with a
keyword is taken out of the notes: `next:` (a colon is needed) gives the next step,
`follow up` (a colon is optional) the follow-up day, in either order, each optional.
Keywords are read in any case and with or without accents, in English, Persian, Arabic
and Vietnamese (KEYWORDS); the day is read as bot.when.parse_day reads days.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n import _, isolate, number
from bot.letters import ZWNJ, fold
from bot.mrkdwn import day, escape, in_range
from bot.when import out_of_range, parse_day

NEXT_STEP = "next"
FOLLOW_UP = "follow up"
# What a person of each language types to start the part; compared folded (bot.letters.fold).
KEYWORDS = {
    NEXT_STEP: (
        *("next", "next step", "next steps"),
        *("قدم بعدی", "گام بعدی", "اقدام بعدی", "کار بعدی"),  # Persian
        *("الخطوة التالية", "الخطوة القادمة", "التالي"),  # Arabic
        *("bước tiếp theo", "việc tiếp theo", "tiếp theo"),  # Vietnamese
    ),
    FOLLOW_UP: (
        *("follow up", "follow-up", "followup"),
        *("follow up on", "follow-up on", "followup on", "follow up by", "follow-up by"),
        *("پیگیری", "پیگیری در"),  # Persian
        *("متابعة", "المتابعة", "متابعة في", "المتابعة في"),  # Arabic
        *("theo dõi", "theo dõi vào", "liên hệ lại", "liên hệ lại vào"),  # Vietnamese
    ),
}
# A keyword's words, folded; the longest first, so "next step:" is not "next" + "step:".
_KEYWORDS = sorted(
    (
        (field, tuple(fold(keyword).split()))
        for field, found in KEYWORDS.items()
        for keyword in found
    ),
    key=lambda pair: -len(pair[1]),
)
PARTS = re.compile(r"[;؛]")
WORDS = re.compile(rf"[\s{ZWNJ}]+")
NEXT_STEP_MAX = 500  # as the modal's field


@dataclass(frozen=True)
class Notes:
    """What was typed after the call's colon: its notes, and what follows the call."""

    notes: str
    next_step: str | None = None
    follow_up: str | None = None  # the day, as typed


def split(text: str) -> Notes:
    """The notes, next step and follow-up phrase of `text` (the notes part of a call)."""
    first, *rest = PARTS.split(text)
    kept, found = first, {}
    for separator, part in zip(PARTS.findall(text), rest, strict=True):
        keyword = _keyword(part)
        if keyword is None:
            kept += separator + part
            continue
        field, value = keyword
        if field in found:
            raise UserError(
                _("Write “{keyword}” once.").format(keyword=isolate(escape(part.split()[0])))
            )
        found[field] = value
    next_step = found.get(NEXT_STEP)
    if next_step is not None and not next_step:
        raise UserError(_("Write the next step after “next:”, e.g. “next: send proposal”."))
    if next_step and len(next_step) > NEXT_STEP_MAX:
        raise UserError(
            _("Keep the next step under {limit} characters.").format(
                limit=isolate(number(NEXT_STEP_MAX))
            )
        )
    if FOLLOW_UP in found and not found[FOLLOW_UP]:
        raise UserError(_("Say when to follow up, e.g. “follow up Friday”."))
    return Notes(kept.strip(), next_step, found.get(FOLLOW_UP))


def follow_up_day(phrase: str, *, tz: str, now: datetime, reading: dict) -> date:
    """The day `phrase` names, read in `tz` (`reading`: bot.people.Person.reading): today
    or later, or a UserError quoting it."""
    on = parse_day(
        phrase,
        tz=tz,
        now=now,
        hint=_("Try “follow up Friday”, “follow up in 2 weeks” or “follow up March 31”."),
        **reading,
    )
    if not in_range(on):
        raise UserError(out_of_range(phrase))
    if on < now.astimezone(ZoneInfo(tz)).date():
        raise UserError(
            _("The follow-up “{phrase}” is in the past ({day}): give a day to come.").format(
                phrase=isolate(escape(phrase)), day=day(on)
            )
        )
    return on


def _keyword(part: str) -> tuple[str, str] | None:
    """(field, what follows the keyword) when `part` starts with a keyword, else None."""
    words = WORDS.split(part.strip())
    folded = [fold(word) for word in words]
    for field, keyword in _KEYWORDS:
        size = len(keyword)
        if len(folded) < size or tuple(folded[: size - 1]) != keyword[:-1]:
            continue
        last = folded[size - 1]
        if last == keyword[-1]:
            rest = " ".join(words[size:])
            if rest.startswith(":"):
                rest = rest[1:]
            elif field == NEXT_STEP:  # "next week we meet again" stays in the notes
                continue
        elif last.startswith(keyword[-1] + ":"):
            rest = " ".join([words[size - 1].split(":", 1)[1], *words[size:]])
        else:
            continue
        return field, rest.strip()
    return None
