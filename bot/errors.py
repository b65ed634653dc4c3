"""Errors whose message is meant for the person who typed the request, and Slack's own."""

import contextlib
import logging
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class UserError(Exception):
    """Bad input or a refused request; `str(error)` is shown to the user as is (mrkdwn)."""


@dataclass
class FormErrors(Exception):
    """What is wrong with a modal's fields, keyed by the modal's block ids (plain text, as
    Slack shows it under each field); the modal stays open and nothing is stored."""

    errors: dict[str, str]


def slack_failed(error: Exception) -> bool:
    """Slack itself failed, not our request: a rate limit that outlasted the client's
    retries, Slack's own server error, or no answer at all (after the last two, the step
    may have happened)."""
    if isinstance(error, SlackApiError):
        return error.response.status_code == 429 or error.response.status_code >= 500
    return isinstance(error, (URLError, ConnectionError, TimeoutError))


def slack_status(error: Exception) -> int | None:
    """The HTTP status Slack answered with; None when it did not answer."""
    return error.response.status_code if isinstance(error, SlackApiError) else None


@contextlib.contextmanager
def unless_slack_fails(what: str):
    """Run the block; when Slack itself fails in it, log that `what` was not done instead
    of raising. For side steps whose failure must not hide what was done before them."""
    try:
        yield
    except Exception as error:
        if not slack_failed(error):
            raise
        log.warning("%s: Slack answered %s (%s)", what, slack_status(error), error)
