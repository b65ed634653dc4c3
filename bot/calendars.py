"""Dates written out for readers of Persian, Arabic and Vietnamese, in their language and
calendar (bot/i18n.py says whose), with their language's digits. English readers get
Slack's date tokens instead (bot/mrkdwn.py): Slack would write English month names into
a Persian sentence.

The Persian (Solar Hijri) calendar comes from convertdate and the Hijri (Umm al-Qura)
one from hijridate, which dateparser's calendars extra brings to read such dates too.
"""

import functools
from datetime import date, datetime

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
DIGITS = {
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
}


def written_moment(local: datetime) -> str:
    """A wall-clock moment, already in the reader's timezone: "چهارشنبه ۴ آذر ۱۴۰۵، ساعت ۱۵:۰۰"."""
    # Translators: a day and a time of day, e.g. "Wednesday 25 November 2026 at 15:00".
    moment = _("{day} at {time}").format(day=written_day(local.date()), time=f"{local:%H:%M}")
    return moment.translate(DIGITS.get(i18n.language(), {}))


def written_day(on: date) -> str:
    """A calendar day: "چهارشنبه ۴ آذر ۱۴۰۵", "الأربعاء ٢٥ نوفمبر ٢٠٢٦", "Thứ Tư 25 tháng 11 2026"."""
    return _written_day(on, i18n.language(), i18n.calendar())


@functools.cache  # a long digest writes the same few hundred days thousands of times
def _written_day(on: date, language: str, calendar: str) -> str:
    weekday = get_day_names("wide", locale=language)[on.weekday()]
    if calendar == "persian":
        year, month, day = persian.from_gregorian(on.year, on.month, on.day)
        written = f"{weekday} {day} {PERSIAN_MONTHS[month - 1]} {year}"
    elif calendar == "hijri":
        hijri = Gregorian(on.year, on.month, on.day).to_hijri()
        month = hijri.month_name("ar" if language == "ar" else "en")
        written = f"{weekday} {hijri.day} {month} {hijri.year}"
    else:
        written = format_date(on, "EEEE d MMMM y", locale=language)
    return written.translate(DIGITS.get(language, {}))
