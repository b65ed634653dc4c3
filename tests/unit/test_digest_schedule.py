"""When a digest is due: on its days, after its local time, never before it was subscribed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digests import schedule
from support.rows import subscription

NEW_YORK = ZoneInfo("America/New_York")


def test_due_on_weekdays_after_the_local_time():
    weekly = subscription()
    monday_0859 = datetime(2026, 11, 23, 8, 59, tzinfo=NEW_YORK)
    assert schedule.due_date(weekly, monday_0859) is None
    assert schedule.due_date(weekly, monday_0859 + timedelta(minutes=1)) == date(2026, 11, 23)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=NEW_YORK)
    assert schedule.due_date(weekly, saturday) is None
    assert schedule.due_date(subscription(days="daily"), saturday) == date(2026, 11, 28)


def test_the_first_digest_is_the_first_scheduled_time_after_subscribing():
    at_noon = subscription(created_at=datetime(2026, 11, 23, 12, 0, tzinfo=NEW_YORK))
    monday_13 = datetime(2026, 11, 23, 13, 0, tzinfo=NEW_YORK)
    assert schedule.due_date(at_noon, monday_13) is None
    assert schedule.next_post_at(at_noon, monday_13, posted_today=False) == datetime(
        2026, 11, 24, 9, 0, tzinfo=NEW_YORK
    )
    assert schedule.due_date(at_noon, monday_13 + timedelta(hours=20)) == date(2026, 11, 24)


def test_the_next_post_time_skips_weekends_and_what_was_posted():
    weekly = subscription()
    friday_10 = datetime(2026, 11, 27, 10, 0, tzinfo=NEW_YORK)
    assert schedule.next_post_at(weekly, friday_10, posted_today=True) == datetime(
        2026, 11, 30, 9, 0, tzinfo=NEW_YORK
    )
    assert schedule.next_post_at(weekly, friday_10, posted_today=False) == friday_10  # late, now
    friday_8 = datetime(2026, 11, 27, 8, 0, tzinfo=NEW_YORK)
    assert schedule.next_post_at(weekly, friday_8, posted_today=False) == datetime(
        2026, 11, 27, 9, 0, tzinfo=NEW_YORK
    )
