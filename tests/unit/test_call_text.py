"""A call's next step and follow-up day typed after its notes (bot/calls/next_steps.py),
through the use case: `/logcall Acme yesterday: notes; next: step; follow up Friday`.
The clock is Monday 23 November 2026, noon in Alex's New York."""

from datetime import date

import pytest

from bot.accounts import manage
from bot.calls import logcall, next_steps
from bot.errors import UserError
from bot.people import Person
from storage.models import Call
from support.stored import count
from support.workspace import ALEX, TEAM

FRIDAY = date(2026, 11, 27)


@pytest.fixture
def acme(rapport):
    return manage.add(rapport, user=ALEX, name="Acme Corp")


def logged(rapport, text: str, user: Person = ALEX) -> Call:
    return logcall.log_text(rapport, user=user, text=text, source="command")


@pytest.mark.parametrize(
    "typed, notes, step, day",
    [
        (
            "went through the renewal; next: send proposal; follow up Friday",
            "went through the renewal",
            "send proposal",
            FRIDAY,
        ),
        (
            "renewal; Follow-Up: in 2 weeks; NEXT STEP: call the CFO",
            "renewal",
            "call the CFO",
            date(2026, 12, 7),
        ),
        ("renewal; followup on Dec 1", "renewal", None, date(2026, 12, 1)),
        ("renewal; next steps:send the deck", "renewal", "send the deck", None),
        ("renewal; follow up tomorrow", "renewal", None, date(2026, 11, 24)),
        ("renewal; follow up today", "renewal", None, date(2026, 11, 23)),
        ("renewal; follow-up by 2027-01-15", "renewal", None, date(2027, 1, 15)),
        # Only parts after the notes, starting with a keyword, are taken out of them.
        (
            "follow up on pricing; next week they decide",
            "follow up on pricing; next week they decide",
            None,
            None,
        ),
        ("a; b; next: c; d", "a; b; d", "c", None),
    ],
)
def test_next_step_and_follow_up_are_read_after_the_notes(rapport, acme, typed, notes, step, day):
    call = logged(rapport, f"Acme yesterday: {typed}")
    assert (call.notes, call.next_step, call.follow_up_on) == (notes, step, day)


@pytest.mark.parametrize(
    "language, typed, step",
    [
        ("fa", "تمدید؛ قدم بعدی: ارسال پیشنهاد؛ پیگیری جمعه", "ارسال پیشنهاد"),
        ("fa", "تمدید; گام بعدی: تماس با مدیر مالی; پیگیری ۲ هفته دیگر", "تماس با مدیر مالی"),
        ("ar", "التجديد؛ الخطوة التالية: إرسال العرض؛ متابعة الجمعة", "إرسال العرض"),
        ("vi", "gia hạn; bước tiếp theo: gửi đề xuất; theo dõi thứ sáu", "gửi đề xuất"),
        ("vi", "gia han; buoc tiep theo: gui de xuat; theo doi 2 tuần nữa", "gui de xuat"),
    ],
)
def test_keywords_in_persian_arabic_and_vietnamese(rapport, acme, language, typed, step):
    writer = Person(TEAM, "U0001", ALEX.tz, "en-US", False, language=language)
    call = logged(rapport, f"Acme 1 hour ago: {typed}", writer)
    assert call.next_step == step
    assert call.follow_up_on in (FRIDAY, date(2026, 12, 7))


@pytest.mark.parametrize(
    "typed, said",
    [
        ("renewal; follow up blursday", "“blursday”"),
        ("renewal; follow up yesterday", "is in the past"),
        ("renewal; follow up 2026-11-01", "is in the past"),
        ("renewal; follow up 3000-01-01", "I keep dates from"),
        ("renewal; follow up", "Say when to follow up"),
        ("renewal; next:", "Write the next step"),
        ("renewal; next: a; next: b", "once"),
        ("renewal; follow up Friday; follow-up Monday", "once"),
        (f"renewal; next: {'x' * 501}", "under 500 characters"),
        (" ; next: send proposal", "Put what was said after a colon"),
    ],
)
def test_a_bad_next_step_or_follow_up_is_refused_and_nothing_stored(rapport, acme, typed, said):
    with pytest.raises(UserError) as refused:
        logged(rapport, f"Acme yesterday: {typed}")
    assert said in str(refused.value)
    assert count(rapport, Call) == 0


def test_the_follow_up_day_is_the_writers_own(rapport, acme):
    """At noon on Monday in New York it is 02:00 on Tuesday in Tokyo: "tomorrow" is Wednesday."""
    tokyo = Person(TEAM, "U0002", "Asia/Tokyo", "en-US", False)
    call = logged(rapport, "Acme 1 hour ago: renewal; follow up tomorrow", tokyo)
    assert call.follow_up_on == date(2026, 11, 25)


def test_split_keeps_the_notes_separators():
    found = next_steps.split(" a ؛ b; Next: c ")
    assert found == next_steps.Notes("a ؛ b", "c", None)
