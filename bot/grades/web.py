"""The grade page people outside Slack answer on: GET and POST `/g/<token>` on `serve` (and
the console), a WSGI application the server routes `/g/` to (bot/runtime/server.py).

Everything is served from here: the HTML (Jinja2 templates, autoescaped, in the page's
language) and one stylesheet, no script, no font, no image, nothing from elsewhere, which
the Content-Security-Policy enforces. The token is in the URL, so no page is cached and no
referrer leaves it. Wrong tokens are counted per client address and refused past a limit
(`MissLimiter`); a wrong token and an unknown one get the same plain 404."""

import hashlib
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot import i18n
from bot.errors import UserError
from bot.grades import links
from bot.grades.answering import REASON_MAX
from bot.grades.scale import SCALE
from bot.i18n import _
from bot.runtime.context import Rapport

PREFIX = "/g/"
HERE = Path(__file__).parent
STYLESHEET = (HERE / "static" / "page.css").read_bytes()
# The stylesheet's address changes with its content, so it may be cached for a year.
STYLESHEET_PATH = f"static/page.css?v={hashlib.sha256(STYLESHEET).hexdigest()[:12]}"
# What the tokens are made of (secrets.token_urlsafe); anything else is a wrong token,
# answered like an unknown one.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}")
# A form of a grade and a reason of REASON_MAX characters, each percent-encoded as up to 12
# bytes (a 4-byte character), fits well inside this; larger bodies get 413 unread.
MAX_FORM_BYTES = 64 * 1024
# Wrong tokens a client address may try within WINDOW_SECONDS before it gets 429.
MISSES_ALLOWED = 20
WINDOW_SECONDS = 60.0

SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
]
NO_STORE = [("Cache-Control", "no-store")]
HTML = "text/html; charset=utf-8"

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class MissLimiter:
    """Wrong-token requests per client address in a sliding window, in this process: each
    `serve` worker counts its own, so N workers let through up to N times the limit."""

    def __init__(
        self,
        allowed: int = MISSES_ALLOWED,
        window: float = WINDOW_SECONDS,
        now: Callable[[], float] = time.monotonic,
        most_addresses: int = 100_000,
    ):
        self.allowed = allowed
        self.window = window
        self.now = now
        self.most_addresses = most_addresses
        self._misses: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> int:
        """Seconds before `address` may try again: 0 when it may now."""
        with self._lock:
            misses = self._recent(address)
            if misses is None or len(misses) < self.allowed:
                return 0
            return max(1, int(misses[0] + self.window - self.now()) + 1)

    def miss(self, address: str) -> None:
        with self._lock:
            if len(self._misses) >= self.most_addresses:
                self._forget_old()
            misses = self._recent(address)
            if misses is None:
                misses = self._misses[address] = deque()
            misses.append(self.now())
            while len(misses) > self.allowed:
                misses.popleft()

    def _recent(self, address: str) -> deque[float] | None:
        misses = self._misses.get(address)
        if misses is None:
            return None
        while misses and misses[0] <= self.now() - self.window:
            misses.popleft()
        return misses

    def _forget_old(self) -> None:
        horizon = self.now() - self.window
        for address in [a for a, m in self._misses.items() if not m or m[-1] <= horizon]:
            del self._misses[address]
        if len(self._misses) >= self.most_addresses:  # all recent: a flood; start over
            self._misses.clear()


def grade_pages(rapport: Rapport, client, *, limiter: MissLimiter | None = None):
    """The WSGI application of `/g/`: `client` is the Bolt app's Web API client, which
    tells the owner when an answer puts the account at risk."""
    limiter = limiter or MissLimiter()

    def application(environ, start_response):
        status, headers, body = _respond(environ, rapport, client, limiter)
        headers = [*headers, *SECURITY_HEADERS, ("Content-Length", str(len(body)))]
        start_response(f"{status.value} {status.phrase}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]

    return application


def _respond(environ, rapport, client, limiter) -> tuple[HTTPStatus, list, bytes]:
    path = environ.get("PATH_INFO", "")
    method = environ.get("REQUEST_METHOD", "GET")
    if path == PREFIX + "static/page.css":
        if method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        cache = ("Cache-Control", "public, max-age=31536000, immutable")
        return HTTPStatus.OK, [("Content-Type", "text/css; charset=utf-8"), cache], STYLESHEET
    if method not in ("GET", "HEAD", "POST"):
        return _not_allowed("GET, HEAD, POST")
    address = environ.get("REMOTE_ADDR", "")
    wait = limiter.wait(address)
    if wait:
        return _plain(HTTPStatus.TOO_MANY_REQUESTS, [("Retry-After", str(wait))])
    token = path.removeprefix(PREFIX)
    found = links.page(rapport, token=token) if TOKEN.fullmatch(token) else None
    if found is None:
        limiter.miss(address)
        return _plain(HTTPStatus.NOT_FOUND)
    with i18n.speaking(found.language):
        if method == "POST":
            return _answer(environ, rapport, client, limiter, token, found)
        return _shown(found)


def _shown(found) -> tuple[HTTPStatus, list, bytes]:
    if found.status == "answered":
        return _html(
            HTTPStatus.OK, "page_done.html", found, heading="done", message=_already_answered()
        )
    if found.status == "expired":
        return _expired(found)
    return _html(HTTPStatus.OK, "page_form.html", found, grade=None, reason="", error=None)


def _answer(environ, rapport, client, limiter, token, found) -> tuple[HTTPStatus, list, bytes]:
    form = _form(environ)
    if isinstance(form, HTTPStatus):
        return _plain(form)
    grade, reason = form.get("grade", [""])[0], form.get("reason", [""])[0]
    try:
        outcome = links.answer(rapport, client, token=token, grade=grade, reason=reason)
    except UserError as error:
        shown = grade if grade in SCALE else None
        return _html(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "page_form.html",
            found,
            grade=shown,
            reason=reason[:REASON_MAX],
            error=str(error),
        )
    match outcome:
        case links.Answer.RECORDED:
            # Translators: shown on the grade page once the grade and reason are recorded.
            thanks = _("Thank you. Your grade and your reason have been recorded.")
            return _html(HTTPStatus.OK, "page_done.html", found, heading="done", message=thanks)
        case links.Answer.ALREADY_ANSWERED:
            return _html(
                HTTPStatus.OK, "page_done.html", found, heading="done", message=_already_answered()
            )
        case links.Answer.EXPIRED:
            return _expired(found)
        case _:
            limiter.miss(environ.get("REMOTE_ADDR", ""))
            return _plain(HTTPStatus.NOT_FOUND)


def _form(environ) -> dict[str, list[str]] | HTTPStatus:
    """The posted fields, or the status refusing the body: only a small urlencoded form."""
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HTTPStatus.BAD_REQUEST
    if length > MAX_FORM_BYTES:
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    try:
        body = environ["wsgi.input"].read(length).decode("ascii")
        return parse_qs(body, keep_blank_values=True, max_num_fields=10, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return HTTPStatus.BAD_REQUEST


def _already_answered() -> str:
    # Translators: the grade page, opened again or sent twice after the grade was recorded.
    return _("This request was already answered. Thank you.")


def _expired(found) -> tuple[HTTPStatus, list, bytes]:
    # Translators: the grade page of a request that has expired.
    message = _(
        "This link has expired. Ask the person who sent it for a new one if you still want to answer."
    )
    return _html(HTTPStatus.GONE, "page_done.html", found, heading="expired", message=message)


def _html(status: HTTPStatus, template: str, found, **values) -> tuple[HTTPStatus, list, bytes]:
    language = found.language if found is not None else "en"
    page = _templates.get_template(template).render(
        language=language,
        direction="rtl" if language in i18n.RIGHT_TO_LEFT else "ltr",
        stylesheet=STYLESHEET_PATH,
        page=found,
        grades=SCALE,
        reason_max=REASON_MAX,
        text=_texts(found),
        **values,
    )
    return status, [("Content-Type", HTML), *NO_STORE], page.encode()


def _texts(found) -> dict[str, str]:
    """The page's words, in the language being spoken."""
    return {
        # Translators: the grade page's title in the browser tab; {account} is the account's name.
        "title": _("A grade for {account}").format(account=found.account_name),
        # Translators: on the grade page, before the account's name (the client company).
        "account": _("Account"),
        # Translators: the legend over the thirteen grade buttons on the grade page.
        "legend": _("Your grade, from A+ (best) to F (worst)"),
        # Translators: the label of the box for the reason on the grade page.
        "why": _("Why this grade?"),
        # Translators: under the reason box on the grade page.
        "why_hint": _("Required. What would it take to get a better grade?"),
        # Translators: the grade page's button that sends the grade and the reason.
        "send": _("Send my answer"),
        # Translators: the heading of the grade page once it has been answered.
        "done": _("Thank you"),
        # Translators: the heading of an expired grade page.
        "expired": _("Link expired"),
    }


def _plain(status: HTTPStatus, headers: list | None = None) -> tuple[HTTPStatus, list, bytes]:
    """A page that says nothing but its status: the same for every wrong token."""
    body = (
        "<!doctype html>\n"
        f'<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{status.phrase}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><h1>{status.value} {status.phrase}</h1></body></html>\n"
    ).encode()
    return status, [("Content-Type", HTML), *NO_STORE, *(headers or [])], body


def _not_allowed(allow: str) -> tuple[HTTPStatus, list, bytes]:
    return _plain(HTTPStatus.METHOD_NOT_ALLOWED, [("Allow", allow)])
