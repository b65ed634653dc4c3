"""Amounts and percentages as people type them (bot/numbers.py)."""

import pytest

from bot.errors import UserError
from bot.numbers import amount, percent


@pytest.mark.parametrize(
    "typed, languages, expected",
    [
        ("120000", (), 120_000),
        ("120k", (), 120_000),
        ("120 K", (), 120_000),
        ("1.2M", (), 1_200_000),
        ("$120,000", (), 120_000),
        ("1,200,000", (), 1_200_000),
        ("1.200.000", (), 1_200_000),
        ("1,200.50", (), 1_200),
        ("1.200,50", (), 1_200),
        ("120 000", (), 120_000),
        ("120\u202f000", (), 120_000),
        ("1,5", (), 2),  # 1.5, rounded: a decimal comma with other than three digits
        ("1,5 triệu", (), 1_500_000),
        ("120 nghìn", (), 120_000),
        ("2 tỷ", (), 2_000_000_000),
        ("120.000", ("en", "vi"), 120_000),  # Vietnamese groups thousands with dots
        ("120.000 ₫", ("vi",), 120_000),
        ("۱۲۰٬۰۰۰", (), 120_000),  # Persian digits and thousands separator
        ("۱۲۰ هزار", (), 120_000),
        ("۱٫۵ میلیون", (), 1_500_000),  # the Persian decimal separator
        ("٣ مليون", (), 3_000_000),
        ("١٢٠ ألف", (), 120_000),
        ("\u200f۱۲۰ هزار\u200f", (), 120_000),  # direction marks pasted along
    ],
)
def test_amounts_in_every_way_they_are_written(typed, languages, expected):
    assert amount(typed, languages=languages) == expected


@pytest.mark.parametrize(
    "typed, languages, readings",
    [
        ("120.000", (), "120 or 120,000"),
        ("1.500k", (), "1,500 or 1,500,000"),
        ("1,250", ("vi",), "1.25 or 1,250"),
    ],
)
def test_an_amount_read_two_ways_is_refused_with_both(typed, languages, readings):
    with pytest.raises(UserError, match="could be") as refused:
        amount(typed, languages=languages)
    assert readings in str(refused.value)


@pytest.mark.parametrize(
    "typed", ["", "k", "-5", "12 apples", "1,2,3", "1..2", "12 3", "120 000 000 0", "abc"]
)
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(UserError, match="isn't an amount"):
        amount(typed)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("15%", 15.0),
        ("+15% a year", 15.0),
        ("15 % per year", 15.0),
        ("-2.5", -2.5),
        ("- 3%", -3.0),
        ("1,5 %", 1.5),
        ("۱۵٪", 15.0),
        ("۱۲٫۵٪", 12.5),
    ],
)
def test_percentages(typed, expected):
    assert percent(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "15k%", "%", "1.000%"])
def test_what_is_not_a_percentage_is_refused(typed):
    with pytest.raises(UserError, match="isn't a percentage"):
        percent(typed)
