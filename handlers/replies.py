"""Answering a slash command as fast as the person's cached profile allows."""

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import people
from bot.people import Person


def answer(
    ack: Ack,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    work: Callable[[Person], dict],
) -> None:
    """Reply with `work(person)`: in the acknowledgement when the person's timezone is
    cached (the usual case), else acknowledge first and reply once users.info has answered.
    A UserError raised by `work` reaches the app's error handler, which answers with it.
    """
    rapport = context["rapport"]
    person = people.cached(rapport, team_id=context.team_id, user_id=context.user_id)
    if person is not None:
        ack(response_type="ephemeral", **work(person))
        return
    ack()
    person = people.fetch(rapport, client, team_id=context.team_id, user_id=context.user_id)
    respond(response_type="ephemeral", replace_original=False, **work(person))
