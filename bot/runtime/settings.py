"""Settings: one frozen object read from the environment and `.env`."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import unquote, urlsplit

import dateparser.data
from dotenv import find_dotenv, load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import i18n

APPS_PAGE = "https://api.slack.com/apps"
DEFAULT_DATABASE_URL = "sqlite:///rapport.db"
DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the key and where to get it."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    serve_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    digest_tick_seconds: int = 60
    log_level: str = "INFO"
    date_languages: tuple[str, ...] = ()
    default_language: str = "en"
    reminder_days: int = 3
    expiry_days: int = 14
    follow_up_days: int = 14
    stale_days: int = 14
    public_url: str | None = None  # where people outside Slack open their grade page
    smtp_url: str | None = None  # smtp://user:pass@host:port or smtps://...
    mail_from: str | None = None

    @property
    def default_mode(self) -> str:
        """The mode `python -m bot` runs when none is named (README.md, "Modes")."""
        if self.slack_app_token:
            return "socket"
        if self.slack_bot_token and self.slack_signing_secret:
            return "serve"
        return "console"

    def require(self, *keys: str) -> None:
        """Fail with the first missing key among `keys` (attribute names) and where to get it."""
        for key in keys:
            if not getattr(self, key):
                name = key.upper()
                raise SettingsError(f"{name} is not set: {WHERE[name]}")


# The environment variables, one per field (slack_bot_token is read from SLACK_BOT_TOKEN).
KEYS = tuple(field.name.upper() for field in fields(Settings))

WHERE = {
    "SLACK_BOT_TOKEN": f"the Bot User OAuth Token (xoxb-...) under OAuth & Permissions at {APPS_PAGE}",
    "SLACK_SIGNING_SECRET": f"the Signing Secret under Basic Information > App Credentials at {APPS_PAGE}",
    "SLACK_APP_TOKEN": f"an App-Level Token (xapp-...) with connections:write under Basic Information at {APPS_PAGE}",
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment after loading `.env`)."""
    if environ is None:
        load_dotenv(find_dotenv(usecwd=True), override=False)
        environ = os.environ
    env = {key: value.strip() for key, value in environ.items() if value.strip()}
    return Settings(
        slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET"),
        slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=_api_url(env.get("SLACK_API_URL", DEFAULT_API_URL)),
        database_url=_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        port=_integer(env, "PORT", 3000, 1, 65535),
        serve_workers=_integer(env, "SERVE_WORKERS", Settings().serve_workers, 1, 64),
        digest_tick_seconds=_integer(env, "DIGEST_TICK_SECONDS", 60, 1, 86400),
        log_level=_choice(env, "LOG_LEVEL", "INFO", LOG_LEVELS),
        date_languages=_languages(env.get("DATE_LANGUAGES", "")),
        default_language=_language(env.get("DEFAULT_LANGUAGE", "en")),
        reminder_days=_integer(env, "REMINDER_DAYS", 3, 1, 365),
        expiry_days=_integer(env, "EXPIRY_DAYS", 14, 1, 365),
        follow_up_days=_integer(env, "FOLLOW_UP_DAYS", 14, 1, 365),
        stale_days=_integer(env, "STALE_DAYS", 14, 1, 365),
        public_url=_public_url(env.get("PUBLIC_URL")),
        smtp_url=_smtp_url(env.get("SMTP_URL")),
        mail_from=_mail_from(env),
    )


def with_database_url(settings: Settings, url: str) -> Settings:
    """`settings` on the database at `url` (`python -m bot --database URL`), read as
    DATABASE_URL is."""
    return replace(settings, database_url=_database_url(url))


def _token(env: Mapping[str, str], key: str, prefix: str) -> str | None:
    value = env.get(key)
    if value is not None and not value.startswith(prefix):
        raise SettingsError(f"{key} must start with {prefix}: {WHERE[key]}")
    return value


def _api_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise SettingsError(
            f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_API_URL} (got {value!r})"
        )
    return value if value.endswith("/") else value + "/"


def _database_url(value: str) -> str:
    """Accept the URLs hosting providers hand out (postgres://) and use psycopg 3 for them."""
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise SettingsError(
            f"DATABASE_URL is not a database URL (got {_password_hidden(value)!r}); "
            "use e.g. sqlite:///rapport.db or postgresql://user@host/dbname"
        ) from None
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise SettingsError(
            f"DATABASE_URL must point at SQLite or PostgreSQL (got {url.drivername}); "
            "use e.g. sqlite:///rapport.db or postgresql://user@host/dbname"
        )
    return url.render_as_string(hide_password=False)


def _password_hidden(value: str) -> str:
    """A URL that does not parse, with what may be its password (from the user's colon to
    the last @) shown as ***."""
    credentials, at, rest = value.rpartition("@")
    if not at:
        return value
    scheme, slashes, user = (
        credentials.partition("//") if "//" in credentials else ("", "", credentials)
    )
    return f"{scheme}{slashes}{user.partition(':')[0]}:***@{rest}"


def _integer(env: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = env.get(key)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdecimal() or not low <= int(raw) <= high:
        raise SettingsError(f"{key} must be a whole number from {low} to {high} (got {raw!r})")
    return int(raw)


def _choice(env: Mapping[str, str], key: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(key, default).upper()
    if value not in choices:
        raise SettingsError(f"{key} must be one of {', '.join(choices)} (got {value!r})")
    return value


def _language(raw: str) -> str:
    language = i18n.supported(raw.strip())
    if language is None or raw.strip().lower() != language:
        raise SettingsError(
            f"DEFAULT_LANGUAGE must be one of {', '.join(i18n.LANGUAGES)} (got {raw!r})"
        )
    return language


def _languages(raw: str) -> tuple[str, ...]:
    codes = tuple(code.strip().lower() for code in raw.split(",") if code.strip())
    known = set(dateparser.data.languages_info.language_order)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise SettingsError(
            f"DATE_LANGUAGES has unknown language codes {', '.join(unknown)}; "
            "use two-letter codes such as fr,de,es"
        )
    return codes


LOCAL_HOSTS = ("localhost", "127.0.0.1")


def _public_url(value: str | None) -> str | None:
    """The public address of `serve`: https, or http on this machine only; no trailing /."""
    if value is None:
        return None
    parts = urlsplit(value)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if not parts.hostname or not (parts.scheme == "https" or local) or parts.query:
        raise SettingsError(
            "PUBLIC_URL must be the https address people open serve at, such as "
            f"https://rapport.example.com (http only for localhost; got {value!r})"
        )
    return value.rstrip("/")


@dataclass(frozen=True)
class SmtpServer:
    """SMTP_URL read: STARTTLS when the server offers it (smtp://), or TLS from the start
    (smtps://); the user name and password URL-decoded."""

    host: str
    port: int
    implicit_tls: bool
    user: str | None
    password: str | None


def smtp_server(url: str) -> SmtpServer:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        shown = _password_hidden(url)
        raise SettingsError(
            "SMTP_URL must be smtp://user:password@host:port (STARTTLS when offered) or "
            f"smtps://user:password@host:port (TLS); got {shown!r}"
        )
    implicit = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if implicit else 587),
        implicit_tls=implicit,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _smtp_url(value: str | None) -> str | None:
    if value is not None:
        smtp_server(value)
    return value


def _mail_from(env: Mapping[str, str]) -> str | None:
    value = env.get("MAIL_FROM")
    if env.get("SMTP_URL") and not value:
        raise SettingsError(
            "MAIL_FROM is not set: with SMTP_URL, Rapport needs the address its emails come "
            "from, such as Rapport <rapport@example.com>"
        )
    if value is not None and "@" not in value:
        raise SettingsError(f"MAIL_FROM must be an email address (got {value!r})")
    return value
