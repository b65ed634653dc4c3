"""Call logging end to end: signed requests to the real `serve` server, Slack faked."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import Account, Call
from support import slack_requests
from support.forms import call_form
from support.shown import token_for, visible
from support.stored import count, statements_sent, transactions_begun
from support.workspace import NEW_YORK


def test_logcall_reads_the_time_in_the_users_timezone(slack, rapport):
    added = slack.ask("/account", "add Acme Corp")
    assert "Added *Acme Corp*" in visible(added)

    reply = visible(slack.ask("/logcall", "Acme yesterday 3pm: discussed renewal"))

    yesterday_3pm_new_york = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo(NEW_YORK))
    assert token_for(yesterday_3pm_new_york) in reply
    assert "*Acme Corp*" in reply and "discussed renewal" in reply
    with rapport.sessions.begin() as s:
        call = s.scalars(select(Call)).one()
        assert call.occurred_at == yesterday_3pm_new_york
        assert call.notes == "discussed renewal" and call.logged_by == "U0001"


def test_a_user_elsewhere_gets_their_own_timezone(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(
        slack.ask("/logcall", "acme corp yesterday 3pm: point with Camille", user_id="U0002")
    )
    assert token_for(datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo("Europe/Paris"))) in reply


def test_bad_date_is_quoted_back_and_nothing_is_stored(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/logcall", "Acme blursday at teatime: discussed renewal"))
    assert "blursday at teatime" in reply and "couldn't read" in reply
    assert count(rapport, Call) == 0


def test_unknown_account_is_quoted_with_the_closest_names(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/logcall", "Acmee Crop yesterday 3pm: discussed renewal"))
    assert "Acmee Crop" in reply and "Did you mean *Acme Corp*" in reply
    assert count(rapport, Call) == 0


def test_a_time_in_the_future_is_refused_with_a_hint(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/logcall", "Acme tomorrow 9am: plan"))
    assert "in the future" in reply and "follow-up" in reply
    assert count(rapport, Call) == 0


def test_missing_notes_asks_for_the_colon(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/logcall", "Acme yesterday"))
    assert "after a colon" in reply
    assert count(rapport, Call) == 0


def test_user_text_is_escaped_before_it_reaches_mrkdwn(slack, rapport):
    slack.ask("/account", "add Acme Corp")
    reply = visible(slack.ask("/logcall", "Acme: <!channel> & <https://evil.example|click>"))
    assert (
        "<!channel>" not in reply
        and "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in reply
    )


def test_a_dm_delivered_three_times_logs_one_call(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    event = slack_requests.direct_message(
        "log Acme yesterday 3pm: discussed renewal",
        ts="1795377600.000100",
        client_msg_id="6a1b8f8e-0000-4000-8000-000000000001",
    )
    for retry in (None, 1, 2):
        assert slack.event(event, event_id="Ev0DM1", retry_num=retry).status == 200
    slack.settle()
    assert count(rapport, Call) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_other_dms_get_help(slack, fake):
    event = slack_requests.direct_message("hello")
    slack.event(event, event_id="Ev0DM2")
    help_message = fake.wait_for("chat.postMessage")[0].args
    assert "log Acme yesterday 3pm" in visible(help_message)


def test_undo_works_for_the_author_only(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    reply = slack.ask("/logcall", "Acme 2 hours ago: kickoff")
    button = next(b for b in reply["blocks"] if b["type"] == "actions")["elements"][0]

    slack.action(action_id=button["action_id"], value=button["value"], user_id="U0002")
    refused = fake.wait_for("response_url", 2)[-1].args
    assert "Only <@U0001> can undo" in visible(refused)
    assert count(rapport, Call) == 1

    slack.action(action_id=button["action_id"], value=button["value"], user_id="U0001")
    undone = fake.wait_for("response_url", 3)[-1].args
    assert undone["replace_original"] is True and "Removed the call" in visible(undone)
    assert count(rapport, Call) == 0


def test_logcall_alone_opens_the_modal_and_bad_input_keeps_it_open(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    assert slack.command("/logcall", "").status == 200
    opened = fake.wait_for("views.open")[0].args
    assert opened["view"]["callback_id"] == "log_call"
    with rapport.sessions.begin() as s:
        account_id = s.scalars(select(Account.id)).one()

    values = call_form(account_id, when="next tuesday", notes="")
    ack = slack.submit(callback_id="log_call", values=values)
    assert ack.json["response_action"] == "errors"
    assert set(ack.json["errors"]) == {"when", "notes"}
    assert count(rapport, Call) == 0

    values = call_form(account_id, when="yesterday 3pm", notes="Renewal talk", private=True)
    ack = slack.submit(callback_id="log_call", values=values)
    assert ack.status == 200 and ack.raw == ""
    confirmation = fake.wait_for("chat.postMessage")[0].args
    assert confirmation["channel"] == "U0001" and "Private note" in visible(confirmation)
    with rapport.sessions.begin() as s:
        call = s.scalars(select(Call)).one()
        assert (
            call.private
            and call.source == "modal"
            and call.follow_up_on.isoformat() == "2026-12-07"
        )


def test_account_picker_suggests_names(slack):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "add Globex")
    ack = slack.options(action_id="account", value="glo")
    assert [option["text"]["text"] for option in ack.json["options"]] == ["Globex"]


def test_message_shortcut_prefills_the_modal(slack, fake):
    slack.shortcut(
        callback_id="log_call_from_message",
        message={
            "type": "message",
            "user": "U0003",
            "text": "Can we talk pricing?",
            "ts": "1795377600.000200",
        },
    )
    view = fake.wait_for("views.open")[0].args["view"]
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["notes"] == "Can we talk pricing?"
    assert initial["when"] == "2026-11-22 15:00"  # 20:00 UTC, read back in New York


def test_a_dm_with_a_mistake_is_answered_in_the_dm_and_stores_nothing(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    slack.event(
        slack_requests.direct_message("log Globex yesterday 3pm: renewal"), event_id="Ev0DM3"
    )
    answer = fake.wait_for("chat.postMessage")[0].args
    assert answer["channel"] == "D0001"
    assert "I don't know an account called “Globex”" in visible(answer)
    assert count(rapport, Call) == 0


def test_a_logcall_reads_once_and_writes_once(slack, rapport):
    """A /logcall from someone seen before: their profile is in memory, the account is
    read in one transaction and the call written in another; no row is read twice."""
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme: first call")
    slack.settle()
    with statements_sent(rapport.engine) as statements, transactions_begun(rapport.engine) as begun:
        assert "Logged a call" in visible(slack.ask("/logcall", "Acme yesterday 3pm: second"))
        slack.settle()
    assert len(begun) == 2
    reads = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    assert len(reads) == len(set(reads)) == 1, reads


def test_a_profile_change_is_seen_by_the_next_logcall(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    slack.ask("/logcall", "Acme: in New York")
    paris = fake.add_user("U0001", tz="Europe/Paris")
    user_change = {"type": "user_change", "user": paris, "event_ts": "1700000000.000200"}
    assert slack.event(user_change, event_id="EvTravel").status == 200
    slack.settle()

    slack.ask("/logcall", "Acme yesterday 3pm: in Paris")
    with rapport.reads.begin() as s:
        paris_call = s.scalars(select(Call).where(Call.notes == "in Paris")).one()
    local = paris_call.occurred_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (15, 0)
