"""The grade pages of people outside Slack (bot/grades/web.py): links asked for with
`/grade`, pages fetched and forms posted over HTTP as a browser would, and what an HTML
page is made of (for the checks of labels, language and assets)."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

LINK = re.compile(r"https?://[^\s|>]+/g/([A-Za-z0-9_-]+)")


def link_token(shown: str) -> str:
    """The token of the one grade page link in what a person was shown."""
    [token] = set(LINK.findall(shown))
    return token


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str


def fetch(
    base_url: str,
    path: str,
    *,
    method: str = "GET",
    form: dict | None = None,
    body: bytes | None = None,
    headers: dict | None = None,
) -> Page:
    """One request to the server at `base_url`, redirects not followed; `form` is sent
    urlencoded, as a browser submits it."""
    parts = urlsplit(base_url)
    headers = dict(headers or {})
    if form is not None:
        body = urlencode(form).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        return Page(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
    finally:
        connection.close()


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


class Parsed(HTMLParser):
    """Every element of a page with its attributes (and the text inside it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in ("input", "meta", "link", "br", "img"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def parse(html: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(html)
    parsed.close()
    return parsed
