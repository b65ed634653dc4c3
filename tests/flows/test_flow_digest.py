"""/digest end to end: signed requests to the real `serve` server, Slack faked.

A channel subscribes (the bot joins it if it can, or says why it can't), lists and
replaces its subscription, unsubscribes, and posts or previews its digest on demand.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import DigestPost, DigestSubscription, DigestSubscriptionAccount
from support.clock import START
from support.shown import posted_to, visible
from support.stored import all_rows, count

OWNER = "U0001"  # New York; adds the accounts, so owns them
CHANNEL = "C0001"  # where slash commands come from unless a test says otherwise
# Tuesday 24 November 2026, 09:00 in New York: the default digest after today's.
TOMORROW_9AM = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def accounts(slack):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex")


def digest(slack, text: str, *, channel_id=CHANNEL, user_id=OWNER) -> str:
    """Everything the person is shown for `/digest <text>` in `channel_id`."""
    seen = len(slack.fake.calls_to("response_url"))
    ack = slack.command("/digest", text, channel_id=channel_id, user_id=user_id)
    assert ack.status == 200, ack.raw
    slack.settle()
    shown = [ack.json] if ack.json.get("text") else []
    shown += [call.args for call in slack.fake.calls_to("response_url")[seen:]]
    assert all(message["response_type"] == "ephemeral" for message in shown)
    return "\n".join(visible(message) for message in shown)


def stored(rapport) -> list[DigestSubscription]:
    return all_rows(rapport, DigestSubscription)


def named_accounts(rapport) -> set[str]:
    with rapport.reads.begin() as s:
        return {
            account.name
            for sub in s.scalars(select(DigestSubscription))
            for account in sub.accounts
        }


def token(moment: datetime) -> str:
    return f"<!date^{int(moment.timestamp())}^"


# -- subscribe


def test_subscribe_with_the_defaults(slack, rapport):
    reply = digest(slack, "subscribe")

    assert "Subscribed this channel to the daily digest" in reply
    assert "every weekday at 09:00 (America/New_York)" in reply
    assert "*Accounts*: all" in reply and "*Quiet days*: one short line" in reply
    # Subscribed at noon on Monday: the first digest is Tuesday's 09:00, not one at once.
    tuesday_9 = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert f"*Next digest*: {token(tuesday_9)}" in reply
    [subscription] = stored(rapport)
    assert (subscription.team_id, subscription.channel_id, subscription.created_by) == (
        "T0001",
        CHANNEL,
        OWNER,
    )
    assert (subscription.at_time, subscription.tz, subscription.days) == (
        "09:00",
        "America/New_York",
        "weekdays",
    )
    assert (subscription.scope, subscription.scope_owner_id) == ("all", None)
    assert (subscription.skip_quiet, subscription.status) == (False, "active")
    assert not slack.fake.calls_to("conversations.join")  # already a member


def test_the_time_is_in_the_subscribers_timezone(slack, rapport):
    assert "(Europe/Paris)" in digest(slack, "subscribe at 8:30", user_id="U0002")
    [subscription] = stored(rapport)
    assert (subscription.at_time, subscription.tz, subscription.created_by) == (
        "08:30",
        "Europe/Paris",
        "U0002",
    )


@pytest.mark.parametrize(
    "text, at_time",
    [
        ("at 8:30", "08:30"),
        ("at 17:00", "17:00"),
        ("at 9am", "09:00"),
        ("at 9 AM", "09:00"),
        ("at 5:30pm", "17:30"),
        ("at 12am", "00:00"),
        ("at 12pm", "12:00"),
        ("at 7", "07:00"),
    ],
)
def test_times_of_day(slack, rapport, text, at_time):
    digest(slack, f"subscribe {text}")
    assert stored(rapport)[0].at_time == at_time


@pytest.mark.parametrize(
    "text, scope, owner, shown",
    [
        ("all", "all", None, "*Accounts*: all"),
        ("mine", "mine", OWNER, f"*Accounts*: owned by <@{OWNER}>"),
        ("<@U0002|camille>", "owner", "U0002", "*Accounts*: owned by <@U0002>"),
    ],
)
def test_subscribe_to_one_owners_accounts_or_all(slack, rapport, text, scope, owner, shown):
    assert shown in digest(slack, f"subscribe {text}")
    [subscription] = stored(rapport)
    assert (subscription.scope, subscription.scope_owner_id) == (scope, owner)


def test_subscribe_with_every_option(slack, rapport, accounts):
    reply = digest(slack, "subscribe at 5:30pm daily acme, GLOB quiet")

    assert "every day at 17:30 (America/New_York)" in reply
    assert "*Accounts*: *Acme Corp*, *Globex*" in reply
    assert "*Quiet days*: nothing is posted" in reply
    assert f"*Next digest*: {token(START.replace(hour=22, minute=30))}" in reply
    [subscription] = stored(rapport)
    assert (subscription.at_time, subscription.days, subscription.scope) == (
        "17:30",
        "daily",
        "accounts",
    )
    assert subscription.skip_quiet is True
    assert named_accounts(rapport) == {"Acme Corp", "Globex"}


def test_options_may_follow_the_accounts_and_option_words_inside_names_are_names(
    slack, rapport, accounts
):
    slack.ask("/account", "add Daily Mail")
    digest(slack, "subscribe Acme, Daily Mail daily at 8:00")
    [subscription] = stored(rapport)
    assert (subscription.at_time, subscription.days) == ("08:00", "daily")
    assert named_accounts(rapport) == {"Acme Corp", "Daily Mail"}


def test_subscribing_again_replaces_the_channels_subscription(slack, rapport, accounts):
    digest(slack, "subscribe Acme, Globex")
    [first] = stored(rapport)

    reply = digest(slack, "subscribe at 8:00 Globex quiet", user_id="U0002")

    assert "Replaced this channel's digest" in reply and "*Accounts*: *Globex*" in reply
    [subscription] = stored(rapport)
    assert subscription.id == first.id
    assert (subscription.at_time, subscription.tz, subscription.created_by) == (
        "08:00",
        "Europe/Paris",
        "U0002",
    )
    assert named_accounts(rapport) == {"Globex"}

    digest(slack, "subscribe mine")
    assert count(rapport, DigestSubscriptionAccount) == 0
    assert stored(rapport)[0].skip_quiet is False


def test_subscribing_again_resumes_a_paused_subscription(slack, rapport):
    digest(slack, "subscribe")
    pause(rapport, "not_in_channel")
    digest(slack, "subscribe")
    [subscription] = stored(rapport)
    assert (subscription.status, subscription.paused_reason) == ("active", None)


def test_each_channel_has_its_own_subscription(slack, rapport):
    digest(slack, "subscribe")
    digest(slack, "subscribe at 10:00", channel_id="C0002")
    assert sorted((s.channel_id, s.at_time) for s in stored(rapport)) == [
        (CHANNEL, "09:00"),
        ("C0002", "10:00"),
    ]


# -- the digest's language


def test_subscribe_in_a_language(slack, rapport, accounts):
    digest(slack, "subscribe at 8:30 in vi Acme")

    [subscription] = stored(rapport)
    assert (subscription.language, subscription.at_time) == ("vi", "08:30")
    assert named_accounts(rapport) == {"Acme Corp"}
    assert "*Language*: Tiếng Việt (`vi`)" in digest(slack, "list")


@pytest.mark.parametrize(
    "language, typed, at_time",
    [
        ("fa", "at ۹:۳۰ صبح", "09:30"),
        ("fa", "at ۵ بعد از ظهر daily", "17:00"),
        ("ar", "at ٩:٣٠ صباحًا", "09:30"),
        ("vi", "at 5:30 chiều quiet", "17:30"),
    ],
)
def test_the_time_is_read_in_the_subscribers_language(slack, rapport, language, typed, at_time):
    slack.ask("/rapport", f"language {language}")
    digest(slack, f"subscribe {typed}")
    [subscription] = stored(rapport)
    assert (subscription.at_time, subscription.scope) == (at_time, "all")


def test_the_language_defaults_to_the_subscribers(slack, rapport):
    digest(slack, "subscribe")
    assert stored(rapport)[0].language == "en"
    assert "*Language*: English (`en`)" in digest(slack, "list")

    slack.ask("/rapport", "language fa")
    digest(slack, "subscribe")  # replaces it, in the language of the one subscribing now
    assert stored(rapport)[0].language == "fa"


def test_in_before_a_word_that_is_no_language_is_part_of_a_name(slack, rapport):
    slack.ask("/account", "add Made in Vietnam")
    digest(slack, "subscribe made in vietnam in VI quiet")
    [subscription] = stored(rapport)
    assert (subscription.language, subscription.skip_quiet) == ("vi", True)
    assert named_accounts(rapport) == {"Made in Vietnam"}


def test_now_and_preview_write_in_the_subscriptions_language(slack, fake, clock, accounts):
    """Dates show it whatever the catalogs hold: written out in Vietnamese, not Slack's
    English date tokens; what only the asker reads stays in theirs."""
    slack.ask("/logcall", "Acme 1 hour ago: renewal talk")
    clock.advance(minutes=1)
    digest(slack, "subscribe in vi")

    assert "Posted this channel's digest" in digest(slack, "now")
    [posted] = posted_to(fake, CHANNEL)
    assert "Acme Corp" in visible(posted) and "tháng 11" in visible(posted)
    assert "<!date^" not in visible(posted)

    preview = digest(slack, "preview")
    assert "Preview, only you can see it" in preview and "tháng 11" in preview


# -- where the bot can post


def test_the_bot_joins_a_public_channel_it_is_not_in(slack, rapport, fake):
    fake.add_channel("C0PUBLIC", is_member=False)
    assert "Subscribed" in digest(slack, "subscribe", channel_id="C0PUBLIC")
    [join] = fake.calls_to("conversations.join")
    assert join.args["channel"] == "C0PUBLIC"
    assert [s.channel_id for s in stored(rapport)] == ["C0PUBLIC"]


def test_a_private_channel_the_bot_is_not_in_is_refused_and_nothing_stored(slack, rapport, fake):
    fake.add_channel("G0PRIVATE", is_private=True, is_member=False)
    reply = digest(slack, "subscribe", channel_id="G0PRIVATE")
    assert (
        "I can't post in this private channel: invite me with `/invite @Rapport`, "
        "then subscribe again" in reply
    )
    assert stored(rapport) == [] and not fake.calls_to("conversations.join")


def test_a_private_channel_the_bot_is_in_is_fine(slack, rapport, fake):
    fake.add_channel("G0PRIVATE", is_private=True, is_member=True)
    assert "Subscribed" in digest(slack, "subscribe", channel_id="G0PRIVATE")
    assert len(stored(rapport)) == 1 and not fake.calls_to("conversations.join")


def test_a_dm_is_refused(slack, rapport, fake):
    reply = digest(slack, "subscribe", channel_id="D0001")
    assert "Digests are for channels" in reply
    assert stored(rapport) == [] and not fake.calls_to("conversations.info")


# -- list and unsubscribe


def test_list_without_a_subscription(slack):
    assert "This channel has no digest" in digest(slack, "list")


def test_list_shows_the_subscription_and_its_next_post(slack, rapport, accounts):
    digest(slack, "subscribe at 17:00 Acme quiet")
    digest(slack, "subscribe at 17:00 Acme quiet", channel_id="C0002")  # another channel's

    reply = digest(slack, "list")

    assert "This channel's digest" in reply
    assert "every weekday at 17:00 (America/New_York)" in reply
    assert "*Accounts*: *Acme Corp*" in reply and "nothing is posted" in reply
    assert "*Status*: active" in reply
    assert f"*Next digest*: {token(START.replace(hour=22))}" in reply  # today 17:00 New York


def test_list_after_todays_digest_went_out_shows_the_next_weekday(slack, rapport):
    digest(slack, "subscribe")
    [subscription] = stored(rapport)
    with rapport.sessions.begin() as s:
        s.add(
            DigestPost(
                team_id="T0001",
                subscription_id=subscription.id,
                local_date=date(2026, 11, 23),
                claimed_at=START,
                lease_until=START + timedelta(minutes=5),
                status="posted",
                posted_at=START,
            )
        )
    assert f"*Next digest*: {token(TOMORROW_9AM)}" in digest(slack, "list")


def test_list_shows_why_a_subscription_is_paused(slack, rapport):
    digest(slack, "subscribe")
    pause(rapport, "not_in_channel")
    reply = digest(slack, "list")
    assert "*paused*: Slack answered `not_in_channel`" in reply and "/digest subscribe" in reply
    assert "Next digest" not in reply


def test_unsubscribe(slack, rapport, accounts):
    digest(slack, "subscribe Acme")
    digest(slack, "subscribe", channel_id="C0002")

    assert "Unsubscribed" in digest(slack, "unsubscribe")
    assert [s.channel_id for s in stored(rapport)] == ["C0002"]
    assert count(rapport, DigestSubscriptionAccount) == 0
    assert "had no digest subscription" in digest(slack, "unsubscribe")


# -- now and preview


def test_now_posts_the_digest_in_the_channel(slack, fake, clock, accounts):
    slack.ask("/logcall", "Acme 1 hour ago: renewal &lt;!channel&gt; talk")  # as Slack sends it
    clock.advance(minutes=1)  # the digest covers calls logged before now

    reply = digest(slack, "now")

    assert "Posted this channel's digest" in reply
    [posted] = posted_to(fake, CHANNEL)
    shown = visible(posted)
    assert "Daily digest" in shown and "Acme Corp" in shown
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown


def test_now_uses_the_channels_subscription(slack, fake, clock):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Initech", user_id="U0002")  # owned by U0002
    slack.ask("/logcall", "Acme 1 hour ago: renewal talk")
    slack.ask("/logcall", "Initech 1 hour ago: kickoff", user_id="U0002")
    clock.advance(minutes=1)
    digest(slack, "subscribe mine")

    digest(slack, "now")

    [posted] = posted_to(fake, CHANNEL)
    assert f"for <@{OWNER}>'s accounts" in visible(posted)
    assert "Acme Corp" in visible(posted) and "Initech" not in visible(posted)


def test_now_on_a_quiet_day_posts_nothing_when_the_subscription_says_so(slack, fake):
    digest(slack, "subscribe quiet")
    assert "Nothing posted" in digest(slack, "now")
    assert not posted_to(fake, CHANNEL)


def test_now_joins_a_public_channel_first(slack, fake, accounts):
    fake.add_channel("C0PUBLIC", is_member=False)
    digest(slack, "now", channel_id="C0PUBLIC")
    assert [c.args["channel"] for c in fake.calls_to("conversations.join")] == ["C0PUBLIC"]
    assert len(posted_to(fake, "C0PUBLIC")) == 1


def test_now_in_a_private_channel_the_bot_is_not_in_is_refused(slack, fake):
    fake.add_channel("G0PRIVATE", is_private=True, is_member=False)
    assert "/invite @Rapport" in digest(slack, "now", channel_id="G0PRIVATE")
    assert not fake.calls_to("chat.postMessage")


def test_preview_shows_the_digest_only_to_the_caller(slack, fake, clock, accounts):
    slack.ask("/logcall", "Acme 1 hour ago: renewal talk")
    clock.advance(minutes=1)

    reply = digest(slack, "preview")

    assert "Preview, only you can see it" in reply
    assert "Daily digest" in reply and "Acme Corp" in reply
    assert not fake.calls_to("chat.postMessage")


def test_preview_on_a_quiet_day(slack, fake):
    assert "Quiet day" in digest(slack, "preview")
    digest(slack, "subscribe quiet")
    assert "skips quiet days" in digest(slack, "preview")
    assert not fake.calls_to("chat.postMessage")


# -- help and errors


@pytest.mark.parametrize("text", ["", "help", "HELP"])
def test_help_lists_the_verbs(slack, text):
    reply = digest(slack, text)
    for verb in ("subscribe", "/digest list", "/digest unsubscribe", "/digest now", "preview"):
        assert verb in reply


def test_an_unknown_verb_answers_the_help(slack):
    reply = digest(slack, "sbuscribe")
    assert "I don't know `/digest sbuscribe`" in reply and "/digest list" in reply


@pytest.mark.parametrize(
    "text, expected",
    [
        ("subscribe at 25:00", "“25:00” isn't a time of day: try `at 8:30`"),
        ("subscribe at 13pm", "“13pm” isn't a time of day"),
        ("subscribe at 9:75", "“9:75” isn't a time of day"),
        ("subscribe at noon", "“noon” isn't a time of day"),
        ("subscribe at", "Say when after `at`"),
        ("subscribe Acmee", "I don't know an account called “Acmee”. Did you mean *Acme Corp*?"),
        ("subscribe Acme, Globx", "“Globx”. Did you mean *Globex*?"),
        ("subscribe <@U0002|camille> <@U0003|x>", "Name one person, `all`, `mine` or accounts"),
    ],
)
def test_mistakes_are_explained_and_nothing_is_stored(
    slack, rapport, fake, accounts, text, expected
):
    reply = digest(slack, text)
    assert expected in reply and "/digest subscribe" in reply
    assert stored(rapport) == []
    assert not fake.calls_to("conversations.join")


def pause(rapport, reason: str) -> None:
    with rapport.sessions.begin() as s:
        for subscription in s.scalars(select(DigestSubscription)):
            subscription.status, subscription.paused_reason = "paused", reason
