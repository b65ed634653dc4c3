"""The App Home tab: published when opened; its language select, its "Log a call" and "Ask
for a grade" buttons."""

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.calls import messages as call_messages
from bot.errors import UserError
from bot.grades import messages as grade_messages
from bot.home import ids, tab
from bot.home import messages as home_messages
from bot.preferences import choosing
from handlers import payloads
from handlers.after_ack import listener
from handlers.replies import member, open_modal

EVENTS = ("app_home_opened",)


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(ids.HOME_LOG_CALL)(handle_log_call_button)
    app.action(ids.HOME_ASK_GRADE)(handle_ask_grade_button)
    app.action(ids.HOME_LANGUAGE)(handle_language_select)


@listener
def handle_home_opened(event: dict, client: WebClient, context: BoltContext):
    """The viewer opened the app's Home tab: publish their accounts (the Messages tab
    sends this event too, and is left alone). A guest's Home says why it shows nothing,
    in place of what it showed while they were a member."""
    if event.get("tab") != "home" or not isinstance(event.get("user"), str):
        return
    try:
        member(context, client)
    except UserError as refusal:
        client.views_publish(user_id=event["user"], view=home_messages.refused(str(refusal)))
        return
    tab.opened(context["rapport"], client, team_id=context.team_id, user_id=event["user"])


@listener
def handle_log_call_button(ack: Ack, body: dict, client: WebClient, context: BoltContext):
    """ "Log a call" on the Home tab: open the log-call modal (handlers/calls.py takes it from there)."""
    ack()
    member(context, client)
    open_modal(client, context, body["trigger_id"], call_messages.call_modal(from_home=True))


@listener
def handle_ask_grade_button(ack: Ack, body: dict, client: WebClient, context: BoltContext):
    """ "Ask for a grade" on the Home tab: open the modal that picks account and person
    (handlers/grades.py takes it from there)."""
    ack()
    member(context, client)
    client.views_open(trigger_id=body["trigger_id"], view=grade_messages.ask_modal())


@listener
def handle_language_select(ack: Ack, action: dict, client: WebClient, context: BoltContext):
    """A language chosen at the top of the Home tab: Rapport writes to the viewer in it
    from now on, starting with their Home, published again in it."""
    ack()
    rapport = context["rapport"]
    person = member(context, client)
    choosing.choose_language(rapport, person=person, typed=payloads.option(action))
    tab.refresh(rapport, client, team_id=context.team_id, user_id=context.user_id)
