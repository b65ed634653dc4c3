"""How long does reading one "when" phrase take?

Reads every phrase of ../shared/lang/corpus.json (beside the repository) through
bot.when.parse_moment, as /logcall does: in its profile's timezone, with its profile's
language first and then English, at the corpus's moment of typing. Refusals count: they
are reads too. Each phrase is read once untimed (dateparser loads its data on a first
read), then `--rounds` times; prints the median and p99 of one read and the median's
ratio to BASELINE_MS, the median of the reader before issue 13 (commit 7e94189, measured
here on a 2-core machine; the issue quotes 0.6 ms, measured elsewhere). bench/suite.py
runs it too.

Goal (issue 13): median at most 2 x the baseline.
"""

import argparse
import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.when import parse_moment

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "lang" / "corpus.json"
BASELINE_MS = 0.29


def reads(corpus: dict) -> list[tuple[str, dict]]:
    """Each phrase with the keyword arguments /logcall would read it with."""
    base = datetime.fromisoformat(corpus["base_local"])
    found = []
    for entry in corpus["phrases"]:
        profile = corpus["profiles"][entry["profile"]]
        now = base.replace(tzinfo=ZoneInfo(profile["tz"]))
        languages = tuple(dict.fromkeys((entry["lang"], "en")))
        found.append((entry["phrase"], {"tz": profile["tz"], "now": now, "languages": languages}))
    return found


def read_once(phrase: str, kwargs: dict) -> float:
    start = time.perf_counter()
    try:
        parse_moment(phrase, **kwargs)
    except UserError:
        pass
    return time.perf_counter() - start


def measure(rounds: int) -> dict | None:
    """The median and p99 ms of one read, over `rounds` reads of the corpus; None when
    the corpus is not beside the repository."""
    if not CORPUS.exists():
        return None
    phrases = reads(json.loads(CORPUS.read_text(encoding="utf-8")))
    for phrase, kwargs in phrases:
        read_once(phrase, kwargs)
    times = sorted(
        read_once(phrase, kwargs) * 1000 for _ in range(rounds) for phrase, kwargs in phrases
    )
    return {
        "phrases": len(phrases),
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    found = measure(args.rounds)
    if found is None:
        raise SystemExit(f"no corpus at {CORPUS}")
    median = found["median_ms"]
    print(f"{found['phrases']} phrases x {args.rounds} rounds")
    print(f"median {median:.2f} ms, p99 {found['p99_ms']:.2f} ms per phrase")
    print(f"median / baseline ({BASELINE_MS} ms): {median / BASELINE_MS:.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
