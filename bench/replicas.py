"""Three `python -m bot serve` replicas on one database, digests falling due: how many posts?

Against the fake Slack (tests/support/fake_slack.py) and a fresh database:
1. A process claims channel C2's digest and is killed (SIGKILL) before posting.
2. Channel C1 subscribes to a daily digest that is due now.
3. Three real `serve` processes start with DIGEST_TICK_SECONDS=1 and run for a while:
   C1 must get exactly one digest, C2 none (its claim's lease has not run out).
4. The dead claim's lease is backdated, as if its five minutes had passed: C2 must then
   get exactly one digest, from whichever replica takes the claim over.

    .venv/bin/python bench/replicas.py                      # a fresh SQLite file
    .venv/bin/python bench/replicas.py --database-url postgresql://postgres@127.0.0.1:5432/test

Prints what it saw and exits 1 if a channel got anything but one digest.
"""

import argparse
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import update

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot.accounts import manage  # noqa: E402
from bot.runtime.settings import Settings  # noqa: E402
from storage.models import DigestPost  # noqa: E402
from support.app import migrated  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.processes import environment  # noqa: E402
from support.rows import subscription  # noqa: E402
from support.serve_processes import serve_processes  # noqa: E402
from support.shown import posted_to  # noqa: E402
from support.workspace import ALEX  # noqa: E402

TOKEN, SECRET = "xoxb-replicas", "replicas-secret"
CLAIM_AND_DIE = """
import os, signal, sys
from sqlalchemy import select
from bot.digests import delivery, schedule
from bot.runtime.context import make_rapport
from bot.runtime.settings import Settings
from storage.models import DigestSubscription
rapport = make_rapport(Settings(database_url=sys.argv[1]))
with rapport.reads.begin() as s:
    sub = s.scalars(select(DigestSubscription).where(DigestSubscription.channel_id == "C2")).one()
assert delivery._claim(rapport, sub, schedule.due_date(sub, rapport.clock.now()))
os.kill(os.getpid(), signal.SIGKILL)
"""


def subscribe(rapport, channel: str) -> None:
    """A daily digest at 00:00 UTC, subscribed yesterday: due whenever this runs."""
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    with rapport.sessions.begin() as s:
        s.add(
            subscription(
                channel_id=channel, at_time="00:00", tz="UTC", days="daily", created_at=yesterday
            )
        )


def posts(fake, channel: str) -> int:
    return len(posted_to(fake, channel))


def wait_for_post(fake, channel: str, seconds: float) -> float:
    """Seconds until `channel` got a post (bounded), then a few more ticks for duplicates."""
    start = time.monotonic()
    while posts(fake, channel) == 0 and time.monotonic() - start < seconds:
        time.sleep(0.1)
    took = time.monotonic() - start
    time.sleep(4)  # four more ticks of every replica: room for a duplicate to show up
    return took


def run(url: str) -> bool:
    rapport = migrated(Settings(database_url=url))
    manage.add(rapport, user=ALEX, name="Acme Corp")
    with FakeSlack(bot_token=TOKEN) as fake:
        subscribe(rapport, "C2")
        killed = subprocess.run([sys.executable, "-c", CLAIM_AND_DIE, url], env=environment())
        print(f"claimer for C2 ended by signal {-killed.returncode} (SIGKILL is {signal.SIGKILL})")
        subscribe(rapport, "C1")
        with serve_processes(url=url, fake=fake, secret=SECRET, tick_seconds=1, replicas=3):
            took = wait_for_post(fake, "C1", 30)
            c1, c2_before = posts(fake, "C1"), posts(fake, "C2")
            print(
                f"C1: {c1} digest(s) from 3 replicas (first after {took:.1f} s, then 4 more ticks)"
            )
            print(f"C2: {c2_before} digest(s) while the dead replica's claim holds its lease")
            with rapport.sessions.begin() as s:
                s.execute(
                    update(DigestPost)
                    .where(DigestPost.status == "claimed")
                    .values(lease_until=datetime.now(timezone.utc) - timedelta(seconds=1))
                )
            took = wait_for_post(fake, "C2", 30)
            c2 = posts(fake, "C2")
            print(
                f"C2: {c2} digest(s) once the lease ran out (after {took:.1f} s, then 4 more ticks)"
            )
    rapport.engine.dispose()
    return c1 == 1 and c2_before == 0 and c2 == 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    with scratch_database(args.database_url, prefix="bench") as database:
        print(f"database: {database.backend}")
        ok = run(database.url)
    print("PASS: one digest per channel" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
