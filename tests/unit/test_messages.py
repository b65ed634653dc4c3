"""Block Kit builders of calls and accounts, and bot/blocks.py, as data: what they show,
what they escape, and Slack's limits kept. Models are built in memory."""

from datetime import date, datetime, timezone

import pytest

from bot import blocks
from bot.accounts import messages as account_messages
from bot.accounts.values import AccountView, ListedAccount, ListFilters, ListOrder, ListPage
from bot.calls import ids as call_ids
from bot.calls import messages as call_messages
from bot.mrkdwn import date_token
from support.rows import account, call
from support.shown import section_texts

# When the calls built here took place: yesterday 15:00 in New York.
CALLED = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)


def test_call_logged_has_undo_and_edit_buttons_carrying_the_call_id():
    message = call_messages.call_logged(call(id=42, at=CALLED), "America/New_York")
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1
    undo, edit = actions[0]["elements"]
    assert undo["action_id"] == call_ids.UNDO_CALL == "undo_call"
    assert edit["action_id"] == call_ids.EDIT_CALL == "edit_call"
    assert undo["value"] == edit["value"] == "42"
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


def test_call_modal_has_its_inputs_with_the_shared_ids():
    view = call_messages.call_modal()
    assert view["type"] == "modal" and view["callback_id"] == call_ids.LOG_CALL_VIEW
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    expected = [
        call_ids.CALL_ACCOUNT,
        call_ids.CALL_CONTACTS,
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
    assert by_id[call_ids.CALL_CONTACTS]["element"]["type"] == "multi_external_select"
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


def a_page(listed: list[ListedAccount], filters: ListFilters | None = None, **fields) -> ListPage:
    values = dict(offset=0, total=len(listed), stale_days=14, viewer_id="U0001")
    values |= dict(previous=None, next=None) | fields
    return ListPage(filters=filters or ListFilters(), accounts=listed, **values)


def test_account_list_without_accounts_says_how_to_add_one():
    assert "/account add" in account_messages.account_page(a_page([]), "UTC")["text"]


def test_account_list_shows_owner_and_last_contact():
    last = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)
    listed = [
        ListedAccount("Acme Corp", "U0002", last, None, None, None),
        ListedAccount("Globex & Co", "U0001", None, None, None, None),
    ]
    text = "\n".join(
        section_texts(account_messages.account_page(a_page(listed), "America/New_York"))
    )
    assert "*Acme Corp*, <@U0002>, last contact " + date_token(last, "America/New_York") in text
    assert "*Globex &amp; Co*, <@U0001>, last contact no calls yet" in text


def test_an_account_list_page_stays_within_slacks_limits_whatever_its_lines():
    listed = [
        ListedAccount("&" * 80 + str(i), "U0001", None, "C", date(2027, 1, 1), 10**12)
        for i in range(40)
    ]
    filters = ListFilters(owner_id="U0002", at_risk=True, renewing_days=60, order=ListOrder.ARR)
    message = account_messages.account_page(
        a_page(listed, filters, total=3000, offset=40, previous="{}", next="{}"), "UTC"
    )
    assert len(message["blocks"]) <= 50
    texts = section_texts(message)
    assert all(len(text) <= 3000 for text in texts)
    assert texts[0].startswith(
        "*3,000 accounts*: of <@U0002>, at risk, renewing in the next 60 days, by ARR (41–80)"
    )
    assert message["text"].startswith("3,000 accounts: of <@U0002>")
    assert [b["action_id"] for b in message["blocks"][-1]["elements"]] == [
        "account_list_previous",
        "account_list_next",
    ]


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
