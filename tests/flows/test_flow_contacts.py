"""Contacts end to end: `/account contact add|list|edit|remove` and their history, the
contacts on a call (`with Dana`, the modal's "With"), `/account show`'s contacts and the
teams no call reached, and `/grade Acme Dana`; signed requests to the real `serve`, Slack
faked."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import (
    Account,
    AccountChange,
    Call,
    CallContact,
    ChangeKind,
    Contact,
    GradeRequest,
)
from support import slack_requests
from support.clock import START
from support.forms import call_form
from support.shown import posted_to, token_for, visible
from support.stored import all_rows, count

DANA = "U0DANA"  # Dana Lee's Slack user
ADD_DANA = f"contact add Acme Dana Lee, CFO, Finance, <mailto:dana@acme.com|dana@acme.com> <@{DANA}|dana> fa"


@pytest.fixture
def acme(slack, fake):
    fake.add_user(DANA, tz="Europe/London", name="dana")
    slack.ask("/account", "add Acme Corp")


def contacts(rapport) -> list[Contact]:
    return sorted(all_rows(rapport, Contact), key=lambda c: c.id)


def changes(rapport) -> list[AccountChange]:
    return sorted(all_rows(rapport, AccountChange), key=lambda c: c.id)


def account_id(rapport, name: str) -> int:
    with rapport.reads.begin() as s:
        return s.scalars(select(Account.id).where(Account.name == name)).one()


# -- add, list, edit, remove


def test_contacts_are_added_listed_edited_removed_and_kept_in_history(slack, rapport, acme):
    reply = visible(slack.ask("/account", ADD_DANA))
    assert "Added *Dana Lee* to the contacts of *Acme Corp*" in reply
    assert f"<@{DANA}>" in reply and "Email: dana@acme.com" in reply and "فارسی" in reply
    (dana,) = contacts(rapport)
    assert (dana.name, dana.name_key, dana.role, dana.department) == (
        "Dana Lee",
        "dana lee",
        "CFO",
        "Finance",
    )
    assert (dana.email, dana.slack_user_id, dana.language) == ("dana@acme.com", DANA, "fa")
    assert dana.created_by == "U0001" and dana.removed_at is None and dana.team_id == "T0001"

    listed = visible(slack.ask("/account", "contact list acme"))
    assert "1 contact of Acme Corp" in listed
    assert "*Dana Lee*, CFO, Finance, never on a call" in listed

    reply = visible(slack.ask("/account", "contact edit Acme Dana role VP Finance"))
    assert "Updated *Dana Lee* of *Acme Corp*" in reply and "Role: VP Finance" in reply
    slack.ask("/account", "contact edit Acme dana lee team none")
    slack.ask("/account", "contact edit Acme Dana name Dana Lee-Park")
    (dana,) = contacts(rapport)
    assert (dana.name, dana.name_key, dana.role, dana.department) == (
        "Dana Lee-Park",
        "dana lee-park",
        "VP Finance",
        None,
    )

    reply = visible(slack.ask("/account", "contact remove Acme Dana"))
    assert "Removed *Dana Lee-Park* from the contacts of *Acme Corp*" in reply
    (dana,) = contacts(rapport)
    assert dana.removed_at == START
    assert "has no contacts yet" in visible(slack.ask("/account", "contact list Acme"))

    # The name added again is the same contact, back, with only the new details.
    slack.ask("/account", "contact add Acme Dana Lee-Park, CEO")
    (back,) = contacts(rapport)
    assert back.id == dana.id and back.removed_at is None
    assert (back.role, back.department, back.email, back.slack_user_id) == ("CEO", None, None, None)
    again = visible(slack.ask("/account", "contact add Acme dana LEE-park, CTO"))
    assert "*Acme Corp* already has a contact called *Dana Lee-Park*" in again
    assert contacts(rapport)[0].role == "CEO"

    assert [(c.kind, c.field, c.changed_by) for c in changes(rapport)] == [
        (ChangeKind.CONTACT_ADDED, None, "U0001"),
        (ChangeKind.CONTACT_CHANGED, "role", "U0001"),
        (ChangeKind.CONTACT_CHANGED, "team", "U0001"),
        (ChangeKind.CONTACT_CHANGED, "name", "U0001"),
        (ChangeKind.CONTACT_REMOVED, None, "U0001"),
        (ChangeKind.CONTACT_ADDED, None, "U0001"),
    ]
    history = visible(slack.ask("/account", "history Acme"))
    for line in (
        "<@U0001> added the contact *Dana Lee*",
        "<@U0001> changed the role of *Dana Lee* from “CFO” to “VP Finance”",
        "<@U0001> changed the team of *Dana Lee* from “Finance” to not set",
        "<@U0001> renamed the contact *Dana Lee* to *Dana Lee-Park*",
        "<@U0001> removed the contact *Dana Lee-Park*",
    ):
        assert line in history


def test_an_admin_changing_contacts_is_told_to_the_owner(slack, rapport, fake, acme):
    fake.add_user("U0ADMIN", name="ada", roles=("is_admin",))
    slack.ask("/account", "contact add Acme Sam Roy, CTO", user_id="U0ADMIN")
    (sam,) = contacts(rapport)
    assert sam.created_by == "U0ADMIN"
    (notice,) = fake.wait_for("chat.postMessage")
    assert notice.args["channel"] == "U0001"
    assert "<@U0ADMIN> added the contact *Sam Roy*, on *Acme Corp*" in visible(notice.args)


@pytest.mark.parametrize(
    "text, user_id, expected",
    [
        ("contact add Acme Dana Lee, CFO, Finance, dana@acme", "U0001", "is not an email address"),
        ("contact add Acme Dana Lee, CFO, @dana", "U0001", "mention them so that Slack links"),
        ("contact add Acme Dana Lee, CFO, Finance, language xx", "U0001", "not a language"),
        ("contact add Globex Dana Lee, CFO", "U0001", "I don't know an account called “Globex”"),
        ("contact add Acme", "U0001", "Name the contact after the account"),
        ("contact add Acme Dana: Lee", "U0001", "Contact names can't contain"),
        (f"contact add Acme {'D' * 81}", "U0001", "at most 80 characters"),
        ("contact add Acme Dana Lee, CFO", "U0002", "Only <@U0001> (the owner) or a Rapport"),
        ("contact edit Acme Dana role VP", "U0001", "has no contact called “Dana”"),
        ("contact remove Acme Dana", "U0001", "has no contact called “Dana”"),
        ("contact frobnicate Acme", "U0001", "Use `/account contact add`"),
    ],
)
def test_bad_contact_input_stores_nothing(slack, rapport, acme, text, user_id, expected):
    assert expected in visible(slack.ask("/account", text, user_id=user_id))
    assert count(rapport, Contact) == 0 and count(rapport, AccountChange) == 0


def test_only_the_owner_or_an_admin_edits_or_removes(slack, rapport, acme):
    slack.ask("/account", ADD_DANA)
    for text in ("contact edit Acme Dana role CEO", "contact remove Acme Dana"):
        assert "Only <@U0001> (the owner)" in visible(slack.ask("/account", text, user_id="U0002"))
    (dana,) = contacts(rapport)
    assert dana.role == "CFO" and dana.removed_at is None and count(rapport, AccountChange) == 1
    # Reading is for everyone in the workspace.
    assert "*Dana Lee*" in visible(slack.ask("/account", "contact list Acme", user_id="U0002"))


# -- calls with contacts, and /account show


def test_a_call_with_dana_then_show_lists_her_last_call_and_a_quiet_team(
    slack, rapport, fake, acme
):
    slack.ask("/account", ADD_DANA)
    slack.ask("/account", "contact add Acme Sam Roy, CTO, Engineering")
    slack.ask("/account", "contact add Acme Kim Park, Buyer, finance")
    slack.ask("/account", "contact add Acme Ola Berg, Counsel, Legal")
    slack.ask("/logcall", "Acme 100 days ago with Sam: an old kickoff")

    reply = visible(slack.ask("/logcall", "Acme yesterday 3pm with Dana: renewal talk"))
    assert "*With:* *Dana Lee*" in reply and "renewal talk" in reply
    call = max(all_rows(rapport, Call), key=lambda c: c.id)
    (dana, sam, kim, ola) = contacts(rapport)
    with rapport.reads.begin() as s:
        attended = s.scalars(select(CallContact.contact_id).where(CallContact.call_id == call.id))
        assert list(attended) == [dana.id]
    yesterday = START.replace(hour=20) - timedelta(days=1)  # 3pm in New York
    assert call.occurred_at == yesterday and call.notes == "renewal talk"

    reply = slack.ask("/account", "show Acme")
    print("\n/account show Acme:", *(block["text"]["text"] for block in reply["blocks"]), sep="\n")
    shown = visible(reply)
    assert f"*Dana Lee*, CFO, Finance, last on a call {token_for(yesterday)}" in shown
    assert "*Kim Park*, Buyer, finance, never on a call" in shown
    assert "*Sam Roy*, CTO, Engineering, last on a call" in shown
    assert "*Ola Berg*, Counsel, Legal, never on a call" in shown
    assert "No call with *Engineering* in 90 days." in shown  # 100 days ago
    assert "No call with *Legal* in 90 days." in shown  # never
    assert "No call with *Finance*" not in shown and "No call with *finance*" not in shown


def test_call_attendees_in_the_dm_grammar_and_names_that_are_not_contacts(
    slack, rapport, fake, acme
):
    slack.ask("/account", ADD_DANA)
    slack.ask("/account", "contact add Acme Dana Kim، Buyer، Procurement")  # Persian commas
    slack.ask("/account", "contact add Acme Sam Roy, CTO, Engineering")
    assert [(c.name, c.role, c.department) for c in contacts(rapport)][1] == (
        "Dana Kim",
        "Buyer",
        "Procurement",
    )

    for text, expected in [
        ("Acme yesterday with Dana: hello", "“Dana” could be *Dana Kim*, *Dana Lee*"),
        ("Acme yesterday with Dnaa: hello", "has no contact called “Dnaa”. Its contacts:"),
        ("Acme yesterday with : hello", "Name who was on the call"),
    ]:
        assert expected in visible(slack.ask("/logcall", text))
    assert count(rapport, Call) == 0 and count(rapport, CallContact) == 0

    # First name, last name or full name, any case and accents; and `log` in a DM.
    event = slack_requests.direct_message("log Acme 2 hours ago with dana lee, roy and Kim: deck")
    slack.event(event, event_id="Ev0CONTACTS")
    confirmation = fake.wait_for("chat.postMessage")[-1].args
    assert "*With:* *Dana Kim*, *Dana Lee*, *Sam Roy*" in visible(confirmation)
    (call,) = all_rows(rapport, Call)
    assert call.notes == "deck" and call.occurred_at == START - timedelta(hours=2)
    assert count(rapport, CallContact) == 3

    # "with" and "and" in Persian.
    reply = visible(slack.ask("/logcall", "Acme با Sam و Dana Kim: جلسه"))
    assert "*With:* *Dana Kim*, *Sam Roy*" in reply
    assert count(rapport, Call) == 2 and count(rapport, CallContact) == 5


def test_the_modal_offers_the_picked_accounts_contacts_and_stores_them(slack, rapport, fake, acme):
    slack.ask("/account", "add Globex")
    slack.ask("/account", ADD_DANA)
    slack.ask("/account", "contact add Acme Sam Roy")
    slack.ask("/account", "contact add Globex Pat Doe, CEO")
    acme_id, globex_id = account_id(rapport, "Acme Corp"), account_id(rapport, "Globex")
    (dana, sam, pat) = contacts(rapport)

    assert slack.command("/logcall", "").status == 200
    view = fake.wait_for("views.open")[0].args["view"]
    (picker,) = [b for b in view["blocks"] if b["block_id"] == "contacts"]
    assert picker["element"]["type"] == "multi_external_select" and picker["optional"]

    def offered(picked: int | None, typed: str = "") -> list[str]:
        values = {}
        if picked is not None:
            values = {
                k: v for k, v in call_form(picked, when="", notes="").items() if k == "account"
            }
        ack = slack.options(action_id="contacts", block_id="contacts", value=typed, values=values)
        return [option["text"]["text"] for option in ack.json["options"]]

    assert offered(None) == []
    assert offered(acme_id) == ["Dana Lee (CFO, Finance)", "Sam Roy"]
    assert offered(acme_id, "ro") == ["Sam Roy"]
    assert offered(globex_id) == ["Pat Doe (CEO)"]

    def chosen(*people: Contact) -> dict:
        options = [
            {"value": str(c.id), "text": {"type": "plain_text", "text": c.name}} for c in people
        ]
        return {
            "contacts": {"contacts": {"type": "multi_external_select", "selected_options": options}}
        }

    # Globex's Pat on an Acme call: the modal says so, nothing is stored.
    values = {**call_form(acme_id, when="yesterday", notes="renewal"), **chosen(dana, pat)}
    ack = slack.submit(callback_id="log_call", values=values)
    assert ack.json["response_action"] == "errors" and set(ack.json["errors"]) == {"contacts"}
    assert count(rapport, Call) == 0

    values = {**call_form(acme_id, when="yesterday", notes="renewal"), **chosen(dana, sam)}
    assert slack.submit(callback_id="log_call", values=values).status == 200
    confirmation = fake.wait_for("chat.postMessage")[-1].args
    assert "*With:* *Dana Lee*, *Sam Roy*" in visible(confirmation)
    (call,) = all_rows(rapport, Call)
    with rapport.reads.begin() as s:
        attended = s.scalars(select(CallContact.contact_id).where(CallContact.call_id == call.id))
        assert sorted(attended) == [dana.id, sam.id]


# -- grades


def test_grade_a_contact_asks_their_slack_user(slack, rapport, fake, acme):
    slack.ask("/account", ADD_DANA)
    slack.ask("/account", "contact add Acme Sam Roy, CTO")
    (dana, sam) = contacts(rapport)

    confirmation = visible(slack.ask("/grade", "Acme Dana"))
    assert f"Asked <@{DANA}> for a grade on *Acme Corp*" in confirmation
    (prompt,) = posted_to(fake, DANA)
    assert "*Acme Corp*" in visible(prompt)
    (request,) = all_rows(rapport, GradeRequest)
    assert (request.grader_id, request.contact_id, request.asked_by) == (DANA, dana.id, "U0001")

    # Sam has no Slack user: a personal link, which needs PUBLIC_URL (tests/flows/test_flow_grade_links.py).
    refused = visible(slack.ask("/grade", "Acme Sam"))
    assert "an admin must set PUBLIC_URL" in refused
    assert "one of the contacts of *Acme Corp*" in visible(slack.ask("/grade", "Acme Nobody"))
    assert count(rapport, GradeRequest) == 1
