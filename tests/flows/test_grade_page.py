"""The grade page of people outside Slack, over HTTP against the real `serve` server: a link
asked for with `/grade Acme dana@client.com`, the page fetched and the form posted as a
browser does, on both databases; and the page's HTML checked (labels, language, direction,
nothing from elsewhere, no script)."""

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.app import JOBS, create_app
from bot.grades import scale, web
from bot.grades.web import grade_pages
from bot.runtime.console import Console
from storage.models import Grade
from support.app import settings_for
from support.grade_pages import fetch, link_token, parse
from support.shown import visible
from support.stored import all_rows, count

SCALE = "A+ A A- B+ B B- C+ C C- D+ D D- F".split()
QUESTION = "How well do we answer your support tickets?"
REASON = "پیشنهادها دیر می‌رسند & <late>"  # sent as UTF-8, percent-encoded, as browsers do


@pytest.fixture
def settings(settings):
    """Links point at PUBLIC_URL; the tests open the same paths on the served app."""
    return dataclasses.replace(settings, public_url="https://rapport.example.com")


@pytest.fixture
def acme(slack):
    slack.ask("/account", "add Acme Corp")


def asked(slack, whom: str = "dana@client.com", question: str = QUESTION) -> str:
    """The token of the link `/grade` gives for `whom`."""
    return link_token(visible(slack.ask("/grade", f"Acme {whom} {question}")))


def contact_in(slack, name: str, language: str) -> str:
    email = f"{name.lower()}@client.com"
    slack.ask("/account", f"contact add Acme {name}, {email} {language}")
    return email


def test_the_page_asks_the_question_of_the_account_with_thirteen_grades(slack, acme):
    token = asked(slack)
    page = fetch(slack.base_url, f"/g/{token}")

    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    html = parse(page.text)
    [h1] = html.all("h1")
    assert h1.text.strip() == QUESTION
    assert "Acme Corp" in page.text
    radios = [e for e in html.all("input") if e.attrs.get("type") == "radio"]
    assert [r.attrs["value"] for r in radios] == SCALE
    labels = {e.attrs.get("for"): e.text.strip() for e in html.all("label")}
    assert [labels[r.attrs["id"]] for r in radios] == SCALE
    [textarea] = html.all("textarea")
    assert textarea.attrs["name"] == "reason" and "required" in textarea.attrs
    assert int(textarea.attrs["maxlength"]) == web.REASON_MAX


@pytest.mark.parametrize(
    "language, direction", [("en", "ltr"), ("fa", "rtl"), ("ar", "rtl"), ("vi", "ltr")]
)
def test_the_page_is_in_the_contacts_language_and_valid(slack, acme, language, direction):
    token = asked(slack, contact_in(slack, "Dana", language))
    page = fetch(slack.base_url, f"/g/{token}")

    assert page.status == 200
    html = parse(page.text)
    [root] = html.all("html")
    assert (root.attrs["lang"], root.attrs["dir"]) == (language, direction)
    assert len(html.all("h1")) == 1
    assert len(html.all("fieldset")) == 1 and len(html.all("legend")) == 1
    # Every field has a label; ids are unique.
    labelled = {e.attrs.get("for") for e in html.all("label")}
    fields = [*html.all("input"), *html.all("textarea")]
    assert fields and all(e.attrs.get("id") in labelled for e in fields)
    ids = [e.attrs["id"] for e in html.elements if e.attrs.get("id")]
    assert len(ids) == len(set(ids))
    # Nothing from elsewhere, and no script.
    assert not html.all("script") and "<script" not in page.text.lower()
    for element in html.elements:
        for attribute in ("src", "href", "action"):
            value = element.attrs.get(attribute) or ""
            assert "//" not in value, (element.tag, value)
    [stylesheet] = [e for e in html.all("link") if e.attrs.get("rel") == "stylesheet"]
    css = fetch(slack.base_url, "/g/" + stylesheet.attrs["href"])
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in css.headers["cache-control"]
    assert "url(" not in css.text and "@import" not in css.text


def test_an_answer_is_stored_once_and_a_replay_or_second_tab_records_nothing(
    slack, rapport, fake, acme
):
    token = asked(slack)
    second_tab = fetch(slack.base_url, f"/g/{token}")  # opened before the first answer
    assert second_tab.status == 200 and "<form" in second_tab.text

    sent = fetch(
        slack.base_url, f"/g/{token}", method="POST", form={"grade": "C", "reason": REASON}
    )
    slack.settle()
    assert sent.status == 200
    assert "Thank you. Your grade and your reason have been recorded." in sent.text
    [stored] = all_rows(rapport, Grade)
    assert (stored.grade, stored.reason, stored.grader_id) == ("C", REASON, None)
    assert stored.contact_id is not None

    # The same POST again (a double click, a replay), and the second tab's own answer.
    replayed = fetch(
        slack.base_url, f"/g/{token}", method="POST", form={"grade": "C", "reason": REASON}
    )
    other = fetch(
        slack.base_url, f"/g/{token}", method="POST", form={"grade": "A+", "reason": "Great"}
    )
    reopened = fetch(slack.base_url, f"/g/{token}")
    for page in (replayed, other, reopened):
        assert page.status == 200
        assert "This request was already answered. Thank you." in page.text
        assert "<form" not in page.text
    assert count(rapport, Grade) == 1
    assert all_rows(rapport, Grade)[0].grade == "C"


def test_concurrent_submissions_of_one_link_store_one_grade(slack, rapport, acme):
    token = asked(slack)

    def submit(n: int):
        form = {"grade": SCALE[n % len(SCALE)], "reason": f"Reason {n}"}
        return fetch(slack.base_url, f"/g/{token}", method="POST", form=form)

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(submit, range(16)))
    slack.settle()
    assert all(page.status == 200 for page in pages)
    recorded = [p for p in pages if "have been recorded" in p.text]
    assert len(recorded) == 1
    assert count(rapport, Grade) == 1


@pytest.mark.parametrize(
    "form, message",
    [
        ({"grade": "C", "reason": "   "}, "reason"),
        ({"reason": "No grade picked"}, "grade"),
        ({"grade": "Z", "reason": "A made-up grade"}, "grade"),
    ],
)
def test_a_bad_answer_is_shown_with_what_was_typed_and_stores_nothing(
    slack, rapport, acme, form, message
):
    token = asked(slack)
    page = fetch(slack.base_url, f"/g/{token}", method="POST", form=form)

    assert page.status == 422
    html = parse(page.text)
    [alert] = [e for e in html.elements if e.attrs.get("role") == "alert"]
    assert message in alert.text.lower()
    [textarea] = html.all("textarea")
    assert form["reason"].strip() in textarea.text
    assert "form-error" in textarea.attrs["aria-describedby"]
    checked = [e.attrs["value"] for e in html.all("input") if "checked" in e.attrs]
    assert checked == ([form["grade"]] if form.get("grade") in SCALE else [])
    assert count(rapport, Grade) == 0
    # The form still answers afterwards.
    fixed = fetch(
        slack.base_url, f"/g/{token}", method="POST", form={"grade": "B", "reason": "Better"}
    )
    assert "have been recorded" in fixed.text and count(rapport, Grade) == 1


def test_unknown_and_malformed_tokens_get_the_same_plain_404(slack, acme):
    token = asked(slack)
    pages = [
        fetch(slack.base_url, path)
        for path in (
            "/g/" + "A" * len(token),
            "/g/" + token[:-1],
            "/g/not%20a%20token",
            "/g/" + "x" * 500,
            "/g/",
            "/g/%ff%fe",
        )
    ]
    posted = fetch(
        slack.base_url, "/g/" + "B" * len(token), method="POST", form={"grade": "C", "reason": "x"}
    )
    for page in [*pages, posted]:
        assert page.status == 404
        assert page.text == pages[0].text
        assert "Acme" not in page.text and "grade" not in page.text.lower()


def test_wrong_tokens_are_limited_per_address_and_a_good_link_still_opens(slack, rapport, acme):
    token = asked(slack)
    guesser = {"X-Forwarded-For": "203.0.113.9"}  # as the proxy on this machine says
    for n in range(web.MISSES_ALLOWED):
        assert fetch(slack.base_url, f"/g/guess{n}", headers=guesser).status == 404
    refused = fetch(slack.base_url, f"/g/{token}", headers=guesser)
    assert refused.status == 429
    assert 1 <= int(refused.headers["retry-after"]) <= web.WINDOW_SECONDS + 1
    # Someone else's link, from another address, opens and answers.
    client = {"X-Forwarded-For": "198.51.100.7"}
    assert fetch(slack.base_url, f"/g/{token}", headers=client).status == 200
    answered = fetch(
        slack.base_url,
        f"/g/{token}",
        method="POST",
        form={"grade": "B+", "reason": "Fine"},
        headers=client,
    )
    assert "have been recorded" in answered.text and count(rapport, Grade) == 1


def test_every_page_carries_the_security_headers(slack, acme):
    token = asked(slack)
    pages = [
        fetch(slack.base_url, f"/g/{token}"),
        fetch(slack.base_url, f"/g/{token}", method="POST", form={"grade": "C"}),
        fetch(slack.base_url, "/g/unknown"),
    ]
    for page in pages:
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"


def test_only_a_small_urlencoded_form_is_read(slack, rapport, acme):
    token = asked(slack)
    as_json = fetch(
        slack.base_url,
        f"/g/{token}",
        method="POST",
        body=b'{"grade": "C", "reason": "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert as_json.status == 415
    huge = fetch(
        slack.base_url,
        f"/g/{token}",
        method="POST",
        body=b"grade=C&reason=" + b"x" * (web.MAX_FORM_BYTES + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert huge.status == 413
    deleted = fetch(slack.base_url, f"/g/{token}", method="DELETE")
    assert deleted.status == 405
    assert count(rapport, Grade) == 0
    assert scale.SCALE == tuple(SCALE)


def test_the_console_serves_the_page_its_links_open(database_url, fake, tmp_path):
    settings = settings_for(fake, database_url)  # no PUBLIC_URL: the console's own port
    out = io.StringIO()
    console = Console(
        settings, out, create_app=create_app, jobs=JOBS, files=tmp_path, grade_pages=grade_pages
    )
    try:
        assert console.handle("/account add Acme Corp")
        assert console.handle("/grade Acme dana@client.com")
        console.executor.settle()
        shown = out.getvalue()
        token = link_token(shown)
        assert f"  {console.pages_url}/g/{token}\n" in shown  # as a link to copy, no <…>
        page = fetch(console.pages_url, f"/g/{token}")
        assert page.status == 200 and "Acme Corp" in page.text
        assert fetch(console.pages_url, "/slack/events").status == 404
    finally:
        console.close()


def test_an_expired_link_says_so_and_records_nothing(slack, rapport, clock, acme):
    token = asked(slack)
    clock.advance(days=rapport.settings.expiry_days)

    page = fetch(slack.base_url, f"/g/{token}")
    posted = fetch(
        slack.base_url, f"/g/{token}", method="POST", form={"grade": "C", "reason": "Late"}
    )
    for shown in (page, posted):
        assert shown.status == 410
        assert "This link has expired." in shown.text and "<form" not in shown.text
    assert count(rapport, Grade) == 0
