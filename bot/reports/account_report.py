"""The account report: `/account report` (.xlsx) and `/account export` (.csv), built from
three statements and sent to the caller's DM. Facts "as of" (last contact, latest grade,
at risk) are as of the end of the period, so last quarter's report reads the same next
month."""

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.grades import scale
from bot.i18n import N_, _
from bot.mrkdwn import INVALID_DATE, showable
from bot.people import Person
from bot.reports.files import Column, Sheet, csv_bytes, xlsx
from bot.reports.periods import parse
from bot.reports.values import Report, Request, Sent
from bot.runtime.context import Rapport
from storage.queries import reports as report_queries

# A private call's notes, in the Notes column.
PRIVATE = N_("(private)")

# The columns' headers are translated when a report is built (_translated).
ACCOUNT_COLUMNS = (
    Column(N_("Account")),
    Column(N_("Owner")),
    Column(N_("ARR"), "money"),
    Column(N_("Growth target %"), "number"),
    Column(N_("Renewal"), "date"),
    Column(N_("Calls in period"), "number"),
    Column(N_("Last contact"), "datetime"),
    Column(N_("Grades in period"), "number"),
    Column(N_("Latest grade")),
    Column(N_("At risk")),
    Column(N_("Recovery target")),
)
CALL_COLUMNS = (
    Column(N_("Account")),
    Column(N_("When"), "datetime"),
    Column(N_("Logged by")),
    Column(N_("Notes")),
    Column(N_("Next step")),
    Column(N_("Follow-up"), "date"),
)
GRADE_COLUMNS = (
    Column(N_("Account")),
    Column(N_("Date"), "datetime"),
    Column(N_("Grader")),
    Column(N_("Grade")),
    Column(N_("Points"), "points"),
    Column(N_("Reason")),
)


def gather(
    rapport: Rapport,
    *,
    team_id: str,
    tz: str,
    request: Request,
    named: Callable[[str], str] = str,
) -> Report:
    """The report's three sheets, read in one transaction (three statements), titled in
    the reader's language; people shown as `named` calls them (send: their Slack names)."""
    since, until = request.period.bounds(tz)
    scope = {"team_id": team_id, "owner_id": request.owner_id, "since": since, "until": until}
    with rapport.reads.begin() as s:
        accounts = report_queries.account_rows(s, **scope)
        calls = report_queries.calls_in(s, **scope)
        grades = report_queries.grades_in(s, **scope)
    zone = ZoneInfo(tz)

    def local(value: date | None) -> date | str | None:
        """A day as it is, a moment as its wall-clock time in `tz` (a sheet's datetimes are
        naive); INVALID_DATE for one out of range."""
        if value is None:
            return None
        if not showable(value):
            return INVALID_DATE
        if isinstance(value, datetime):
            return value.astimezone(zone).replace(tzinfo=None)
        return value

    if request.owner_id is None:
        title = _("Account report, {period} (all accounts)")
    else:
        title = _("Account report, {period} (accounts of {owner})")
    private = _(PRIVATE)
    yes, no = _("yes"), _("no")
    return Report(
        title=title.format(
            period=request.period.label, owner=request.owner_id and named(request.owner_id)
        ),
        request=request,
        accounts=Sheet(
            # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
            _("Accounts"),
            _translated(ACCOUNT_COLUMNS),
            [
                (
                    a.name,
                    a.owner_id and named(a.owner_id),
                    a.arr,
                    a.growth_target_pct,
                    local(a.renewal_on),
                    a.calls_in_period,
                    local(a.last_call_at),
                    a.grades_in_period,
                    a.grade,
                    yes if a.grade and scale.at_risk(a.grade) else no,
                    a.grade and scale.recovery_target(a.grade),
                )
                for a in accounts
            ],
        ),
        calls=Sheet(
            # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
            _("Calls"),
            _translated(CALL_COLUMNS),
            [
                (
                    c.account,
                    local(c.occurred_at),
                    c.logged_by and named(c.logged_by),
                    private if c.private else c.notes,
                    c.next_step,
                    local(c.follow_up_on),
                )
                for c in calls
            ],
        ),
        grades=Sheet(
            # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
            _("Grades"),
            _translated(GRADE_COLUMNS),
            [
                (
                    g.account,
                    local(g.graded_at),
                    g.grader_id and named(g.grader_id),
                    g.grade,
                    g.points,
                    g.reason,
                )
                for g in grades
            ],
        ),
    )


def _translated(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    return tuple(Column(_(column.header), column.kind) for column in columns)


def send(rapport: Rapport, client: WebClient, *, person: Person, text: str, as_csv: bool) -> Sent:
    """Read the request, build the workbook (or the Accounts CSV) and upload it to the
    caller's DM. Bad input raises UserError before anything is uploaded."""
    request = parse(
        text,
        tz=person.tz,
        user_id=person.user_id,
        now=rapport.clock.now(),
        reading=person.reading(rapport.settings.date_languages),
    )
    report = gather(
        rapport,
        team_id=person.team_id,
        tz=person.tz,
        request=request,
        named=_names(rapport, client, team_id=person.team_id),
    )
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
        initial_comment=_("{title}. Times are in {tz}.").format(title=report.title, tz=person.tz),
    )
    return Sent(report.title, filename, channel_id, len(report.accounts.rows))


def _names(rapport: Rapport, client: WebClient, *, team_id: str) -> Callable[[str], str]:
    """Each person's Slack name (users.info, once per person and report); their id when
    Slack does not know them (a client who graded through a link) or cannot answer now."""
    known: dict[str, str] = {}

    def named(user_id: str) -> str:
        if user_id not in known:
            try:
                found = people.name(rapport, client, team_id=team_id, user_id=user_id)
            except SlackApiError:
                found = ""
            known[user_id] = found or user_id
        return known[user_id]

    return named
