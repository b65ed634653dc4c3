"""The report's sheets, in the workbook's order: Summary, Accounts, Renewals, Forecast,
Calls and Grades, built from what bot/reports/account_report.py read; headers, names
and labels in the reader's language, people by name."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from bot.grades import scale
from bot.i18n import N_, _
from bot.mrkdwn import INVALID_DATE, showable
from bot.reports import figures
from bot.reports.figures import AccountFigures, ArrHistory
from bot.reports.files import Column, Sheet, Total
from bot.reports.periods import days_period
from bot.reports.values import Period, Totals
from storage.models import PlanStatus

# A private call's notes, in the Notes column.
PRIVATE = N_("(private)")
PLAN_STATUSES = {
    PlanStatus.PROPOSED: N_("proposed"),
    PlanStatus.PLANNED: N_("planned"),
    PlanStatus.DISMISSED: N_("dismissed"),
    PlanStatus.MET: N_("met"),
    PlanStatus.OVERDUE: N_("overdue"),
}
RENEWAL_QUARTERS = 4

# The columns' headers are translated when a report is built (_translated).
SUMMARY_COLUMNS = (
    Column(N_("Owner")),
    Column(N_("Accounts"), "number"),
    Column(N_("ARR"), "money"),
    Column(N_("ARR at risk"), "money"),
    Column(N_("Renewals due"), "number"),
    Column(N_("Renewals ARR"), "money"),
    Column(N_("Calls"), "number"),
    Column(N_("Grades"), "number"),
    Column(N_("Average points"), "points"),
    Column(N_("Average grade")),
)
ACCOUNT_COLUMNS = (
    Column(N_("Account")),
    Column(N_("Owner")),
    Column(N_("ARR at start"), "money"),
    Column(N_("ARR at end"), "money"),
    Column(N_("Growth %"), "number"),
    Column(N_("Growth target % (annual)"), "number"),
    Column(N_("Target for period %"), "number"),
    Column(N_("On track")),
    Column(N_("Renewal"), "date"),
    Column(N_("Contacts")),
    Column(N_("Competitors")),
    Column(N_("Calls in period"), "number"),
    Column(N_("Last contact"), "datetime"),
    Column(N_("Days since last contact"), "number"),
    Column(N_("Grades in period"), "number"),
    Column(N_("Latest grade")),
    Column(N_("At risk")),
    Column(N_("Recovery target")),
    Column(N_("Plan status")),
)
RENEWAL_COLUMNS = (
    Column(N_("Quarter")),
    Column(N_("Account")),
    Column(N_("Owner")),
    Column(N_("Renewal"), "date"),
    Column(N_("ARR"), "money"),
    Column(N_("Latest grade")),
    Column(N_("At risk")),
    Column(N_("New accounts ARR"), "money"),
    Column(N_("Difference"), "money"),
)
FORECAST_COLUMNS = (
    Column(N_("Account")),
    Column(N_("Owner")),
    Column(N_("ARR now"), "money"),
    Column(N_("Growth target %"), "number"),
    Column(N_("Next year at target"), "money"),
    Column(N_("Growth last 12 months %"), "number"),
    Column(N_("Next year at current growth"), "money"),
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


@dataclass(frozen=True)
class Read:
    """What a report read of its accounts (storage/queries/reports.py), and how to show it."""

    period: Period
    tz: str
    as_of: date  # the period's last day or today, whichever is earlier
    accounts: list[Row]  # account_rows
    contacts: dict[int, list[str]]  # active contacts' names, by account id
    history: ArrHistory
    named: Callable[[str], str]

    def arr_at_end(self, account: Row) -> int | None:
        return self.history.on(account.id, self.period.last)

    def figures(self, account: Row) -> AccountFigures:
        return AccountFigures(
            owner_id=account.owner_id,
            arr=self.arr_at_end(account),
            at_risk=_at_risk(account),
            renewal_due=account.renewal_on is not None
            and self.period.first <= account.renewal_on <= self.period.last,
            calls=account.calls_in_period,
        )

    def local(self, value: date | None) -> date | str | None:
        """A day as it is, a moment as its wall-clock time in `tz` (a sheet's datetimes
        are naive); INVALID_DATE for one out of range."""
        if value is None:
            return None
        if not showable(value):
            return INVALID_DATE
        if isinstance(value, datetime):
            return value.astimezone(ZoneInfo(self.tz)).replace(tzinfo=None)
        return value


def summary(title: str, read: Read, owners: list[tuple[str, Totals]], total: Totals) -> Sheet:
    """The totals per owner, by name, then of all; under the title, the period's days."""
    days = days_period(read.period.first, read.period.last).label
    # A sentence's first letter: "từ 1 thg 7 …" starts the line in Vietnamese.
    when = _("{days}. Times are in {tz}.").format(days=days, tz=read.tz)
    return Sheet(
        # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
        _("Summary"),
        _translated(SUMMARY_COLUMNS),
        [
            *(_totals_row(name, totals) for name, totals in owners),
            Total(_totals_row(_("Total"), total)),
        ],
        heading=(title, when[:1].upper() + when[1:]),
    )


def _totals_row(name: str, totals: Totals) -> tuple:
    return (
        name,
        totals.accounts,
        totals.arr,
        totals.arr_at_risk,
        totals.renewals_due,
        totals.renewals_arr,
        totals.calls,
        totals.grades,
        totals.average_points,
        None if totals.average_points is None else scale.nearest(totals.average_points),
    )


def accounts(read: Read) -> Sheet:
    """One row per account: growth against the target pro-rated to the period, contacts,
    competitors, contact and grades, risk and recovery."""
    yes, no = _("yes"), _("no")
    shown_on_track = {True: _("on track"), False: _("behind"), None: None}
    rows = []
    for a in read.accounts:
        start = read.history.on(a.id, read.period.first)
        end = read.arr_at_end(a)
        growth = figures.growth_pct(start, end)
        target = figures.target_for(a.growth_target_pct, read.period)
        last_contact = read.local(a.last_call_at)
        rows.append(
            (
                a.name,
                read.named(a.owner_id),
                start,
                end,
                _rounded(growth),
                a.growth_target_pct,
                _rounded(target),
                shown_on_track[figures.on_track(growth, target)],
                read.local(a.renewal_on),
                "; ".join(read.contacts.get(a.id, ())) or None,
                a.competitors,
                a.calls_in_period,
                last_contact,
                (read.as_of - last_contact.date()).days
                if isinstance(last_contact, datetime)
                else None,
                a.grades_in_period,
                a.grade,
                yes if _at_risk(a) else no,
                a.grade and scale.recovery_target(a.grade),
                a.plan_status and _(PLAN_STATUSES[a.plan_status]),
            )
        )
    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    return Sheet(_("Accounts"), _translated(ACCOUNT_COLUMNS), rows)


@dataclass(frozen=True)
class RenewalQuarter:
    quarter: Period
    accounts: list[Row]  # renewing in it, by day then name
    renewing: int  # their ARR at the period's end
    signed: int  # the ARR of the accounts whose first ARR took effect in it, at that value


def renewal_quarters(read: Read) -> list[RenewalQuarter]:
    """The four quarters starting with the period's last one."""
    found = []
    firsts = {a.id: read.history.first(a.id) for a in read.accounts}
    for quarter in figures.quarters_from(read.period.last, RENEWAL_QUARTERS):
        renewing = sorted(
            (
                a
                for a in read.accounts
                if a.renewal_on is not None and quarter.first <= a.renewal_on <= quarter.last
            ),
            key=lambda a: a.renewal_on,
        )
        signed = sum(
            first[1]
            for first in firsts.values()
            if first is not None and quarter.first <= first[0] <= quarter.last
        )
        arr = sum(read.arr_at_end(a) or 0 for a in renewing)
        found.append(RenewalQuarter(quarter, renewing, arr, signed))
    return found


def renewals(read: Read, quarters: list[RenewalQuarter]) -> Sheet:
    """`renewal_quarters` as one table: each quarter's renewing accounts, then its total:
    the ARR renewing, the new accounts' ARR and the difference."""
    yes, no = _("yes"), _("no")
    rows = []
    for q in quarters:
        label = q.quarter.label
        rows.extend(
            (
                label,
                a.name,
                read.named(a.owner_id),
                read.local(a.renewal_on),
                read.arr_at_end(a),
                a.grade,
                yes if _at_risk(a) else no,
                None,
                None,
            )
            for a in q.accounts
        )
        difference = q.signed - q.renewing
        rows.append(
            Total((label, _("Total"), None, None, q.renewing, None, None, q.signed, difference))
        )
    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    return Sheet(_("Renewals"), _translated(RENEWAL_COLUMNS), rows)


def forecast(read: Read) -> Sheet:
    """Next year's ARR per account, from the ARR at the period's end or today (whichever
    is earlier): at its growth target, and at its growth of the last twelve months (kept
    flat when either is unknown); then the totals, with the growth they amount to."""
    rows = []
    now_total = at_target_total = at_growth_total = 0
    for a in read.accounts:
        now = read.history.on(a.id, read.as_of)
        growth = figures.growth_over_year(read.history, a.id, read.as_of)
        at_target = figures.next_year(now, a.growth_target_pct)
        at_growth = figures.next_year(now, growth)
        rows.append(
            (
                a.name,
                read.named(a.owner_id),
                now,
                a.growth_target_pct,
                at_target,
                _rounded(growth),
                at_growth,
            )
        )
        now_total += now or 0
        at_target_total += at_target or 0
        at_growth_total += at_growth or 0
    rows.append(
        Total(
            (
                _("Total"),
                None,
                now_total,
                _rounded(figures.growth_pct(now_total, at_target_total)),
                at_target_total,
                _rounded(figures.growth_pct(now_total, at_growth_total)),
                at_growth_total,
            )
        )
    )
    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    return Sheet(_("Forecast"), _translated(FORECAST_COLUMNS), rows)


def calls(read: Read, rows: Callable[[], Iterable[Row]]) -> Sheet:
    """The period's calls, oldest first: `rows()` is read once, when the sheet is written
    (inside the report's transaction), so the calls are never all in memory at once."""
    private = _(PRIVATE)

    def shown() -> Iterator[tuple]:
        local, named = read.local, read.named
        for account, occurred_at, logged_by, hidden, notes, next_step, follow_up_on in rows():
            yield (
                account,
                local(occurred_at),
                logged_by and named(logged_by),
                private if hidden else notes,
                next_step,
                local(follow_up_on),
            )

    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    return Sheet(_("Calls"), _translated(CALL_COLUMNS), shown())


def grades(read: Read, rows: Callable[[], Iterable[Row]]) -> Sheet:
    """The period's grades, oldest first, read as `calls` reads its rows."""

    def shown() -> Iterator[tuple]:
        local, named = read.local, read.named
        for account, graded_at, grader_id, grade, points, reason in rows():
            yield (account, local(graded_at), grader_id and named(grader_id), grade, points, reason)

    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    return Sheet(_("Grades"), _translated(GRADE_COLUMNS), shown())


def _at_risk(account: Row) -> bool:
    return bool(account.grade) and scale.at_risk(account.grade)


def _rounded(pct: float | None) -> float | None:
    return None if pct is None else round(pct, 1)


def _translated(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    return tuple(Column(_(column.header), column.kind) for column in columns)
