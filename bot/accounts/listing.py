"""`/account list [mine|@owner] [at risk|stale|renewing in N days] [by last contact|renewal|arr]`:
the words in any order, each filter narrowing the others'. One statement reads the facts of
every account in scope (storage/queries/accounts.py `facts`); the rest is filtered and
ordered here, and shown a page at a time, with buttons that carry the filters and where
the next page starts."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.accounts.values import ListedAccount, ListFilters, ListOrder, ListPage
from bot.errors import UserError
from bot.grades import scale
from bot.i18n import N_, _, isolate, number
from bot.mrkdwn import escape
from bot.people import Person
from bot.runtime.context import Rapport
from storage.queries import accounts as account_queries

# With its header line, a page is at most PAGE_SIZE + 1 sections (bot/blocks.py pack gives
# each line at most one) and an actions block: within Slack's 50 blocks whatever the lines.
PAGE_SIZE = 40
RENEWING_DAYS_MAX = 3660  # ten years
OFFSET_MAX = 10_000_000
GRAMMAR = N_(
    "`/account list [mine|@owner] [at risk|stale|renewing in 60 days] "
    "[by last contact|renewal|arr]`, the words in any order, e.g. "
    "`/account list mine at risk by arr`"
)
WORDS = re.compile(
    r"""(?:
        (?P<mine>mine) | (?P<all>all) | (?P<mention><@[UW][A-Z0-9]+(?:\|[^>\s]*)?>)
      | (?P<at_risk>at\s+risk) | (?P<stale>stale)
      | renewing\s+(?:in|within)\s+(?P<days>\d+)\s+days?
      | by\s+(?P<order>name|last\s+contact|renewal|arr)
    )(?=\s|$)
    | (?P<other>\S+)""",
    re.IGNORECASE | re.VERBOSE,
)


def parse(text: str, *, user_id: str) -> ListFilters:
    """The filters `text` asks for (`mine` is `user_id`'s accounts), or a UserError that
    quotes the words not understood, with the grammar."""
    matches = list(WORDS.finditer(text))
    unknown = [match["other"] for match in matches if match["other"]]
    if mentions := [word for word in unknown if word.startswith("@")]:
        raise UserError(
            _("Mention the owner so Slack links it: “{typed}”. Try {grammar}.").format(
                typed=isolate(escape(mentions[0])), grammar=_(GRAMMAR)
            )
        )
    if unknown:
        raise UserError(
            _("I don't know “{words}” in `/account list`. Try {grammar}.").format(
                words=isolate(escape(" ".join(unknown))), grammar=_(GRAMMAR)
            )
        )
    found: dict = {}
    said: dict[str, str] = {}  # the words that set each filter, to name a conflict
    for match in matches:
        key, value = _filter(match, user_id)
        words = f"<@{value}>" if match["mention"] else isolate(escape(" ".join(match[0].split())))
        if key in found and found[key] != value:
            raise UserError(
                _("“{first}” and “{second}” can't go together. Try {grammar}.").format(
                    first=said[key], second=words, grammar=_(GRAMMAR)
                )
            )
        found[key], said[key] = value, words
    return ListFilters(**found)


def _filter(match: re.Match, user_id: str) -> tuple[str, object]:
    """The filter a phrase of `/account list` sets, and its value."""
    if match["mine"]:
        return "owner_id", user_id
    if match["all"]:
        return "owner_id", None
    if match["mention"]:
        return "owner_id", match["mention"][2:-1].partition("|")[0]
    if match["at_risk"]:
        return "at_risk", True
    if match["stale"]:
        return "stale", True
    if match["days"]:
        days = int(match["days"])
        if not 1 <= days <= RENEWING_DAYS_MAX:
            raise UserError(
                _("Say how many days ahead, from 1 to {max}: “{typed}”. Try {grammar}.").format(
                    max=isolate(number(RENEWING_DAYS_MAX)),
                    typed=isolate(escape(" ".join(match[0].split()))),
                    grammar=_(GRAMMAR),
                )
            )
        return "renewing_days", days
    return "order", ListOrder(" ".join(match["order"].lower().split()))


def words(filters: ListFilters) -> str:
    """`filters` as words that `parse` reads back the same, whoever reads them."""
    said = []
    if filters.owner_id:
        said.append(f"<@{filters.owner_id}>")
    if filters.at_risk:
        said.append("at risk")
    if filters.stale:
        said.append("stale")
    if filters.renewing_days is not None:
        said.append(f"renewing in {filters.renewing_days} days")
    if filters.order != ListOrder.NAME:
        said.append(f"by {filters.order}")
    return " ".join(said)


def page(rapport: Rapport, *, person: Person, filters: ListFilters, offset: int = 0) -> ListPage:
    """The accounts `filters` select, in their order, PAGE_SIZE of them from `offset` (the
    last page when `offset` is past the end); "renewing in N days" counts from today in
    `person`'s timezone."""
    now = rapport.clock.now()
    team_id = person.team_id
    with rapport.reads.begin() as s:
        rows = account_queries.facts(
            s,
            team_id=team_id,
            scope=account_queries.in_scope(team_id=team_id, owner_id=filters.owner_id),
        )
    stale_days = rapport.settings.stale_days
    quiet_since = now - timedelta(days=stale_days)
    today = now.astimezone(ZoneInfo(person.tz)).date()
    listed = [
        ListedAccount(r.name, r.owner_id, r.last_call_at, r.grade, r.renewal_on, r.arr)
        for r in rows
        if (not filters.at_risk or (r.grade is not None and scale.at_risk(r.grade)))
        and (not filters.stale or r.last_call_at is None or r.last_call_at <= quiet_since)
        and (
            filters.renewing_days is None
            or (
                r.renewal_on is not None
                and today <= r.renewal_on <= today + timedelta(days=filters.renewing_days)
            )
        )
    ]
    listed = _ordered(listed, filters.order)  # stable: by name among equals
    total = len(listed)
    offset = min(offset, (max(total, 1) - 1) // PAGE_SIZE * PAGE_SIZE)
    shown = listed[offset : offset + PAGE_SIZE]
    after = offset + len(shown)
    return ListPage(
        filters=filters,
        accounts=shown,
        offset=offset,
        total=total,
        stale_days=stale_days,
        viewer_id=person.user_id,
        previous=_button(filters, max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
        next=_button(filters, after) if after < total else None,
    )


def _ordered(listed: list[ListedAccount], order: ListOrder) -> list[ListedAccount]:
    if order == ListOrder.LAST_CONTACT:
        return sorted(listed, key=lambda a: (a.last_contact is not None, a.last_contact or 0))
    if order == ListOrder.RENEWAL:
        return sorted(listed, key=lambda a: (a.renewal_on is None, a.renewal_on or 0))
    if order == ListOrder.ARR:
        return sorted(listed, key=lambda a: (a.arr is None, -(a.arr or 0)))
    return listed  # the statement's order: by name


def _button(filters: ListFilters, offset: int) -> str:
    return json.dumps({"list": words(filters), "offset": offset})


def pressed(value, *, user_id: str) -> tuple[ListFilters, int]:
    """The filters and offset a page button carries; ValueError when it holds what our
    buttons never do."""
    found = json.loads(value) if isinstance(value, str) else None
    if not (
        isinstance(found, dict)
        and isinstance(found.get("list"), str)
        and type(found.get("offset")) is int
        and 0 <= found["offset"] <= OFFSET_MAX
    ):
        raise ValueError(value)
    try:
        return parse(found["list"], user_id=user_id), found["offset"]
    except UserError:
        raise ValueError(value) from None
