"""Account names (bot/accounts/names.py): compared without case or spacing, found by
their start, the closest named when none is found, split off the words typed after them."""

import unicodedata

import pytest

from bot.accounts.names import find, name_key, split_name
from bot.errors import UserError
from support.rows import account


def test_name_key_ignores_case_and_spacing():
    assert name_key("  Acme   CORP ") == "acme corp"
    assert name_key("Straße") == name_key("STRASSE")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("شركت پارس", "شرکت پارس"),  # the Arabic keyboard's kaf and yeh
        ("cong ty hoa binh", "Công ty Hòa Bình"),  # Vietnamese accents left out
        (unicodedata.normalize("NFD", "Công ty Hòa Bình"), "Công ty Hòa Bình"),  # decomposed
        ("\u200fشرکت\u200c پارس\u200f", "شرکت پارس"),  # direction marks, a ZWNJ
        ("Đà Nẵng Ltd", "da nang ltd"),
        ("كافه", "کافه"),
    ],
)
def test_names_typed_on_any_keyboard_compare_alike(typed, stored):
    assert name_key(typed) == name_key(stored)


def test_a_name_is_found_however_it_is_typed_and_keeps_its_spelling():
    accounts = [account("Công ty Hòa Bình", id=1), account("شرکت پارس", id=2)]
    assert find(accounts, "cong ty hoa").name == "Công ty Hòa Bình"
    assert find(accounts, "شركت").name == "شرکت پارس"


ACCOUNTS = [account("Acme Corp", id=1), account("Acme Labs", id=2), account("Globex", id=3)]


def test_find_exact_in_any_case():
    assert find(ACCOUNTS, "acme CORP").id == 1


def test_find_by_unique_prefix():
    assert find(ACCOUNTS, "glo").id == 3
    assert find(ACCOUNTS, "acme l").id == 2


def test_find_exact_beats_prefix():
    both = [account("Acme", id=1), account("Acme Corp", id=2)]
    assert find(both, "acme").id == 1


def test_find_ambiguous_prefix_asks_which_one():
    with pytest.raises(UserError) as raised:
        find(ACCOUNTS, "Acme")
    assert str(raised.value) == "“Acme” could be *Acme Corp* or *Acme Labs*. Which one?"


def test_find_unknown_names_the_closest():
    with pytest.raises(UserError) as raised:
        find(ACCOUNTS, "Globx")
    assert "“Globx”" in str(raised.value) and "Did you mean *Globex*?" in str(raised.value)


def test_find_unknown_without_close_names_points_at_the_list():
    with pytest.raises(UserError, match="/account list"):
        find(ACCOUNTS, "Initech")
    with pytest.raises(UserError, match="no accounts yet"):
        find([], "Initech")


def test_split_name_longest_exact_wins_over_prefix():
    both = [account("Acme", id=1), account("Acme Corp", id=2)]
    found, rest = split_name(both, "Acme Corp yesterday".split())
    assert found.id == 2 and rest == ["yesterday"]
    found, rest = split_name(both, "Acme yesterday 3pm".split())
    assert found.id == 1 and rest == ["yesterday", "3pm"]


def test_split_name_by_prefix_and_none_when_unknown():
    found, rest = split_name(ACCOUNTS, "glo 2 hours ago".split())
    assert found.id == 3 and rest == ["2", "hours", "ago"]
    assert split_name(ACCOUNTS, "Initech yesterday".split()) is None
    with pytest.raises(UserError, match="Which one"):
        split_name(ACCOUNTS, "acme yesterday".split())
