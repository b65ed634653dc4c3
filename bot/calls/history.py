"""`/account calls <account> [period]`: an account's whole call history, newest first,
page by page (the "Older calls" button carries where the next page starts)."""

from datetime import datetime

from bot.accounts.names import find
from bot.calls.values import CallPage, Cursor
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.reports import periods
from bot.reports.values import Period
from bot.runtime.context import Rapport
from storage.models import Account
from storage.queries import accounts as account_queries
from storage.queries import calls as call_queries

PAGE = 10  # calls read for a page; a message holds fewer when notes are long
EXAMPLE = "`/account calls Acme` or `/account calls Acme last 90 days`"


def listing(rapport: Rapport, *, user: Person, text: str) -> CallPage:
    """The first page of `<account> [period]` (archived accounts too); no period means the
    whole history."""
    if not text.strip():
        raise UserError(_("Name the account: {example}.").format(example=EXAMPLE))
    now = rapport.clock.now()
    reading = user.reading(rapport.settings.date_languages)
    with rapport.reads.begin() as s:
        accounts = account_queries.all_of(s, team_id=user.team_id)
        account, period = _account_and_period(accounts, text, user, now, reading)
        cursor = Cursor(account.id, period.first, period.last) if period else Cursor(account.id)
        return _page(s, user, account, cursor)


def older(rapport: Rapport, *, user: Person, cursor: Cursor) -> CallPage:
    """The page that `cursor` (an "Older calls" button) starts."""
    with rapport.reads.begin() as s:
        account = account_queries.by_id(s, team_id=user.team_id, account_id=cursor.account_id)
        if account is None:
            raise UserError(_("That account is gone."))
        return _page(s, user, account, cursor)


def _page(s, user: Person, account: Account, cursor: Cursor) -> CallPage:
    period = None
    since = until = None
    if cursor.first is not None and cursor.last is not None:
        period = periods.days_period(cursor.first, cursor.last)
        since, until = period.bounds(user.tz)
    before = (cursor.before, cursor.before_id) if cursor.before is not None else None
    calls = call_queries.older(
        s,
        team_id=user.team_id,
        account_id=account.id,
        since=since,
        until=until,
        before=before,
        limit=PAGE + 1,
    )
    label = period.label if period else None
    return CallPage(account, calls[:PAGE], cursor, len(calls) > PAGE, label)


def _account_and_period(
    accounts: list[Account], text: str, user: Person, now: datetime, reading: dict
) -> tuple[Account, Period | None]:
    """The account named first and the period after it: the longest ending of `text` that
    reads as a period, else none; when no ending does, all of `text` names the account."""
    words = text.split()
    for i in range(1, len(words)):
        try:
            period = periods.period(" ".join(words[i:]), tz=user.tz, now=now, reading=reading)
        except UserError:
            continue
        return find(accounts, " ".join(words[:i])), period
    return find(accounts, text), None
