"""The Web API client as Rapport uses it: pointed at SLACK_API_URL, waiting out rate
limits, never resending a post whose answer was lost; and a respond() that does not
lose its message."""

import logging
from collections.abc import Callable
from urllib.parse import urlparse

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import default_retry_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.runtime.settings import WHERE, Settings, SettingsError

log = logging.getLogger(__name__)
RATE_LIMIT_RETRIES = 2
# Methods Slack may have acted on when the connection broke before its answer came back:
# sending them again could post, or share a file, twice.
NOT_RESENT = ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal")
TOKEN_CHECK_SECONDS = 10


def check_token(settings: Settings) -> None:
    """SettingsError when Slack refuses SLACK_BOT_TOKEN (auth.test answers an error such as
    invalid_auth). When Slack cannot be asked (down, or out of reach), a warning only: the
    app starts, and works once Slack answers."""
    client = configure_client(
        WebClient(token=settings.slack_bot_token, timeout=TOKEN_CHECK_SECONDS), settings
    )
    try:
        client.auth_test()
    except SlackApiError as error:
        if error.response.status_code != 200:  # Slack failing, not refusing
            log.warning(
                "could not check SLACK_BOT_TOKEN: Slack answered %s", error.response.status_code
            )
            return
        raise SettingsError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error.response['error']}): "
            + WHERE["SLACK_BOT_TOKEN"]
        ) from None
    except OSError as error:
        log.warning("could not check SLACK_BOT_TOKEN: %s", error)


def configure_client(client: WebClient, settings: Settings) -> WebClient:
    """Point `client` at SLACK_API_URL; it waits out rate limits (Retry-After), retries a
    broken connection except for a post, and retries nothing else blindly (a 5xx may have
    been acted on)."""
    client.base_url = settings.slack_api_url
    client.retry_handlers = [
        ConnectionRetryExceptPosts(),
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    return client


class ConnectionRetryExceptPosts(ConnectionErrorRetryHandler):
    """slack_sdk's default retry of a broken connection, but never of a NOT_RESENT method."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        method = urlparse(request.url).path.rsplit("/", 1)[-1]
        return method not in NOT_RESENT and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


def respond_or_dm(context: BoltContext) -> Callable[..., None]:
    """respond() for listeners: posts to the request's response_url, waiting out a rate
    limit as the client does; when Slack still does not take it (a 5xx, an expired URL),
    the message goes to the person's DM with the app instead: a reply is never dropped
    silently (Bolt's respond() returns the failure and nobody looks at it)."""

    def respond(*, response_type=None, replace_original=None, **message) -> None:
        webhook = WebhookClient(  # made when needed: most requests are answered in the ack
            context.response_url,
            retry_handlers=[
                *default_retry_handlers(),
                RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ],
        )
        answer = webhook.send(
            response_type=response_type, replace_original=replace_original, **message
        )
        if answer.status_code != 200:
            log.warning("response_url answered %s: replying in a DM", answer.status_code)
            context.client.chat_postMessage(channel=context.user_id, **message)

    return respond
