"""`/rapport language fa|ar|vi|en` (and the Home tab's language select), `/rapport
calendar persian|hijri|gregorian`, `/rapport dates day-first|month-first`, `/rapport
reminders on|off`."""

from bot import i18n, people
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.preferences import messages
from bot.runtime.context import Rapport
from storage.queries import people as people_queries


def choose_language(rapport: Rapport, *, person: Person, typed: str) -> Person:
    """`person` reads Rapport in the language `typed` (a code, or its name in itself)."""
    wanted = typed.strip().casefold()
    language = i18n.supported(wanted) or next(
        (code for code, name in i18n.LANGUAGES.items() if name.casefold() == wanted), None
    )
    if language is None:
        raise _not_one_of(messages.language_choices())
    return people.choose(rapport, person=person, language=language)


# How `/rapport dates` names each order of numeric dates, and bot/when.py's name for it.
DATE_ORDERS = {"day-first": "DMY", "month-first": "MDY"}


def choose_date_order(rapport: Rapport, *, person: Person, typed: str) -> Person:
    """`person` means day first, or month first, in numeric dates such as `5/11`."""
    order = DATE_ORDERS.get(typed.strip().casefold())
    if order is None:
        raise _not_one_of(", ".join(f"`{name}`" for name in DATE_ORDERS))
    return people.choose(rapport, person=person, date_order=order)


def choose_calendar(rapport: Rapport, *, person: Person, typed: str) -> Person:
    """`person` reads dates in the calendar `typed`."""
    calendar = typed.strip().casefold()
    if calendar not in i18n.CALENDARS:
        raise _not_one_of(", ".join(f"`{name}`" for name in i18n.CALENDARS))
    return people.choose(rapport, person=person, calendar=calendar)


def _not_one_of(choices: str) -> UserError:
    return UserError(_("Choose one of: {choices}.").format(choices=choices))


# How `/rapport reminders` names each choice: whether follow-ups due come by DM.
REMINDERS = {"on": True, "off": False}


def choose_reminders(rapport: Rapport, *, person: Person, typed: str) -> bool:
    """`person` gets the morning DM of follow-ups due (bot/followups/due.py), or not; what
    they now get. Blank: what they get now."""
    wanted = typed.strip().casefold()
    if wanted and wanted not in REMINDERS:
        raise _not_one_of(", ".join(f"`{name}`" for name in REMINDERS))
    with rapport.sessions.begin() as s:
        row = people_queries.profile(s, team_id=person.team_id, user_id=person.user_id)
        if wanted:  # the row exists: the person was looked up to answer them
            row.reminders = REMINDERS[wanted]
        return row is None or row.reminders is not False
