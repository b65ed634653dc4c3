"""/account end to end: signed requests to the real `serve` server, Slack faked."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import Account, Call
from support.shown import token_for, visible
from support.stored import all_rows, count
from support.workspace import NEW_YORK


def accounts(rapport) -> list[Account]:
    return all_rows(rapport, Account)


def the_account(rapport, name: str) -> Account:
    with rapport.reads.begin() as s:
        return s.scalars(select(Account).where(Account.name == name)).one()


def ask_in(slack, team_id: str, text: str, *, command="/account", user_id="U0001") -> dict:
    """Like slack.ask, from workspace `team_id`."""
    return slack.ask(command, text, user_id=user_id, team_id=team_id)


# -- help


@pytest.mark.parametrize("text", ["help", "", "HELP"])
def test_help_lists_the_verbs(slack, text):
    reply = visible(slack.ask("/account", text))
    for verb in (
        "/account add",
        "/account list",
        "/account show",
        "/account set",
        "/account archive",
    ):
        assert verb in reply


def test_an_unknown_verb_is_named_then_help_follows(slack, rapport):
    reply = visible(slack.ask("/account", "frobnicate <Acme>"))
    assert "I don't know `/account frobnicate`" in reply
    assert "/account add" in reply and "/account set" in reply
    assert count(rapport, Account) == 0


# -- add


def test_add_makes_the_creator_the_owner(slack, rapport):
    reply = visible(slack.ask("/account", "add Acme Corp", user_id="U0002"))
    assert "Added *Acme Corp*" in reply and "owned by you" in reply
    (account,) = accounts(rapport)
    assert account.name == "Acme Corp" and account.name_key == "acme corp"
    assert (
        account.owner_id == "U0002" and account.created_by == "U0002" and account.team_id == "T0001"
    )
    assert account.archived_at is None


def test_add_folds_spaces_in_the_name(slack, rapport):
    slack.ask("/account", "add   Acme    Corp  ")
    assert [a.name for a in accounts(rapport)] == ["Acme Corp"]


@pytest.mark.parametrize("again", ["Acme Corp", "acme corp", "ACME  CORP"])
def test_a_duplicate_name_is_refused_in_any_case(slack, rapport, again):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", f"add {again}", user_id="U0002"))
    assert "already an account called *Acme Corp*" in reply
    (account,) = accounts(rapport)
    assert account.owner_id == "U0001"


@pytest.mark.parametrize("name", ["Acme: Corp", "Acme <Corp>", "Acme@Corp", "<@U0002>"])
def test_names_with_markup_characters_are_refused(slack, rapport, name):
    reply = visible(slack.ask("/account", f"add {name}"))
    assert "can't contain" in reply
    assert count(rapport, Account) == 0


@pytest.mark.parametrize("text", ["add", "add    "])
def test_an_empty_name_is_refused(slack, rapport, text):
    reply = visible(slack.ask("/account", text))
    assert "Give the account a name" in reply and "/account add Acme Corp" in reply
    assert count(rapport, Account) == 0


def test_a_name_starting_with_a_verb_is_refused(slack, rapport):
    reply = visible(slack.ask("/account", "add list of things"))
    assert "can't start with" in reply
    assert count(rapport, Account) == 0


def test_an_overlong_name_is_refused(slack, rapport):
    reply = visible(slack.ask("/account", "add " + "A" * 81))
    assert "at most 80 characters" in reply
    assert count(rapport, Account) == 0


# -- list


def test_list_before_any_account(slack):
    assert "No accounts yet" in visible(slack.ask("/account", "list"))


def test_list_names_owners_and_last_contact(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex", user_id="U0002")
    before = visible(slack.ask("/account", "list"))
    assert "*2 accounts*" in before
    assert "*Acme Corp*, <@U0001>, last contact no calls yet" in before
    assert "*Globex*, <@U0002>, last contact no calls yet" in before

    slack.ask("/logcall", "Acme 2 days ago 10am: intro")
    slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal")
    after = visible(slack.ask("/account", "list"))
    latest = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo(NEW_YORK))
    assert f"*Acme Corp*, <@U0001>, last contact {token_for(latest)}" in after
    assert "*Globex*, <@U0002>, last contact no calls yet" in after
    assert after.index("Acme Corp") < after.index("Globex")


# -- show


def test_show_by_prefix_in_any_case_shows_fields_and_latest_calls(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex")
    for text in (
        "set Acme Corp renewal March 31 2027",
        "set Acme Corp arr 1.2M",
        "set Acme Corp target 15%",
        "set Acme Corp channel <#C0123|acme>",
        "set Acme Corp competitors Globex, Initech",
        "set Acme Corp owner <@U0002|camille>",  # last: then Alex may no longer change it
    ):
        assert "Updated *Acme Corp*" in visible(slack.ask("/account", text)), text
    slack.ask("/logcall", "Acme 3 days ago 11am: first meeting")
    slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal")

    for query in ("acme", "ACME C", "Acme Corp"):
        reply = visible(slack.ask("/account", f"show {query}"))
        assert "*Acme Corp*" in reply and "Globex*" not in reply.split("Competitors")[0]
        for shown in (
            "Owner: <@U0002>",
            "Renewal: Wed 31 Mar 2027",
            "ARR: 1,200,000",
            "Growth target: +15% a year",
            "Channel: <#C0123>",
            "Competitors: Globex, Initech",
            "*Latest calls*",
            "first meeting",
            "discussed renewal",
        ):
            assert shown in reply, (query, shown)
        newest = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo(NEW_YORK))
        oldest = datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo(NEW_YORK))
        assert token_for(newest) in reply and token_for(oldest) in reply
        assert reply.index("discussed renewal") < reply.index("first meeting")


def test_show_an_account_without_anything_set(slack):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "show acme"))
    assert "Owner: <@U0001>" in reply and "Renewal: not set" in reply and "ARR: not set" in reply
    assert "No calls logged yet" in reply


def test_show_in_a_readers_timezone(slack):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal")
    reply = visible(slack.ask("/account", "show Acme", user_id="U0002"))
    # The token lets Slack show each reader their own time; the fallback is written in theirs.
    assert "Sun 22 Nov 2026 21:00 CET" in reply


def test_an_ambiguous_prefix_asks_which_one(slack):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Acme Labs")
    reply = visible(slack.ask("/account", "show Acme"))
    assert "could be *Acme Corp* or *Acme Labs*" in reply and "Which one?" in reply


def test_an_unknown_name_lists_the_closest(slack):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex")
    reply = visible(slack.ask("/account", "show Acmee Crop"))
    assert "“Acmee Crop”" in reply and "Did you mean *Acme Corp*?" in reply


def test_show_without_a_name_asks_for_one(slack):
    slack.ask("/account", "add Acme Corp")
    assert "Name the account" in visible(slack.ask("/account", "show"))


# -- set


def test_set_owner_from_an_escaped_mention(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set Acme Corp owner <@U0002|camille>"))
    assert "Updated *Acme Corp*" in reply and "Owner: <@U0002>" in reply
    assert the_account(rapport, "Acme Corp").owner_id == "U0002"


def test_set_owner_from_a_mention_without_a_name(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set acme owner <@U0002>")
    assert the_account(rapport, "Acme Corp").owner_id == "U0002"


def test_set_renewal_from_words(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set acme renewal March 31 2027"))
    assert "Renewal: Wed 31 Mar 2027" in reply
    assert the_account(rapport, "Acme Corp").renewal_on == date(2027, 3, 31)


def test_set_renewal_without_a_year_means_the_next_one(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set acme renewal March 31")
    assert the_account(rapport, "Acme Corp").renewal_on == date(2027, 3, 31)


@pytest.mark.parametrize(
    "value, stored, shown",
    [
        ("1.2M", 1_200_000, "ARR: 1,200,000"),
        ("120k", 120_000, "ARR: 120,000"),
        ("120,000", 120_000, "ARR: 120,000"),
        ("$250K", 250_000, "ARR: 250,000"),
        ("۱۲۰ هزار", 120_000, "ARR: 120,000"),
        ("۱۲۰٬۰۰۰", 120_000, "ARR: 120,000"),
        ("1,5 triệu", 1_500_000, "ARR: 1,500,000"),
        ("٣ مليون", 3_000_000, "ARR: 3,000,000"),
    ],
)
def test_set_arr(slack, rapport, value, stored, shown):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", f"set Acme arr {value}"))
    assert shown in reply
    assert the_account(rapport, "Acme Corp").arr == stored


@pytest.mark.parametrize("value", ["15%", "+15% a year", "۱۵٪"])
def test_set_target(slack, rapport, value):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", f"set Acme target {value}"))
    assert "Growth target: +15% a year" in reply
    assert the_account(rapport, "Acme Corp").growth_target_pct == 15.0


def test_an_amount_read_two_ways_is_refused_with_both_and_nothing_stored(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set Acme arr 120.000"))
    assert "“120.000” could be 120 or 120,000" in reply and "`arr 120k`" in reply
    assert the_account(rapport, "Acme Corp").arr is None


def test_set_channel_from_an_escaped_channel_mention(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set Acme channel <#C0123|acme>"))
    assert "Channel: <#C0123>" in reply
    assert the_account(rapport, "Acme Corp").channel_id == "C0123"


def test_set_competitors(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set Acme competitors Globex,  Initech ,"))
    assert "Competitors: Globex, Initech" in reply
    assert the_account(rapport, "Acme Corp").competitors == "Globex, Initech"


def test_set_a_value_that_contains_a_field_word(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set Acme competitors Globex, Target")
    assert the_account(rapport, "Acme Corp").competitors == "Globex, Target"


@pytest.mark.parametrize(
    "text, example",
    [
        ("set Acme arr lots", "`arr 120k`"),
        ("set Acme arr 1 billion billion", "`arr 120k`"),
        ("set Acme arr 2000000 tỷ", "between 0 and 1,000,000,000,000,000"),
        ("set Acme target 5000%", "between -100 and 1,000"),
        ("set Acme target fast", "`target 15%`"),
        ("set Acme owner bob", "`owner @alex`"),
        ("set Acme renewal blursday", "March 31"),
        ("set Acme channel acme-team", "`channel #acme-team`"),
        ("set Acme colour blue", "`/account set Acme Corp arr 120k`"),
        ("set Acme arr", "`arr 120k`"),
    ],
)
def test_bad_values_are_answered_with_an_example_and_change_nothing(slack, rapport, text, example):
    slack.ask("/account", "add Acme Corp")
    before = the_account(rapport, "Acme Corp")
    reply = visible(slack.ask("/account", text))
    assert example in reply, reply
    assert "Updated" not in reply
    after = the_account(rapport, "Acme Corp")
    for field in (
        "owner_id",
        "renewal_on",
        "arr",
        "growth_target_pct",
        "channel_id",
        "competitors",
    ):
        assert getattr(after, field) == getattr(before, field), field


def test_set_on_an_unknown_account_names_the_closest(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/account", "set Acmee arr 120k"))
    assert "Did you mean *Acme Corp*?" in reply
    assert the_account(rapport, "Acme Corp").arr is None


# -- archive


def test_archive_hides_the_account_but_keeps_its_calls(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex")
    slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal")

    reply = visible(slack.ask("/account", "archive Acme"))
    assert "Archived *Acme Corp*" in reply

    listed = visible(slack.ask("/account", "list"))
    assert "Acme Corp" not in listed and "Globex" in listed
    refused = visible(slack.ask("/logcall", "Acme yesterday 4pm: follow-up"))
    assert "I don't know an account called “Acme”" in refused
    assert "don't know" in visible(slack.ask("/account", "show Acme"))
    assert slack.options(action_id="account", value="acme").json["options"] == []

    assert count(rapport, Call) == 1
    with rapport.sessions.begin() as s:
        archived = s.scalars(select(Account).where(Account.name == "Acme Corp")).one()
        assert archived.archived_at is not None
        assert s.scalars(select(Call)).one().account_id == archived.id


def test_an_archived_name_cannot_be_added_again(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "archive Acme Corp")
    reply = visible(slack.ask("/account", "add acme corp"))
    assert "already an account called *Acme Corp* (archived)" in reply
    assert count(rapport, Account) == 1


def test_archive_an_unknown_account(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    assert "Did you mean *Acme Corp*?" in visible(slack.ask("/account", "archive Acme Crop"))
    assert the_account(rapport, "Acme Corp").archived_at is None


# -- workspaces


def test_accounts_do_not_cross_workspaces(slack, rapport, fake):
    fake.add_user("U0100", tz=NEW_YORK, name="otto", team_id="T0002")
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal")

    assert "No accounts yet" in visible(ask_in(slack, "T0002", "list", user_id="U0100"))
    assert "don't know an account called “Acme”" in visible(
        ask_in(slack, "T0002", "show Acme", user_id="U0100")
    )
    refused = ask_in(
        slack, "T0002", "Acme yesterday 4pm: hello", command="/logcall", user_id="U0100"
    )
    assert "don't know an account called" in visible(refused)
    unchanged = ask_in(slack, "T0002", "set Acme Corp arr 1M", user_id="U0100")
    assert "don't know" in visible(unchanged)
    assert "don't know" in visible(ask_in(slack, "T0002", "archive Acme", user_id="U0100"))

    added = visible(ask_in(slack, "T0002", "add Acme Corp", user_id="U0100"))
    assert "Added *Acme Corp*" in added
    theirs = visible(ask_in(slack, "T0002", "show Acme", user_id="U0100"))
    assert "Owner: <@U0100>" in theirs and "No calls logged yet" in theirs

    ours = visible(slack.ask("/account", "show Acme"))
    assert "Owner: <@U0001>" in ours and "discussed renewal" in ours
    by_team = {(a.team_id, a.name, a.owner_id, a.arr, a.archived_at) for a in accounts(rapport)}
    assert by_team == {
        ("T0001", "Acme Corp", "U0001", None, None),
        ("T0002", "Acme Corp", "U0100", None, None),
    }
    assert count(rapport, Call) == 1


# -- found while writing these tests


def test_set_on_a_name_that_contains_a_field_word(slack, rapport):
    slack.ask("/account", "add Blue Channel Media")
    reply = visible(slack.ask("/account", "set Blue Channel Media arr 1M"))
    assert "ARR: 1,000,000" in reply
    assert the_account(rapport, "Blue Channel Media").arr == 1_000_000


def test_an_ampersand_typed_in_a_command_is_stored_and_shown_as_typed(slack, rapport):
    # The person types `/account add AT&T`; Slack sends the text escaped.
    reply = visible(slack.ask("/account", "add AT&amp;T"))
    assert "*AT&amp;T*" in reply and "&amp;amp;" not in reply
    assert [a.name for a in accounts(rapport)] == ["AT&T"]
    # The modal's picker gets what was typed, unescaped.
    assert [
        o["text"]["text"] for o in slack.options(action_id="account", value="AT&T").json["options"]
    ] == ["AT&T"]


def test_names_are_found_however_they_are_typed_and_keep_their_spelling(slack, rapport):
    slack.ask("/account", "add Công ty Hòa Bình")
    slack.ask("/account", "add شرکت پارس")

    reply = visible(slack.ask("/account", "add cong ty HOA BINH"))
    assert "There is already an account called *Công ty Hòa Bình*" in reply
    assert "Logged a call with Công ty Hòa Bình" in visible(
        slack.ask("/logcall", "cong ty hoa binh 2 hours ago: kickoff")
    )
    assert "*شرکت پارس*" in visible(slack.ask("/account", "show شركت"))
    assert sorted(a.name for a in accounts(rapport)) == ["Công ty Hòa Bình", "شرکت پارس"]
