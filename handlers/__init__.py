"""Listeners: each module registers what it answers; the manifest must list the same."""

from slack_bolt import App

from handlers import accounts, calls, digest, grades, home, messages, payloads, recovery

MODULES = (accounts, calls, messages, recovery, grades, digest, home)
COMMANDS = accounts.COMMANDS + calls.COMMANDS + grades.COMMANDS + digest.COMMANDS
SHORTCUTS = calls.SHORTCUTS
EVENTS = messages.EVENTS + home.EVENTS


def register(app: App) -> None:
    app.middleware(payloads.drop_nul)
    app.middleware(payloads.refuse_incomplete)
    for module in MODULES:
        module.register(app)
