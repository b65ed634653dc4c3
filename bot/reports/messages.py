"""The reply once a report is sent, and the summary posted with its file."""

from bot.blocks import text_message
from bot.grades import scale
from bot.i18n import _, isolate, ngettext, number
from bot.mrkdwn import escape, escape_clipped
from bot.reports.values import Report, Request, Sent

# The title names an owner as Slack does (80 characters at most); a summary stays a few
# hundred characters, far within what Slack shows of a file's comment.
TITLE_MAX = 300


def building(request: Request) -> dict:
    """Said while a report is built (a large team's takes a while)."""
    # Translators: {period} is a report's period, such as "Q3 2026" or "October 2026".
    text = _("Building your report of {period}…")
    return text_message(text.format(period=isolate(escape(request.period.label))))


def sent(report: Sent, channel_id: str) -> dict:
    """Where the file went (here, when asked in the DM itself) and what it holds."""
    if report.channel_id == channel_id:
        text = ngettext(
            "Sent `{filename}` here: {title}, {n} account.",
            "Sent `{filename}` here: {title}, {n} accounts.",
            report.accounts,
        )
    else:
        text = ngettext(
            "Sent `{filename}` to our direct messages: {title}, {n} account.",
            "Sent `{filename}` to our direct messages: {title}, {n} accounts.",
            report.accounts,
        )
    return text_message(
        text.format(
            filename=escape(report.filename),
            title=isolate(escape(report.title)),
            n=isolate(str(report.accounts)),
        )
    )


def summary(report: Report) -> str:
    """The report's headline numbers in mrkdwn, for the comment on its picture and file:
    its title, then accounts, ARR and ARR at risk, renewals due, calls and grades."""
    totals = report.totals
    lines = [
        f"*{escape_clipped(report.title, TITLE_MAX)}*",
        _("Accounts: {n}").format(n=_figure(totals.accounts)),
        _("ARR: {arr}, of which at risk: {at_risk}").format(
            arr=_figure(totals.arr), at_risk=_figure(totals.arr_at_risk)
        ),
        _("Renewals due: {n}, with {arr} of ARR").format(
            n=_figure(totals.renewals_due), arr=_figure(totals.renewals_arr)
        ),
        _("Calls: {calls}. Grades: {grades}").format(
            calls=_figure(totals.calls), grades=_figure(totals.grades)
        ),
    ]
    if totals.average_points is None:
        lines.append(_("Average grade: none in the period"))
    else:
        lines.append(
            _("Average grade: {grade} ({points} points)").format(
                grade=isolate(scale.nearest(totals.average_points)),
                points=_figure(round(totals.average_points, 2)),
            )
        )
    return "\n".join(lines[:1] + [f"• {line}" for line in lines[1:]])


def _figure(value: float) -> str:
    """A number as the reader writes it, kept apart from right-to-left prose."""
    return isolate(number(value))
