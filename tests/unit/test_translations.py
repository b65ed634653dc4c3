"""The catalogs (bot/locales): current with the code, complete in every language, and each
translation keeping its message's placeholders, mrkdwn code and Slack's limits."""

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from bot import i18n
from support import ROOT

LOCALES = ROOT / "bot" / "locales"
PLACEHOLDER = re.compile(r"\{\w*\}")
CODE = re.compile(r"`[^`]+`")


def catalog(path):
    with open(path, "rb") as file:
        return read_po(file)


def test_the_template_holds_every_message_of_the_code(tmp_path):
    """`make messages` was run after the code last changed."""
    extracted = tmp_path / "rapport.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
        + ["-k", "N_", "-o", str(extracted), "."],
        cwd=ROOT,
        check=True,
    )
    assert {m.id for m in catalog(extracted) if m.id} == {
        m.id for m in catalog(LOCALES / "rapport.pot") if m.id
    }


@pytest.mark.parametrize("language", sorted(set(i18n.LANGUAGES) - {"en"}))
def test_every_message_is_translated_and_keeps_its_placeholders(language):
    template = {m.id for m in catalog(LOCALES / "rapport.pot") if m.id}
    translated = catalog(LOCALES / language / "LC_MESSAGES" / "rapport.po")
    messages = {m.id: m for m in translated if m.id}
    assert set(messages) == template, "run `make messages`, then translate what is new"
    problems = []
    for message in messages.values():
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", english[0]))
            continue
        wanted = set(PLACEHOLDER.findall(english[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted or (
                len(strings) == 1 and set(PLACEHOLDER.findall(string)) != wanted
            ):
                problems.append(("placeholders differ", english[0], string))
            if sorted(CODE.findall(string)) != sorted(CODE.findall(english[-1])):
                problems.append(("code spans differ", english[0], string))
    assert problems == []
