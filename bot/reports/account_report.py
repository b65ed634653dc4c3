"""The account report: `/account report` (.xlsx) and `/account export` (.csv), read in
one transaction of seven statements whatever the team's size (storage/queries/reports.py)
and sent to the caller's DM. Facts "as of" (ARR, last contact, latest grade, at risk) are
as of the end of the period, so last quarter's report reads the same next month."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import people
from bot.grades import scale
from bot.i18n import _
from bot.mrkdwn import escape
from bot.people import Person
from bot.reports import figures, messages, picture, sheets
from bot.reports.files import csv_bytes, xlsx
from bot.reports.periods import parse
from bot.reports.values import Charts, Period, Report, Request, Sent, Totals
from bot.runtime.context import Rapport
from storage.queries import reports as report_queries

ARR_QUARTERS = 8
GRADE_MONTHS = 12


@contextmanager
def gather(
    rapport: Rapport,
    *,
    team_id: str,
    tz: str,
    request: Request,
    named: Callable[[str], str] = str,
) -> Iterator[Report]:
    """The report, titled in the reader's language, people shown as `named` calls them
    (send: their Slack names). Use it inside the block: the Calls and Grades sheets are
    read from the database as they are written, in the block's read transaction."""
    period = request.period
    since, until = period.bounds(tz)
    scope = {"team_id": team_id, "owner_id": request.owner_id}
    months = figures.months_to(period.last, GRADE_MONTHS)
    month_bounds = [m.bounds(tz)[0] for m in months] + [months[-1].bounds(tz)[1]]
    today = rapport.clock.now().astimezone(ZoneInfo(tz)).date()
    with rapport.reads.begin() as s:
        contacts = defaultdict(list)
        for account_id, name in report_queries.contacts(s, **scope):
            contacts[account_id].append(name)
        read = sheets.Read(
            period=period,
            tz=tz,
            as_of=min(period.last, today),
            accounts=report_queries.account_rows(s, **scope, since=since, until=until),
            contacts=contacts,
            history=figures.ArrHistory(report_queries.arr_history(s, **scope)),
            named=named,
        )
        graded = report_queries.grade_counts(s, **scope, since=since, until=until)
        by_month = report_queries.points_by_span(s, **scope, bounds=month_bounds)
        owners, total = _totals(read, graded)
        title = _title(request, named)
        quarters = sheets.renewal_quarters(read)
        accounts = sheets.accounts(read)
        yield Report(
            title=title,
            request=request,
            totals=total,
            owners=owners,
            sheets=[
                sheets.summary(title, read, owners, total),
                accounts,
                sheets.renewals(read, quarters),
                sheets.forecast(read),
                sheets.calls(
                    read, lambda: report_queries.calls_in(s, **scope, since=since, until=until)
                ),
                sheets.grades(
                    read, lambda: report_queries.grades_in(s, **scope, since=since, until=until)
                ),
            ],
            accounts=accounts,
            charts=_charts(read, quarters, graded, months, by_month),
        )


def _totals(read: sheets.Read, graded: list) -> tuple[list[tuple[str, Totals]], Totals]:
    """The totals of each owner (by name) and of all, from the accounts and the period's
    grades counted (owner_id, grade, count, points)."""
    accounts = defaultdict(list)
    for account in read.accounts:
        accounts[account.owner_id].append(read.figures(account))
    grades = defaultdict(list)
    for owner_id, _grade, count, points in graded:
        grades[owner_id].append((count, points))
    owners = [
        (read.named(owner_id), figures.totals(mine, grades[owner_id]))
        for owner_id, mine in accounts.items()
    ]
    total = figures.totals(
        [a for mine in accounts.values() for a in mine],
        [(count, points) for _owner_id, _grade, count, points in graded],
    )
    return sorted(owners, key=lambda owner: owner[0].casefold()), total


def _charts(
    read: sheets.Read,
    quarters: list[sheets.RenewalQuarter],
    graded: list,
    months: list[Period],
    by_month: dict[int, tuple[int, float]],
) -> Charts:
    """What the charts draw: ARR at the end of the eight quarters to the period's last,
    the renewal quarters' figures, the period's grades by letter, and the mean points of
    the twelve months to the period's last."""
    given = Counter()
    for _owner_id, grade, count, _points in graded:
        given[grade] += count
    averages = []
    for index, month in enumerate(months):
        count, points = by_month.get(index, (0, 0.0))
        averages.append((month.label, points / count if count else None))
    return Charts(
        arr_by_quarter=[
            (q.label, sum(read.history.on(a.id, q.last) or 0 for a in read.accounts))
            for q in figures.quarters_to(read.period.last, ARR_QUARTERS)
        ],
        renewals_by_quarter=[(q.quarter.label, q.renewing, q.signed) for q in quarters],
        grade_distribution=[(grade, given[grade]) for grade in scale.SCALE],
        average_by_month=averages,
    )


def _title(request: Request, named: Callable[[str], str]) -> str:
    if request.owner_id is None:
        title = _("Account report, {period} (all accounts)")
    else:
        title = _("Account report, {period} (accounts of {owner})")
    return title.format(
        period=request.period.label, owner=request.owner_id and named(request.owner_id)
    )


def asked(rapport: Rapport, *, person: Person, text: str) -> Request:
    """What `/account report` or `export` asks for, read in the caller's timezone and
    calendar; bad input raises UserError."""
    return parse(
        text,
        tz=person.tz,
        user_id=person.user_id,
        now=rapport.clock.now(),
        reading=person.reading(rapport.settings.date_languages),
    )


def send(
    rapport: Rapport, client: WebClient, *, person: Person, request: Request, as_csv: bool
) -> Sent:
    """Build the workbook (or the Accounts CSV) of `request` and upload it to the caller's
    DM."""
    slug = request.period.slug
    with gather(
        rapport,
        team_id=person.team_id,
        tz=person.tz,
        request=request,
        named=_names(rapport, client, team_id=person.team_id),
    ) as report:
        if as_csv:
            filename = f"rapport-accounts-{slug}.csv"
            files = [_file(csv_bytes(report.accounts), filename, report.title)]
        else:
            filename = f"rapport-report-{slug}.xlsx"
            files = [_file(xlsx(report.sheets, charts=report.charts), filename, report.title)]
    if as_csv:
        comment = _("{title}. Times are in {tz}.").format(title=escape(report.title), tz=person.tz)
    else:
        # The picture first: Slack shows it above the file, under the summary.
        files.insert(0, _file(picture.png(report), f"rapport-report-{slug}.png", report.title))
        times = _("Times are in {tz}.").format(tz=person.tz)
        comment = f"{messages.summary(report)}\n{times}"
    channel_id = client.conversations_open(users=person.user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel_id, file_uploads=files, initial_comment=comment)
    return Sent(report.title, filename, channel_id, len(report.accounts.rows))


def _file(content: bytes, filename: str, title: str) -> dict:
    """One file of an upload (files_upload_v2's file_uploads)."""
    return {"file": content, "filename": filename, "title": title}


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
