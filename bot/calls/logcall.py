"""Logging client calls: `<account> <when>: <notes>` (from /logcall or a DM), the modal,
what follows a logged call, and undo."""

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot.accounts import history
from bot.accounts.names import find_active, name_key, split_name, unknown_account_message
from bot.calls import ids, messages, next_steps
from bot.contacts import manage as contacts
from bot.errors import FormErrors, UserError
from bot.home import tab as home_tab
from bot.i18n import _, isolate, number
from bot.mrkdwn import DATE_TOKEN, in_range, unescape
from bot.people import Person
from bot.runtime.context import Rapport
from bot.when import out_of_range, parse_moment
from storage.models import Account, Call, CallSource, ChangeKind, Contact
from storage.queries import accounts as account_queries
from storage.queries import calls as call_queries
from storage.queries import contacts as contact_queries
from storage.queries import deliveries as delivery_queries
from storage.queries import home as home_queries

NOTES_COLON = re.compile(r":(?:\s|$)")
QUOTED_NAME = re.compile(r"^[\"“]([^\"”]+)[\"”]\s*(.*)$", re.DOTALL)
# Who was on the call, after the "when": `yesterday with Dana, Lee` (in Persian, Arabic
# and Vietnamese: با, مع, với).
WITH = re.compile(r"(?:^|\s)(?:with|با|مع|với)(?:\s+|$)", re.IGNORECASE)
NOTES_MAX = 10_000
EXAMPLE = "`/logcall Acme yesterday 3pm: discussed renewal`"


@dataclass(frozen=True)
class CallForm:
    """What the modal collects; blank strings mean "not given"."""

    account_id: int | None
    when: str
    notes: str
    next_step: str = ""
    follow_up_on: date | None = None
    private: bool = False
    contact_ids: tuple[int, ...] = ()  # who of the account's contacts was on the call


def log_text(
    rapport: Rapport,
    *,
    user: Person,
    text: str,
    source: CallSource,
    delivery: Sequence[str] = (),
) -> Call | None:
    """Log a call from `<account> <when>: <notes>[; next: <step>][; follow up <day>]`;
    nothing is stored if any part is wrong.

    With `delivery` (an Events API delivery's keys) the call is logged in the same
    transaction that records the delivery, and None is returned for a repeat.
    """
    head, notes = _split_notes(text)
    now = rapport.clock.now()
    reading = user.reading(rapport.settings.date_languages)
    # Read before the writing transaction: on SQLite it holds the database's write lock,
    # which every other writer would wait for while dateparser reads the when-phrase. (An
    # account archived in between still gets the call, as it could on PostgreSQL anyway.)
    with rapport.reads.begin() as s:
        account, when = _split_account(s, head, user, now, reading)
        when, attendees = _split_attendees(s, account, when)
    occurred_at = parse_moment(when, tz=user.tz, now=now, **reading)
    follow_up_on = None
    if notes.follow_up is not None:
        follow_up_on = next_steps.follow_up_day(
            notes.follow_up, tz=user.tz, now=now, reading=reading
        )
    with rapport.sessions.begin() as s:
        if delivery and not delivery_queries.claim(
            s, team_id=user.team_id, keys=list(delivery), now=now
        ):
            return None
        return _add(
            s,
            user,
            account,
            occurred_at,
            notes.notes,
            source,
            now,
            next_step=notes.next_step,
            follow_up_on=follow_up_on,
            attendees=attendees,
        )


def log_form(rapport: Rapport, *, user: Person, form: CallForm) -> Call:
    """Log a call from the modal; FormErrors names each bad field and nothing is stored."""
    now = rapport.clock.now()
    errors, occurred_at = form_errors(rapport, user=user, form=form, now=now)
    with rapport.sessions.begin() as s:
        account = None
        if form.account_id is not None:
            account = account_queries.by_id(s, team_id=user.team_id, account_id=form.account_id)
        attendees = []
        if account is None or account.archived_at is not None:
            errors[ids.CALL_ACCOUNT] = _("Pick an account.")
        elif form.contact_ids:
            attendees = contact_queries.by_ids(
                s, team_id=user.team_id, account_id=account.id, ids=form.contact_ids
            )
            if len(attendees) != len(set(form.contact_ids)):
                errors[ids.CALL_CONTACTS] = _("Pick people of the account picked above.")
        if errors:
            raise FormErrors(errors)
        return _add(
            s,
            user,
            account,
            occurred_at,
            form.notes.strip(),
            CallSource.MODAL,
            now,
            next_step=form.next_step.strip() or None,
            follow_up_on=form.follow_up_on,
            private=form.private,
            attendees=attendees,
        )


def form_errors(
    rapport: Rapport,
    *,
    user: Person,
    form: CallForm,
    now: datetime,
    read_when: bool = True,
    read_notes: bool = True,
) -> tuple[dict[str, str], datetime | None]:
    """What is wrong with the fields of a call's modal that need no database, by block id,
    and the moment its "when" reads as (None unless `read_when`; not read when wrong).
    `read_notes` False: the notes field was left out (the notes are kept as they are)."""
    errors = {}
    occurred_at = None
    if read_when:
        try:
            occurred_at = parse_moment(
                form.when, tz=user.tz, now=now, **user.reading(rapport.settings.date_languages)
            )
        except UserError as error:
            errors[ids.CALL_WHEN] = _plain(str(error))
    if form.follow_up_on is not None and not in_range(form.follow_up_on):
        errors[ids.CALL_FOLLOW_UP] = _plain(out_of_range(form.follow_up_on.isoformat()))
    if not read_notes:
        pass
    elif not form.notes.strip():
        errors[ids.CALL_NOTES] = _("Write what was said.")
    elif len(form.notes) > NOTES_MAX:
        errors[ids.CALL_NOTES] = notes_too_long()
    return errors, occurred_at


def confirm(
    rapport: Rapport,
    client: WebClient,
    call: Call,
    *,
    tz: str,
    reply: Callable[..., object],
    from_home: bool = False,
) -> None:
    """After a call is logged, however it was: `reply` (the acknowledgement, respond, say or
    a DM) shows its author the call with an Undo button. Logged from their Home tab, the
    Home they are looking at shows it too; any other Home shows it when next opened."""
    reply(**messages.call_logged(call, tz))
    if from_home:
        home_tab.refresh(rapport, client, team_id=call.team_id, user_id=call.logged_by)


def undo(rapport: Rapport, *, team_id: str, user_id: str, call_id: int) -> Call:
    """Delete a call; only the person who logged it may. The account's history keeps
    when the call was and, unless it was private, its note."""
    with rapport.sessions.begin() as s:
        call = call_queries.by_id(s, team_id=team_id, call_id=call_id)
        if call is None:
            raise UserError(_("That call is already gone."))
        if call.logged_by != user_id:
            raise UserError(
                _("Only {person} can undo this call.").format(person=f"<@{call.logged_by}>")
            )
        call_queries.delete_call(s, call=call)
        now = rapport.clock.now()
        history.record(
            s,
            call.account,
            by=user_id,
            now=now,
            kind=ChangeKind.CALL_DELETED,
            old=history.deleted_call(call),
        )
        home_queries.changed(s, team_id=team_id, user_ids=[call.account.owner_id], now=now)
        return call


def _add(
    s: Session,
    user: Person,
    account: Account,
    occurred_at: datetime,
    notes: str,
    source: CallSource,
    now: datetime,
    *,
    attendees: Sequence[Contact] = (),
    **extra,
) -> Call:
    """Store the call, and who of the account's contacts was on it (loaded on the call,
    for its confirmation)."""
    call = Call(
        team_id=user.team_id,
        account=account,
        logged_by=user.user_id,
        occurred_at=occurred_at,
        notes=notes,
        source=source,
        created_at=now,
        **extra,
    )
    s.add(call)
    s.flush()
    contact_queries.attended(
        s, team_id=user.team_id, call_id=call.id, contact_ids=[c.id for c in attendees]
    )
    set_committed_value(call, "contacts", list(attendees))
    home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    return call


def _split_notes(text: str) -> tuple[str, next_steps.Notes]:
    """The head (`<account> <when>`) and what follows the colon: the notes, then the next
    step and follow-up phrase if typed (bot/calls/next_steps.py)."""
    found = NOTES_COLON.search(text)
    notes = next_steps.split(text[found.end() :]) if found else None
    if notes is None or not notes.notes:
        raise UserError(_("Put what was said after a colon: {example}.").format(example=EXAMPLE))
    if len(notes.notes) > NOTES_MAX:
        raise UserError(notes_too_long())
    return text[: found.start()].strip(), notes


def _split_account(s: Session, head: str, user: Person, now: datetime, reading: dict) -> tuple:
    """The account named at the start of `head` and the "when" phrase after it."""
    if not head:
        raise UserError(_("Name the account first: {example}.").format(example=EXAMPLE))
    quoted = QUOTED_NAME.match(head)
    if quoted:
        return find_active(s, team_id=user.team_id, query=quoted.group(1)), quoted.group(2)
    every = functools.partial(account_queries.active, s, team_id=user.team_id)
    words = head.split()
    # Any account the words can name starts with the first word.
    found = split_name(every(starting=name_key(words[0])), words)
    if found is None:
        name = _unknown_name(words, user, now, reading)
        raise UserError(unknown_account_message(every(), name))
    account, rest = found
    return account, " ".join(rest)


def _split_attendees(s: Session, account: Account, rest: str) -> tuple[str, list[Contact]]:
    """The "when" phrase, and the account's contacts named after `with` (UserError when a
    name is not one of them)."""
    found = WITH.search(rest)
    if found is None:
        return rest, []
    named = contacts.attendees(s, account=account, typed=rest[found.end() :])
    return rest[: found.start()].strip(), named


def _unknown_name(words: list[str], user: Person, now: datetime, reading: dict) -> str:
    """The leading words that are not the "when" phrase, to quote back an unknown name."""
    for i in range(1, len(words)):
        try:
            parse_moment(" ".join(words[i:]), tz=user.tz, now=now, **reading)
            return " ".join(words[:i])
        except UserError:
            continue
    return " ".join(words)


def notes_too_long() -> str:
    return _("Keep notes under {limit} characters.").format(limit=isolate(number(NOTES_MAX)))


def _plain(message: str) -> str:
    """Modal errors are plain text: drop the date token markup, keep its fallback."""
    return unescape(DATE_TOKEN.sub(r"\2", message))
