"""The grade page in a real browser: headless Chromium (Debian's chromium package, driven by
Playwright; never a browser Playwright downloads) against the real `serve` server, on both
databases. A grade picked with the mouse and with the keyboard alone, the reason typed,
the answer sent and read back from the database; screenshots of the page in English at a
phone's width and in Persian at a desktop's, saved to test-artifacts/.

Skipped where /usr/bin/chromium is missing, except in CI (CI=true), where .ci/run installs
it and a missing browser fails."""

import dataclasses
import os
from pathlib import Path

import pytest

from storage.models import Grade
from support import ROOT
from support.grade_pages import link_token
from support.shown import posted_to, visible
from support.stored import all_rows, count

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
OWNER = "U0001"
QUESTION = "How well do we answer your support tickets?"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs /usr/bin/chromium: .ci/run installs it", pytrace=False)
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def settings(settings):
    """Links point at PUBLIC_URL; the tests open the same paths on the served app."""
    return dataclasses.replace(settings, public_url="https://rapport.example.com")


@pytest.fixture
def acme(slack):
    slack.ask("/account", "add Acme Corp")


def link(slack, language: str = "en", question: str = QUESTION) -> str:
    slack.ask("/account", f"contact add Acme Dana Lee, dana@client.com {language}")
    shown = visible(slack.ask("/grade", f"Acme dana@client.com {question}".strip()))
    return f"{slack.base_url}/g/{link_token(shown)}"


def press(page, grade: str) -> None:
    """Click the grade's button: its label, drawn over the radio input it checks."""
    page.locator(f'.grades label:text-is("{grade}")').click()


def test_a_client_picks_c_gives_a_reason_and_the_grade_is_stored_once(
    slack, rapport, fake, acme, browser
):
    url = link(slack)
    page = browser.new_page(viewport=PHONE)
    page.goto(url)
    assert page.locator("h1").inner_text() == QUESTION
    press(page, "C")
    page.get_by_label("Why this grade?").fill("Proposals come late.")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()

    assert "Your grade and your reason have been recorded" in page.inner_text("body")
    slack.settle()
    [stored] = all_rows(rapport, Grade)
    assert (stored.grade, stored.reason) == ("C", "Proposals come late.")
    # The owner hears the account is at risk, aiming for B-.
    [alert] = posted_to(fake, OWNER)
    assert "B-" in visible(alert) and "Acme Corp" in visible(alert)

    # Back, and sent again (a replayed POST), and a second tab: nothing more is stored.
    page.go_back()
    if page.get_by_role("button", name="Send my answer").count():
        press(page, "A+")
        page.get_by_label("Why this grade?").fill("Second try")
        page.get_by_role("button", name="Send my answer").click()
        page.wait_for_load_state()
    assert "already answered" in page.inner_text("body")
    second = browser.new_page()
    second.goto(url)
    assert "already answered" in second.inner_text("body")
    slack.settle()
    assert count(rapport, Grade) == 1
    page.close()
    second.close()


def test_the_keyboard_alone_answers(slack, rapport, acme, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(link(slack))
    page.keyboard.press("Tab")  # the first grade, A+
    assert page.evaluate("document.activeElement.value") == "A+"
    for _ in range(7):
        page.keyboard.press("ArrowRight")  # radio groups move and pick with arrows
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.value") == "C"
    # The focused grade is drawn with a visible outline.
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('label[for=' + document.activeElement.id + ']'))"
        ".outlineStyle"
    )
    assert outline == "solid"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "reason"
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    assert "have been recorded" in page.inner_text("body")
    slack.settle()
    [stored] = all_rows(rapport, Grade)
    assert (stored.grade, stored.reason) == ("C", "Typed without a mouse")
    page.close()


def test_a_blank_reason_is_refused_on_the_page(slack, rapport, acme, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(link(slack))
    press(page, "B-")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert "reason" in alert.inner_text().lower()
    assert page.get_by_label("B-", exact=True).is_checked()
    assert count(rapport, Grade) == 0
    page.close()


@pytest.mark.parametrize(
    "language, viewport, name",
    [("en", PHONE, "grade-page-en-phone.png"), ("fa", DESKTOP, "grade-page-fa-desktop.png")],
)
def test_screenshots(slack, acme, browser, language, viewport, name, database_url):
    page = browser.new_page(viewport=viewport)
    page.goto(link(slack, language, question=""))  # the account's question, in `language`
    root = page.locator("html")
    assert root.get_attribute("lang") == language
    assert root.get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
    # Nothing overflows the width: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    database = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(ARTIFACTS / name.replace(".png", f"-{database}.png")), full_page=True)
    page.close()
