"""/digest: subscribe a channel to the daily digest, list, unsubscribe, post now, preview."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.digests import messages, subscriptions
from bot.people import Person
from bot.runtime.context import Rapport
from handlers.after_ack import listener
from handlers.replies import command_words, member, show_help

COMMANDS = ("/digest",)


def register(app: App) -> None:
    app.command("/digest")(handle_digest)


@listener
def handle_digest(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Digests*: once a day, this channel is told what happened on your accounts and which need attention.
    • `/digest subscribe`: post it here every weekday at 09:00 in your timezone, for all accounts.
    • `/digest subscribe at 8:30 daily mine quiet`: choose the time (`at 17:00`, `at 5:30pm`), the days (`weekdays` or `daily`), the accounts (`all`, `mine`, `@owner`, or names: `Acme, Globex`), and `quiet` to post nothing on days without news.
    • `/digest subscribe in fa`: write the digest in Persian (also `in ar` Arabic, `in vi` Vietnamese, `in en` English); without it, in the language I write to you in.
    • `/digest list`: this channel's digest, its language, and when it posts next.
    • `/digest unsubscribe`: stop this channel's digest.
    • `/digest now`: post the digest here now.
    • `/digest preview`: show the digest only to you, in the channel's language.
    A channel has one digest: subscribing again replaces it. In a private channel, `/invite @Rapport` first.
    """
    verb, rest = command_words(command)
    action = VERBS.get(verb)
    if action is None:
        show_help(ack, command, context, handle_digest, verb)
        return
    ack()
    rapport = context["rapport"]
    person = member(context, client)
    for message in action(rapport, client, person, context.channel_id, rest):
        respond(response_type="ephemeral", replace_original=False, **message)


def _subscribe(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    subscription, replaced, next_at = subscriptions.subscribe(
        rapport, client, person=person, channel_id=channel_id, text=rest
    )
    return [messages.subscribed(subscription, replaced, next_at, rapport.settings.default_language)]


def _list(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    subscription, next_at = subscriptions.status(
        rapport, team_id=person.team_id, channel_id=channel_id
    )
    return [messages.listed(subscription, next_at, rapport.settings.default_language)]


def _unsubscribe(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    had_one = subscriptions.unsubscribe(rapport, team_id=person.team_id, channel_id=channel_id)
    return [messages.unsubscribed(had_one)]


def _now(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    ts = subscriptions.post_now(rapport, client, person=person, channel_id=channel_id)
    return [messages.posted_now(ts)]


def _preview(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    return messages.preview(*subscriptions.preview(rapport, person=person, channel_id=channel_id))


VERBS = {
    "subscribe": _subscribe,
    "list": _list,
    "unsubscribe": _unsubscribe,
    "now": _now,
    "preview": _preview,
}
