"""Rapport's languages: English, Persian, Arabic and Vietnamese. Who reads a message
decides its language: `speaking(language)` (or `use` for the rest of a request) sets it,
and `_` / `ngettext` translate through the gettext catalogs in bot/locales, which Babel
manages (`make messages` extracts and updates them; the build compiles them).

Listeners run each in a context of their own (handlers/after_ack.py), so a language set
for one request never leaks into the next on the same thread.
"""

import contextlib
import functools
from contextvars import ContextVar
from pathlib import Path

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

# Each language, named in itself (as a person picks it).
LANGUAGES = {"en": "English", "fa": "فارسی", "ar": "العربية", "vi": "Tiếng Việt"}
RIGHT_TO_LEFT = frozenset({"fa", "ar"})
LOCALES = Path(__file__).parent / "locales"
DOMAIN = "rapport"
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
# The digits and separators Persian and Arabic readers write numbers with.
DIGITS = {
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
}
NUMBERING = {"fa": "arabext", "ar": "arab"}

CALENDARS = ("gregorian", "persian", "hijri")
# The calendar of a reader who has not chosen one: Persian readers date by the Solar Hijri
# calendar; Arabic and Vietnamese readers by the Gregorian one, in their language.
USUAL_CALENDAR = {"fa": "persian"}

# Who reads what is being written now: their language, and their calendar if chosen.
_reading: ContextVar[tuple[str, str | None]] = ContextVar("reading", default=("en", None))


def language() -> str:
    """The language of what is being written now."""
    return _reading.get()[0]


def calendar() -> str:
    """The calendar dates are written in now: the reader's choice, else their language's usual one."""
    language, chosen = _reading.get()
    return chosen or USUAL_CALENDAR.get(language, "gregorian")


def use(language: str, calendar: str | None = None) -> None:
    """Write in `language` (and `calendar`) for the rest of the current context: a
    listener's run, answering the person who asked."""
    _reading.set((language, calendar))


@contextlib.contextmanager
def speaking(language: str, calendar: str | None = None):
    """Write in `language` (and `calendar`) inside the block: a message to someone else (a
    DM to an owner, a prompt to a client, a channel's digest)."""
    token = _reading.set((language, calendar))
    try:
        yield
    finally:
        _reading.reset(token)


def gettext(message: str) -> str:
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` by the language's plural rules (Persian has one, Arabic six)."""
    return _catalog(language()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks `message` for the catalogs where it cannot be translated yet (a constant made
    at import time); it is translated with `_()` where it is used."""
    return message


def number(value: float) -> str:
    """`value` as the reader writes numbers: `120,000`, `۱۲۰٬۰۰۰`, `١٢٠٬٠٠٠`, `120.000`."""
    reader = language()
    written = format_decimal(value, locale=reader, numbering_system=NUMBERING.get(reader, "latn"))
    return written.translate(DIGITS.get(reader, {}))


def isolate(text: str) -> str:
    """`text` (a name, a number) kept in its own direction inside right-to-left prose, so
    "Acme Corp" or "120,000" does not scramble the Persian or Arabic sentence around it."""
    if language() not in RIGHT_TO_LEFT:
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}"


def supported(code: str | None) -> str | None:
    """The language Rapport speaks for a code such as "fa" or a locale such as "vi-VN"."""
    primary = (code or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


@functools.cache
def _catalog(language: str) -> NullTranslations:
    """The compiled catalog of `language`; English is the source, untranslated."""
    if language == "en":
        return NullTranslations()
    return Translations.load(LOCALES, [language], DOMAIN)
