"""The digest as Slack messages: a channel message, and thread replies when it is long.

Every account is named in bold (escaped), every person as a mention, every moment as a
date token; dates without a time (renewals, follow-ups) are written out plainly.
Sections are built with slack_sdk.models, which refuse text over Slack's limits.
"""

import functools
from datetime import date

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.blocks import BLOCKS_MAX, pack, text_message
from bot.digest_content import AtRisk, CallLogged, Digest, FollowUp, NewGrade, Pending, Stale
from bot.mrkdwn import date_token, escape, escape_clipped
from storage.models import DigestSubscription

QUIET = "Quiet day: nothing new on your accounts."
IN_THREAD = "_Details in the thread._"
# A line's escaped user text (a first line or next step); escaping can make it 5x longer.
QUOTED_MAX = 300
RENEWAL_BANDS = ((30, "Next 30 days"), (60, "In 31 to 60 days"), (90, "In 61 to 90 days"))
# Headline words: (section, singular, plural).
COUNTED = (
    ("calls", "call", "calls"),
    ("grades", "new grade", "new grades"),
    ("at_risk", "at risk", "at risk"),
    ("follow_ups", "follow-up due", "follow-ups due"),
    ("stale", "stale", "stale"),
    ("renewals", "renewal in 90 days", "renewals in 90 days"),
    ("pending", "grade pending", "grades pending"),
)


def messages(
    digest: Digest, *, subscription: DigestSubscription, tz: str
) -> tuple[dict, list[dict]]:
    """(the channel message, its thread replies). Everything goes in the channel message
    when it fits in one; otherwise the channel gets the headline and the thread the rest.
    `tz` writes the fallback of date tokens, for clients that cannot show them."""
    if digest.quiet:
        return text_message(QUIET), []
    headline = _headline(digest, subscription)
    chunks = [chunk for lines in _sections(digest, tz) for chunk in pack(lines)]
    plain = headline.replace("*", "")
    if 1 + len(chunks) <= BLOCKS_MAX:
        return _message(plain, [headline, *chunks]), []
    parts = [chunks[i : i + BLOCKS_MAX] for i in range(0, len(chunks), BLOCKS_MAX)]
    replies = [
        _message(f"{plain} ({n} of {len(parts)})", part) for n, part in enumerate(parts, start=1)
    ]
    return _message(plain, [f"{headline}\n{IN_THREAD}"]), replies


def _headline(digest: Digest, subscription: DigestSubscription) -> str:
    counts = digest.counts
    words = [
        f"{counts[name]} {one if counts[name] == 1 else many}"
        for name, one, many in COUNTED
        if counts[name]
    ]
    title = "*Daily digest*"
    if subscription.scope in ("mine", "owner") and subscription.scope_owner_id:
        title += f" for <@{subscription.scope_owner_id}>'s accounts"
    return f"{title}: {', '.join(words)}"


def _sections(digest: Digest, tz: str) -> list[list[str]]:
    """Each non-empty section as lines: its title, then one line per item."""
    sections = [
        ["*Calls logged*", *(_call(c, tz) for c in digest.calls)],
        ["*New grades*", *(_grade(g, tz) for g in digest.grades)],
        ["*At risk* (latest grade below B)", *(_at_risk(r) for r in digest.at_risk)],
        ["*Follow-ups due*", *(_follow_up(f, tz) for f in digest.follow_ups)],
        [
            f"*No contact for {digest.stale_days} days or more*",
            *(_stale(x, tz) for x in digest.stale),
        ],
        ["*Renewals in the next 90 days*", *_renewals(digest)],
        ["*Grade requests pending*", *(_pending(p, tz) for p in digest.pending)],
    ]
    return [lines for lines in sections if len(lines) > 1]


def _account(name: str) -> str:
    return f"*{escape(name)}*"


@functools.cache  # a long digest writes the same few hundred days thousands of times
def _day(day: date) -> str:
    return f"{day:%a %d %b %Y}"


def _call(c: CallLogged, tz: str) -> str:
    note = "_private note_" if c.note is None else escape_clipped(c.note, QUOTED_MAX)
    return f"• {_account(c.account)}, <@{c.logged_by}>, {date_token(c.occurred_at, tz)}: {note}"


def _grade(g: NewGrade, tz: str) -> str:
    change = f"{g.previous} → *{g.grade}*" if g.previous else f"*{g.grade}* (first grade)"
    return f"• {_account(g.account)}: {change} from <@{g.grader_id}>, {date_token(g.graded_at, tz)}"


def _at_risk(r: AtRisk) -> str:
    line = f"• {_account(r.account)} (<@{r.owner_id}>): *{r.grade}*"
    if r.target is None:
        return f"{line}, no open recovery plan"
    return f"{line}, aiming for {r.target} by {_day(r.follow_up_on)} ({r.plan_status})"


def _follow_up(f: FollowUp, tz: str) -> str:
    when = f"overdue since {_day(f.due_on)}" if f.overdue else "due today"
    line = f"• {_account(f.account)} (<@{f.owner_id}>): {when}"
    if f.target is not None:
        return f"{line}, recovery call aiming for {f.target}"
    line += f", after the call of {date_token(f.called_at, tz)}"
    return f"{line}: {escape_clipped(f.next_step, QUOTED_MAX)}" if f.next_step else line


def _stale(x: Stale, tz: str) -> str:
    last = (
        f"last call {date_token(x.last_call_at, tz)}"
        if x.last_call_at
        else f"no calls since it was added {date_token(x.since, tz)}"
    )
    return f"• {_account(x.account)} (<@{x.owner_id}>): {last}, {x.days} days ago"


def _renewals(digest: Digest) -> list[str]:
    lines, heading = [], None
    for r in digest.renewals:
        within = next(label for limit, label in RENEWAL_BANDS if r.days <= limit)
        if within != heading:
            heading = within
            lines.append(f"_{within}_")
        arr = f"ARR {r.arr:,}" if r.arr is not None else "ARR not set"
        lines.append(f"• {_account(r.account)} (<@{r.owner_id}>): {_day(r.renewal_on)}, {arr}")
    return lines


def _pending(p: Pending, tz: str) -> str:
    age = "today" if p.days == 0 else f"{p.days} day{'s' if p.days != 1 else ''} ago"
    return (
        f"• {_account(p.account)}: waiting for <@{p.grader_id}>, "
        f"asked by <@{p.asked_by}> {date_token(p.asked_at, tz)} ({age})"
    )


def _message(text: str, sections: list[str]) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=t)).to_dict() for t in sections]
    return {"text": text, "blocks": blocks}
