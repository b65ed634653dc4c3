"""`/rapport language fa|ar|vi|en` (and the Home tab's language select), `/rapport
calendar persian|hijri|gregorian`."""

from bot import i18n, people
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.runtime.context import Rapport


def choose_language(rapport: Rapport, *, person: Person, typed: str) -> Person:
    """`person` reads Rapport in the language `typed` (a code, or its name in itself)."""
    wanted = typed.strip().casefold()
    language = i18n.supported(wanted) or next(
        (code for code, name in i18n.LANGUAGES.items() if name.casefold() == wanted), None
    )
    if language is None:
        raise UserError(
            _("Choose one of: {choices}.").format(
                choices=", ".join(f"`{code}` ({name})" for code, name in i18n.LANGUAGES.items())
            )
        )
    return people.choose(rapport, person=person, language=language)


def choose_calendar(rapport: Rapport, *, person: Person, typed: str) -> Person:
    """`person` reads dates in the calendar `typed`."""
    calendar = typed.strip().casefold()
    if calendar not in i18n.CALENDARS:
        raise UserError(
            _("Choose one of: {choices}.").format(
                choices=", ".join(f"`{name}`" for name in i18n.CALENDARS)
            )
        )
    return people.choose(rapport, person=person, calendar=calendar)
