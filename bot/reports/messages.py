"""The reply once a report is sent."""

from bot.blocks import text_message
from bot.mrkdwn import escape
from bot.reports.values import Sent


def sent(report: Sent, channel_id: str) -> dict:
    """Where the file went (here, when asked in the DM itself) and what it holds."""
    where = "here" if report.channel_id == channel_id else "to our direct messages"
    count = "1 account" if report.accounts == 1 else f"{report.accounts} accounts"
    return text_message(
        f"Sent `{escape(report.filename)}` {where}: {escape(report.title)}, {count}."
    )
