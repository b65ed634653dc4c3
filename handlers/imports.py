"""Importing accounts, contacts and past calls from a CSV or .xlsx file DMed to the bot: a
preview first, then its Import button; `/account import` (handlers/accounts.py) explains
how, and sends the template."""

from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import deliveries
from bot.imports import ids, importing, messages, slack_files
from bot.runtime.context import Rapport
from handlers.after_ack import listener
from handlers.replies import member


def register(app: App) -> None:
    app.action(ids.IMPORT_FILE)(handle_import_press)


def is_import(event: dict) -> bool:
    """A DM carrying a .csv or .xlsx file (and not `log ...`: that one is a call)."""
    return slack_files.importable(event.get("files")) is not None


def preview_file(
    event: dict,
    context: BoltContext,
    client: WebClient,
    delivery: list[str],
    reply: Callable[..., object],
) -> None:
    """Read the shared file and reply with what importing it would do, and an Import
    button; nothing is stored. A retry of the same delivery does nothing."""
    rapport: Rapport = context["rapport"]
    if not deliveries.first_time(rapport, team_id=context.team_id, delivery=delivery):
        return
    person = member(context, client)
    file = slack_files.importable(event["files"])
    summary = importing.preview_shared(rapport, client, person=person, file_id=file["id"])
    reply(**messages.preview(summary))


@listener
def handle_import_press(
    ack: Ack, action: dict, respond: Respond, client: WebClient, context: BoltContext
):
    """Import on a preview: the file is read again from Slack and every good row stored in
    one transaction (or none); the preview becomes what was imported."""
    ack()
    person = member(context, client)
    summary = importing.import_shared(
        context["rapport"], client, person=person, file_id=str(action.get("value") or "")
    )
    respond(replace_original=True, **messages.imported(summary))


def account_import(client: WebClient, context: BoltContext, rest: str) -> dict:
    """`/account import [template]`: how to import, or the template sent to the DM."""
    person = member(context, client)
    if rest.strip().lower() == "template":
        importing.send_template(client, person=person)
        return messages.template_sent(importing.TEMPLATE_NAME)
    return messages.how_to()
