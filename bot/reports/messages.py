"""The reply once a report is sent."""

from bot.blocks import text_message
from bot.i18n import isolate, ngettext
from bot.mrkdwn import escape
from bot.reports.values import Sent


def sent(report: Sent, channel_id: str) -> dict:
    """Where the file went (here, when asked in the DM itself) and what it holds."""
    if report.channel_id == channel_id:
        text = ngettext(
            "Sent `{filename}` here: {title}, {n} account.",
            "Sent `{filename}` here: {title}, {n} accounts.",
            report.accounts,
        )
    else:
        text = ngettext(
            "Sent `{filename}` to our direct messages: {title}, {n} account.",
            "Sent `{filename}` to our direct messages: {title}, {n} accounts.",
            report.accounts,
        )
    return text_message(
        text.format(
            filename=escape(report.filename),
            title=isolate(escape(report.title)),
            n=isolate(str(report.accounts)),
        )
    )
