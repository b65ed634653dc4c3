"""Dates written out for readers of Persian, Arabic and Vietnamese, in their language and
calendar (bot/i18n.py says whose), with their language's digits. English readers get
Slack's date tokens instead (bot/mrkdwn.py): Slack would write English month names into
a Persian sentence.

The Persian (Solar Hijri) calendar comes from convertdate and the Hijri (Umm al-Qura)
one from hijridate, which dateparser's calendars extra brings to read such dates too.
"""

import functools
from datetime import date, datetime, timedelta

from babel.dates import format_date, get_day_names
from convertdate import persian
from hijridate import Gregorian

from bot import i18n
from bot.i18n import _

PERSIAN_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


@functools.cache
def _nowruz(year: int) -> date:
    """1 Farvardin, the first day of Persian `year`: convertdate finds it from the
    equinox, which takes it milliseconds; the other days count from it."""
    return date(*persian.to_gregorian(year, 1, 1))


def from_persian(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Persian date; ValueError when there is no such date."""
    if not 1 <= month <= 12 or not 1 <= day <= persian.month_length(year, month):
        raise ValueError("no such Persian date")
    before = 31 * min(month - 1, 6) + 30 * max(month - 7, 0)  # 6 months of 31 days, then 30
    return _nowruz(year) + timedelta(days=before + day - 1)


def to_persian(on: date) -> tuple[int, int, int]:
    """(year, month, day) of `on` in the Persian calendar."""
    year = on.year - 621 if on >= _nowruz(on.year - 621) else on.year - 622
    days = (on - _nowruz(year)).days
    if days < 186:  # the first six months have 31 days
        return year, days // 31 + 1, days % 31 + 1
    return year, (days - 186) // 30 + 7, (days - 186) % 30 + 1


def written_moment(local: datetime) -> str:
    """A wall-clock moment, already in the reader's timezone: "چهارشنبه ۴ آذر ۱۴۰۵، ساعت ۱۵:۰۰"."""
    # Translators: a day and a time of day, e.g. "Wednesday 25 November 2026 at 15:00".
    moment = _("{day} at {time}").format(day=written_day(local.date()), time=f"{local:%H:%M}")
    return moment.translate(i18n.DIGITS.get(i18n.language(), {}))


def written_day(on: date) -> str:
    """A calendar day: "چهارشنبه ۴ آذر ۱۴۰۵", "الأربعاء ٢٥ نوفمبر ٢٠٢٦", "Thứ Tư 25 tháng 11 2026"."""
    return _written_day(on, i18n.language(), i18n.calendar())


@functools.cache  # a long digest writes the same few hundred days thousands of times
def _written_day(on: date, language: str, calendar: str) -> str:
    weekday = get_day_names("wide", locale=language)[on.weekday()]
    if calendar == "persian":
        year, month, day = to_persian(on)
        written = f"{weekday} {day} {PERSIAN_MONTHS[month - 1]} {year}"
    elif calendar == "hijri":
        hijri = Gregorian(on.year, on.month, on.day).to_hijri()
        month = hijri.month_name("ar" if language == "ar" else "en")
        written = f"{weekday} {hijri.day} {month} {hijri.year}"
    else:
        written = format_date(on, "EEEE d MMMM y", locale=language)
    return written.translate(i18n.DIGITS.get(language, {}))
