"""The digest as Slack messages: a channel message, and thread replies when it is long.

Every account is named in bold (escaped), every person as a mention, every moment as a
date token; dates without a time (renewals, follow-ups) are written out plainly.
Sections are built with slack_sdk.models, which refuse text over Slack's limits.
"""

from datetime import datetime

from bot.blocks import BLOCKS_MAX, lines_message, pack, section, text_message
from bot.digests.values import AtRisk, CallLogged, Digest, FollowUp, NewGrade, Pending, Stale
from bot.mrkdwn import date_token, day, escape, escape_clipped
from storage.models import DigestDays, DigestScope, DigestSubscription, SubscriptionStatus

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
    if subscription.scope in (DigestScope.MINE, DigestScope.OWNER) and subscription.scope_owner_id:
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
    return f"{line}, aiming for {r.target} by {day(r.follow_up_on)} ({r.plan_status})"


def _follow_up(f: FollowUp, tz: str) -> str:
    when = f"overdue since {day(f.due_on)}" if f.overdue else "due today"
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
    line = f"• {_account(x.account)} (<@{x.owner_id}>): {last}"
    return line if x.days is None else f"{line}, {x.days} days ago"


def _renewals(digest: Digest) -> list[str]:
    lines, heading = [], None
    for r in digest.renewals:
        within = next(label for limit, label in RENEWAL_BANDS if r.days <= limit)
        if within != heading:
            heading = within
            lines.append(f"_{within}_")
        arr = f"ARR {r.arr:,}" if r.arr is not None else "ARR not set"
        lines.append(f"• {_account(r.account)} (<@{r.owner_id}>): {day(r.renewal_on)}, {arr}")
    return lines


def _pending(p: Pending, tz: str) -> str:
    line = (
        f"• {_account(p.account)}: waiting for <@{p.grader_id}>, "
        f"asked by <@{p.asked_by}> {date_token(p.asked_at, tz)}"
    )
    if p.days is None:
        return line
    age = "today" if p.days == 0 else f"{p.days} day{'s' if p.days != 1 else ''} ago"
    return f"{line} ({age})"


def _message(text: str, sections: list[str]) -> dict:
    return {"text": text, "blocks": [section(t) for t in sections]}


# -- /digest's replies


def subscribed(subscription: DigestSubscription, replaced: bool, next_at: datetime | None) -> dict:
    headline = (
        "*Replaced this channel's digest (a channel has one):*"
        if replaced
        else "*Subscribed this channel to the daily digest:*"
    )
    return lines_message([headline, *_described(subscription, next_at)])


def listed(subscription: DigestSubscription | None, next_at: datetime | None) -> dict:
    if subscription is None:
        return text_message("This channel has no digest. Start one with `/digest subscribe`.")
    return lines_message(["*This channel's digest:*", *_described(subscription, next_at)])


def unsubscribed(had_one: bool) -> dict:
    if had_one:
        return text_message("Unsubscribed: this channel gets no more digests.")
    return text_message("This channel had no digest subscription: nothing to stop.")


def posted_now(ts: str | None) -> dict:
    if ts is None:
        return text_message(
            "Nothing posted: there is no news, and this channel's digest skips quiet days."
        )
    return text_message("Posted this channel's digest. The scheduled one still goes out as usual.")


def preview(message: dict | None, thread: list[dict]) -> list[dict]:
    """What only the caller sees: the digest as it would be posted now, and its thread."""
    if message is None:
        return [text_message("No news today, and this channel's digest skips quiet days.")]
    return [text_message("*Preview, only you can see it:*"), message, *thread]


def _described(subscription: DigestSubscription, next_at: datetime | None) -> list[str]:
    """A subscription's settings, status and next post (None while paused), one line each."""
    days = "every day" if subscription.days == DigestDays.DAILY else "every weekday"
    if subscription.scope in (DigestScope.MINE, DigestScope.OWNER):
        scope = f"owned by <@{subscription.scope_owner_id}>"
    elif subscription.scope == DigestScope.ACCOUNTS:
        names = [f"*{escape(account.name)}*" for account in subscription.accounts]
        scope = ", ".join(names) or "none left (the named accounts were deleted)"
    else:
        scope = "all"
    quiet = "nothing is posted" if subscription.skip_quiet else "one short line"
    if subscription.status == SubscriptionStatus.PAUSED:
        status = (
            f"*paused*: Slack answered `{escape(subscription.paused_reason or 'an error')}` "
            "when I posted. Run `/digest subscribe` here again to resume."
        )
    else:
        status = subscription.status
    lines = [
        f"• *When*: {days} at {subscription.at_time} ({subscription.tz})",
        f"• *Accounts*: {scope}",
        f"• *Quiet days*: {quiet}",
        f"• *Status*: {status}",
    ]
    if next_at is not None:
        lines.append(f"• *Next digest*: {date_token(next_at, subscription.tz)}")
    return lines
