"""The App Home tab: the viewer's accounts, "Log a call" and "Ask for a grade"."""

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import blocks, grade_blocks, home, home_blocks, ids, people
from bot.calls import FormErrors
from bot.home import AskForm
from handlers import payloads
from handlers.errors import reported

EVENTS = ("app_home_opened",)


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(ids.HOME_LOG_CALL)(handle_log_call_button)
    app.action(ids.HOME_ASK_GRADE)(handle_ask_grade_button)
    app.view(ids.ASK_GRADE_VIEW)(handle_ask_grade_form)


def handle_home_opened(event: dict, client: WebClient, context: BoltContext):
    """The viewer opened the app's Home tab: publish their accounts (the Messages tab
    sends this event too, and is left alone)."""
    if event.get("tab") != "home" or not isinstance(event.get("user"), str):
        return
    home.refresh(context["rapport"], client, team_id=context.team_id, user_id=event["user"])


@reported
def handle_log_call_button(ack: Ack, body: dict, client: WebClient, context: BoltContext):
    """ "Log a call" on the Home tab: open the log-call modal (handlers/calls.py takes it from there)."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=blocks.call_modal())
    # Cached now, so the submission is validated in the writer's timezone without waiting.
    people.person(context["rapport"], client, team_id=context.team_id, user_id=context.user_id)


@reported
def handle_ask_grade_button(ack: Ack, body: dict, client: WebClient, context: BoltContext):
    """ "Ask for a grade" on the Home tab: open the modal that picks account and person."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=home_blocks.ask_grade_modal())


@reported
def handle_ask_grade_form(ack: Ack, view: dict, client: WebClient, context: BoltContext):
    """The "Ask for a grade" modal was submitted: a missing field keeps it open; else the
    person is DMed the question, as with /grade, and the asker is told so in a DM."""
    form = _form(view["state"]["values"])
    try:
        home.check_ask(form)
    except FormErrors as problems:
        ack(response_action="errors", errors=problems.errors)
        return
    ack()
    request = home.ask(
        context["rapport"], client, team_id=context.team_id, user_id=context.user_id, form=form
    )
    client.chat_postMessage(channel=context.user_id, **grade_blocks.asked(request))


def _form(values: dict) -> AskForm:
    """The modal's state.values as an AskForm."""
    account = payloads.option(payloads.state(values, ids.ASK_GRADE_ACCOUNT, ids.CALL_ACCOUNT))
    return AskForm(
        account_id=payloads.record_id(account) if account else None,
        grader_id=payloads.text(payloads.state(values, ids.ASK_GRADE_GRADER), "selected_user")
        or None,
        question=payloads.text(payloads.state(values, ids.ASK_GRADE_QUESTION), "value"),
    )
