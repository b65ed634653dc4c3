"""What every listener does the same way: read a slash command's verb, show its help,
know who is asking (a member: guests use no command), answer as fast as the person's
cached profile allows, open a modal."""

import inspect
from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import access, people
from bot.blocks import text_message
from bot.mrkdwn import escape, unescape
from bot.people import Person

Reply = Callable[..., object]  # takes a message's fields: reply(text=..., blocks=...)


def command_words(command: dict) -> tuple[str, str]:
    """A slash command's first word, lower case, and the text after it (Slack's escaping
    of `&`, `<` and `>` undone)."""
    verb, _, rest = unescape(command.get("text", "")).strip().partition(" ")
    return verb.lower(), rest.strip()


def show_help(ack: Ack, command: dict, listener: Callable, verb: str = "") -> None:
    """Acknowledge with the command's help, which is its listener's docstring; first say
    that `verb` is not one of its verbs, when it is neither blank nor `help`."""
    help_text = inspect.getdoc(listener)
    if verb and verb != "help":
        help_text = f"I don't know `{command['command']} {escape(verb)}`.\n\n{help_text}"
    ack(response_type="ephemeral", **text_message(help_text))


def answer(
    ack: Ack,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    work: Callable[[Person, Reply], None],
) -> None:
    """Run `work(person, reply)`. reply(**message) answers in the acknowledgement when the
    person's timezone is cached (the usual case); otherwise the request is acknowledged
    first and reply() responds once users.info has answered. A guest is refused. A
    UserError raised by `work` reaches the app's error handler, which answers with it."""
    rapport = context["rapport"]
    person = people.cached(rapport, team_id=context.team_id, user_id=context.user_id)
    if person is not None:
        access.require_member(person)
        work(person, lambda **message: ack(response_type="ephemeral", **message))
        return
    ack()
    person = people.fetch(rapport, client, team_id=context.team_id, user_id=context.user_id)
    access.require_member(person)
    work(
        person,
        lambda **message: respond(response_type="ephemeral", replace_original=False, **message),
    )


def member(context: BoltContext, client: WebClient) -> Person:
    """The person making the request; a guest is refused (bot/access.py)."""
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    access.require_member(person)
    return person


def open_modal(client: WebClient, context: BoltContext, trigger_id: str, view: dict) -> None:
    """Open `view`, then cache the person's profile, so that their submission is read in
    their timezone without waiting for Slack."""
    client.views_open(trigger_id=trigger_id, view=view)
    people.person(context["rapport"], client, team_id=context.team_id, user_id=context.user_id)
