"""How fast does the app acknowledge, compared with the work it cannot avoid? And how many
SQL statements and transactions does a /logcall take?

Sends signed requests of three kinds through the real app in-process
(bot.app.create_app, with tests/support/fake_slack.py as Slack's Web API), one at a time,
from the many people of bench/workload.py (200 in one team, on ten accounts), and times
each `app.dispatch(...)` until it returns the acknowledgement. The work a listener does
after its ack is then waited for, untimed (SettlingExecutor.settle), so each ack is timed
alone:

  /logcall         `/logcall <account> <when>: <notes>`, answered in the ack itself:
                   the call is parsed and stored before it. Every person first logs one
                   call untimed, which caches their profile (users.info); the timed ones
                   all come from people whose profile is cached;
  grade button     a press on a grade prompt (block_actions), one per open grade request
                   asked through bot/grades/asking.py, each of a different person in turn;
                   acked first, then the reason modal opens;
  view submission  that reason modal submitted; acked once the reason is read, then the
                   grade is recorded.

Each is checked: every /logcall stores a call, every press opens the modal for its
request (views.open), every submission records a grade.

The unavoidable work is timed in the same run, in turn with the real requests so that
both see the same load on the machine; its figure is the sum of its parts' medians:

  every kind       a bare Bolt ack of the same request: bench/workload.py's bare app,
                   process_before_response=True, whose listener only calls ack() (for
                   /logcall with a short text). Bolt's default (False) runs the listener
                   in a thread and looks for its ack every 10 ms: that is a poll, not work;
  /logcall, also   one dateparser read of the when-phrase (bot.when.parse_moment) and
                   one call row inserted and committed, without which the confirmation
                   in the ack could not be written. Not counted, though needed too: the
                   reads of the person's timezone and of the account, and the blocks.

Goal (issue 11): /logcall's median ack <= 1.5 x its unavoidable work; and (issue 6) every
kind's p99 ack < 50 ms.

SQL (`count_sql`): the statements (SQLAlchemy's before_cursor_execute, BEGIN left out) and
transactions (its `begin` event) of one whole /logcall, its work after the ack included,
for a person's first /logcall (their profile not cached: users.info, then the call) and
for their next one (cached); "repeated" counts SELECTs sent again with the same
parameters within that /logcall (a row read twice). The worst of three people is shown.
Goal (issue 11): at most two transactions and no repeated read, for a cached person.

    .venv/bin/python bench/acks.py                      # fresh SQLite file
    .venv/bin/python bench/acks.py --requests 500 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throwaway schema that is dropped afterwards. Exits 1 if any
request or check fails; otherwise 0, whether or not the goals are met. bench/suite.py
calls `measure` more than once on one database (each run works in a team of its own)
and `count_sql` once.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import workload  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.grades import asking, scale  # noqa: E402
from bot.grades import ids as grade_ids  # noqa: E402
from bot.runtime.console import SettlingExecutor  # noqa: E402
from bot.runtime.context import Rapport  # noqa: E402
from bot.when import parse_moment  # noqa: E402
from storage.models import Call, CallSource, Grade  # noqa: E402
from support.app import migrated, settings_for  # noqa: E402
from support.databases import scratch_database  # noqa: E402
from support.fake_slack import FakeSlack  # noqa: E402
from support.forms import reason_form  # noqa: E402
from support.shown import buttons  # noqa: E402
from support.slack_requests import (  # noqa: E402
    block_actions,
    signed_headers,
    slash_command,
    view_submission,
)

SECRET = "bench-signing-secret"
WARM_UP = 50
# The calls the unavoidable work inserts, under a source of their own, so that those
# /logcall logged can be counted apart.
INSERTED = CallSource.MODAL
RATIO_GOAL, P99_GOAL_MS = 1.5, 50.0
# People who have not used the app yet, for count_sql.
NEWCOMERS = ("UN0001", "UN0002", "UN0003")


class Failed(Exception):
    """A request or check failed: the numbers would be worthless."""


def clocked(work: Callable[[int], object]) -> Callable[[int], float]:
    """work(i), made to return the seconds it took."""

    def probe(i: int) -> float:
        start = time.perf_counter()
        work(i)
        return time.perf_counter() - start

    return probe


def in_turn(n: int, probes: dict[str, Callable[[int], float]]) -> dict[str, list[float]]:
    """Seconds of each probe(i), the probes taking turns for i in range(WARM_UP + n), so
    that all see the same load; the WARM_UP first rounds are dropped."""
    times = {name: [] for name in probes}
    for i in range(WARM_UP + n):
        for name, probe in probes.items():
            times[name].append(probe(i))
    return {name: seconds[WARM_UP:] for name, seconds in times.items()}


@dataclass
class Run:
    """One measurement: the real app and a bare one, on one fake Slack, in a team of its
    own (so a database can be measured again) with workload.ACCOUNTS stored."""

    rapport: Rapport
    fake: FakeSlack
    app: App
    bare: App
    executor: SettlingExecutor
    team_id: str
    accounts: dict[str, int]

    def ack(self, app: App, what: str, body: str, expected: str) -> float:
        """Seconds until `app` acknowledged `body` with 200 and `expected` in its body;
        the listener's work after the ack is then waited for."""
        request = BoltRequest(body=body, headers=signed_headers(SECRET, body))
        start = time.perf_counter()
        response = app.dispatch(request)
        seconds = time.perf_counter() - start
        self.executor.settle()
        if response.status != 200 or expected not in response.body:
            raise Failed(f"{what} answered {response.status}: {response.body[:300]}")
        return seconds

    def acks(
        self,
        what: str,
        n: int,
        body: Callable[[int], str],
        expected: str,
        **work: Callable[[int], object],
    ) -> dict[str, list[float]]:
        """Seconds of the real ack of each body(i) ("ack"), of the bare one ("bare ack") and
        of each other `work(i)` (by its name), in turn."""
        return in_turn(
            n,
            {
                "ack": lambda i: self.ack(self.app, f"{what} #{i}", body(i), expected),
                "bare ack": lambda i: self.ack(self.bare, f"bare {what} #{i}", body(i), ""),
                **{name: clocked(w) for name, w in work.items()},
            },
        )

    def logcall(self, i: int, user: str | None = None) -> str:
        """The body of workload.logcall(i), from `user` if given."""
        sent = workload.logcall(i)
        return slash_command(
            "/logcall",
            sent.text,
            user_id=user or sent.user,
            team_id=self.team_id,
            response_url=self.fake.response_url(),
        )

    def count(self, model, *where) -> int:
        with self.rapport.reads.begin() as s:
            return s.scalar(
                select(func.count()).select_from(model).where(model.team_id == self.team_id, *where)
            )


@contextmanager
def running(database_url: str) -> Iterator[Run]:
    """The app and the bare one on a fake Slack that knows workload.USERS and NEWCOMERS,
    on the database at `database_url` (migrated), in a new team with the accounts."""
    with FakeSlack() as fake, SettlingExecutor() as executor:
        workload.add_users(fake, NEWCOMERS)
        settings = settings_for(fake, database_url, secret=SECRET)
        rapport = migrated(settings)
        try:
            team_id = f"T{uuid.uuid4().hex[:10].upper()}"
            client = WebClient(token=fake.bot_token, base_url=fake.url)
            yield Run(
                rapport,
                fake,
                create_app(settings, client=client, rapport=rapport, executor=executor),
                workload.bare_app(SECRET, fake.url, fake.bot_token),
                executor,
                team_id,
                workload.add_accounts(rapport, team_id),
            )
        finally:
            rapport.engine.dispose()


def stats(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "median_ms": statistics.median(ms),
        "p90_ms": cuts[89],
        "p99_ms": cuts[98],
        "max_ms": max(ms),
    }


def row(what: str, times: dict[str, list[float]], unavoidable: list[str]) -> dict:
    """The figures of times["ack"] against the unavoidable work: the sum of the medians
    of its parts, and the p99 of their sum in each round."""
    parts = {name: statistics.median(times[name]) * 1000 for name in unavoidable}
    figures = stats(times["ack"])
    rounds = [sum(seconds) for seconds in zip(*(times[name] for name in unavoidable), strict=True)]
    return {
        "what": what,
        **figures,
        "unavoidable_ms": sum(parts.values()),
        "parts_ms": parts,
        "unavoidable_p99_ms": stats(rounds)["p99_ms"],
        "ratio": figures["median_ms"] / sum(parts.values()),
    }


def cache_profiles(run: Run) -> int:
    """Every person logs one call, untimed: their profile is then cached. How many."""
    for i in range(len(workload.USERS)):
        run.ack(run.app, f"first /logcall #{i}", run.logcall(i), "")
    return len(workload.USERS)


def logcall_acks(run: Run, n: int) -> dict:
    """/logcall's ack against a bare ack + parse + insert, from people whose profile is
    cached."""
    first = cache_profiles(run)

    def body(i: int) -> str:
        return run.logcall(first + i)

    def parse(i: int) -> None:  # as bot/calls/logcall.py reads the when-phrase
        sent = workload.logcall(first + i)
        tz = workload.timezone(sent.user)
        parse_moment(sent.when, tz=tz, now=datetime.now(timezone.utc), languages=("en",))

    def insert(i: int) -> None:
        sent = workload.logcall(first + i)
        now = datetime.now(timezone.utc)
        with run.rapport.sessions.begin() as s:
            s.add(
                Call(
                    team_id=run.team_id,
                    account_id=run.accounts[sent.account],
                    logged_by=sent.user,
                    occurred_at=now,
                    notes=sent.text,
                    private=False,
                    source=INSERTED,
                    created_at=now,
                )
            )

    times = run.acks("/logcall", n, body, workload.ACKED, parse=parse, insert=insert)
    logged = run.count(Call, Call.source == CallSource.COMMAND)
    if logged != first + WARM_UP + n:
        raise Failed(f"{logged} calls logged by /logcall, expected {first + WARM_UP + n}")
    return row("/logcall", times, ["bare ack", "parse", "insert"])


def button(prompt: dict, label: str) -> dict:
    """The button of grade `label` on a posted grade prompt."""
    action_id = grade_ids.GRADE_BUTTON_PREFIX + label
    return next(element for element in buttons(prompt) if element["action_id"] == action_id)


def button_acks(run: Run, n: int) -> tuple[dict, list[dict]]:
    """A grade button's ack against a bare ack, one press per request asked through the
    use case, each of workload.USERS grading in turn; the row, and the reason modals the
    presses opened."""
    graders = [workload.USERS[i % len(workload.USERS)] for i in range(WARM_UP + n)]
    posted_before = len(run.fake.calls_to("chat.postMessage"))
    asked = [
        asking.ask(
            run.rapport,
            run.app.client,
            team_id=run.team_id,
            asked_by=workload.USERS[(i + 1) % len(workload.USERS)],
            # Never the grader's own account: a grade is asked of the client's side.
            account_id=list(run.accounts.values())[(i + 1) % len(run.accounts)],
            grader_id=grader,
            question=None,
        )
        for i, grader in enumerate(graders)
    ]
    prompts = [call.args for call in run.fake.calls_to("chat.postMessage")[posted_before:]]
    if [prompt["channel"] for prompt in prompts] != graders:
        raise Failed(f"{len(prompts)} grade prompts posted for {len(graders)} requests")

    def body(i: int) -> str:
        request, prompt = asked[i], prompts[i]
        pressed = button(prompt, scale.SCALE[i % len(scale.SCALE)])
        message = {
            "type": "message",
            "ts": request.message_ts,
            "text": prompt["text"],
            "blocks": prompt["blocks"],
        }
        return block_actions(
            action_id=pressed["action_id"],
            value=pressed["value"],
            user_id=graders[i],
            team_id=run.team_id,
            channel_id=request.channel_id,
            message=message,
        )

    opened_before = len(run.fake.calls_to("views.open"))
    times = run.acks("grade button", n, body, "")
    views = [call.args["view"] for call in run.fake.calls_to("views.open")[opened_before:]]
    for_requests = [json.loads(view["private_metadata"])["request_id"] for view in views]
    if for_requests != [request.id for request in asked]:
        raise Failed(f"{len(views)} reason modals opened for {WARM_UP + n} presses, not one each")
    return row("grade button", times, ["bare ack"]), views


def submission_acks(run: Run, n: int, views: list[dict]) -> dict:
    """The reason modal's submission against a bare ack; each must record a grade."""

    def body(i: int) -> str:
        return view_submission(
            callback_id=views[i]["callback_id"],
            values=reason_form(f"proposals come late #{i}"),
            user_id=workload.USERS[i % len(workload.USERS)],
            team_id=run.team_id,
            private_metadata=views[i]["private_metadata"],
        )

    times = run.acks("view submission", n, body, "")
    recorded = run.count(Grade)
    if recorded != WARM_UP + n:
        raise Failed(f"{recorded} grades recorded for {WARM_UP + n} submissions")
    return row("view submission", times, ["bare ack"])


def measure(database_url: str, requests: int) -> list[dict]:
    """One row per kind of request (`what`): its ack in ms (median_ms, p90_ms, p99_ms,
    max_ms) against its unavoidable work (unavoidable_ms, the sum of its parts' medians,
    parts_ms; unavoidable_p99_ms) and `ratio`. `requests` are timed of
    each kind, after WARM_UP.

    Migrates the database at `database_url` and writes to it (tests/support/databases.py
    makes a throwaway one). Raises Failed if any request or check fails.
    """
    with running(database_url) as run:
        logcall = logcall_acks(run, requests)
        button, views = button_acks(run, requests)
        return [logcall, button, submission_acks(run, requests, views)]


@contextmanager
def sql_counted(engine) -> Iterator[Counter]:
    """Counts of what goes through `engine` inside the block: "transactions", "statements"
    (BEGIN left out), each kind of statement by its first word ("select", "insert", ...),
    and "repeated": SELECTs sent again with the same parameters."""
    counts, selects = Counter(transactions=0, statements=0, select=0, repeated=0), set()

    def begun(connection) -> None:
        counts["transactions"] += 1

    def sent(connection, cursor, statement, parameters, context, executemany) -> None:
        kind = statement.split(None, 1)[0].lower()
        if kind == "begin":
            return
        counts["statements"] += 1
        counts[kind] += 1
        if kind == "select":
            read = (statement, repr(parameters))
            counts["repeated"] += read in selects
            selects.add(read)

    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", sent)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", sent)
        event.remove(engine, "begin", begun)


def count_sql(database_url: str) -> dict[str, dict]:
    """What one whole /logcall sends the database (see the module docstring): {"first":
    counts, "cached": counts}, each count the worst of the NEWCOMERS'."""
    found = {"first": Counter(), "cached": Counter()}
    with running(database_url) as run:
        for i, user in enumerate(NEWCOMERS):
            for case, worst in found.items():
                with sql_counted(run.rapport.engine) as counts:
                    run.ack(run.app, f"{case} /logcall of {user}", run.logcall(i, user), "")
                for key, n in counts.items():
                    worst[key] = max(worst[key], n)
        if run.count(Call) != 2 * len(NEWCOMERS):
            raise Failed(f"{run.count(Call)} calls stored for {2 * len(NEWCOMERS)} /logcalls")
    return {case: dict(counts) for case, counts in found.items()}


def sql_summary(counts: dict) -> str:
    """ "5 txn, 6 select + 1 insert, 1 repeated": transactions, statements by kind, and
    SELECTs repeated."""
    kinds = " + ".join(
        f"{n} {kind}"
        for kind, n in sorted(counts.items(), key=lambda item: -item[1])
        if kind not in ("transactions", "statements", "repeated") and n
    )
    return f"{counts['transactions']} txn, {kinds}, {counts['repeated']} repeated"


def parts(row: dict, *, named: bool = True) -> str:
    """The unavoidable work's parts: "bare ack 0.11 + parse 0.79 + insert 0.72", or
    without their names "0.11 + 0.79 + 0.72"."""
    return " + ".join(
        f"{name} {ms:.2f}" if named else f"{ms:.2f}" for name, ms in row["parts_ms"].items()
    )


FIGURES = ("median_ms", "p90_ms", "p99_ms", "max_ms", "unavoidable_ms", "unavoidable_p99_ms")


def report(n: int, backend: str, rows: list[dict], sql: dict) -> None:
    print(
        f"machine:  {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"database: {backend}")
    print(
        f"requests: {n} timed of each kind, one at a time, after {WARM_UP} warm-up, from "
        f"{len(workload.USERS)} people; all acknowledged and checked\n"
    )
    print(f"{'':<18}{'ack':^32}{'unavoidable':^16}")
    print(
        f"{'ms':<18}{'median':>8}{'p90':>8}{'p99':>8}{'max':>8}{'median':>8}{'p99':>8}"
        f"{'ratio':>7}  unavoidable work: medians"
    )
    for r in rows:
        print(
            f"{r['what']:<18}"
            + "".join(f"{r[k]:8.2f}" for k in FIGURES)
            + f"{r['ratio']:7.2f}  {parts(r)}"
        )
    print(f"\nSQL of a person's first /logcall: {sql_summary(sql['first'])}")
    print(f"SQL of a cached person's /logcall: {sql_summary(sql['cached'])}\n")
    logcall = rows[0]
    print(
        f"/logcall median <= {RATIO_GOAL:g} x unavoidable: "
        f"{'PASS' if logcall['ratio'] <= RATIO_GOAL else 'FAIL'} ({logcall['ratio']:.2f})"
    )
    for r in rows:
        p99 = "PASS" if r["p99_ms"] < P99_GOAL_MS else "FAIL"
        print(f"{r['what']:<17} p99 < {P99_GOAL_MS:g} ms: {p99} ({r['p99_ms']:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="timed requests of each kind")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    try:
        with scratch_database(args.database_url, prefix="bench") as database:
            rows = measure(database.url, args.requests)
            sql = count_sql(database.url)
    except Failed as failure:
        print(f"FAILED: {failure}")
        return 1
    report(args.requests, database.backend, rows, sql)
    return 0


if __name__ == "__main__":
    sys.exit(main())
