"""The pure pieces, tested directly: time phrases, mrkdwn, account names, Block Kit builders.

No database and no Slack: models are built in memory where the builders take them.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import blocks
from bot.accounts import messages as account_messages
from bot.accounts.names import find, name_key, split_name
from bot.accounts.values import AccountView
from bot.calls import ids as call_ids
from bot.calls import messages as call_messages
from bot.errors import UserError
from bot.mrkdwn import date_token, escape
from bot.when import languages_for, parse_day, parse_moment
from storage.models import Account, Call

NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
# Monday 23 November 2026, 12:00 in New York (18:00 in Paris).
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)


def account(name: str, *, id=1, owner_id="U0001", **fields) -> Account:
    return Account(
        id=id, team_id="T0001", name=name, name_key=name_key(name), owner_id=owner_id, **fields
    )


def call(notes: str = "discussed renewal", *, id=42, of: Account | None = None, **fields) -> Call:
    fields.setdefault("occurred_at", datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc))
    fields.setdefault("logged_by", "U0001")
    fields.setdefault("private", False)
    return Call(id=id, account=of or account("Acme Corp"), notes=notes, **fields)


def section_texts(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


# -- bot/when.py


@pytest.mark.parametrize(
    "tz, expected",
    [
        ("America/New_York", datetime(2026, 11, 22, 15, 0, tzinfo=NEW_YORK)),
        ("Europe/Paris", datetime(2026, 11, 22, 15, 0, tzinfo=PARIS)),
    ],
)
def test_yesterday_3pm_is_read_in_the_writers_timezone(tz, expected):
    moment = parse_moment("yesterday 3pm", tz=tz, now=NOW)
    assert moment == expected
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_hours_ago_counts_back_from_now():
    assert parse_moment("2 hours ago", tz="America/New_York", now=NOW) == NOW - timedelta(hours=2)


@pytest.mark.parametrize("phrase", ["now", "", "  ", "Now"])
def test_now_and_nothing_mean_now(phrase):
    moment = parse_moment(phrase, tz="Europe/Paris", now=NOW)
    assert moment == NOW and moment.utcoffset() == timedelta(0)


def test_a_future_moment_is_refused():
    with pytest.raises(UserError, match="future") as raised:
        parse_moment("tomorrow 9am", tz="America/New_York", now=NOW)
    assert "tomorrow 9am" in str(raised.value)


def test_a_few_minutes_ahead_is_still_now():
    """A laptop clock running a little fast does not make a call 'in the future'."""
    assert parse_moment("in 2 minutes", tz="America/New_York", now=NOW) == NOW + timedelta(
        minutes=2
    )


def test_gibberish_is_quoted_back_escaped():
    with pytest.raises(UserError) as raised:
        parse_moment("blursday <at> teatime", tz="America/New_York", now=NOW)
    message = str(raised.value)
    assert "blursday &lt;at&gt; teatime" in message and "couldn't read" in message
    assert "<at>" not in message


def test_an_absolute_time_across_the_dst_change_keeps_its_wall_clock_time():
    now = datetime(2026, 11, 2, 12, 0, tzinfo=NEW_YORK)  # EST; Oct 31 was EDT
    moment = parse_moment("Oct 31 9am", tz="America/New_York", now=now)
    assert moment == datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK)
    assert moment.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-4)


def test_hours_ago_across_the_dst_change_is_real_elapsed_time():
    now = datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)  # 01:30 EST, just after falling back
    assert parse_moment("2 hours ago", tz="America/New_York", now=now) == now - timedelta(hours=2)


@pytest.mark.parametrize(
    "now, phrase, expected",
    [
        (
            datetime(2026, 11, 2, 12, 0, tzinfo=NEW_YORK),
            "2 days ago 9am",
            datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK),
        ),
        (
            datetime(2026, 11, 1, 12, 0, tzinfo=NEW_YORK),
            "yesterday 3pm",
            datetime(2026, 10, 31, 15, 0, tzinfo=NEW_YORK),
        ),
    ],
)
def test_a_relative_day_across_the_dst_change_keeps_its_wall_clock_time(now, phrase, expected):
    moment = parse_moment(phrase, tz="America/New_York", now=now)
    assert moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == expected.strftime(
        "%Y-%m-%d %H:%M %Z"
    )
    assert moment == expected


def test_parse_day_prefers_the_future():
    assert parse_day("March 31", tz="America/New_York", now=NOW) == date(2027, 3, 31)
    assert parse_day("March 31 2027", tz="America/New_York", now=NOW) == date(2027, 3, 31)


def test_parse_day_is_the_day_in_the_writers_timezone():
    late = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # still the 23rd in New York
    assert parse_day("today", tz="America/New_York", now=late) == date(2026, 11, 23)
    assert parse_day("today", tz="Europe/Paris", now=late) == date(2026, 11, 24)


def test_parse_day_quotes_gibberish_back():
    with pytest.raises(UserError, match="blursday"):
        parse_day("blursday", tz="America/New_York", now=NOW)


def test_languages_english_then_setting_then_locale():
    assert languages_for("fr-FR", ("de",)) == ("en", "de", "fr")
    assert languages_for(None, ()) == ("en",)
    assert languages_for("en-GB", ("en",)) == ("en",)


def test_french_phrases_are_read_for_a_french_locale():
    languages = languages_for("fr-FR", ())
    assert parse_moment("hier à 15h", tz="Europe/Paris", now=NOW, languages=languages) == (
        datetime(2026, 11, 22, 15, 0, tzinfo=PARIS)
    )
    assert parse_moment("il y a 2 heures", tz="Europe/Paris", now=NOW, languages=languages) == (
        NOW - timedelta(hours=2)
    )


# -- bot/mrkdwn.py


def test_escape_neutralises_mentions_and_links():
    assert escape("<!channel> & <https://evil.example|click>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"
    )
    assert escape("a &amp; b") == "a &amp;amp; b"  # escaped once more: shown as typed
    assert escape("plain") == "plain"


def test_date_token_has_slacks_format_and_a_local_fallback():
    moment = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)
    epoch = int(moment.timestamp())
    assert date_token(moment, "America/New_York") == (
        f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 12:00 EST>"
    )
    assert date_token(moment, "Europe/Paris") == (
        f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 18:00 CET>"
    )
    assert (
        date_token(moment, "UTC")
        == f"<!date^{epoch}^{{date_short_pretty}} {{time}}|Mon 23 Nov 2026 17:00 UTC>"
    )


def test_date_token_epoch_does_not_depend_on_the_given_offset():
    in_paris = datetime(2026, 11, 23, 18, 0, tzinfo=PARIS)
    assert date_token(in_paris, "UTC").startswith(f"<!date^{int(NOW.timestamp())}^")


# -- bot/accounts.py


def test_name_key_ignores_case_and_spacing():
    assert name_key("  Acme   CORP ") == "acme corp"
    assert name_key("Straße") == name_key("STRASSE")


ACCOUNTS = [account("Acme Corp", id=1), account("Acme Labs", id=2), account("Globex", id=3)]


def test_find_exact_in_any_case():
    assert find(ACCOUNTS, "acme CORP").id == 1


def test_find_by_unique_prefix():
    assert find(ACCOUNTS, "glo").id == 3
    assert find(ACCOUNTS, "acme l").id == 2


def test_find_exact_beats_prefix():
    both = [account("Acme", id=1), account("Acme Corp", id=2)]
    assert find(both, "acme").id == 1


def test_find_ambiguous_prefix_asks_which_one():
    with pytest.raises(UserError) as raised:
        find(ACCOUNTS, "Acme")
    assert str(raised.value) == "“Acme” could be *Acme Corp* or *Acme Labs*. Which one?"


def test_find_unknown_names_the_closest():
    with pytest.raises(UserError) as raised:
        find(ACCOUNTS, "Globx")
    assert "“Globx”" in str(raised.value) and "Did you mean *Globex*?" in str(raised.value)


def test_find_unknown_without_close_names_points_at_the_list():
    with pytest.raises(UserError, match="/account list"):
        find(ACCOUNTS, "Initech")
    with pytest.raises(UserError, match="no accounts yet"):
        find([], "Initech")


def test_split_name_longest_exact_wins_over_prefix():
    both = [account("Acme", id=1), account("Acme Corp", id=2)]
    found, rest = split_name(both, "Acme Corp yesterday".split())
    assert found.id == 2 and rest == ["yesterday"]
    found, rest = split_name(both, "Acme yesterday 3pm".split())
    assert found.id == 1 and rest == ["yesterday", "3pm"]


def test_split_name_by_prefix_and_none_when_unknown():
    found, rest = split_name(ACCOUNTS, "glo 2 hours ago".split())
    assert found.id == 3 and rest == ["2", "hours", "ago"]
    assert split_name(ACCOUNTS, "Initech yesterday".split()) is None
    with pytest.raises(UserError, match="Which one"):
        split_name(ACCOUNTS, "acme yesterday".split())


# -- bot/blocks.py


def test_call_logged_has_an_undo_button_carrying_the_call_id():
    message = call_messages.call_logged(call(id=42), "America/New_York")
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1
    (button,) = actions[0]["elements"]
    assert button["action_id"] == call_ids.UNDO_CALL == "undo_call"
    assert button["value"] == "42"
    summary = section_texts(message)[0]
    assert "*Acme Corp*" in summary
    assert (
        date_token(datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc), "America/New_York")
        in summary
    )


def test_call_logged_escapes_notes_and_marks_private_ones():
    message = call_messages.call_logged(
        call(
            "<!channel> & <https://evil.example|click>",
            private=True,
            next_step="<@U0009> call back",
        ),
        "UTC",
    )
    details = section_texts(message)[1]
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in details
    assert "&lt;@U0009&gt; call back" in details
    assert "<!channel>" not in str(message) and "<@U0009>" not in str(message)
    assert "Private note" in details


def test_call_logged_does_not_mark_a_public_note_private():
    assert "Private" not in str(call_messages.call_logged(call(), "UTC"))


@pytest.mark.parametrize("notes", ["word " * 2000, ("<&>" * 3334)[:10_000], "&\n" * 5000])
def test_call_logged_stays_within_slacks_section_limit_for_long_notes(notes):
    assert len(notes) == 10_000
    message = call_messages.call_logged(call(notes, next_step="send the proposal"), "UTC")
    assert all(len(text) <= 3000 for text in section_texts(message))
    assert "…" in section_texts(message)[1]


def test_call_logged_stays_within_the_limit_when_escaping_grows_the_text():
    message = call_messages.call_logged(call("&" * 10_000, next_step="&" * 500), "UTC")
    assert all(len(text) <= 3000 for text in section_texts(message))


def test_call_modal_has_the_six_inputs_with_the_shared_ids():
    view = call_messages.call_modal()
    assert view["type"] == "modal" and view["callback_id"] == call_ids.LOG_CALL_VIEW
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    expected = [
        call_ids.CALL_ACCOUNT,
        call_ids.CALL_WHEN,
        call_ids.CALL_NOTES,
        call_ids.CALL_NEXT_STEP,
        call_ids.CALL_FOLLOW_UP,
        call_ids.CALL_PRIVATE,
    ]
    assert [b["block_id"] for b in inputs] == expected
    assert [b["element"]["action_id"] for b in inputs] == expected
    by_id = {b["block_id"]: b for b in inputs}
    assert by_id[call_ids.CALL_ACCOUNT]["element"]["type"] == "external_select"
    assert by_id[call_ids.CALL_FOLLOW_UP]["element"]["type"] == "datepicker"
    assert by_id[call_ids.CALL_PRIVATE]["element"]["type"] == "checkboxes"
    assert by_id[call_ids.CALL_WHEN]["element"]["initial_value"] == "now"
    assert "initial_value" not in by_id[call_ids.CALL_NOTES]["element"]


def test_call_modal_prefills_when_and_notes():
    view = call_messages.call_modal(when="2026-11-22 15:00", notes="Can we talk pricing?")
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial[call_ids.CALL_WHEN] == "2026-11-22 15:00"
    assert initial[call_ids.CALL_NOTES] == "Can we talk pricing?"


def test_call_modal_cuts_long_prefilled_notes_to_the_input_limit():
    view = call_messages.call_modal(notes="x" * 5000)
    notes = next(b for b in view["blocks"] if b["block_id"] == call_ids.CALL_NOTES)["element"]
    assert len(notes["initial_value"]) <= notes["max_length"] == 3000


def test_text_message_truncates_at_3000():
    message = blocks.text_message("x" * 5000)
    assert len(message["text"]) == 3000 and message["text"].endswith("…")
    assert section_texts(message) == [message["text"]]
    exact = blocks.text_message("y" * 3000)
    assert exact["text"] == "y" * 3000


def test_account_list_without_accounts_says_how_to_add_one():
    assert "/account add" in account_messages.account_list([], "UTC")["text"]


def test_account_list_shows_owner_and_last_contact():
    last = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)
    views = [
        AccountView(account("Acme Corp", id=1, owner_id="U0002"), last, []),
        AccountView(account("Globex & Co", id=2), None, []),
    ]
    text = "\n".join(section_texts(account_messages.account_list(views, "America/New_York")))
    assert "*Acme Corp*, <@U0002>, last contact " + date_token(last, "America/New_York") in text
    assert "*Globex &amp; Co*, <@U0001>, last contact no calls yet" in text


def test_account_list_splits_long_lists_into_sections():
    views = [
        AccountView(account(f"Account number {i:04d} " + "x" * 50, id=i), None, [])
        for i in range(500)
    ]
    message = account_messages.account_list(views, "UTC")
    texts = section_texts(message)
    assert 1 < len(texts) <= 50
    assert all(len(text) <= 3000 for text in texts)
    shown = "\n".join(texts)
    assert all(f"Account number {i:04d}" in shown for i in range(500))
    assert message["text"] == "500 accounts"


def test_account_list_never_exceeds_50_blocks():
    views = [AccountView(account("A" * 80 + str(i), id=i), None, []) for i in range(3000)]
    message = account_messages.account_list(views, "UTC")
    assert len(message["blocks"]) <= 50
    assert all(len(text) <= 3000 for text in section_texts(message))


def test_account_details_shows_fields_and_hides_others_private_notes():
    a = account(
        "Acme Corp",
        owner_id="U0002",
        renewal_on=date(2027, 3, 31),
        arr=1_200_000,
        growth_target_pct=15.0,
        channel_id="C0123",
        competitors="Globex, Initech",
    )
    calls = [
        call("mine, private", id=1, of=a, private=True, logged_by="U0001"),
        call("theirs, private", id=2, of=a, private=True, logged_by="U0002"),
    ]
    text = "\n".join(
        section_texts(account_messages.account_details(AccountView(a, None, calls), "UTC", "U0001"))
    )
    for shown in (
        "Owner: <@U0002>",
        "Renewal: Wed 31 Mar 2027",
        "ARR: 1,200,000",
        "Growth target: +15% a year",
        "Channel: <#C0123>",
        "Competitors: Globex, Initech",
        "mine, private",
        "_private note_",
    ):
        assert shown in text
    assert "theirs, private" not in text


def test_account_details_stays_within_the_limit_with_a_long_field():
    a = account("Acme Corp", competitors=", ".join(f"Competitor {i}" for i in range(300)))
    message = account_messages.account_details(AccountView(a, None, []), "UTC", "U0001")
    assert all(len(text) <= 3000 for text in section_texts(message))
