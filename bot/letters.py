"""Typed text as it is meant, whatever the keyboard that typed it: Persian, Arabic and
Vietnamese can be typed in several ways that look the same on screen."""

import re
import unicodedata

# Direction marks and isolates that copy and paste brings along, and the tatweel that
# stretches Arabic letters: invisible in meaning.
INVISIBLE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u0640]")
# The Arabic keyboard's yeh and kaf, and the alef maksura, written the Persian way.
LETTER_VARIANTS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
ZWNJ = "\u200c"


def plain(text: str) -> str:
    """`text` in composed form (NFC: a Vietnamese name typed with combining accents is the
    same name), without invisible marks."""
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """How names compare: plain, any case, one spelling of the Arabic and Persian letter
    variants, a zero-width non-joiner as a space, spaces folded, accents optional."""
    folded = plain(text).translate(LETTER_VARIANTS).replace(ZWNJ, " ").casefold()
    return " ".join(_without_accents(folded).split())


def _without_accents(text: str) -> str:
    """Latin letters without their accents ("hòa bình" is "hoa binh"; "đ" is "d");
    other scripts' marks (Arabic short vowels too) are dropped as well."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", kept)


def latin_digits(text: str) -> str:
    """`text` with Persian, Arabic-Indic (any script's) decimal digits written 0-9."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
