"""The digest as Slack messages: a channel message, and thread replies when it is long.

Every account is named in bold (escaped), every person as a mention, every moment as a
date token; dates without a time (renewals, follow-ups) are written out plainly.
Sections are built with slack_sdk.models, which refuse text over Slack's limits.
"""

from datetime import datetime

from bot import i18n
from bot.blocks import BLOCKS_MAX, lines_message, pack, section, text_message
from bot.digests.values import (
    AtRisk,
    CallLogged,
    Digest,
    FollowUp,
    NewGrade,
    Pending,
    Renewal,
    Stale,
)
from bot.i18n import N_, _, isolate, ngettext, number
from bot.mrkdwn import date_token, day, escape, escape_clipped, grader
from storage.models import (
    DigestDays,
    DigestScope,
    DigestSubscription,
    PlanStatus,
    SubscriptionStatus,
)

QUIET = N_("Quiet day: nothing new on your accounts.")
IN_THREAD = N_("_Details in the thread._")
# A line's escaped user text (a first line or next step); escaping can make it 5x longer.
QUOTED_MAX = 300
RENEWAL_BANDS = (
    (30, N_("Next 30 days")),
    (60, N_("In 31 to 60 days")),
    (90, N_("In 61 to 90 days")),
)
# An open recovery plan's status, after its target in the At risk section.
PLAN_STATUSES = {
    PlanStatus.PROPOSED: N_("proposed"),
    PlanStatus.PLANNED: N_("planned"),
    PlanStatus.OVERDUE: N_("overdue"),
}


def messages(
    digest: Digest, *, subscription: DigestSubscription, tz: str
) -> tuple[dict, list[dict]]:
    """(the channel message, its thread replies), in the language being written
    (the subscription's: bot/digests/delivery.py). Everything goes in the channel message
    when it fits in one; otherwise the channel gets the headline and the thread the rest.
    `tz` writes the fallback of date tokens, for clients that cannot show them."""
    if digest.quiet:
        return text_message(_(QUIET)), []
    headline = _headline(digest, subscription)
    chunks = [chunk for lines in _sections(digest, tz) for chunk in pack(lines)]
    plain = headline.replace("*", "")
    if 1 + len(chunks) <= BLOCKS_MAX:
        return _message(plain, [headline, *chunks]), []
    parts = [chunks[i : i + BLOCKS_MAX] for i in range(0, len(chunks), BLOCKS_MAX)]
    # Translators: the notification text of a thread reply of a long digest, e.g.
    # "Daily digest: 3 calls, 1 stale (2 of 4)".
    numbered = _("{headline} ({n} of {total})")
    replies = [
        _message(numbered.format(headline=plain, n=n, total=len(parts)), part)
        for n, part in enumerate(parts, start=1)
    ]
    return _message(plain, [f"{headline}\n{_(IN_THREAD)}"]), replies


def _headline(digest: Digest, subscription: DigestSubscription) -> str:
    counts = _joined(_counted(digest.counts))
    if subscription.scope in (DigestScope.MINE, DigestScope.OWNER) and subscription.scope_owner_id:
        return _("*Daily digest* for <@{owner}>'s accounts: {counts}").format(
            owner=subscription.scope_owner_id, counts=counts
        )
    return _("*Daily digest*: {counts}").format(counts=counts)


def _counted(counts: dict[str, int]) -> list[str]:
    """The headline's counts, in the order of the sections, the empty ones left out."""
    words = {
        "calls": ngettext("{n} call", "{n} calls", counts["calls"]),
        "grades": ngettext("{n} new grade", "{n} new grades", counts["grades"]),
        "at_risk": ngettext("{n} at risk", "{n} at risk", counts["at_risk"]),
        "follow_ups": ngettext("{n} follow-up due", "{n} follow-ups due", counts["follow_ups"]),
        "stale": ngettext("{n} stale", "{n} stale", counts["stale"]),
        "renewals": ngettext(
            "{n} renewal in 90 days", "{n} renewals in 90 days", counts["renewals"]
        ),
        "pending": ngettext("{n} grade pending", "{n} grades pending", counts["pending"]),
    }
    return [words[name].format(n=isolate(str(n))) for name, n in counts.items() if n]


def _joined(items: list[str]) -> str:
    # Translators: what separates the items of a list, e.g. of counts or account names
    # (Persian and Arabic: "، ").
    return _(", ").join(items)


def _sections(digest: Digest, tz: str) -> list[list[str]]:
    """Each non-empty section as lines: its title, then one line per item."""
    stale = ngettext(
        "*No contact for {n} day or more*", "*No contact for {n} days or more*", digest.stale_days
    )
    sections = [
        [_("*Calls logged*"), *(_call(c, tz) for c in digest.calls)],
        [_("*New grades*"), *(_grade(g, tz) for g in digest.grades)],
        [_("*At risk* (latest grade below B)"), *(_at_risk(r) for r in digest.at_risk)],
        [_("*Follow-ups due*"), *(_follow_up(f, tz) for f in digest.follow_ups)],
        [
            stale.format(n=isolate(str(digest.stale_days))),
            *(_stale(x, tz) for x in digest.stale),
        ],
        [_("*Renewals in the next 90 days*"), *_renewals(digest)],
        [_("*Grade requests pending*"), *(_pending(p, tz) for p in digest.pending)],
    ]
    return [lines for lines in sections if len(lines) > 1]


def _account(name: str) -> str:
    """An account's name, escaped, for inside a line's bold `*{account}*`."""
    return isolate(escape(name))


def _call(c: CallLogged, tz: str) -> str:
    note = _("_private note_") if c.note is None else escape_clipped(c.note, QUOTED_MAX)
    return _("• *{account}*, <@{person}>, {when}: {note}").format(
        account=_account(c.account),
        person=c.logged_by,
        when=date_token(c.occurred_at, tz),
        note=isolate(note),
    )


def _grade(g: NewGrade, tz: str) -> str:
    if g.previous:
        line = _("• *{account}*: {previous} → *{grade}* from <@{grader}>, {when}")
    else:
        line = _("• *{account}*: *{grade}* (first grade) from <@{grader}>, {when}")
    return _by_contact(line, g.grader_id).format(
        account=_account(g.account),
        previous=isolate(g.previous or ""),
        grade=isolate(g.grade),
        grader=_grader(g.grader_id, g.contact_name),
        when=date_token(g.graded_at, tz),
    )


def _grader(user_id: str | None, contact_name: str | None) -> str:
    """What goes in a line's `<@{grader}>`: the user's id, or a contact's name in bold."""
    return user_id or grader(None, contact_name)


def _by_contact(line: str, user_id: str | None) -> str:
    """A line written for a Slack grader (`<@{grader}>`, as its translations keep it),
    made for a contact outside Slack, who is named instead of mentioned."""
    return line if user_id else line.replace("<@{grader}>", "{grader}")


def _at_risk(r: AtRisk) -> str:
    values = {"account": _account(r.account), "owner": r.owner_id, "grade": isolate(r.grade)}
    if r.target is None:
        return _("• *{account}* (<@{owner}>): *{grade}*, no open recovery plan").format(**values)
    return _(
        "• *{account}* (<@{owner}>): *{grade}*, aiming for {target} by {day} ({status})"
    ).format(
        **values,
        target=isolate(r.target),
        day=day(r.follow_up_on),
        status=_(PLAN_STATUSES[r.plan_status]) if r.plan_status in PLAN_STATUSES else r.plan_status,
    )


def _follow_up(f: FollowUp, tz: str) -> str:
    values = {"account": _account(f.account), "owner": f.owner_id, "day": day(f.due_on)}
    if f.target is not None:
        if f.overdue:
            line = _(
                "• *{account}* (<@{owner}>): overdue since {day}, recovery call aiming for {target}"
            )
        else:
            line = _("• *{account}* (<@{owner}>): due today, recovery call aiming for {target}")
        return line.format(**values, target=isolate(f.target))
    values["when"] = date_token(f.called_at, tz)
    if f.next_step is None:
        if f.overdue:
            line = _("• *{account}* (<@{owner}>): overdue since {day}, after the call of {when}")
        else:
            line = _("• *{account}* (<@{owner}>): due today, after the call of {when}")
        return line.format(**values)
    if f.overdue:
        line = _(
            "• *{account}* (<@{owner}>): overdue since {day}, after the call of {when}: {next_step}"
        )
    else:
        line = _("• *{account}* (<@{owner}>): due today, after the call of {when}: {next_step}")
    return line.format(**values, next_step=isolate(escape_clipped(f.next_step, QUOTED_MAX)))


def _stale(x: Stale, tz: str) -> str:
    values = {"account": _account(x.account), "owner": x.owner_id}
    if x.last_call_at:
        values["when"] = date_token(x.last_call_at, tz)
        if x.days is None:
            return _("• *{account}* (<@{owner}>): last call {when}").format(**values)
        line = ngettext(
            "• *{account}* (<@{owner}>): last call {when}, {n} day ago",
            "• *{account}* (<@{owner}>): last call {when}, {n} days ago",
            x.days,
        )
    else:
        values["when"] = date_token(x.since, tz)
        if x.days is None:
            return _("• *{account}* (<@{owner}>): no calls since it was added {when}").format(
                **values
            )
        line = ngettext(
            "• *{account}* (<@{owner}>): no calls since it was added {when}, {n} day ago",
            "• *{account}* (<@{owner}>): no calls since it was added {when}, {n} days ago",
            x.days,
        )
    return line.format(**values, n=isolate(str(x.days)))


def _renewals(digest: Digest) -> list[str]:
    lines, heading = [], None
    for r in digest.renewals:
        within = next(label for limit, label in RENEWAL_BANDS if r.days <= limit)
        if within != heading:
            heading = within
            lines.append(f"_{_(within)}_")
        lines.append(_renewal(r))
    return lines


def _renewal(r: Renewal) -> str:
    values = {"account": _account(r.account), "owner": r.owner_id, "day": day(r.renewal_on)}
    if r.arr is None:
        return _("• *{account}* (<@{owner}>): {day}, ARR not set").format(**values)
    return _("• *{account}* (<@{owner}>): {day}, ARR {arr}").format(
        **values, arr=isolate(number(r.arr))
    )


def _pending(p: Pending, tz: str) -> str:
    values = {
        "account": _account(p.account),
        "grader": _grader(p.grader_id, p.contact_name),
        "asker": p.asked_by,
        "when": date_token(p.asked_at, tz),
    }
    if p.days is None:
        line = _("• *{account}*: waiting for <@{grader}>, asked by <@{asker}> {when}")
    elif p.days == 0:
        line = _("• *{account}*: waiting for <@{grader}>, asked by <@{asker}> {when} (today)")
    else:
        line = ngettext(
            "• *{account}*: waiting for <@{grader}>, asked by <@{asker}> {when} ({n} day ago)",
            "• *{account}*: waiting for <@{grader}>, asked by <@{asker}> {when} ({n} days ago)",
            p.days,
        )
    return _by_contact(line, p.grader_id).format(**values, n=isolate(str(p.days)))


def _message(text: str, sections: list[str]) -> dict:
    return {"text": text, "blocks": [section(t) for t in sections]}


# -- /digest's replies


def subscribed(
    subscription: DigestSubscription,
    replaced: bool,
    next_at: datetime | None,
    default_language: str,
) -> dict:
    if replaced:
        headline = _("*Replaced this channel's digest (a channel has one):*")
    else:
        headline = _("*Subscribed this channel to the daily digest:*")
    return lines_message([headline, *_described(subscription, next_at, default_language)])


def listed(
    subscription: DigestSubscription | None, next_at: datetime | None, default_language: str
) -> dict:
    if subscription is None:
        return text_message(_("This channel has no digest. Start one with `/digest subscribe`."))
    return lines_message(
        [_("*This channel's digest:*"), *_described(subscription, next_at, default_language)]
    )


def unsubscribed(had_one: bool) -> dict:
    if had_one:
        return text_message(_("Unsubscribed: this channel gets no more digests."))
    return text_message(_("This channel had no digest subscription: nothing to stop."))


def posted_now(ts: str | None) -> dict:
    if ts is None:
        return text_message(
            _("Nothing posted: there is no news, and this channel's digest skips quiet days.")
        )
    return text_message(
        _("Posted this channel's digest. The scheduled one still goes out as usual.")
    )


def preview(message: dict | None, thread: list[dict]) -> list[dict]:
    """What only the caller sees: the digest as it would be posted now (in the channel's
    language), and its thread."""
    if message is None:
        return [text_message(_("No news today, and this channel's digest skips quiet days."))]
    return [text_message(_("*Preview, only you can see it:*")), message, *thread]


def _described(
    subscription: DigestSubscription, next_at: datetime | None, default_language: str
) -> list[str]:
    """A subscription's settings, language (`default_language` unless it has its own),
    status and next post (None while paused), one line each."""
    language = subscription.language or default_language
    when = {"time": subscription.at_time, "tz": subscription.tz}
    if subscription.days == DigestDays.DAILY:
        days = _("• *When*: every day at {time} ({tz})").format(**when)
    else:
        days = _("• *When*: every weekday at {time} ({tz})").format(**when)
    if subscription.scope in (DigestScope.MINE, DigestScope.OWNER):
        scope = _("• *Accounts*: owned by <@{owner}>").format(owner=subscription.scope_owner_id)
    elif subscription.scope == DigestScope.ACCOUNTS and subscription.accounts:
        names = [f"*{isolate(escape(account.name))}*" for account in subscription.accounts]
        scope = _("• *Accounts*: {names}").format(names=_joined(names))
    elif subscription.scope == DigestScope.ACCOUNTS:
        scope = _("• *Accounts*: none left (the named accounts were deleted)")
    else:
        scope = _("• *Accounts*: all")
    if subscription.skip_quiet:
        quiet = _("• *Quiet days*: nothing is posted")
    else:
        quiet = _("• *Quiet days*: one short line")
    if subscription.status == SubscriptionStatus.PAUSED:
        status = _(
            "• *Status*: *paused*: Slack answered `{reason}` when I posted. "
            "Run `/digest subscribe` here again to resume."
        ).format(reason=escape(subscription.paused_reason or _("an error")))
    else:
        status = _("• *Status*: active")
    lines = [
        days,
        scope,
        quiet,
        _("• *Language*: {language} (`{code}`)").format(
            language=i18n.LANGUAGES.get(language, language), code=language
        ),
        status,
    ]
    if next_at is not None:
        lines.append(_("• *Next digest*: {when}").format(when=date_token(next_at, subscription.tz)))
    return lines
