"""Requests as Slack sends them, signed as Slack signs them: bot/slack_requests.py, which
the local console uses too."""

from bot.slack_requests import *  # noqa: F403
