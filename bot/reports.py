"""Account reports: `/account report` (.xlsx) and `/account export` (.csv), sent to the caller's DM.

Grammar, after the verb: `[period] [scope]`.
  period: `this quarter` (the default), `last quarter`, `last N days`, or `<day> to <day>`
          (each day as bot.when.parse_day reads it: "Oct 1", "2026-10-01", "yesterday").
          Quarters are calendar quarters in the caller's timezone; days are whole days there.
  scope:  `all` (the default), `mine`, or `@owner`.
Facts "as of" (last contact, latest grade, at risk) are as of the end of the period, so
last quarter's report reads the same next month.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot import grading
from bot.accounts import USER_MENTION
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.people import Person
from bot.report_files import Column, Sheet, csv_bytes, xlsx
from bot.services import Rapport
from bot.when import parse_day
from storage import report_queries

EXAMPLES = (
    "Try `/account report last quarter`, `/account report Oct 1 to Nov 15 mine` "
    "or `/account report last 30 days @alex`."
)
LAST_DAYS = re.compile(r"^last\s+(\d{1,4})\s+days?$", re.IGNORECASE)
DAY_RANGE = re.compile(r"^(?:from\s+)?(.+?)\s+(?:to|until|through)\s+(.+)$", re.IGNORECASE)
YEAR = re.compile(r"\b\d{4}\b")
PRIVATE = "(private)"

ACCOUNT_COLUMNS = (
    Column("Account"),
    Column("Owner"),
    Column("ARR", "money"),
    Column("Growth target %", "number"),
    Column("Renewal", "date"),
    Column("Calls in period", "number"),
    Column("Last contact", "datetime"),
    Column("Grades in period", "number"),
    Column("Latest grade"),
    Column("At risk"),
    Column("Recovery target"),
)
CALL_COLUMNS = (
    Column("Account"),
    Column("When", "datetime"),
    Column("Logged by"),
    Column("Notes"),
    Column("Next step"),
    Column("Follow-up", "date"),
)
GRADE_COLUMNS = (
    Column("Account"),
    Column("Date", "datetime"),
    Column("Grader"),
    Column("Grade"),
    Column("Points", "points"),
    Column("Reason"),
)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included
    label: str  # "Q3 2026", "1 Oct 2026 to 15 Nov 2026"
    slug: str  # for file names: "2026-Q3", "2026-10-01-to-2026-11-15"

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[since, until) in UTC: from the first day's midnight to the one after the last, in `tz`."""
        zone = ZoneInfo(tz)
        since = datetime.combine(self.first, time(), zone)
        until = datetime.combine(self.last + timedelta(days=1), time(), zone)
        return since.astimezone(timezone.utc), until.astimezone(timezone.utc)


@dataclass(frozen=True)
class Request:
    period: Period
    owner_id: str | None  # None: all accounts


@dataclass(frozen=True)
class Report:
    title: str
    request: Request
    accounts: Sheet
    calls: Sheet
    grades: Sheet


@dataclass(frozen=True)
class Sent:
    title: str
    filename: str
    channel_id: str
    accounts: int


def parse(text: str, *, tz: str, user_id: str, now: datetime, languages=("en",)) -> Request:
    """`[period] [all|mine|@owner]` read in `tz`, or UserError with an example."""
    words = text.split()
    owner_id = None
    if words and words[-1].lower() in ("all", "mine"):
        owner_id = user_id if words.pop().lower() == "mine" else None
    elif words and (mention := USER_MENTION.match(words[-1])):
        owner_id = mention.group(1)
        words.pop()
    elif words and words[-1].startswith("@"):
        raise UserError(f"Mention the owner so Slack links it: “{escape(words[-1])}”. {EXAMPLES}")
    return Request(_period(" ".join(words), tz=tz, now=now, languages=languages), owner_id)


def _period(text: str, *, tz: str, now: datetime, languages) -> Period:
    today = now.astimezone(ZoneInfo(tz)).date()
    phrase = text.strip().lower()
    if phrase in ("", "this quarter"):
        return quarter(today)
    if phrase == "last quarter":
        return quarter(quarter(today).first - timedelta(days=1))
    if found := LAST_DAYS.match(phrase):
        days = int(found.group(1))
        if days < 1:
            raise UserError(f"Ask for at least one day. {EXAMPLES}")
        return days_period(today - timedelta(days=days - 1), today)
    if found := DAY_RANGE.match(text.strip()):
        first = _recent(_day(found.group(1), tz, now, languages), found.group(1), today)
        last = _day(found.group(2), tz, now, languages)
        # "Nov 1 to Jan 31" ends in the coming January; "Oct 1 to Nov 15" this November.
        if (recent := _recent(last, found.group(2), today)) >= first:
            last = recent
        if last < first:
            raise UserError(
                f"“{escape(text.strip())}” ends before it starts ({first:%-d %b %Y}). {EXAMPLES}"
            )
        return days_period(first, last)
    raise UserError(f"I couldn't read “{escape(text.strip())}” as a period. {EXAMPLES}")


def quarter(day: date) -> Period:
    """The calendar quarter that contains `day`."""
    number = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * number - 2, 1)
    after = date(day.year + 1, 1, 1) if number == 4 else date(day.year, 3 * number + 1, 1)
    return Period(
        first, after - timedelta(days=1), f"Q{number} {day.year}", f"{day.year}-Q{number}"
    )


def days_period(first: date, last: date) -> Period:
    return Period(
        first,
        last,
        f"{first:%-d %b %Y} to {last:%-d %b %Y}",
        f"{first:%Y-%m-%d}-to-{last:%Y-%m-%d}",
    )


def _day(phrase: str, tz: str, now: datetime, languages) -> date:
    try:
        return parse_day(phrase, tz=tz, now=now, languages=languages)
    except UserError:
        raise UserError(
            f"I couldn't read “{escape(phrase.strip())}” as a date. {EXAMPLES}"
        ) from None


def _recent(day: date, phrase: str, today: date) -> date:
    """Reports look back: parse_day reads "Oct 1" as the next Oct 1; without a written
    year, a day after today means the year before."""
    if day <= today or YEAR.search(phrase):
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def gather(rapport: Rapport, *, team_id: str, tz: str, request: Request) -> Report:
    """The report's three sheets, read in one transaction (three statements)."""
    since, until = request.period.bounds(tz)
    scope = {"team_id": team_id, "owner_id": request.owner_id, "since": since, "until": until}
    with rapport.reads.begin() as s:
        accounts = report_queries.account_rows(s, **scope)
        calls = report_queries.calls_in(s, **scope)
        grades = report_queries.grades_in(s, **scope)
    zone = ZoneInfo(tz)

    def local(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(zone).replace(tzinfo=None)

    whose = "all accounts" if request.owner_id is None else f"accounts of {request.owner_id}"
    return Report(
        title=f"Account report, {request.period.label} ({whose})",
        request=request,
        accounts=Sheet(
            "Accounts",
            ACCOUNT_COLUMNS,
            [
                (
                    a.name,
                    a.owner_id,
                    a.arr,
                    a.growth_target_pct,
                    a.renewal_on,
                    a.calls_in_period,
                    local(a.last_call_at),
                    a.grades_in_period,
                    a.grade,
                    "yes" if a.grade and grading.at_risk(a.grade) else "no",
                    a.grade and grading.recovery_target(a.grade),
                )
                for a in accounts
            ],
        ),
        calls=Sheet(
            "Calls",
            CALL_COLUMNS,
            [
                (
                    c.account,
                    local(c.occurred_at),
                    c.logged_by,
                    PRIVATE if c.private else c.notes,
                    c.next_step,
                    c.follow_up_on,
                )
                for c in calls
            ],
        ),
        grades=Sheet(
            "Grades",
            GRADE_COLUMNS,
            [
                (g.account, local(g.graded_at), g.grader_id, g.grade, g.points, g.reason)
                for g in grades
            ],
        ),
    )


def send(rapport: Rapport, client: WebClient, *, person: Person, text: str, as_csv: bool) -> Sent:
    """Read the request, build the workbook (or the Accounts CSV) and upload it to the
    caller's DM. Bad input raises UserError before anything is uploaded."""
    request = parse(
        text,
        tz=person.tz,
        user_id=person.user_id,
        now=rapport.clock.now(),
        languages=person.languages(rapport.settings.date_languages),
    )
    report = gather(rapport, team_id=person.team_id, tz=person.tz, request=request)
    slug = request.period.slug
    if as_csv:
        content, filename = csv_bytes(report.accounts), f"rapport-accounts-{slug}.csv"
    else:
        sheets = [report.accounts, report.calls, report.grades]
        content, filename = xlsx(sheets), f"rapport-report-{slug}.xlsx"
    channel_id = client.conversations_open(users=person.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel_id,
        file=content,
        filename=filename,
        title=report.title,
        initial_comment=f"{report.title}. Times are in {person.tz}.",
    )
    return Sent(report.title, filename, channel_id, len(report.accounts.rows))
