"""/digest: subscribe a channel to the daily digest, list, unsubscribe, post now, preview."""

import inspect

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks, people, subscriptions
from bot.mrkdwn import date_token, escape, unescape
from bot.people import Person
from bot.services import Rapport
from handlers.errors import reported
from storage.models import DigestSubscription

COMMANDS = ("/digest",)


def register(app: App) -> None:
    app.command("/digest")(handle_digest)


@reported
def handle_digest(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """*Digests*: once a day, this channel is told what happened on your accounts and which need attention.
    • `/digest subscribe`: post it here every weekday at 09:00 in your timezone, for all accounts.
    • `/digest subscribe at 8:30 daily mine quiet`: choose the time (`at 17:00`, `at 5:30pm`), the days (`weekdays` or `daily`), the accounts (`all`, `mine`, `@owner`, or names: `Acme, Globex`), and `quiet` to post nothing on days without news.
    • `/digest list`: this channel's digest, and when it posts next.
    • `/digest unsubscribe`: stop this channel's digest.
    • `/digest now`: post the digest here now.
    • `/digest preview`: show the digest only to you.
    A channel has one digest: subscribing again replaces it. In a private channel, `/invite @Rapport` first.
    """
    verb, _, rest = unescape(command.get("text", "")).strip().partition(" ")
    action = VERBS.get(verb.lower())
    if action is None:
        help_text = inspect.getdoc(handle_digest)
        if verb and verb.lower() != "help":
            help_text = f"I don't know `/digest {escape(verb)}`.\n\n{help_text}"
        ack(response_type="ephemeral", **blocks.text_message(help_text))
        return
    ack()
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    for message in action(rapport, client, person, context.channel_id, rest.strip()):
        respond(response_type="ephemeral", replace_original=False, **message)


def _subscribe(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    subscription, replaced = subscriptions.subscribe(
        rapport, client, person=person, channel_id=channel_id, text=rest
    )
    headline = (
        "*Replaced this channel's digest (a channel has one):*"
        if replaced
        else "*Subscribed this channel to the daily digest:*"
    )
    return [blocks.lines_message([headline, *describe(rapport, subscription)])]


def _list(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    subscription = subscriptions.current(rapport, team_id=person.team_id, channel_id=channel_id)
    if subscription is None:
        return [
            blocks.text_message("This channel has no digest. Start one with `/digest subscribe`.")
        ]
    return [blocks.lines_message(["*This channel's digest:*", *describe(rapport, subscription)])]


def _unsubscribe(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    if subscriptions.unsubscribe(rapport, team_id=person.team_id, channel_id=channel_id):
        text = "Unsubscribed: this channel gets no more digests."
    else:
        text = "This channel had no digest subscription: nothing to stop."
    return [blocks.text_message(text)]


def _now(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    ts = subscriptions.post_now(rapport, client, person=person, channel_id=channel_id)
    if ts is None:
        text = "Nothing posted: there is no news, and this channel's digest skips quiet days."
    else:
        text = "Posted this channel's digest. The scheduled one still goes out as usual."
    return [blocks.text_message(text)]


def _preview(
    rapport: Rapport, client: WebClient, person: Person, channel_id: str, rest: str
) -> list[dict]:
    message, thread = subscriptions.preview(rapport, person=person, channel_id=channel_id)
    if message is None:
        return [blocks.text_message("No news today, and this channel's digest skips quiet days.")]
    return [blocks.text_message("*Preview, only you can see it:*"), message, *thread]


def describe(rapport: Rapport, subscription: DigestSubscription) -> list[str]:
    """A subscription's settings, status and next post, one line each."""
    days = "every day" if subscription.days == "daily" else "every weekday"
    if subscription.scope in ("mine", "owner"):
        scope = f"owned by <@{subscription.scope_owner_id}>"
    elif subscription.scope == "accounts":
        names = [f"*{escape(account.name)}*" for account in subscription.accounts]
        scope = ", ".join(names) or "none left (the named accounts were deleted)"
    else:
        scope = "all"
    quiet = "nothing is posted" if subscription.skip_quiet else "one short line"
    if subscription.status == "paused":
        status = (
            f"*paused*: Slack answered `{escape(subscription.paused_reason or 'an error')}` "
            "when I posted. Run `/digest subscribe` here again to resume."
        )
    else:
        status = subscription.status
    lines = [
        f"• *When*: {days} at {subscription.at_time} ({subscription.tz})",
        f"• *Accounts*: {scope}",
        f"• *Quiet days*: {quiet}",
        f"• *Status*: {status}",
    ]
    if (next_at := subscriptions.next_post(rapport, subscription)) is not None:
        lines.append(f"• *Next digest*: {date_token(next_at, subscription.tz)}")
    return lines


VERBS = {
    "subscribe": _subscribe,
    "list": _list,
    "unsubscribe": _unsubscribe,
    "now": _now,
    "preview": _preview,
}
