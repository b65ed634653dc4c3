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
from bot.grades.values import History
from bot.mrkdwn import date_token, escape, escape_clipped, showable
from storage.models import Grade, GradeCadence, GradeRequest

# Two rows of buttons read better than one of thirteen: the A and B grades, then the rest.
ROWS = (SCALE[:6], SCALE[6:])


def prompt(request: GradeRequest) -> dict:
    """The DM asking for a grade: account, question, and a button per grade."""
    account = escape(request.account.name)
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
        "text": f"<@{request.asked_by}> asks for your grade on {request.account.name}.",
        "blocks": [
            section(
                f"<@{request.asked_by}> would like your grade on *{account}*:\n"
                f"> {escape(request.question)}"
            ),
            *rows,
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="A+ is the best, F the worst. You'll be asked why: that's what helps most."
                    )
                ]
            ).to_dict(),
        ],
    }


def answered(grade: Grade) -> dict:
    """The prompt once answered: the recorded grade and a thank-you, no buttons."""
    text = (
        f"You gave *{escape(grade.account.name)}* a *{grade.grade}*: "
        f"“{escape_clipped(grade.reason, 2500)}”\nThank you!"
    )
    return {
        "text": f"You gave {grade.account.name} a {grade.grade}. Thank you!",
        "blocks": [section(text)],
    }


def reason_modal(request: GradeRequest, grade: str, *, channel_id: str, message_ts: str) -> dict:
    """Asked after a grade button: why? (required). Where the prompt is rides along."""
    metadata = {"request_id": request.id, "grade": grade, "channel": channel_id, "ts": message_ts}
    return modal(
        callback_id=ids.GRADE_REASON_VIEW,
        title=f"Your grade: {grade}",
        submit="Send grade",
        metadata=metadata,
        blocks=[
            section(f"*{escape(request.account.name)}*: {escape(request.question)}"),
            text_input(ids.GRADE_REASON, f"Why {grade}?", multiline=True, max_length=3000),
        ],
    )


def reminder(request: GradeRequest) -> dict:
    """The one reminder, posted under the prompt in the grader's DM."""
    text = (
        f"A reminder: <@{request.asked_by}> would still like your grade on "
        f"*{escape(request.account.name)}*. The buttons are just above."
    )
    return {"text": text, "blocks": [section(text)]}


def expired(request: GradeRequest) -> dict:
    """The prompt once expired unanswered: no buttons left."""
    text = (
        f"<@{request.asked_by}>'s question about *{escape(request.account.name)}* has expired:\n"
        f"> {escape(request.question)}"
    )
    return {"text": text, "blocks": [section(text)]}


def asked(request: GradeRequest) -> dict:
    """The asker's confirmation that the prompt went out."""
    return text_message(
        f"Asked <@{request.grader_id}> for a grade on *{escape(request.account.name)}*:\n"
        f"> {escape_clipped(request.question, 1000)}"
    )


def pending(requests: list[GradeRequest], *, now: datetime, tz: str) -> dict:
    """`/grade pending`: each unanswered request, whom it asked and how long ago."""
    if not requests:
        return text_message(
            "You have no unanswered grade requests. Ask with `/grade Acme @client`."
        )
    lines = [f"*Unanswered grade requests you sent: {len(requests)}*"]
    for request in requests:
        reminded = ", reminded once" if request.reminded_at else ""
        lines.append(
            f"• *{escape(request.account.name)}*: <@{request.grader_id}>, "
            f"{asked_ago(request.asked_at, now)} ({date_token(request.asked_at, tz)}){reminded}\n"
            f"> {escape_clipped(_one_line(request.question), 200)}"
        )
    return lines_message(lines)


def asked_ago(moment: datetime, now: datetime) -> str:
    """ "asked just now", "asked 5 hours ago", "asked 4 days ago"; "asked" alone when
    `moment` is out of range (old data; its date shows as invalid)."""
    if not showable(moment):
        return "asked"
    elapsed = now - moment
    if elapsed >= timedelta(days=1):
        count, unit = elapsed.days, "day"
    elif elapsed >= timedelta(hours=1):
        count, unit = elapsed.seconds // 3600, "hour"
    else:
        return "asked just now"
    return f"asked {count} {unit}{'' if count == 1 else 's'} ago"


def history(view: History, tz: str) -> dict:
    """`/grade history`: the average and trend, then each grade, newest first."""
    account = escape(view.account.name)
    if not view.grades:
        return text_message(
            f"*{account}* has no grades yet. Ask for one: `/grade {account} @client`."
        )
    count = f"{len(view.grades)} grade{'' if len(view.grades) == 1 else 's'}"
    summary = f"Average *{view.average:.1f}* points over {count}."
    if view.trend:
        latest, previous = view.grades[0].grade, view.grades[1].grade
        summary += f" Trend: *{view.trend}* since the previous grade ({previous} → {latest})."
    lines = [f"*Grades for {account}*", summary]
    for grade in view.grades:
        lines.append(
            f"• {date_token(grade.graded_at, tz)}, <@{grade.grader_id}>: *{grade.grade}*, "
            f"“{escape_clipped(_one_line(grade.reason), 300)}”"
        )
    return lines_message(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cadence_started(cadence: GradeCadence, tz: str) -> dict:
    return text_message(
        f"Asked <@{cadence.grader_id}> for a grade now, and every {cadence.every} from here; "
        f"the next request goes out {date_token(cadence.next_due_at, tz)}. "
        "See them with `/grade cadence`."
    )


def cadences(running: list[GradeCadence], tz: str) -> dict:
    """`/grade cadence`: the workspace's running cadences, soonest first."""
    if not running:
        return text_message(
            "No grade cadences yet. Start one with `/grade every month Acme @client`."
        )
    lines = ["*Grade cadences*"] + [
        f"• *{escape(c.account.name)}*: <@{c.grader_id}> every {c.every}, "
        f"next {date_token(c.next_due_at, tz)} (set by <@{c.asked_by}>)"
        for c in running
    ]
    return lines_message(lines)


def cadences_stopped(account: str, count: int) -> dict:
    if not count:
        return text_message(f"*{escape(account)}* had no grade cadence running.")
    return text_message(f"Stopped {count} grade cadence(s) for *{escape(account)}*.")


def ask_modal() -> dict:
    """ "Ask for a grade": an account, the person to ask, and an optional question."""
    blocks = [
        account_picker(ids.ASK_GRADE_ACCOUNT),
        InputBlock(
            block_id=ids.ASK_GRADE_GRADER,
            label="Whom to ask",
            hint="A client contact or a colleague; they get the question in a DM.",
            element=UserSelectElement(action_id=ids.ASK_GRADE_GRADER, placeholder="Pick a person"),
        ),
        text_input(
            ids.ASK_GRADE_QUESTION,
            "Question",
            optional=True,
            hint="Leave it blank to ask the account's usual question.",
            multiline=True,
            max_length=QUESTION_MAX,
        ),
    ]
    return modal(
        callback_id=ids.ASK_GRADE_VIEW, title="Ask for a grade", submit="Ask", blocks=blocks
    )
