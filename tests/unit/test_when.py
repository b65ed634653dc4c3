"""Time phrases (bot/when.py): read in the writer's timezone and language, across DST
changes, never in the future; what cannot be read is quoted back."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.when import languages_for, parse_day, parse_moment, parse_time_of_day
from support.clock import START

NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
NOW = START  # Monday 23 November 2026, 12:00 in New York (18:00 in Paris).


@pytest.mark.parametrize(
    "tz, expected",
    [
        ("America/New_York", datetime(2026, 11, 22, 15, 0, tzinfo=NEW_YORK)),
        ("Europe/Paris", datetime(2026, 11, 22, 15, 0, tzinfo=PARIS)),
    ],
)
def test_yesterday_3pm_is_read_in_the_writers_timezone(tz, expected):
    moment = parse_moment("yesterday 3pm", tz=tz, now=NOW)
    assert moment == expected
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_hours_ago_counts_back_from_now():
    assert parse_moment("2 hours ago", tz="America/New_York", now=NOW) == NOW - timedelta(hours=2)


@pytest.mark.parametrize("phrase", ["now", "", "  ", "Now"])
def test_now_and_nothing_mean_now(phrase):
    moment = parse_moment(phrase, tz="Europe/Paris", now=NOW)
    assert moment == NOW and moment.utcoffset() == timedelta(0)


def test_a_future_moment_is_refused():
    with pytest.raises(UserError, match="future") as raised:
        parse_moment("tomorrow 9am", tz="America/New_York", now=NOW)
    assert "tomorrow 9am" in str(raised.value)


def test_a_few_minutes_ahead_is_still_now():
    """A laptop clock running a little fast does not make a call 'in the future'."""
    assert parse_moment("in 2 minutes", tz="America/New_York", now=NOW) == NOW + timedelta(
        minutes=2
    )


def test_gibberish_is_quoted_back_escaped():
    with pytest.raises(UserError) as raised:
        parse_moment("blursday <at> teatime", tz="America/New_York", now=NOW)
    message = str(raised.value)
    assert "blursday &lt;at&gt; teatime" in message and "couldn't read" in message
    assert "<at>" not in message


def test_an_absolute_time_across_the_dst_change_keeps_its_wall_clock_time():
    now = datetime(2026, 11, 2, 12, 0, tzinfo=NEW_YORK)  # EST; Oct 31 was EDT
    moment = parse_moment("Oct 31 9am", tz="America/New_York", now=now)
    assert moment == datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK)
    assert moment.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-4)


def test_hours_ago_across_the_dst_change_is_real_elapsed_time():
    now = datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)  # 01:30 EST, just after falling back
    assert parse_moment("2 hours ago", tz="America/New_York", now=now) == now - timedelta(hours=2)


@pytest.mark.parametrize(
    "now, phrase, expected",
    [
        (
            datetime(2026, 11, 2, 12, 0, tzinfo=NEW_YORK),
            "2 days ago 9am",
            datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK),
        ),
        (
            datetime(2026, 11, 1, 12, 0, tzinfo=NEW_YORK),
            "yesterday 3pm",
            datetime(2026, 10, 31, 15, 0, tzinfo=NEW_YORK),
        ),
    ],
)
def test_a_relative_day_across_the_dst_change_keeps_its_wall_clock_time(now, phrase, expected):
    moment = parse_moment(phrase, tz="America/New_York", now=now)
    assert moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == expected.strftime(
        "%Y-%m-%d %H:%M %Z"
    )
    assert moment == expected


def test_parse_day_prefers_the_future():
    assert parse_day("March 31", tz="America/New_York", now=NOW) == date(2027, 3, 31)
    assert parse_day("March 31 2027", tz="America/New_York", now=NOW) == date(2027, 3, 31)


def test_parse_day_is_the_day_in_the_writers_timezone():
    late = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # still the 23rd in New York
    assert parse_day("today", tz="America/New_York", now=late) == date(2026, 11, 23)
    assert parse_day("today", tz="Europe/Paris", now=late) == date(2026, 11, 24)


def test_parse_day_quotes_gibberish_back():
    with pytest.raises(UserError, match="blursday"):
        parse_day("blursday", tz="America/New_York", now=NOW)


def test_languages_english_then_setting_then_locale():
    assert languages_for("fr-FR", ("de",)) == ("en", "de", "fr")
    assert languages_for(None, ()) == ("en",)
    assert languages_for("en-GB", ("en",)) == ("en",)


def test_french_phrases_are_read_for_a_french_locale():
    languages = languages_for("fr-FR", ())
    assert parse_moment("hier à 15h", tz="Europe/Paris", now=NOW, languages=languages) == (
        datetime(2026, 11, 22, 15, 0, tzinfo=PARIS)
    )
    assert parse_moment("il y a 2 heures", tz="Europe/Paris", now=NOW, languages=languages) == (
        NOW - timedelta(hours=2)
    )


@pytest.mark.parametrize(
    "phrase, tz",
    [
        ("0001-01-01 00:30", "UTC"),  # west of UTC, year 1 is no datetime Python can hold
        ("0001-01-01 00:00", "Europe/Paris"),  # east of UTC, nor is it in UTC
        ("1899-12-31 23:59", "America/New_York"),
        ("1900-01-01 00:05", "Europe/Paris"),  # still 1899 in UTC, as it is stored
        ("9999-12-31 23:00", "America/New_York"),
        ("1000 years ago", "UTC"),
    ],
)
def test_a_moment_out_of_range_is_refused_in_plain_words(phrase, tz):
    with pytest.raises(UserError) as raised:
        parse_moment(phrase, tz=tz, now=NOW)
    assert str(raised.value) == f"I keep dates from 1900 to 2199: “{phrase}” is outside them."


@pytest.mark.parametrize("phrase", ["9999-12-31", "2200-01-01", "in 500 years", "1899-12-31"])
def test_a_day_out_of_range_is_refused(phrase):
    with pytest.raises(UserError, match="I keep dates from 1900 to 2199"):
        parse_day(phrase, tz="America/New_York", now=NOW)


def test_the_range_ends_are_read():
    assert parse_day("2199-12-31", tz="Pacific/Kiritimati", now=NOW) == date(2199, 12, 31)
    assert parse_day("1900-01-01", tz="Pacific/Pago_Pago", now=NOW) == date(1900, 1, 1)
    assert parse_moment("1900-01-01 00:00", tz="America/New_York", now=NOW) == datetime(
        1900, 1, 1, 5, 0, tzinfo=timezone.utc
    )


TEHRAN_NOW = datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Asia/Tehran"))  # 4 Azar 1405


@pytest.mark.parametrize("phrase", ["yesterday at 3", "yesterday at 3pm", "3pm yesterday"])
def test_a_typed_hour_is_never_dropped(phrase):
    """An hour without am/pm up to 6 is in the afternoon: calls are not at 3 in the night."""
    assert parse_moment(phrase, tz="America/New_York", now=NOW) == datetime(
        2026, 11, 22, 15, 0, tzinfo=NEW_YORK
    )


@pytest.mark.parametrize("phrase", ["yesterday 3", "yesterday at 25:00", "2 hours ago 3pm"])
def test_a_phrase_read_only_in_part_is_refused(phrase):
    with pytest.raises(UserError, match="couldn't read"):
        parse_moment(phrase, tz="America/New_York", now=NOW)


def test_day_and_month_order_follows_the_region_unless_given():
    assert parse_day("5/11", tz="Europe/Paris", now=NOW) == date(2027, 11, 5)  # days to come
    assert parse_day("5/11", tz="America/New_York", now=NOW) == date(2027, 5, 11)
    assert parse_day("5/11", tz="America/New_York", now=NOW, date_order="DMY") == date(2027, 11, 5)


def test_numeric_dates_in_the_persons_calendar():
    assert parse_day("۱۴۰۵/۰۸/۲۹", tz="Asia/Tehran", now=TEHRAN_NOW, languages=("fa", "en")) == (
        date(2026, 11, 20)
    )
    assert parse_day(
        "10/06/1448", tz="Asia/Riyadh", now=TEHRAN_NOW, languages=("ar",), calendar="hijri"
    ) == date(2026, 11, 20)
    with pytest.raises(UserError, match="I keep dates"):  # 1405 AD for a Gregorian reader
        parse_day("۱۴۰۵/۰۸/۲۹", tz="Asia/Tehran", now=TEHRAN_NOW, calendar="gregorian")
    with pytest.raises(UserError):  # 29/08 of which calendar?
        parse_day("۲۹/۰۸", tz="Asia/Tehran", now=TEHRAN_NOW, languages=("fa", "en"))


@pytest.mark.parametrize(
    "phrase, languages, expected",
    [
        ("۴ آذر", ("en", "fa"), date(2026, 11, 25)),  # today stays today
        ("۱ آذر", ("en", "fa"), date(2027, 11, 22)),  # next year's, for a renewal
        ("۱۰ آذر", ("en", "fa"), date(2026, 12, 1)),
        ("پریروز", ("en", "fa"), date(2026, 11, 23)),
        ("أول أمس", ("en", "ar"), date(2026, 11, 23)),
        ("20 تشرين الثاني 2027", ("en", "ar"), date(2027, 11, 20)),
        ("ngày 20 tháng 12", ("en", "vi"), date(2026, 12, 20)),
        # Renewals a few months ahead, as each language says it.
        ("۳ ماه دیگر", ("fa", "en"), date(2027, 2, 25)),
        ("۲ هفته دیگر", ("fa", "en"), date(2026, 12, 9)),
        ("بعد 3 أشهر", ("ar", "en"), date(2027, 2, 25)),
        ("خلال ٣ أشهر", ("ar", "en"), date(2027, 2, 25)),
        ("3 tháng nữa", ("vi", "en"), date(2027, 2, 25)),
        ("sau 3 tháng", ("vi", "en"), date(2027, 2, 25)),
    ],
)
def test_parse_day_reads_persian_arabic_and_vietnamese(phrase, languages, expected):
    assert parse_day(phrase, tz="Asia/Tehran", now=TEHRAN_NOW, languages=languages) == expected


def test_callers_languages_read_persian_with_english_first():
    languages = languages_for("fa-IR", ())
    assert parse_moment(
        "دیروز ساعت ۳ بعدازظهر", tz="Asia/Tehran", now=TEHRAN_NOW, languages=languages
    ) == datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("Asia/Tehran"))


@pytest.mark.parametrize(
    "typed, languages, expected",
    [
        ("8:30", ("en",), (8, 30)),
        ("17:00", ("en",), (17, 0)),
        ("9", ("en",), (9, 0)),  # a bare hour is on the 24-hour clock
        ("5:30pm", ("en",), (17, 30)),
        ("12am", ("en",), (0, 0)),
        ("۹:۳۰ صبح", ("fa", "en"), (9, 30)),
        ("۵ بعدازظهر", ("fa", "en"), (17, 0)),
        ("٥ مساءً", ("ar", "en"), (17, 0)),
        ("5:30 chiều", ("vi", "en"), (17, 30)),
        ("13pm", ("en",), None),
        ("25:00", ("en",), None),
        ("noon", ("en",), None),
        ("9 daily", ("en",), None),
        ("", ("en",), None),
    ],
)
def test_parse_time_of_day(typed, languages, expected):
    assert parse_time_of_day(typed, languages=languages) == expected
