"""Contacts in Block Kit: `/account show` and `/account contact list` stay within Slack's
limits however many contacts and teams an account has."""

from datetime import datetime, timezone

from bot.accounts.messages import account_details
from bot.accounts.values import AccountView
from bot.blocks import BLOCKS_MAX, SECTION_TEXT_MAX
from bot.contacts import messages
from bot.contacts.values import ContactView, Overview
from storage.models import Account, Contact

ACME = Account(id=1, name="Acme Corp", owner_id="U0001")
CALLED = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)


def many(n: int) -> Overview:
    views = [
        ContactView(
            Contact(
                id=i, name=f"Person {i:03} <&>", role="Head of " + "x" * 70, department=f"Team {i}"
            ),
            CALLED if i % 2 else None,
        )
        for i in range(n)
    ]
    return Overview(views, [f"Team {i}" for i in range(0, n, 2)])


def within_limits(message: dict) -> None:
    assert len(message["blocks"]) <= BLOCKS_MAX
    assert all(len(b["text"]["text"]) <= SECTION_TEXT_MAX for b in message["blocks"])


def test_show_lists_the_first_contacts_and_points_to_the_full_list():
    lines = messages.overview_lines(ACME, many(500), "UTC")
    message = account_details(AccountView(ACME, None, []), "UTC", "U0001", lines)
    within_limits(message)
    text = "\n".join(b["text"]["text"] for b in message["blocks"])
    assert "*Person 000 &lt;&amp;&gt;*" in text and "Person 015" not in text
    assert "…and 485 more: `/account contact list Acme Corp`." in text
    assert "never on a call" in text and "No call with *Team 0* in 90 days." in text
    assert "No call with *Team 30*" not in text and "…and 235 more teams with no call" in text


def test_the_full_list_is_packed_and_counts_what_does_not_fit():
    message = messages.contact_list(ACME, many(2000), "UTC")
    within_limits(message)
    assert "more lines" in message["blocks"][-1]["text"]["text"]
    few = messages.contact_list(ACME, many(3), "UTC")
    assert few["text"] == "3 contacts of Acme Corp"


def test_the_modal_options_are_at_most_a_hundred_and_fit_slack():
    options = messages.contact_options([view.contact for view in many(150).contacts])
    assert len(options) == 100 and all(len(o["text"]["text"]) <= 75 for o in options)
