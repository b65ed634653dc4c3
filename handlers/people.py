"""Profile changes: the cached copy of someone's Slack profile follows theirs."""

from slack_bolt import App, BoltContext

from bot import people
from handlers.after_ack import listener

EVENTS = ("user_change",)


def register(app: App) -> None:
    app.event("user_change")(handle_user_change)


@listener
def handle_user_change(event: dict, context: BoltContext):
    """Someone's profile changed (often their timezone): refresh the cached copy."""
    user = event.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        people.remember(context["rapport"], team_id=context.team_id, user=user)
