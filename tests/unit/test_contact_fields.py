"""A contact's fields as typed after `/account contact add <account> <name>`, and a
contact found by a first, last or full name: bot/contacts/fields.py and names.py."""

import pytest

from bot.accounts.names import name_key
from bot.contacts.fields import ContactFields, checked_contact, checked_field, read_contact
from bot.contacts.names import find_contact, split_contact
from bot.errors import UserError
from storage.models import Account, Contact


@pytest.mark.parametrize(
    "details, expected",
    [
        ([], ContactFields("Dana Lee")),
        (["CFO"], ContactFields("Dana Lee", role="CFO")),
        (["CFO", "Finance"], ContactFields("Dana Lee", role="CFO", department="Finance")),
        (["", "Finance"], ContactFields("Dana Lee", department="Finance")),
        (["CFO", "Finance", "fa"], ContactFields("Dana Lee", "CFO", "Finance", language="fa")),
        (
            ["CFO", "Finance", "<mailto:dana@acme.com|dana@acme.com> <@U0DANA|dana> vi"],
            ContactFields("Dana Lee", "CFO", "Finance", "dana@acme.com", "U0DANA", "vi"),
        ),
        (
            ["dana@acme.com", "CFO", "language Persian"],
            ContactFields("Dana Lee", role="CFO", email="dana@acme.com", language="fa"),
        ),
        (
            ["<@W0DANA>", "  Head   of  IT "],
            ContactFields("Dana Lee", "Head of IT", None, None, "W0DANA"),
        ),
    ],
)
def test_details_are_read_in_order_and_by_shape(details, expected):
    assert read_contact(" Dana   Lee ", details) == expected


@pytest.mark.parametrize(
    "details, message",
    [
        (["dana@acme"], "is not an email address"),
        (["a@b.co", "c@d.co"], "one email address"),
        (["a@b.co c@d.co"], "one email address"),
        (["<@U1AA> <@U2BB>"], "one Slack user"),
        (["CFO", "Finance", "klingon"], "not a language Rapport speaks"),
        (["CFO", "Finance", "fa", "more"], "separated by commas"),
        (["language fa", "language ar"], "one language; it was given twice"),
        (["x" * 81], "at most 80 characters"),
    ],
)
def test_wrong_details_say_what_is_wrong(details, message):
    with pytest.raises(UserError, match=message):
        read_contact("Dana", details)


@pytest.mark.parametrize("name", ["", "  ", "Dana, Lee", "Dana: Lee", "<b>", "x" * 81])
def test_a_name_must_be_one(name):
    with pytest.raises(UserError):
        checked_contact(name)


def test_edited_fields_are_checked_and_none_clears():
    assert checked_field("role", "VP  Finance") == ("role", "VP Finance")
    assert checked_field("team", "none") == ("department", None)
    assert checked_field("slack", "<@U0DANA|dana>") == ("slack_user_id", "U0DANA")
    assert checked_field("email", "<mailto:d@acme.com|d@acme.com>") == ("email", "d@acme.com")
    assert checked_field("language", "Tiếng Việt") == ("language", "vi")
    with pytest.raises(UserError, match="Give the contact's name"):
        checked_field("name", " ")
    with pytest.raises(UserError, match="Give a value for `role`, or `none`"):
        checked_field("role", " ")
    with pytest.raises(UserError, match="Mention their Slack user"):
        checked_field("slack", "dana")


def people(*names: str) -> list[Contact]:
    return [Contact(id=i, name=n, name_key=name_key(n)) for i, n in enumerate(names, 1)]


ACME = Account(name="Acme Corp")


def test_a_contact_is_found_by_full_first_or_last_name_in_any_case_and_accents():
    contacts = people("Dana Lee", "Đức Nguyễn", "Sam Roy")
    assert find_contact(ACME, contacts, "DANA LEE").name == "Dana Lee"
    assert find_contact(ACME, contacts, "dana").name == "Dana Lee"
    assert find_contact(ACME, contacts, "lee").name == "Dana Lee"
    assert find_contact(ACME, contacts, "duc").name == "Đức Nguyễn"
    assert find_contact(ACME, contacts, "nguyen").name == "Đức Nguyễn"


def test_an_unknown_or_ambiguous_name_lists_the_contacts():
    contacts = people("Dana Lee", "Dana Kim")
    with pytest.raises(UserError, match="could be \\*Dana Lee\\*, \\*Dana Kim\\*"):
        find_contact(ACME, contacts, "dana")
    with pytest.raises(UserError, match="no contact called “Sam”. Its contacts: \\*Dana Lee"):
        find_contact(ACME, contacts, "Sam")
    with pytest.raises(UserError, match="no contacts yet"):
        find_contact(ACME, [], "Sam")


def test_split_contact_takes_the_longest_full_name_then_a_first_name():
    contacts = people("Dana Lee", "Sam Roy")
    assert split_contact(ACME, contacts, "dana lee what grade".split())[1] == ["what", "grade"]
    contact, rest = split_contact(ACME, contacts, "Sam how are we".split())
    assert contact.name == "Sam Roy" and rest == ["how", "are", "we"]
    assert split_contact(ACME, contacts, ["please"]) is None
