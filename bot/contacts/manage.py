"""`/account contact`'s use cases: add, list, edit, remove; an account's contacts with when
each was last on a call; the contacts named on a call; the contact asked for a grade.

Every change is the account owner's or an admin's (bot/access.py), kept in the account's
history (bot/accounts/history.py) and returned, to be told to the owner."""

import re
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import access
from bot.accounts import history
from bot.accounts.names import find_active, name_key, split_name, unknown_account_message
from bot.contacts import fields
from bot.contacts.names import find_contact, names_list, split_contact
from bot.contacts.values import QUIET_DAYS, ContactView, Overview
from bot.errors import UserError
from bot.i18n import _, isolate
from bot.letters import fold
from bot.mrkdwn import escape
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import Account, AccountChange, ChangeKind, Contact
from storage.queries import accounts as account_queries
from storage.queries import contacts as contact_queries
from storage.queries import home as home_queries
from storage.queries.inserts import insert_new_key

# Between a contact's fields: a comma (Persian and Arabic write it ،).
FIELD_SEPARATOR = re.compile(r"[,،]")
# Names in a call's "with Dana, Lee and Sam".
ATTENDEE_SEPARATOR = re.compile(r"\s*[,،]\s*|\s+(?:and|و|và)\s+|\s*&\s*", re.IGNORECASE)


def add(
    rapport: Rapport, *, user: Person, text: str
) -> tuple[Account, Contact, list[AccountChange]]:
    """`<account> <name>, <details>`: add the contact, or bring a removed one back with
    the new details; an active contact of that name is an error."""
    first, *details = FIELD_SEPARATOR.split(text)
    with rapport.reads.begin() as s:
        account, name_words = _account_and_rest(s, user, first, "add")
    contact_fields = fields.read_contact(" ".join(name_words), [d.strip() for d in details])
    now = rapport.clock.now()
    try:
        with rapport.sessions.begin() as s:
            account = _changeable(s, user, account.id)
            key = name_key(contact_fields.name)
            existing = contact_queries.by_name_key(
                s, team_id=user.team_id, account_id=account.id, name_key=key
            )
            if existing is not None and existing.removed_at is None:
                raise UserError(_already(account, existing))
            if existing is not None:  # removed: back, with the new details
                for column, value in contact_fields.values().items():
                    setattr(existing, column, value)
                existing.removed_at = None
                contact = existing
            else:
                contact_id = insert_new_key(
                    s,
                    Contact,
                    team_id=user.team_id,
                    account_id=account.id,
                    name_key=key,
                    created_by=user.user_id,
                    created_at=now,
                    **contact_fields.values(),
                )
                if contact_id is None:
                    raise UserError(_("That contact was just added by someone else."))
                contact = s.get(Contact, contact_id)
            change = history.record(
                s,
                account,
                by=user.user_id,
                now=now,
                kind=ChangeKind.CONTACT_ADDED,
                new=contact.name,
            )
            home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    except IntegrityError:  # added meanwhile
        raise UserError(_("That contact was just added by someone else.")) from None
    return account, contact, [change]


def listing(rapport: Rapport, *, team_id: str, query: str) -> tuple[Account, Overview]:
    """`/account contact list <account>`: its contacts, with when each was last on a call."""
    if not query.strip():
        raise UserError(_("Name the account: `/account contact list Acme`."))
    with rapport.reads.begin() as s:
        account = find_active(s, team_id=team_id, query=query)
        return account, _overview(s, rapport, account)


def matching(rapport: Rapport, *, team_id: str, account_id: int, typed: str) -> list[Contact]:
    """The account's contacts whose name starts with `typed`, then those containing it."""
    key = name_key(typed)
    with rapport.reads.begin() as s:
        found = contact_queries.of_account(s, team_id=team_id, account_id=account_id)
    found = [contact for contact in found if key in contact.name_key]
    return sorted(found, key=lambda c: (not c.name_key.startswith(key), c.name_key))


def overview(rapport: Rapport, *, account: Account) -> Overview:
    """`/account show`'s part: the contacts, and the teams no call reached lately."""
    with rapport.reads.begin() as s:
        return _overview(s, rapport, account)


def edit(
    rapport: Rapport, *, user: Person, text: str
) -> tuple[Account, Contact, list[AccountChange]]:
    """`<account> <contact> <field> <value>`: change one field of a contact (the owner or
    an admin); no change when the value was already so."""
    words = text.split()
    positions = [i for i, word in enumerate(words) if word.lower() in fields.EDITABLE and i > 1]
    if not positions:
        raise UserError(
            _(
                "Say which field to change: `/account contact edit <account> <name> <field> "
                "<value>`, where field is {fields}. Example: `/account contact edit Acme Dana "
                "role VP Finance`."
            ).format(fields=", ".join(f"`{f}`" for f in fields.EDITABLE if f != "department"))
        )
    with rapport.reads.begin() as s:
        account, contact, i = _contact_before_field(s, user, words, positions)
    field = words[i].lower()
    column, value = fields.checked_field(field, " ".join(words[i + 1 :]))
    now = rapport.clock.now()
    try:
        with rapport.sessions.begin() as s:
            account = _changeable(s, user, account.id)
            contact = s.get(Contact, contact.id)
            if contact is None or contact.removed_at is not None:
                raise UserError(_("That contact was just removed."))
            before_name, before = contact.name, getattr(contact, column)
            if before == value:
                return account, contact, []
            if column == "name":
                taken = contact_queries.by_name_key(
                    s, team_id=user.team_id, account_id=account.id, name_key=name_key(value)
                )
                if taken is not None and taken.id != contact.id:
                    raise UserError(_already(account, taken))
                contact.name_key = name_key(value)
            setattr(contact, column, value)
            change = history.record(
                s,
                account,
                by=user.user_id,
                now=now,
                kind=ChangeKind.CONTACT_CHANGED,
                field=field if field != "department" else "team",
                old=changed_value(before_name, before),
                new=changed_value(contact.name, value),
            )
            home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    except IntegrityError:  # another contact took the name meanwhile
        raise UserError(_("That name was just taken.")) from None
    return account, contact, [change]


def remove(
    rapport: Rapport, *, user: Person, text: str
) -> tuple[Account, Contact, list[AccountChange]]:
    """`<account> <contact>`: remove the contact (the owner or an admin); the calls they
    were on still name them, and adding the name again brings them back."""
    with rapport.reads.begin() as s:
        account, name_words = _account_and_rest(s, user, text, "remove")
        contacts = contact_queries.of_account(s, team_id=user.team_id, account_id=account.id)
        contact = find_contact(account, contacts, " ".join(name_words))
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        account = _changeable(s, user, account.id)
        contact = s.get(Contact, contact.id)
        if contact is None or contact.removed_at is not None:
            raise UserError(_("That contact was already removed."))
        contact.removed_at = now
        change = history.record(
            s,
            account,
            by=user.user_id,
            now=now,
            kind=ChangeKind.CONTACT_REMOVED,
            old=contact.name,
        )
        home_queries.changed(s, team_id=user.team_id, user_ids=[account.owner_id], now=now)
    return account, contact, [change]


def attendees(s: Session, *, account: Account, typed: str) -> list[Contact]:
    """The account's contacts named in a call's `with Dana, Lee and Sam` (`typed` is what
    follows "with"); UserError naming the account's contacts when a name is unknown or
    could be two of them."""
    contacts = contact_queries.of_account(s, team_id=account.team_id, account_id=account.id)
    names = [name for name in ATTENDEE_SEPARATOR.split(typed.strip()) if name.strip()]
    if not names:
        raise UserError(_("Name who was on the call after “with”: `with Dana, Lee`."))
    found = [find_contact(account, contacts, name) for name in names]
    return list({contact.id: contact for contact in found}.values())


def grader(
    rapport: Rapport, *, team_id: str, text: str
) -> tuple[Account, Contact | str, str | None] | None:
    """`/grade <account> <contact or email> [question]`: the account, the contact named
    after it (with or without a Slack user) or the email address typed there when no
    contact has it yet, and the question after that. None when no words follow the
    account's name, or it has no contacts and no address is typed (the person must then be
    mentioned); UserError when the words name none of its contacts."""
    with rapport.reads.begin() as s:
        accounts = account_queries.active(s, team_id=team_id)
        found = split_name(accounts, text.split())
        if found is None:
            raise UserError(unknown_account_message(accounts, text.split()[0]))
        account, rest = found
        email = fields.MAILTO.sub(r"\1", rest[0]) if rest else ""
        if fields.EMAIL.fullmatch(email):
            contact = contact_queries.by_email(
                s, team_id=team_id, account_id=account.id, email=fields.checked_email(email)
            )
            return account, contact or email, " ".join(rest[1:]) or None
        contacts = contact_queries.of_account(s, team_id=team_id, account_id=account.id)
    if not rest or not contacts:
        return None
    named = split_contact(account, contacts, rest)
    if named is None:
        raise UserError(
            _(
                "Mention the person to ask, with @, name one of the contacts of "
                "*{account}* ({names}), or type an email address."
            ).format(account=isolate(escape(account.name)), names=names_list(contacts))
        )
    contact, question = named
    return account, contact, " ".join(question) or None


def contact_for_email(
    s: Session, *, user: Person, account: Account, email: str, now: datetime
) -> Contact:
    """The account's contact with `email`, added (named after the address, or as the
    address when a contact has that name) or brought back if removed, in the history."""
    contact = contact_queries.by_email(s, team_id=user.team_id, account_id=account.id, email=email)
    if contact is not None and contact.removed_at is None:
        return contact
    if contact is not None:
        contact.removed_at = None
    else:
        for name in (name_from_email(email), email[: fields.NAME_MAX]):
            contact_id = insert_new_key(
                s,
                Contact,
                team_id=user.team_id,
                account_id=account.id,
                name=name,
                name_key=name_key(name),
                email=email,
                created_by=user.user_id,
                created_at=now,
            )
            if contact_id is not None:
                break
        else:
            raise UserError(_("A contact of that name was just added by someone else."))
        contact = s.get(Contact, contact_id)
    history.record(
        s, account, by=user.user_id, now=now, kind=ChangeKind.CONTACT_ADDED, new=contact.name
    )
    return contact


def name_from_email(email: str) -> str:
    """A name from an address: dana.lee@client.com is "Dana Lee"."""
    local = email.partition("@")[0]
    words = [word for word in re.split(r"[._+\-]+", local) if word]
    return (" ".join(word[:1].upper() + word[1:] for word in words) or local)[: fields.NAME_MAX]


def changed_value(name: str, value: str | None) -> str:
    """What a contact's change keeps of one side: the contact's name, then the value."""
    return f"{name}\n{value or ''}"


def _overview(s: Session, rapport: Rapport, account: Account) -> Overview:
    contacts = contact_queries.of_account(s, team_id=account.team_id, account_id=account.id)
    last = contact_queries.last_calls(s, team_id=account.team_id, account_id=account.id)
    since = rapport.clock.now() - timedelta(days=QUIET_DAYS)
    teams: dict[str, tuple[str, bool]] = {}  # by folded name: as first written, reached
    for contact in contacts:
        if contact.department:
            key = fold(contact.department)
            shown, reached = teams.get(key, (contact.department, False))
            met = last.get(contact.id)
            teams[key] = (shown, reached or (met is not None and met >= since))
    return Overview(
        [ContactView(contact, last.get(contact.id)) for contact in contacts],
        [shown for shown, reached in sorted(teams.values()) if not reached],
    )


def _account_and_rest(s: Session, user: Person, text: str, verb: str) -> tuple[Account, list[str]]:
    """The active account named first in `text`, and the words after it (the contact's
    name), which must not be empty."""
    words = text.split()
    if not words:
        raise UserError(
            _(
                "Name the account, then the contact: `/account contact {verb} Acme Dana Lee`."
            ).format(verb=verb)
        )
    accounts = account_queries.active(s, team_id=user.team_id)
    found = split_name(accounts, words)
    if found is None:
        raise UserError(unknown_account_message(accounts, words[0]))
    account, rest = found
    if not rest:
        raise UserError(
            _(
                "Name the contact after the account: `/account contact {verb} {account} Dana Lee`."
            ).format(verb=verb, account=escape(account.name))
        )
    return account, rest


def _contact_before_field(
    s: Session, user: Person, words: list[str], positions: list[int]
) -> tuple[Account, Contact, int]:
    """The account and contact named before one of the field words at `positions`, and
    that position: the last position whose words name both, else the first one's error."""
    first_error = None
    for i in reversed(positions):
        try:
            account, rest = _account_and_rest(s, user, " ".join(words[:i]), "edit")
            contacts = contact_queries.of_account(s, team_id=user.team_id, account_id=account.id)
            return account, find_contact(account, contacts, " ".join(rest)), i
        except UserError as error:
            first_error = error
    raise first_error


def _changeable(s: Session, user: Person, account_id: int) -> Account:
    """The account, still active, whose contacts `user` may change (the owner or an admin)."""
    account = account_queries.by_id(s, team_id=user.team_id, account_id=account_id)
    if account is None or account.archived_at is not None:
        raise UserError(_("That account was just archived."))
    # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
    doing = _("change the contacts of *{name}*").format(name=isolate(escape(account.name)))
    access.require_change(s, user, account, doing)
    return account


def _already(account: Account, contact: Contact) -> str:
    return _(
        "*{account}* already has a contact called *{name}*. Change it with "
        "`/account contact edit {typed_account} {typed} role …`."
    ).format(
        account=isolate(escape(account.name)),
        name=isolate(escape(contact.name)),
        typed_account=escape(account.name),
        typed=escape(contact.name),
    )
