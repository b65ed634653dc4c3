"""Settings come from the environment; a bad or missing one fails with its name."""

import dataclasses
import os

import pytest

from bot.runtime.settings import KEYS, Settings, SettingsError, load, smtp_server

BOT = "xoxb-1-2-abc"
APP = "xapp-1-A1-abc"


def test_defaults():
    settings = load({})
    assert settings == Settings()
    assert settings.slack_bot_token is None
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///rapport.db"
    assert settings.port == 3000
    assert settings.digest_tick_seconds == 60
    assert settings.log_level == "INFO"
    assert settings.date_languages == ()
    assert settings.serve_workers == (os.cpu_count() or 1)


def test_blank_values_count_as_unset():
    assert load({key: " " for key in KEYS}) == Settings()


def test_values_are_read():
    settings = load(
        {
            "SLACK_API_URL": "https://slack-gov.com/api",
            "DATABASE_URL": "sqlite:////tmp/r.db",
            "PORT": "8080",
            "SERVE_WORKERS": "3",
            "DIGEST_TICK_SECONDS": "5",
            "LOG_LEVEL": "debug",
            "DATE_LANGUAGES": "FR, de",
        }
    )
    assert settings.slack_api_url == "https://slack-gov.com/api/"
    assert settings.database_url == "sqlite:////tmp/r.db"
    assert (settings.port, settings.digest_tick_seconds) == (8080, 5)
    assert settings.serve_workers == 3
    assert settings.log_level == "DEBUG"
    assert settings.date_languages == ("fr", "de")


@pytest.mark.parametrize(
    "environ, mode",
    [
        ({}, "console"),
        ({"SLACK_BOT_TOKEN": BOT}, "console"),
        ({"SLACK_SIGNING_SECRET": "s"}, "console"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "s"}, "serve"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, "socket"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": APP}, "socket"),
    ],
)
def test_mode_selection(environ, mode):
    assert load(environ).default_mode == mode


@pytest.mark.parametrize(
    "key, value",
    [
        ("PORT", "abc"),
        ("PORT", "0"),
        ("PORT", "65536"),
        ("SERVE_WORKERS", "0"),
        ("REMINDER_DAYS", "three"),
        ("EXPIRY_DAYS", "0"),
        ("FOLLOW_UP_DAYS", "-1"),
        ("DIGEST_TICK_SECONDS", "-1"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "mysql://x"),
        ("LOG_LEVEL", "LOUD"),
        ("DATE_LANGUAGES", "zz"),
        ("SLACK_API_URL", "ftp://x"),
    ],
)
def test_malformed_value_names_its_key(key, value):
    with pytest.raises(SettingsError, match=key):
        load({key: value})


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_use_psycopg(scheme):
    settings = load({"DATABASE_URL": f"{scheme}://rapport:p%40ss@db.internal:5432/rapport"})
    assert settings.database_url == "postgresql+psycopg://rapport:p%40ss@db.internal:5432/rapport"


def test_require_names_the_missing_key_and_where_to_get_it():
    settings = load({"SLACK_BOT_TOKEN": BOT})
    settings.require("slack_bot_token")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET") as raised:
        settings.require("slack_bot_token", "slack_signing_secret")
    assert "Signing Secret" in str(raised.value)
    assert "https://api.slack.com/apps" in str(raised.value)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().port = 1


# -- grade links: PUBLIC_URL, SMTP_URL, MAIL_FROM


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("https://rapport.example.com/", "https://rapport.example.com"),
        ("https://example.com/rapport", "https://example.com/rapport"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ],
)
def test_public_url_is_https_or_local_http(raw, read):
    assert load({"PUBLIC_URL": raw}).public_url == read


@pytest.mark.parametrize(
    "raw", ["http://rapport.example.com", "rapport.example.com", "ftp://x.com", "https://"]
)
def test_a_public_url_anyone_could_read_in_transit_is_refused_in_one_line(raw):
    with pytest.raises(SettingsError, match=r"^PUBLIC_URL must be the https address") as error:
        load({"PUBLIC_URL": raw})
    assert "\n" not in str(error.value)


def test_smtp_url_is_read_with_its_credentials_url_decoded():
    settings = load(
        {
            "SMTP_URL": "smtp://rapport%40example.com:p%40ss%3Aword@smtp.example.com:2525",
            "MAIL_FROM": "Rapport <rapport@example.com>",
        }
    )
    server = smtp_server(settings.smtp_url)
    assert (server.host, server.port, server.implicit_tls) == ("smtp.example.com", 2525, False)
    assert (server.user, server.password) == ("rapport@example.com", "p@ss:word")
    tls = smtp_server("smtps://u:p@mail.example.com")
    assert (tls.port, tls.implicit_tls) == (465, True)
    assert smtp_server("smtp://mail.example.com").port == 587


def test_smtp_url_needs_mail_from_and_a_known_scheme():
    with pytest.raises(SettingsError, match="^MAIL_FROM is not set"):
        load({"SMTP_URL": "smtp://mail.example.com"})
    with pytest.raises(SettingsError, match="^SMTP_URL must be") as error:
        load({"SMTP_URL": "http://user:secret@mail.example.com", "MAIL_FROM": "a@b.c"})
    assert "secret" not in str(error.value)
