"""Phrases saying when, in Persian, Arabic, Vietnamese and English, read as their writers
mean them (issue 13): ../shared/lang/corpus.json and our own tests/unit/when_phrases.json,
each phrase read as /logcall reads it (its profile's timezone, its language and then
English, at the moment of typing). At least 95% are read right in each language, and
none is stored at a wrong moment: what is not read right is refused."""

import json
from collections import Counter
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.when import parse_moment

HERE = Path(__file__).resolve().parent
SHARED_CORPUS = HERE.parents[2] / "shared" / "lang" / "corpus.json"
OWN_PHRASES = HERE / "when_phrases.json"
LANGUAGES = ("fa", "ar", "vi", "en")
GOAL = 0.95


def outcome(entry: dict, corpus: dict) -> tuple[str, str]:
    """("right" | "refused" | "wrong", what was read) for one phrase of `corpus`."""
    profile = corpus["profiles"][entry["profile"]]
    zone = ZoneInfo(profile["tz"])
    now = datetime.fromisoformat(corpus["base_local"]).replace(tzinfo=zone)
    languages = tuple(dict.fromkeys((entry["lang"], "en")))
    try:
        moment = parse_moment(entry["phrase"], tz=profile["tz"], now=now, languages=languages)
    except UserError:
        read = None
    else:
        read = moment.astimezone(zone).replace(tzinfo=None)
    expectations = [entry["expect"], *entry["expect"].get("also", [])]
    if any(_meets(read, expected) for expected in expectations):
        return "right", str(read)
    return ("refused" if read is None else "wrong"), str(read)


def _meets(read: datetime | None, expected: dict) -> bool:
    if expected["kind"] == "refuse":
        return read is None
    if read is None:
        return False
    if expected["kind"] == "exact":
        return read == datetime.fromisoformat(expected["local"])
    start, end = expected.get("between", ("00:00", "23:59"))
    in_window = time.fromisoformat(start) <= read.time() <= time.fromisoformat(end)
    return read.date().isoformat() == expected["date"] and in_window


def report(name: str, corpus: dict) -> tuple[dict, list[str]]:
    """Each language's share read right, and the phrases read at a wrong moment; the
    rates and every phrase not read right are printed (pytest -s shows them)."""
    counts: dict[str, Counter] = {language: Counter() for language in LANGUAGES}
    wrong = []
    for entry in corpus["phrases"]:
        result, read = outcome(entry, corpus)
        counts[entry["lang"]][result] += 1
        if result != "right":
            print(f"  {result:7} {entry['id']} {entry['phrase']!r} read as {read}")
        if result == "wrong":
            wrong.append(f"{entry['id']} {entry['phrase']!r}: {read}, expected {entry['expect']}")
    rates = {language: c["right"] / sum(c.values()) for language, c in counts.items() if c}
    shown = ", ".join(f"{language} {rate:.0%}" for language, rate in rates.items())
    print(f"{name}: right {shown}; silently wrong {len(wrong)}")
    return rates, wrong


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["shared corpus", "own phrases"])
def test_phrases_are_read_right_or_refused(name):
    if name == "shared corpus" and not SHARED_CORPUS.exists():
        pytest.skip(f"{SHARED_CORPUS} is absent (../shared is beside the repository in CI)")
    rates, wrong = report(name, _load(SHARED_CORPUS if name == "shared corpus" else OWN_PHRASES))
    assert not wrong, "stored at a wrong moment:\n" + "\n".join(wrong)
    assert all(rates[language] >= GOAL for language in LANGUAGES), rates
