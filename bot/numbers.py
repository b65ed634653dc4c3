"""Amounts and percentages as people type them: Latin, Persian or Arabic digits; thousands
grouped with `,` `.` `٬` or spaces; decimals after `.` `,` or `٫`; `120k`, `1.2M`, and the
words for thousand, million and billion in English, Persian, Arabic and Vietnamese.

An amount that could be read two ways (`120.000`: 120 with three decimals, or 120
thousand as Vietnamese writes it) is refused with both readings, never guessed; a
Vietnamese reader (its language among the person's) reads it the Vietnamese way.
"""

import re

from bot.errors import UserError
from bot.i18n import _, isolate, number
from bot.letters import latin_digits, plain
from bot.mrkdwn import escape

SCALES = {
    **dict.fromkeys(("k", "thousand", "هزار", "ألف", "الف", "آلاف", "nghìn", "ngàn"), 1_000),
    **dict.fromkeys(("m", "mn", "million", "میلیون", "مليون", "ملايين", "triệu"), 1_000_000),
    **dict.fromkeys(("b", "bn", "billion", "میلیارد", "مليار", "tỷ"), 1_000_000_000),
}
CURRENCIES = "$€£₫"
# Digits with separators between them, then an optional scale word.
AMOUNT = re.compile(r"(\d(?:[\d.,٬٫ \u00a0\u202f]*\d)?)\s*([^\W\d_]*)")
GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")  # "1,200,000", once its separator is ","
PERCENT = re.compile(r"([+-]?)\s*(\d.*?)\s*[%٪]?(?:\s*(?:a|per|/)\s*(?:year|yr))?", re.IGNORECASE)


def amount(text: str, *, languages: tuple[str, ...] = ()) -> int:
    """A whole amount (rounded) from `text`, or UserError naming both readings when it
    could be read two ways, or saying it is not an amount."""
    readings = _readings(text, languages)
    if len(readings) > 1:
        low, high = sorted(readings)
        raise UserError(
            _(
                "“{typed}” could be {low} or {high}. "
                "Write it without dots or commas ({whole}), or as {thousands}."
            ).format(
                typed=isolate(escape(text.strip())),
                low=isolate(number(low)),
                high=isolate(number(high)),
                whole=isolate(str(round(high))),
                thousands=isolate(f"{high / 1000:g}k"),
            )
        )
    return round(readings.pop())


def percent(text: str) -> float:
    """A percentage such as `15%`, `+15% a year`, `-2.5`, `۱۵٪` or `1,5 %`."""
    found = PERCENT.fullmatch(latin_digits(plain(text)).strip())
    values = _number(found.group(2), vietnamese=False) if found else None
    if not values or len(values) > 1:
        raise UserError(
            _("“{typed}” isn't a percentage.").format(typed=isolate(escape(text.strip())))
        )
    return (-1 if found.group(1) == "-" else 1) * values.pop()


def _readings(text: str, languages: tuple[str, ...]) -> set[float]:
    """Every value `text` can mean; UserError when it is not an amount at all."""
    typed = latin_digits(plain(text)).strip().strip(CURRENCIES).strip()
    found = AMOUNT.fullmatch(typed)
    scale = (SCALES.get(found.group(2).casefold(), 0) if found.group(2) else 1) if found else 0
    values = _number(found.group(1), vietnamese="vi" in languages) if scale else None
    if not values:
        raise UserError(_("“{typed}” isn't an amount.").format(typed=isolate(escape(text.strip()))))
    return {value * scale for value in values}


def _number(digits: str, *, vietnamese: bool) -> set[float] | None:
    """The values of digits with separators; None when they are not a number."""
    digits = re.sub(r"[ \u00a0\u202f٬](?=\d{3}(?!\d))", "", digits).replace("٫", ".")
    if not digits.replace(".", "").replace(",", "").isdigit():
        return None  # a space that groups no thousands, or separators side by side
    points, commas = digits.count("."), digits.count(",")
    if points and commas:  # the last one is the decimal point: 1,200.50 or 1.200,50
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        whole, _point, fraction = digits.rpartition(decimal)
        return _grouped(whole, grouping, fraction)
    if points + commas == 0:
        return {float(digits)}
    mark = "." if points else ","
    if points + commas > 1:
        return _grouped(digits, mark, "")
    whole, fraction = digits.split(mark)
    if len(fraction) != 3:
        return {float(f"{whole}.{fraction}")}
    thousands = float(whole + fraction)
    if mark == "," and not vietnamese or mark == "." and vietnamese:
        return {thousands}
    return {thousands, float(f"{whole}.{fraction}")}


def _grouped(whole: str, mark: str, fraction: str) -> set[float] | None:
    if not GROUPED.fullmatch(whole.replace(mark, ",")):
        return None
    return {float(whole.replace(mark, "") + (f".{fraction}" if fraction else ""))}
