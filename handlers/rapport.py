"""/rapport: Rapport's own settings; for now, who its admins are."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.admins import messages, naming
from bot.errors import UserError
from bot.people import Person
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
    • `/rapport admins`: who the Rapport admins are. Admins change any account; owners change their own.
    • `/rapport admins add @avery`: name an admin (admins only). The workspace's Slack admins and owners are admins already.
    • `/rapport admins remove @avery`: no longer an admin (admins only).
    """
    verb, rest = command_words(command)
    if verb != "admins":
        show_help(ack, command, handle_rapport, verb)
        return
    rapport = context["rapport"]
    answer(
        ack,
        respond,
        client,
        context,
        lambda person, reply: _admins(rapport, client, person, rest, reply),
    )


def _admins(rapport: Rapport, client: WebClient, person: Person, rest: str, reply: Reply) -> None:
    verb, _, text = rest.partition(" ")
    if verb.lower() == "add":
        reply(**messages.named(*naming.name(rapport, client, user=person, text=text)))
    elif verb.lower() == "remove":
        reply(**messages.unnamed(*naming.unname(rapport, user=person, text=text)))
    elif verb.lower() in ("", "list"):
        reply(**messages.admins(naming.listing(rapport, team_id=person.team_id), person.tz))
    else:
        raise UserError("Use `/rapport admins`, `/rapport admins add @person` or `remove @person`.")
