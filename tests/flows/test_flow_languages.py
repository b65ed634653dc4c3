"""Rapport's languages end to end: signed requests to the real `serve` server, the fake
Slack reporting `en-US` for everyone (Slack has no Persian, Arabic or Vietnamese)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from storage.models import Call, UserProfile
from support.shown import posts_to_channel, visible
from support.stored import all_rows
from support.workspace import DIGEST_CHANNEL, NEW_YORK


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


@pytest.mark.parametrize(
    "user_id, tz, language, typed, shown",
    [
        ("U0FA", "Asia/Tehran", "fa", "دیروز ساعت ۳ بعد از ظهر", ["۳ آذر ۱۴۰۵", "۱۵:۰۰"]),
        ("U0AR", "Asia/Riyadh", "ar", "أمس الساعة ٣ مساءً", ["٢٤ نوفمبر ٢٠٢٦", "١٥:٠٠"]),
        (
            "U0VI",
            "Asia/Ho_Chi_Minh",
            "vi",
            "hôm qua lúc 3 giờ chiều",
            ["24 tháng 11 2026", "15:00"],
        ),
    ],
)
def test_a_call_typed_in_a_persons_language_is_read_and_confirmed_in_it(
    slack, rapport, fake, clock, user_id, tz, language, typed, shown
):
    """Slack says en-US for everyone here; the language is the person's choice. Typed at
    14:30 on Wednesday 25 November 2026 (4 Azar 1405) where they are."""
    clock.set(datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo(tz)))
    fake.add_user(user_id, tz=tz, locale="en-US")
    slack.ask("/account", "add Acme Corp")
    slack.ask("/rapport", f"language {language}", user_id=user_id)

    reply = visible(slack.ask("/logcall", f"Acme {typed}: تماس / call", user_id=user_id))
    assert "Logged a call" not in reply and "<!date^" not in reply, reply
    for text in shown:
        assert text in reply, reply
    [call] = all_rows(rapport, Call)
    assert call.occurred_at == datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo(tz))


def test_a_channel_subscribed_in_vietnamese_gets_its_digest_in_vietnamese(slack, fake, clock):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 1 hour ago: renewal talk")
    clock.advance(minutes=1)
    slack.ask("/digest", "subscribe in vi", channel_id=DIGEST_CHANNEL)
    slack.ask("/digest", "now", channel_id=DIGEST_CHANNEL)

    [posted] = posts_to_channel(fake)
    assert "*Daily digest*" not in visible(posted) and "*Calls logged*" not in visible(posted)
    assert "Acme Corp" in visible(posted) and "tháng 11" in visible(posted)


def test_a_person_chooses_the_order_of_day_and_month(slack, rapport):
    """In New York `5/11` is 11 May by default; day first, it is 5 November."""
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme 5/11 10:00: first")
    reply = visible(slack.ask("/rapport", "dates day-first"))
    assert "From now on I read `5/11` as day 5 of month 11." in reply
    slack.ask("/logcall", "Acme 5/11 10:00: second")

    calls = {c.notes: c.occurred_at.astimezone(ZoneInfo(NEW_YORK)) for c in all_rows(rapport, Call)}
    assert (calls["first"].month, calls["first"].day) == (5, 11)
    assert (calls["second"].month, calls["second"].day) == (11, 5)
    assert "Choose one of: `day-first`, `month-first`." in visible(
        slack.ask("/rapport", "dates sideways")
    )
