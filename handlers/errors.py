"""The app's one error handler: a modal's mistakes keep it open with them, other domain
errors become their message, and the rest a reference."""

import contextlib
import json
import logging
import uuid

from slack_bolt import App, BoltContext, BoltResponse

from bot import i18n
from bot.blocks import text_message
from bot.errors import FormErrors, UserError, slack_failed, slack_status
from bot.i18n import N_, _
from bot.mrkdwn import clip
from storage import db

log = logging.getLogger(__name__)
DATABASE_UNREACHABLE = N_(
    "I can't reach my database right now, so nothing was saved. Please try again in a minute."
)


def register(app: App) -> None:
    app.error(handle_error)


def handle_error(error: Exception, body: dict, response: BoltResponse | None, context: BoltContext):
    """Answer in the acknowledgement if there is still one to give, else in a message."""
    if response is not None and context.ack.response is None:
        with _speaking_to(context):
            answer = _ack_body(body, error)
        return BoltResponse(
            status=200, headers={"content-type": "application/json"}, body=json.dumps(answer)
        )
    tell(context, describe(error))
    return None


def describe(error: Exception) -> str:
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, FormErrors):
        return " ".join(error.errors.values())
    if db.unreachable(error):
        log.warning("database unreachable: %s", error.orig)
        return _(DATABASE_UNREACHABLE)
    reference = uuid.uuid4().hex[:8]
    if slack_failed(error):
        log.warning("Slack failed (%s), reference %s: %s", slack_status(error), reference, error)
        return _slack_failure(slack_status(error)).format(
            reference=reference, status=slack_status(error)
        )
    log.error("unhandled error, reference %s", reference, exc_info=error)
    return _(
        "Sorry, something went wrong on my side (reference `{reference}`). Please try again."
    ).format(reference=reference)


def _slack_failure(status: int | None) -> str:
    """What to tell the person when Slack itself failed (bot.errors.slack_failed), with
    `{reference}` and `{status}` to fill in."""
    if status == 429:
        return _(
            "Slack asked me to slow down, so this didn't go through. Try again in a minute "
            "(reference `{reference}`)."
        )
    if status:
        return _(
            "Slack had a problem answering me (error {status}), so this may not have gone "
            "through. Check before you try again in a minute (reference `{reference}`)."
        )
    return _(
        "Slack had a problem answering me (no answer), so this may not have gone through. "
        "Check before you try again in a minute (reference `{reference}`)."
    )


def _speaking_to(context: BoltContext):
    """Write in the asker's language when this process remembers their profile (the
    listener had no time to say it, and the database may be what failed), else the
    workspace's."""
    rapport = context.get("rapport")
    if rapport is None:
        return contextlib.nullcontext()
    default = rapport.settings.default_language
    known = rapport.profiles.get((context.team_id, context.user_id))
    return known.speaking(default) if known else i18n.speaking(default)


def tell(context: BoltContext, text: str) -> None:
    """Show `text` to the person after the acknowledgement: via response_url, else in the
    channel, else (a modal already closed) in their DM with the app."""
    message = text_message(text)
    if context.respond is not None and context.response_url:
        context.respond(response_type="ephemeral", replace_original=False, **message)
    else:
        # A message in a thread (a DM's thread reply) is answered in that thread.
        thread_ts = context.thread_ts if context.channel_id else None
        context.client.chat_postMessage(
            channel=context.channel_id or context.user_id, thread_ts=thread_ts, **message
        )


def _ack_body(body: dict, error: Exception) -> dict:
    """An acknowledgement that shows `error`: a modal's mistakes under their fields (others
    under its first field), else an ephemeral reply."""
    if isinstance(error, FormErrors):
        return {"response_action": "errors", "errors": error.errors}
    text = describe(error)
    view = body.get("view") if body.get("type") == "view_submission" else None
    inputs = [b["block_id"] for b in (view or {}).get("blocks", []) if b.get("type") == "input"]
    if inputs:
        return {"response_action": "errors", "errors": {inputs[0]: clip(text, 150)}}
    return {"response_type": "ephemeral", **text_message(text)}
