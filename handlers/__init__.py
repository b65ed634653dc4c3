"""Listeners: one module per feature, each with a register(app) saying what it answers;
the manifest lists the same commands, shortcuts and events (tests/unit/test_manifest.py)."""

from concurrent.futures import Executor

from slack_bolt import App

from handlers import (
    accounts,
    after_ack,
    calls,
    digests,
    errors,
    followups,
    grades,
    home,
    imports,
    payloads,
    people,
    rapport,
    recovery,
)

MODULES = (accounts, calls, imports, recovery, followups, grades, digests, home, people, rapport)
COMMANDS = (
    accounts.COMMANDS + calls.COMMANDS + grades.COMMANDS + digests.COMMANDS + rapport.COMMANDS
)
SHORTCUTS = calls.SHORTCUTS
EVENTS = calls.EVENTS + people.EVENTS + home.EVENTS


def register(app: App, *, pool: Executor) -> None:
    """Every listener, its work after the ack done on `pool` (handlers/after_ack.py)."""
    app.middleware(after_ack.provide(pool))
    app.middleware(payloads.drop_control_characters)
    app.middleware(payloads.refuse_incomplete)
    errors.register(app)
    for module in MODULES:
        module.register(app)
