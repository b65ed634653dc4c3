"""When a subscription's digest is due: its HH:MM in its timezone, on its days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import DigestDays, DigestSubscription


def due_date(subscription: DigestSubscription, now: datetime) -> date | None:
    """The subscription's local date if its digest is due by `now`, else None. The first
    digest is the first HH:MM after subscribing: subscribing at noon to 09:00 means tomorrow."""
    zone = ZoneInfo(subscription.tz)
    local = now.astimezone(zone)
    if _skips(subscription, local.date()):
        return None
    scheduled = datetime.combine(local.date(), _at(subscription), zone)
    if now < scheduled or subscription.created_at > scheduled:
        return None
    return local.date()


def next_post_at(subscription: DigestSubscription, now: datetime, posted_today: bool) -> datetime:
    """When the next scheduled digest goes out: today at HH:MM while that is ahead (or at
    the next tick, if it is due and not posted yet), else the next day it posts on."""
    zone = ZoneInfo(subscription.tz)
    today = now.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        moment = datetime.combine(day, _at(subscription), zone)
        if _skips(subscription, day) or (
            offset == 0 and (posted_today or subscription.created_at > moment)
        ):
            continue
        return max(moment, now)
    raise AssertionError("every week has a weekday")


def _skips(subscription: DigestSubscription, day: date) -> bool:
    return subscription.days == DigestDays.WEEKDAYS and day.weekday() >= 5


def _at(subscription: DigestSubscription) -> time:
    return time(*map(int, subscription.at_time.split(":")))
