"""/digest's use cases: a channel's digest subscription (one per channel), and its digest
posted or previewed on demand."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import i18n
from bot.accounts.names import find
from bot.digests import delivery
from bot.digests.schedule import next_post_at
from bot.errors import UserError
from bot.i18n import N_, _, isolate
from bot.mrkdwn import USER_MENTION, escape
from bot.people import Person
from bot.runtime.context import Rapport
from bot.when import parse_time_of_day
from storage.models import (
    Account,
    DigestDays,
    DigestScope,
    DigestSubscription,
    SubscriptionStatus,
)
from storage.queries import accounts as account_queries
from storage.queries import digests as digest_queries
from storage.queries.inserts import insert_new

DEFAULT_AT = "09:00"
EXAMPLE = "`/digest subscribe at 8:30 daily Acme, Globex quiet`"
INVITE = N_(
    "I can't post in this private channel: invite me with `/invite @Rapport`, then subscribe again."
)


@dataclass(frozen=True)
class Choice:
    """What `/digest subscribe` asked for; `names` are typed account names (scope accounts)."""

    at_time: str = DEFAULT_AT
    days: DigestDays = DigestDays.WEEKDAYS
    scope: DigestScope = DigestScope.ALL
    owner_id: str | None = None
    names: tuple[str, ...] = ()
    skip_quiet: bool = False
    language: str | None = None  # None: the subscriber's


def parse(text: str, *, user_id: str, languages: tuple[str, ...] = ("en",)) -> Choice:
    """`[at HH:MM] [weekdays|daily] [all|mine|@owner|<account names>] [quiet] [in fa]`.

    The time (in any of `languages`: `at ۹:۳۰ صبح`), the days, `quiet` and the language
    (`in` and a code of bot.i18n.LANGUAGES) may come in any order, before or after the scope. The scope runs from its first word
    to its last, so an option word inside it (an account called "Daily Mail, Acme") is
    part of a name.
    """
    words, tokens, i = text.split(), [], 0
    while i < len(words):
        word, taken = words[i].lower(), 1
        if word == "at":
            taken = 1 + _time_words(words[i + 1 :], languages)
            option = ("at_time", " ".join(words[i + 1 : i + taken]))
        elif word in tuple(DigestDays):
            option = ("days", DigestDays(word))
        elif word == "in" and (code := " ".join(words[i + 1 : i + 2]).lower()) in i18n.LANGUAGES:
            taken, option = 2, ("language", code)
        else:
            option = ("skip_quiet", True) if word == "quiet" else None
        tokens.append((option, words[i : i + taken]))
        i += taken
    scope = [k for k, (option, _) in enumerate(tokens) if option is None]
    first, last = (scope[0], scope[-1]) if scope else (len(tokens), -1)
    options = dict(option for k, (option, _) in enumerate(tokens) if not first <= k <= last)
    if "at_time" in options:
        options["at_time"] = _time(options["at_time"], languages)
    typed = " ".join(word for _, chunk in tokens[first : last + 1] for word in chunk)
    return Choice(**options, **_scope(typed, user_id))


def _time_words(words: list[str], languages: tuple[str, ...]) -> int:
    """How many of `words` (those after `at`) make its time: the longest run of up to four
    that reads as one ("9:30 pm", "۵ بعد از ظهر"), else one."""
    for n in range(min(4, len(words)), 1, -1):
        if parse_time_of_day(" ".join(words[:n]), languages=languages):
            return n
    return 1


def _time(typed: str, languages: tuple[str, ...]) -> str:
    """HH:MM from "8:30", "17:00", "9am", "5:30pm" or "۹:۳۰ صبح"; else UserError with an
    example."""
    if found := parse_time_of_day(typed, languages=languages):
        return f"{found[0]:02d}:{found[1]:02d}"
    if typed:
        refusal = _(
            "“{typed}” isn't a time of day: try `at 8:30`, `at 17:00` or `at 5:30pm`, e.g. {example}."
        )
    else:
        refusal = _(
            "Say when after `at`: try `at 8:30`, `at 17:00` or `at 5:30pm`, e.g. {example}."
        )
    raise UserError(refusal.format(typed=isolate(escape(typed)), example=EXAMPLE))


def _scope(typed: str, user_id: str) -> dict:
    if typed.lower() in ("", "all"):
        return {}
    if typed.lower() == "mine":
        return {"scope": DigestScope.MINE, "owner_id": user_id}
    if mention := USER_MENTION.fullmatch(typed):
        return {"scope": DigestScope.OWNER, "owner_id": mention.group(1)}
    if "<" in typed:
        raise UserError(
            _(
                "Name one person, `all`, `mine` or accounts separated by commas, e.g. {example}."
            ).format(example=EXAMPLE)
        )
    names = tuple(n.strip() for n in typed.split(",") if n.strip())
    return {"scope": DigestScope.ACCOUNTS, "names": names}


def check_can_post(client: WebClient, channel_id: str) -> None:
    """Make sure the bot can post in the channel: join it if it is public; else UserError."""
    if channel_id.startswith("D"):
        raise UserError(_("Digests are for channels: run this in the channel that should get one."))
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        if error.response.get("error") == "channel_not_found":  # private, and I'm not in it
            raise UserError(_(INVITE)) from None
        raise
    if channel.get("is_member"):
        return
    if channel.get("is_private"):
        raise UserError(_(INVITE))
    client.conversations_join(channel=channel_id)


def subscribe(
    rapport: Rapport, client: WebClient, *, person: Person, channel_id: str, text: str
) -> tuple[DigestSubscription, bool, datetime | None]:
    """Store the channel's subscription once the bot can post there, replacing (in place)
    the one it had. The subscription, whether it replaced one, and its next post."""
    choice = parse(
        text, user_id=person.user_id, languages=person.languages(rapport.settings.date_languages)
    )
    with rapport.reads.begin() as s:
        named = _accounts(account_queries.active(s, team_id=person.team_id), choice.names)
    check_can_post(client, channel_id)
    columns = _columns(rapport, choice, person=person, channel_id=channel_id)
    with rapport.sessions.begin() as s:
        # Of two subscribing the channel at once, one inserts and the other replaces; if
        # the one it would replace is unsubscribed in between, it inserts after all.
        subscription = None
        while subscription is None:
            replaced = not insert_new(s, DigestSubscription, **columns)
            subscription = digest_queries.for_channel(
                s, team_id=person.team_id, channel_id=channel_id, lock=True
            )
        if replaced:
            for name, value in _settings(choice, person).items():
                setattr(subscription, name, value)
        digest_queries.set_accounts(
            s, subscription=subscription, account_ids=[account.id for account in named]
        )
        s.flush()
        s.refresh(subscription, ["accounts"])
    return subscription, replaced, _next_post(rapport, subscription)


def _columns(rapport: Rapport, choice: Choice, *, person: Person, channel_id: str) -> dict:
    """A new subscription of the channel, as its columns."""
    return {
        "team_id": person.team_id,
        "channel_id": channel_id,
        "created_at": rapport.clock.now(),
        **_settings(choice, person),
    }


def _settings(choice: Choice, person: Person) -> dict:
    """What subscribing sets: the choice, in the subscriber's timezone (and language, unless
    the choice names one), active again."""
    return {
        "created_by": person.user_id,
        "tz": person.tz,
        "at_time": choice.at_time,
        "days": choice.days,
        "scope": choice.scope,
        "scope_owner_id": choice.owner_id,
        "skip_quiet": choice.skip_quiet,
        "language": choice.language or i18n.language(),
        "status": SubscriptionStatus.ACTIVE,
        "paused_reason": None,
    }


def _accounts(active: list[Account], names: tuple[str, ...]) -> list[Account]:
    """The accounts named, each found as /account finds it, without repeats."""
    found = {}
    for name in names:
        try:
            account = find(active, name)
        except UserError as error:
            raise UserError(
                _("{error} Separate names with commas: {example}.").format(
                    error=error, example=EXAMPLE
                )
            ) from None
        found[account.id] = account
    return list(found.values())


def current(rapport: Rapport, *, team_id: str, channel_id: str) -> DigestSubscription | None:
    with rapport.reads.begin() as s:
        return digest_queries.for_channel(s, team_id=team_id, channel_id=channel_id)


def status(
    rapport: Rapport, *, team_id: str, channel_id: str
) -> tuple[DigestSubscription | None, datetime | None]:
    """`/digest list`: the channel's subscription, if any, and when it posts next."""
    subscription = current(rapport, team_id=team_id, channel_id=channel_id)
    return subscription, (_next_post(rapport, subscription) if subscription else None)


def _next_post(rapport: Rapport, subscription: DigestSubscription) -> datetime | None:
    """When the subscription's next scheduled digest goes out; None while it is paused."""
    if subscription.status != SubscriptionStatus.ACTIVE:
        return None
    now = rapport.clock.now()
    today = now.astimezone(ZoneInfo(subscription.tz)).date()
    with rapport.reads.begin() as s:
        posted_today = bool(digest_queries.finished(s, keys=[(subscription.id, today)]))
    return next_post_at(subscription, now, posted_today)


def unsubscribe(rapport: Rapport, *, team_id: str, channel_id: str) -> bool:
    """Delete the channel's subscription; False if it had none."""
    with rapport.sessions.begin() as s:
        return digest_queries.delete_for_channel(s, team_id=team_id, channel_id=channel_id) > 0


def for_channel(rapport: Rapport, *, person: Person, channel_id: str) -> DigestSubscription:
    """The channel's subscription, else an unsaved one with the defaults (all accounts),
    for /digest now and preview."""
    return current(rapport, team_id=person.team_id, channel_id=channel_id) or DigestSubscription(
        **_columns(rapport, Choice(), person=person, channel_id=channel_id)
    )


def post_now(rapport: Rapport, client: WebClient, *, person: Person, channel_id: str) -> str | None:
    """Post the channel's digest now (joining the channel if need be): its ts, or None on a
    quiet day when the subscription posts nothing then."""
    check_can_post(client, channel_id)
    return delivery.post_now(
        rapport, client, for_channel(rapport, person=person, channel_id=channel_id)
    )


def preview(rapport: Rapport, *, person: Person, channel_id: str) -> tuple[dict | None, list[dict]]:
    """The channel's digest as it would be posted now: the message and its thread replies."""
    return delivery.render(rapport, for_channel(rapport, person=person, channel_id=channel_id))
