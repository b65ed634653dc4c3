"""/rapport: Rapport's own settings: the language it writes to you in, and who its admins are."""

from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import i18n
from bot.admins import messages, naming
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.preferences import choosing
from bot.preferences import messages as preference_messages
from bot.runtime.context import Rapport
from handlers.after_ack import listener
from handlers.replies import Reply, answer, command_words, show_help

COMMANDS = ("/rapport",)


def register(app: App) -> None:
    app.command("/rapport")(handle_rapport)


@listener
def handle_rapport(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Rapport's settings*
    • `/rapport language fa`: I write to you in Persian (also `ar` Arabic, `vi` Vietnamese, `en` English); `/rapport language` says which one I use now.
    • `/rapport calendar persian`: the calendar I write dates in (also `hijri`, `gregorian`); Persian readers get the Persian calendar unless they choose another.
    • `/rapport dates day-first`: read `5/11` as 5 November (`month-first`: 11 May); by default, month first only in a US timezone.
    • `/rapport reminders off`: no morning DM of the follow-ups due (`on`: they come again, at 9:00 your time on weekdays); `/rapport reminders` says which.
    • `/rapport admins`: who the Rapport admins are. Admins change any account; owners change their own.
    • `/rapport admins add @avery`: name an admin (admins only). The workspace's Slack admins and owners are admins already.
    • `/rapport admins remove @avery`: no longer an admin (admins only).
    """
    verb, rest = command_words(command)
    action = VERBS.get(verb)
    if action is None:
        show_help(ack, command, context, handle_rapport, verb)
        return
    rapport = context["rapport"]
    answer(
        ack,
        respond,
        client,
        context,
        lambda person, reply: action(rapport, client, person, rest, reply),
    )


def _language(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    if not rest:
        reply(**preference_messages.languages(person.reads(rapport.settings.default_language)))
        return
    chosen = choosing.choose_language(rapport, person=person, typed=rest)
    i18n.use(*chosen.voice(rapport.settings.default_language))
    reply(**preference_messages.language_chosen())


def _admins(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    verb, _space, text = rest.partition(" ")
    if verb.lower() == "add":
        reply(**messages.named(*naming.name(rapport, client, user=person, text=text)))
    elif verb.lower() == "remove":
        reply(**messages.unnamed(*naming.unname(rapport, user=person, text=text)))
    elif verb.lower() in ("", "list"):
        reply(**messages.admins(naming.listing(rapport, team_id=person.team_id), person.tz))
    else:
        raise UserError(
            _("Use `/rapport admins`, `/rapport admins add @person` or `remove @person`.")
        )


def _calendar(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    chosen = choosing.choose_calendar(rapport, person=person, typed=rest)
    i18n.use(*chosen.voice(rapport.settings.default_language))
    today = rapport.clock.now().astimezone(ZoneInfo(person.tz)).date()
    reply(**preference_messages.calendar_chosen(today))


def _dates(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    chosen = choosing.choose_date_order(rapport, person=person, typed=rest)
    reply(**preference_messages.date_order_chosen(chosen.date_order))


def _reminders(
    rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply
) -> None:
    on = choosing.choose_reminders(rapport, person=person, typed=rest)
    reply(**preference_messages.reminders(on))


VERBS = {
    "admins": _admins,
    "language": _language,
    "calendar": _calendar,
    "dates": _dates,
    "reminders": _reminders,
}
