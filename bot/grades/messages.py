"""Block Kit for grades: the prompt and its reason modal, the asker's replies, history,
cadences, and the "Ask for a grade" modal."""

from datetime import datetime, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    UserSelectElement,
)

from bot.accounts.messages import account_picker
from bot.blocks import lines_message, modal, section, text_input, text_message
from bot.grades import ids
from bot.grades.scale import QUESTION_MAX, SCALE
from bot.grades.values import Asked, History
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import date_token, escape, escape_clipped, grader, showable
from storage.models import CadencePeriod, Grade, GradeCadence, GradeRequest

# Two rows of buttons read better than one of thirteen: the A and B grades, then the rest.
ROWS = (SCALE[:6], SCALE[6:])
EVERY = {
    # Translators: how often a person is asked for a grade, inside a sentence such as
    # "Asked @Sam for a grade now, and every month from here".
    CadencePeriod.MONTH: N_("every month"),
    # Translators: as "every month", for every three months.
    CadencePeriod.QUARTER: N_("every quarter"),
}
TRENDS = {
    "up": N_("Trend: *up* since the previous grade ({previous} → {latest})."),
    "down": N_("Trend: *down* since the previous grade ({previous} → {latest})."),
    "flat": N_("Trend: *flat* since the previous grade ({previous} → {latest})."),
}


def prompt(request: GradeRequest) -> dict:
    """The DM asking for a grade: account, question, and a button per grade (in the
    grader's language: bot/grades/asking.py builds it inside it)."""
    asker = f"<@{request.asked_by}>"
    rows = [
        ActionsBlock(
            block_id=f"grades_{n}",
            elements=[
                ButtonElement(
                    text=label,
                    action_id=ids.GRADE_BUTTON_PREFIX + label,
                    value=f"{request.id}:{label}",
                )
                for label in row
            ],
        ).to_dict()
        for n, row in enumerate(ROWS)
    ]
    return {
        "text": _("{asker} asks for your grade on {account}.").format(
            asker=asker, account=isolate(request.account.name)
        ),
        "blocks": [
            section(
                _("{asker} would like your grade on *{account}*:").format(
                    asker=asker, account=isolate(escape(request.account.name))
                )
                + f"\n> {escape(request.question)}"
            ),
            *rows,
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        # Translators: A+ and F are grade labels (the buttons); keep them as they are.
                        text=_(
                            "A+ is the best, F the worst. You'll be asked why: that's what helps most."
                        )
                    )
                ]
            ).to_dict(),
        ],
    }


def answered(grade: Grade) -> dict:
    """The prompt once answered: the recorded grade and a thank-you, no buttons."""
    text = _("You gave *{account}* a *{grade}*: “{reason}”\nThank you!").format(
        account=isolate(escape(grade.account.name)),
        grade=isolate(grade.grade),
        reason=isolate(escape_clipped(grade.reason, 2500)),
    )
    fallback = _("You gave {account} a {grade}. Thank you!").format(
        account=isolate(grade.account.name), grade=isolate(grade.grade)
    )
    return {"text": fallback, "blocks": [section(text)]}


def reason_modal(request: GradeRequest, grade: str, *, channel_id: str, message_ts: str) -> dict:
    """Asked after a grade button: why? (required). Where the prompt is rides along."""
    metadata = {"request_id": request.id, "grade": grade, "channel": channel_id, "ts": message_ts}
    return modal(
        callback_id=ids.GRADE_REASON_VIEW,
        # Translators: at most 24 characters with the grade (a modal title); {grade} is A+ ... F.
        title=_("Your grade: {grade}").format(grade=isolate(grade)),
        # Translators: at most 24 characters (a modal's button).
        submit=_("Send grade"),
        metadata=metadata,
        blocks=[
            section(f"*{escape(request.account.name)}*: {escape(request.question)}"),
            text_input(
                ids.GRADE_REASON,
                _("Why {grade}?").format(grade=isolate(grade)),
                multiline=True,
                max_length=3000,
            ),
        ],
    )


def reminder(request: GradeRequest) -> dict:
    """The one reminder, posted under the prompt in the grader's DM (in their language)."""
    text = _(
        "A reminder: {asker} would still like your grade on *{account}*. "
        "The buttons are just above."
    ).format(asker=f"<@{request.asked_by}>", account=isolate(escape(request.account.name)))
    return {"text": text, "blocks": [section(text)]}


def expired(request: GradeRequest) -> dict:
    """The prompt once expired unanswered, in the grader's DM (in their language): no
    buttons left."""
    text = _("{asker}'s question about *{account}* has expired:").format(
        asker=f"<@{request.asked_by}>", account=isolate(escape(request.account.name))
    ) + (f"\n> {escape(request.question)}")
    return {"text": text, "blocks": [section(text)]}


def asked(request: GradeRequest) -> dict:
    """The asker's confirmation that the prompt went out."""
    return text_message(
        _("Asked {grader} for a grade on *{account}*:").format(
            grader=f"<@{request.grader_id}>", account=isolate(escape(request.account.name))
        )
        + f"\n> {escape_clipped(request.question, 1000)}"
    )


def asked_by_link(asked: Asked, *, expiry_days: int) -> dict:
    """The asker's confirmation of a request by link: Rapport emailed it (to whom), or
    the link to send in their own email, personal and expiring; and why, if an email
    failed."""
    request = asked.request
    account = isolate(escape(request.account.name))
    name = isolate(escape(asked.contact.name))
    if asked.emailed_to:
        text = _(
            "Emailed *{name}* ({email}) a link to grade *{account}*; you'll see the grade in "
            "`/grade history`:"
        ).format(name=name, email=isolate(escape(asked.emailed_to)), account=account)
        return text_message(f"{text}\n> {escape_clipped(request.question, 1000)}")
    lines = []
    if asked.mail_failed:
        lines.append(
            _(
                ":warning: The email to *{name}* could not be sent, so send them this link yourself."
            ).format(name=name)
        )
    lines.append(
        _("Send *{name}* this link to grade *{account}*, in your own email:").format(
            name=name, account=account
        )
    )
    lines.append(f"<{asked.link}>")
    lines.append(
        ngettext(
            "It is personal to *{name}*, so don't share it elsewhere; it expires in {n} day.",
            "It is personal to *{name}*, so don't share it elsewhere; it expires in {n} days.",
            expiry_days,
        ).format(name=name, n=number(expiry_days))
    )
    lines.append(f"> {escape_clipped(request.question, 1000)}")
    return lines_message(lines)


def link_nudge(request: GradeRequest, *, expiry_days: int) -> dict:
    """The one reminder of a request whose link its asker sent: a DM to the asker."""
    text = ngettext(
        "*{name}* hasn't graded *{account}* yet. A nudge in your own email may help: the link "
        "you sent works until {n} day after you asked.",
        "*{name}* hasn't graded *{account}* yet. A nudge in your own email may help: the link "
        "you sent works until {n} days after you asked.",
        expiry_days,
    ).format(
        name=isolate(escape(request.contact.name if request.contact else "?")),
        account=isolate(escape(request.account.name)),
        n=number(expiry_days),
    )
    return text_message(text)


def pending(requests: list[GradeRequest], *, now: datetime, tz: str) -> dict:
    """`/grade pending`: each unanswered request, whom it asked and how long ago."""
    if not requests:
        return text_message(
            _("You have no unanswered grade requests. Ask with `/grade Acme @client`.")
        )
    lines = [_("*Unanswered grade requests you sent: {n}*").format(n=len(requests))]
    for request in requests:
        if request.reminded_at:
            line = _("• *{account}*: {grader}, {asked} ({date}), reminded once")
        else:
            line = _("• *{account}*: {grader}, {asked} ({date})")
        line = line.format(
            account=isolate(escape(request.account.name)),
            grader=grader(request.grader_id, request.contact.name if request.contact else None),
            asked=asked_ago(request.asked_at, now),
            date=date_token(request.asked_at, tz),
        )
        lines.append(f"{line}\n> {escape_clipped(_one_line(request.question), 200)}")
    return lines_message(lines)


def asked_ago(moment: datetime, now: datetime) -> str:
    """ "asked just now", "asked 5 hours ago", "asked 4 days ago"; "asked" alone when
    `moment` is out of range (old data; its date shows as invalid)."""
    if not showable(moment):
        return _("asked")
    elapsed = now - moment
    if elapsed >= timedelta(days=1):
        days = elapsed.days
        return ngettext("asked {n} day ago", "asked {n} days ago", days).format(n=days)
    if elapsed >= timedelta(hours=1):
        hours = elapsed.seconds // 3600
        return ngettext("asked {n} hour ago", "asked {n} hours ago", hours).format(n=hours)
    return _("asked just now")


def history(view: History, tz: str) -> dict:
    """`/grade history`: the average and trend, then each grade, newest first."""
    name = escape(view.account.name)
    account = isolate(name)
    if not view.grades:
        return text_message(
            _("*{account}* has no grades yet. Ask for one: `/grade {name} @client`.").format(
                account=account, name=name
            )
        )
    n = len(view.grades)
    summary = ngettext(
        "Average *{average}* points over {n} grade.",
        "Average *{average}* points over {n} grades.",
        n,
    ).format(average=isolate(f"{view.average:.1f}"), n=n)
    if view.trend:
        latest, previous = view.grades[0].grade, view.grades[1].grade
        trend = _(TRENDS[view.trend]).format(previous=isolate(previous), latest=isolate(latest))
        summary = f"{summary} {trend}"
    lines = [_("*Grades for {account}*").format(account=account), summary]
    for grade in view.grades:
        lines.append(
            _("• {date}, {grader}: *{grade}*, “{reason}”").format(
                date=date_token(grade.graded_at, tz),
                grader=grader(grade.grader_id, grade.contact.name if grade.contact else None),
                grade=isolate(grade.grade),
                reason=isolate(escape_clipped(_one_line(grade.reason), 300)),
            )
        )
    return lines_message(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cadence_started(cadence: GradeCadence, tz: str) -> dict:
    return text_message(
        _(
            "Asked {grader} for a grade now, and {every} from here; the next request goes "
            "out {date}. See them with `/grade cadence`."
        ).format(
            grader=f"<@{cadence.grader_id}>",
            every=_(EVERY[cadence.every]),
            date=date_token(cadence.next_due_at, tz),
        )
    )


def cadences(running: list[GradeCadence], tz: str) -> dict:
    """`/grade cadence`: the workspace's running cadences, soonest first."""
    if not running:
        return text_message(
            _("No grade cadences yet. Start one with `/grade every month Acme @client`.")
        )
    lines = [_("*Grade cadences*")] + [
        _("• *{account}*: {grader} {every}, next {date} (set by {asker})").format(
            account=isolate(escape(c.account.name)),
            grader=f"<@{c.grader_id}>",
            every=_(EVERY[c.every]),
            date=date_token(c.next_due_at, tz),
            asker=f"<@{c.asked_by}>",
        )
        for c in running
    ]
    return lines_message(lines)


def cadences_stopped(account: str, count: int) -> dict:
    name = isolate(escape(account))
    if not count:
        return text_message(_("*{account}* had no grade cadence running.").format(account=name))
    return text_message(
        ngettext(
            "Stopped {n} grade cadence for *{account}*.",
            "Stopped {n} grade cadences for *{account}*.",
            count,
        ).format(n=count, account=name)
    )


def ask_modal() -> dict:
    """ "Ask for a grade": an account, the person to ask, and an optional question."""
    blocks = [
        account_picker(ids.ASK_GRADE_ACCOUNT),
        InputBlock(
            block_id=ids.ASK_GRADE_GRADER,
            label=_("Whom to ask"),
            hint=_("A client contact or a colleague; they get the question in a DM."),
            element=UserSelectElement(
                action_id=ids.ASK_GRADE_GRADER,
                # Translators: at most 150 characters (a placeholder).
                placeholder=_("Pick a person"),
            ),
        ),
        text_input(
            ids.ASK_GRADE_QUESTION,
            _("Question"),
            optional=True,
            hint=_("Leave it blank to ask the account's usual question."),
            multiline=True,
            max_length=QUESTION_MAX,
        ),
    ]
    return modal(
        callback_id=ids.ASK_GRADE_VIEW,
        # Translators: at most 24 characters (a modal title).
        title=_("Ask for a grade"),
        # Translators: at most 24 characters (a modal's button).
        submit=_("Ask"),
        blocks=blocks,
    )
