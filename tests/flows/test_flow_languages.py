"""Rapport's languages end to end: signed requests to the real `serve` server, the fake
Slack reporting `en-US` for everyone (Slack has no Persian, Arabic or Vietnamese)."""

import pytest

from storage.models import UserProfile
from support.shown import visible
from support.stored import all_rows


@pytest.mark.parametrize(
    "typed, language, said",
    [
        ("fa", "fa", "از این به بعد به فارسی برایتان می‌نویسم."),
        ("العربية", "ar", "من الآن فصاعدًا سأكتب لك بـالعربية."),
        ("VI", "vi", "Từ giờ mình sẽ viết cho bạn bằng Tiếng Việt."),
    ],
)
def test_a_person_chooses_their_language_and_is_answered_in_it(
    slack, rapport, typed, language, said
):
    assert said in visible(slack.ask("/rapport", f"language {typed}"))
    [profile] = [p for p in all_rows(rapport, UserProfile) if p.user_id == "U0001"]
    assert profile.language == language

    # Slack's next word on the profile (a timezone change) keeps the choice.
    slack.event({"type": "user_change", "user": slack.fake.add_user("U0001", name="alex")})
    slack.settle()
    assert "I write to you in" not in visible(slack.ask("/rapport", "language"))


def test_an_unknown_language_is_refused_with_the_choices(slack, rapport):
    reply = visible(slack.ask("/rapport", "language klingon"))
    assert (
        "Choose one of: `en` (English), `fa` (فارسی), `ar` (العربية), `vi` (Tiếng Việt)." in reply
    )
    assert "I write to you in English" in visible(slack.ask("/rapport", "language"))


def test_dates_follow_the_readers_language_and_calendar(slack, rapport):
    """A Persian reader sees the Persian calendar in Persian digits; Arabic readers may
    choose the Hijri one; English readers keep Slack's date tokens."""
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 2026-11-20 15:00: kickoff")  # Friday 20 Nov 2026 = 29 Aban 1405
    assert "<!date^" in visible(slack.ask("/account", "show Acme"))

    slack.ask("/rapport", "language fa")
    shown = visible(slack.ask("/account", "show Acme"))
    assert "۲۹ آبان ۱۴۰۵" in shown and "۱۵:۰۰" in shown and "<!date^" not in shown

    slack.ask("/rapport", "language ar")
    slack.ask("/rapport", "calendar hijri")
    assert "١٠ جمادى الآخرة ١٤٤٨" in visible(slack.ask("/account", "show Acme"))
    slack.ask("/rapport", "calendar gregorian")
    assert "٢٠ نوفمبر ٢٠٢٦" in visible(slack.ask("/account", "show Acme"))
