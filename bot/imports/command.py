"""`python -m bot import FILE --team T…`: an admin imports a file on the server, with the
same reader and the same storing as a DM's Import; it prints the preview and stores unless
`--dry-run`. Owners given by email or @handle are asked of Slack with SLACK_BOT_TOKEN;
without it, owners must be Slack user ids. Every account row needs an owner (there is no
importer to default to); the history names `--by` (default: the Rapport bot user, or
Slackbot without a token) as who made the changes."""

import argparse
from pathlib import Path

from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import _, number
from bot.imports import importing
from bot.imports.checking import Importer
from bot.imports.values import Summary
from bot.people import Person
from bot.runtime.context import make_rapport
from bot.runtime.settings import Settings
from bot.runtime.slack_client import configure_client
from storage import migrate

SLACKBOT = "USLACKBOT"


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot import",
        description="Import accounts, contacts and past calls from a CSV or .xlsx file.",
    )
    parser.add_argument("file", type=Path, help="the .csv or .xlsx file (see the template)")
    parser.add_argument("--team", required=True, help="the Slack workspace id (T…)")
    parser.add_argument("--by", help="your Slack user id, kept in the history as who changed")
    parser.add_argument("--tz", default="UTC", help="timezone of dates without one (UTC)")
    parser.add_argument("--dry-run", action="store_true", help="print the preview only")
    return parser.parse_args(argv)


def run(settings: Settings, argv: list[str]) -> int:
    args = arguments(argv)
    client = None
    if settings.slack_bot_token:
        client = configure_client(WebClient(token=settings.slack_bot_token), settings)
    rapport = make_rapport(settings)
    try:
        migrate.upgrade(rapport.engine)
        by = args.by or (client.auth_test()["user_id"] if client else SLACKBOT)
        person = Person(args.team, by, args.tz, None, False, is_admin=True)
        importer = Importer(
            person=person,
            reading=person.reading(settings.date_languages),
            now=rapport.clock.now(),
            owner=None,
        )
        how = importing.preview if args.dry_run else importing.store
        try:
            content = args.file.read_bytes()
            plan = how(
                rapport,
                client,
                importer=importer,
                content=content,
                filename=args.file.name,
                max_rows=None,
            )
        except (UserError, OSError) as error:
            print(f"rapport: {error}")
            return 1
    finally:
        rapport.engine.dispose()
    print(report(plan.summary(args.file.name), stored=not args.dry_run))
    return 0


def report(summary: Summary, *, stored: bool) -> str:
    """The preview, or what was stored, as plain lines."""
    lines = [
        (_("Imported {name}:") if stored else _("Preview of {name} (nothing stored):")).format(
            name=summary.filename
        ),
        _("  accounts: {new} new, {updated} updated, {same} unchanged").format(
            new=number(summary.new_accounts),
            updated=number(summary.updated_accounts),
            same=number(summary.unchanged_accounts),
        ),
        _("  contacts: {new} new, {updated} updated, {same} unchanged").format(
            new=number(summary.new_contacts),
            updated=number(summary.updated_contacts),
            same=number(summary.unchanged_contacts),
        ),
        _("  past calls: {new} new, {known} imported before").format(
            new=number(summary.new_calls), known=number(summary.known_calls)
        ),
    ]
    if summary.ignored:
        lines.append(_("  columns not read: {columns}").format(columns=", ".join(summary.ignored)))
    if summary.bad:
        lines.append(_("  rows skipped: {n}").format(n=number(len(summary.bad))))
        lines += [f"  {where}: {why}" for where, why in summary.bad]
    return "\n".join(lines)
