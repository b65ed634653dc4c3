"""Editing a logged call: who may (its author, the account's owner, a Rapport admin), the
modal filled with what the call holds, and the change, kept field by field in the
account's history and told to the owner when someone else made it.

A private call's notes and next step never reach the history: the history is read by
everyone in the workspace, so an edit of either while the call is (or was) private is
kept as "changed a private call's notes", without the old or the new text.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot import access, people
from bot.accounts import history
from bot.calls import messages
from bot.calls.ids import CALL_ACCOUNT, CALL_CONTACTS
from bot.calls.logcall import CallForm, form_errors
from bot.errors import FormErrors, UserError, unless_slack_fails
from bot.i18n import _, isolate
from bot.mrkdwn import escape, in_range
from bot.people import Person
from bot.runtime.context import Rapport
from bot.when import local_phrase
from storage.models import Account, AccountChange, Call, ChangeKind, Contact
from storage.queries import accounts as account_queries
from storage.queries import calls as call_queries
from storage.queries import contacts as contact_queries
from storage.queries import home as home_queries

log = logging.getLogger(__name__)
# The call's fields an edit changes, as the history names them; notes and next step are
# text, `when` an ISO moment, `follow_up` an ISO day, `private` "true" or "false",
# `account` the account's name.
TEXT_FIELDS = ("notes", "next_step")


@dataclass(frozen=True)
class Edited:
    """An edited call and the history entries of its changes (none: nothing changed)."""

    call: Call
    changes: list[AccountChange]
    moved_from: Account | None = None  # the account it was on, when it moved


def opened(rapport: Rapport, *, user: Person, call_id: int) -> dict:
    """The edit modal of the call, filled with what it holds, or UserError saying why not
    (it is gone, or `user` may not edit it)."""
    with rapport.reads.begin() as s:
        call = _editable(s, user, call_id)
        # A moment stored before input was checked (year 1) cannot be written back.
        when = local_phrase(call.occurred_at, user.tz) if in_range(call.occurred_at) else ""
        return messages.call_modal(when=when, notes=call.notes, edit=call)


def edit(
    rapport: Rapport,
    *,
    user: Person,
    call_id: int,
    form: CallForm,
    shown: str,
    version: str,
    notes_kept: bool = False,
) -> Edited:
    """Change the call as the edit modal says, in one transaction; FormErrors names each bad
    field and nothing is stored. `shown` is the time the modal was opened with: left as
    it was, the call keeps its moment to the microsecond. `version` is the call's as the
    modal showed it: a call changed since is not overwritten. `notes_kept`: the modal had no
    notes field (they were too long for one), so the notes stay."""
    now = rapport.clock.now()
    errors, occurred_at = form_errors(
        rapport,
        user=user,
        form=form,
        now=now,
        read_when=form.when.strip() != shown,
        read_notes=not notes_kept,
    )
    with rapport.sessions.begin() as s:
        call = _editable(s, user, call_id, locked=True)  # two edits at once: one at a time
        if messages.version(call) != version:
            raise UserError(
                _(
                    "This call was changed since you opened it, so nothing was saved. "
                    "Press Edit again to see it as it is now."
                )
            )
        s.refresh(call, ["contacts"])  # who attended: shown after the transaction
        account = None
        if form.account_id is not None:
            account = account_queries.by_id(s, team_id=user.team_id, account_id=form.account_id)
        if account is None or (account.archived_at is not None and account.id != call.account_id):
            errors[CALL_ACCOUNT] = _("Pick an account.")
        attendees = []
        if account is not None and form.contact_ids:
            attendees = _attendees(s, user, call, account, form.contact_ids)
            if attendees is None:
                errors[CALL_CONTACTS] = _("Pick people of the account picked above.")
        if errors:
            raise FormErrors(errors)
        new = {
            "account": account,
            "attendees": attendees,
            "when": occurred_at or call.occurred_at,
            "notes": call.notes if notes_kept else form.notes.strip(),
            "next_step": form.next_step.strip() or None,
            "follow_up": form.follow_up_on,
            "private": form.private,
        }
        return _change(s, user, call, new, now)


def tell_owners(rapport: Rapport, client: WebClient, edited: Edited, editor: str) -> None:
    """DM the owner of the call's account (and of the account it left) one message with
    what someone else changed, in the owner's language. A DM Slack refuses is logged: the
    edit stands."""
    accounts = [edited.call.account, *([edited.moved_from] if edited.moved_from else [])]
    # A move is kept in both accounts' histories: told once.
    changes = [c for c in edited.changes if c.account_id == edited.call.account_id]
    for account in accounts:
        if account.owner_id == editor or not changes:
            continue
        with unless_slack_fails(f"edit of call {edited.call.id} not told to {account.owner_id}"):
            try:
                owner = people.person(
                    rapport, client, team_id=account.team_id, user_id=account.owner_id
                )
            except UserError:
                log.warning("edit not told to %s: not a Slack user", account.owner_id)
                continue
            with owner.speaking(rapport.settings.default_language):
                notice = messages.call_edited_notice(edited.call, changes)
            client.chat_postMessage(channel=account.owner_id, **notice)


def _editable(s: Session, user: Person, call_id: int, locked: bool = False) -> Call:
    """The call, if `user` may edit it; else UserError saying it is gone or who may."""
    call = call_queries.by_id(s, team_id=user.team_id, call_id=call_id, locked=locked)
    if call is None:
        raise UserError(_("That call is gone: it was removed, so there is nothing to edit."))
    if call.logged_by == user.user_id and not user.is_guest:
        return call
    if user.user_id == call.account.owner_id and not user.is_guest:
        return call
    if access.is_admin(s, user):
        return call
    raise UserError(
        _(
            "Only {author} (who logged it), {owner} (the owner of *{name}*) or a Rapport "
            "admin can edit this call."
        ).format(
            author=f"<@{call.logged_by}>",
            owner=f"<@{call.account.owner_id}>",
            name=isolate(escape(call.account.name)),
        )
    )


def _attendees(
    s: Session, user: Person, call: Call, account: Account, contact_ids: tuple[int, ...]
) -> list[Contact] | None:
    """The contacts picked, or None when one is not the account's: a contact removed since
    the call may stay on it, no other removed contact may be added."""
    kept = {c.id: c for c in call.contacts} if account.id == call.account_id else {}
    others = [i for i in dict.fromkeys(contact_ids) if i not in kept]
    found = contact_queries.by_ids(s, team_id=user.team_id, account_id=account.id, ids=others)
    if len(found) != len(others):
        return None
    picked = [kept[i] for i in dict.fromkeys(contact_ids) if i in kept] + found
    return sorted(picked, key=lambda contact: contact.name_key)


def _change(s: Session, user: Person, call: Call, new: dict, now: datetime) -> Edited:
    """Apply `new` to the call and keep each changed field in the history."""
    account = new.pop("account")
    attendees = new.pop("attendees")
    old = {
        "when": call.occurred_at,
        "notes": call.notes,
        "next_step": call.next_step,
        "follow_up": call.follow_up_on,
        "private": call.private,
    }
    secret = old["private"] or new["private"]
    entries = []
    moved_from = None
    if account.id != call.account_id:
        moved_from = call.account
        entries.append(("account", moved_from.name, account.name))
    names = [[c.name for c in people] for people in (call.contacts, attendees)]
    if sorted(names[0]) != sorted(names[1]):
        entries.append(("attendees", ", ".join(names[0]) or None, ", ".join(names[1]) or None))
    for field, value in new.items():
        if value == old[field]:
            continue
        if field in TEXT_FIELDS and secret:
            entries.append((field, None, None))
        else:
            entries.append((field, _stored(old[field]), _stored(value)))
    if not entries:
        return Edited(call, [])
    call.account = account
    call.occurred_at = new["when"]
    call.notes = new["notes"]
    call.next_step = new["next_step"]
    call.follow_up_on = new["follow_up"]
    call.private = new["private"]
    call.updated_at = now
    if sorted(names[0]) != sorted(names[1]) or moved_from is not None:
        call_queries.set_attendees(
            s, team_id=user.team_id, call_id=call.id, contact_ids=[c.id for c in attendees]
        )
        set_committed_value(call, "contacts", attendees)
    changes = []
    for field, before, after in entries:
        for kept_on in [account, *([moved_from] if field == "account" else [])]:
            changes.append(
                history.record(
                    s,
                    kept_on,
                    by=user.user_id,
                    now=now,
                    kind=ChangeKind.CALL_EDITED,
                    field=field,
                    old=before,
                    new=after,
                )
            )
    s.flush()
    owners = {account.owner_id, *([moved_from.owner_id] if moved_from else [])}
    home_queries.changed(s, team_id=user.team_id, user_ids=sorted(owners), now=now)
    return Edited(call, changes, moved_from)


def _stored(value) -> str | None:
    """A call field's value as the history keeps it."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat()
