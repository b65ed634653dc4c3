"""Finding an account's contact by what people type: the full name, or a first or last
name that only one of them has, in any case and with accents optional."""

from bot.accounts.names import name_key
from bot.errors import UserError
from bot.i18n import _, isolate
from bot.mrkdwn import escape
from storage.models import Account, Contact


def find_contact(account: Account, contacts: list[Contact], typed: str) -> Contact:
    """The contact of `account` named `typed`, or UserError listing its contacts."""
    key = name_key(typed)
    for contact in contacts:
        if contact.name_key == key:
            return contact
    matching = [c for c in contacts if key and _named_by_part(c, key)]
    if len(matching) == 1:
        return matching[0]
    if matching:
        raise UserError(
            _("“{typed}” could be {names}. Write the full name.").format(
                typed=isolate(escape(typed)), names=names_list(matching)
            )
        )
    raise UserError(unknown_contact_message(account, contacts, typed))


def split_contact(
    account: Account, contacts: list[Contact], words: list[str]
) -> tuple[Contact, list[str]] | None:
    """The contact named by the first words of `words`, and the words after it: the
    longest full name first, then a first or last name only one contact has. None when
    the first word names none of them."""
    by_key = {contact.name_key: contact for contact in contacts}
    for k in range(len(words), 0, -1):
        if contact := by_key.get(name_key(" ".join(words[:k]))):
            return contact, words[k:]
    if not words:
        return None
    key = name_key(words[0])
    matching = [c for c in contacts if key and _named_by_part(c, key)]
    if not matching:
        return None
    return find_contact(account, contacts, words[0]), words[1:]


def unknown_contact_message(account: Account, contacts: list[Contact], typed: str) -> str:
    account_name = isolate(escape(account.name))
    if not contacts:
        text = _(
            "*{account}* has no contact called “{typed}”; it has no contacts yet. Add one "
            "with `/account contact add {typed_account} <name>`."
        )
    else:
        text = _("*{account}* has no contact called “{typed}”. Its contacts: {names}.")
    return text.format(
        account=account_name,
        typed=isolate(escape(typed)),
        typed_account=escape(account.name),
        names=names_list(contacts),
    )


def names_list(contacts: list[Contact]) -> str:
    """The contacts' names, bold, separated by commas (Slack's limits: the caller's)."""
    # Translators: what separates names in a list ("*Dana Lee*, *Sam Roy*").
    return _(", ").join(f"*{isolate(escape(contact.name))}*" for contact in contacts)


def _named_by_part(contact: Contact, key: str) -> bool:
    """`key` is the first name, the last name, or the first words of the contact's name."""
    words = contact.name_key.split()
    typed = key.split()
    return words[: len(typed)] == typed or (len(typed) == 1 and words[-1] == key)
