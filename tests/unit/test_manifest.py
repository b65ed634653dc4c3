"""manifest.yml is a valid Slack manifest and lists exactly what the app answers."""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

import jsonschema
import pytest
import yaml
from slack_sdk import WebClient

import handlers
from bot.app import create_app
from support import ROOT, slack_requests
from support.app import migrated, settings_for
from support.databases import sqlite_file
from support.fake_slack import FakeSlack

SCHEMAS = ROOT.parent / "shared" / "slack"
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
FEATURES = MANIFEST["features"]
EVENTS_URL_PATH = "/slack/events"
SECRET = "secret"

# Every scope the app may request, and what needs it. Add one only with the code that uses it.
ALLOWED_SCOPES = {
    "commands": "slash commands and the message shortcut",
    "chat:write": "replies, confirmations and digests",
    "im:history": "the message.im event",
    "users:read": "users.info and the user_change event",
    "channels:read": "conversations.info on public channels, before /digest posts there",
    "groups:read": "conversations.info on private channels, before /digest posts there",
    "channels:join": "conversations.join: /digest joins the public channel it posts in",
    "im:write": "conversations.open: the caller's DM, where /account report and export upload",
    "files:write": "files_upload_v2: the /account report (.xlsx) and export (.csv) files",
    "files:read": "files.info and the download of a CSV or .xlsx file DMed to import",
    "users:read.email": "users.lookupByEmail: owners given by email in an import",
}
EVENT_SCOPES = {"message.im": "im:history", "user_change": "users:read", "app_home_opened": None}

COMMANDS = [command["command"] for command in FEATURES["slash_commands"]]
SHORTCUTS = [shortcut["callback_id"] for shortcut in FEATURES["shortcuts"]]
EVENTS = MANIFEST["settings"]["event_subscriptions"]["bot_events"]


def test_manifest_matches_slack_schema():
    if not SCHEMAS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Slack's manifest schemas are missing from {SCHEMAS}")
        pytest.skip(f"Slack's manifest schemas are not at {SCHEMAS}")
    schema = json.loads((SCHEMAS / "manifest.schema.1.0.0.json").read_text())
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(MANIFEST)
    # The schema spells this pattern "regex", a keyword JSON Schema ignores.
    color = schema["definitions"]["app-manifests.v1.display_information.schema"]
    assert re.fullmatch(
        color["properties"]["background_color"]["regex"],
        MANIFEST["display_information"]["background_color"],
    )


def test_manifest_lists_what_the_code_registers():
    assert MANIFEST["_metadata"]["major_version"] == 1
    assert set(COMMANDS) == set(handlers.COMMANDS)
    assert set(SHORTCUTS) == set(handlers.SHORTCUTS)
    assert set(EVENTS) == set(handlers.EVENTS)
    assert len(COMMANDS) == len(set(COMMANDS)) and len(SHORTCUTS) == len(set(SHORTCUTS))


def test_commands_are_escaped_and_every_url_is_the_events_endpoint():
    assert all(command["should_escape"] is True for command in FEATURES["slash_commands"])
    settings = MANIFEST["settings"]
    urls = [command["url"] for command in FEATURES["slash_commands"]] + [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        settings["interactivity"]["message_menu_options_url"],
    ]
    assert all(url.endswith(EVENTS_URL_PATH) for url in urls), urls


def test_manifest_requests_only_allowed_scopes():
    scopes = MANIFEST["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}, "Rapport needs no user scopes"
    assert set(scopes["bot"]) <= set(ALLOWED_SCOPES)
    assert {EVENT_SCOPES[event] for event in EVENTS} - {None} <= set(scopes["bot"])
    assert "commands" in scopes["bot"]


@pytest.fixture
def app(fake, tmp_path):
    settings = settings_for(fake, sqlite_file(tmp_path), secret=SECRET)
    rapport = migrated(settings)
    client = WebClient(token=fake.bot_token, base_url=fake.url)
    pool = ThreadPoolExecutor()
    yield create_app(settings, client=client, rapport=rapport, executor=pool)
    # Listeners keep running after the ack: let them finish before the fake and database go.
    pool.shutdown(wait=True)
    rapport.engine.dispose()


def _event(name: str, fake: FakeSlack) -> dict:
    if name == "message.im":
        return {
            "type": "message",
            "channel": "D0001",
            "channel_type": "im",
            "user": slack_requests.USER_ID,
            "text": "hi",
            "ts": slack_requests.MESSAGE_TS,
            "event_ts": slack_requests.MESSAGE_TS,
        }
    if name == "user_change":
        user = fake.add_user("U0002", tz="Europe/Paris")
        return {"type": "user_change", "user": user, "event_ts": slack_requests.MESSAGE_TS}
    if name == "app_home_opened":
        return {
            "type": "app_home_opened",
            "user": slack_requests.USER_ID,
            "channel": "D0001",
            "tab": "home",
        }
    raise AssertionError(f"add an example {name} event to {__name__}._event")


def _dispatch(app, body: str, content_type="application/x-www-form-urlencoded"):
    return slack_requests.dispatch(app, body, secret=SECRET, content_type=content_type)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_is_routed(app, fake, command):
    body = slack_requests.slash_command(command, "help", response_url=fake.response_url())
    assert _dispatch(app, body).status == 200, "404 means no listener matched"


@pytest.mark.parametrize("callback_id", SHORTCUTS)
def test_each_shortcut_is_routed(app, callback_id):
    message = {
        "type": "message",
        "user": slack_requests.USER_ID,
        "ts": slack_requests.MESSAGE_TS,
        "text": "call notes",
    }
    body = slack_requests.message_shortcut(callback_id=callback_id, message=message)
    assert _dispatch(app, body).status == 200, "404 means no listener matched"


@pytest.mark.parametrize("event", EVENTS)
def test_each_event_is_routed(app, fake, event):
    body = slack_requests.event_callback(_event(event, fake), event_id=f"Ev-{event}")
    assert _dispatch(app, body, "application/json").status == 200, "404 means no listener matched"
