"""Events: direct messages to the bot, and profile changes."""

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient

from bot import blocks, calls, deliveries, home, people
from bot.mrkdwn import unescape

EVENTS = ("message.im", "user_change")
DM_HELP = (
    "Hi! I keep your client accounts. To log a call, write\n"
    "`log Acme yesterday 3pm: discussed renewal`\n"
    "(no time means now; times are read in your Slack timezone).\n"
    "Type `/account help` or `/logcall help` for everything else."
)


def register(app: App) -> None:
    app.event("message")(handle_direct_message)
    app.event("user_change")(handle_user_change)


def handle_direct_message(
    event: dict, body: dict, say: Say, client: WebClient, context: BoltContext
):
    """A DM to the bot: `log <account> <when>: <notes>` logs a call, anything else gets help.
    Slack's retries of the same delivery are recognised and do nothing."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    if not (isinstance(event.get("text"), str) and isinstance(event.get("user"), str)):
        return  # nothing typed, or nobody typed it: not a message a person wrote
    rapport = context["rapport"]
    delivery = deliveries.keys(body)
    text = unescape(event["text"]).strip()
    verb, _, rest = text.partition(" ")
    if verb.lower() != "log":
        if deliveries.first_time(rapport, team_id=context.team_id, delivery=delivery):
            say(**blocks.text_message(DM_HELP))
        return
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    call = calls.log_text(rapport, user=person, text=rest, source="dm", delivery=delivery)
    if call is not None:
        say(**blocks.call_logged(call, person.tz))
        home.refresh(rapport, client, team_id=context.team_id, user_id=person.user_id)


def handle_user_change(event: dict, context: BoltContext):
    """Someone's profile changed (often their timezone): refresh the cached copy."""
    user = event.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        people.remember(context["rapport"], team_id=context.team_id, user=user)
