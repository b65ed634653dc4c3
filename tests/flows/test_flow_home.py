"""The App Home end to end: signed requests to the real `serve` server, Slack faked.

Opening the Home tab publishes the viewer's accounts, in their language, unless it was
published moments ago and nothing it shows changed since; the select at its top changes
their language; its buttons log a call and ask for a grade; a call logged from it
publishes it again, other changes show when it is next opened.
"""

import json
from datetime import date, timedelta

from sqlalchemy import select

from bot.home import tab
from bot.recovery import plans
from storage.models import Account, Grade, GradeRequest, UserProfile
from support import slack_requests
from support.clock import START
from support.forms import call_form
from support.grading import answered, asked
from support.rows import account, add, call
from support.serving import Ack
from support.shown import section_texts, visible
from support.stored import all_rows, statements_sent
from support.workspace import CLIENT

TEAM = "T0001"
OWNER = "U0001"  # adds the accounts, so owns them
OTHER = "U0002"


def open_home(slack, *, user_id=OWNER) -> dict:
    """Open the Home tab as `user_id`; the view published for them."""
    seen = len(slack.fake.calls_to("views.publish"))
    opened = {"type": "app_home_opened", "user": user_id, "channel": "D0001", "tab": "home"}
    assert slack.event(opened, event_id=f"EvHome{seen}").status == 200
    published = slack.fake.wait_for("views.publish", seen + 1)[seen]
    assert published.args["user_id"] == user_id
    assert published.args["view"]["type"] == "home"
    return published.args["view"]


def headers(view: dict) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def below_language(view: dict) -> list[str]:
    """The texts of the view's sections below the language select at its top."""
    first, *rest = section_texts(view)
    assert first == "*Language*"
    return rest


def language_select(view: dict) -> dict:
    [select] = [
        b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("type") == "static_select"
    ]
    return select


def account_id(rapport, name: str) -> int:
    with rapport.reads.begin() as s:
        return s.scalar(select(Account.id).where(Account.name == name))


def give(rapport, client, clock, name: str, grade: str) -> Grade:
    """A grade on `name` from the client, asked and answered through the use cases."""
    request = asked(rapport, client, account_id(rapport, name))
    clock.advance(minutes=5)
    return answered(rapport, request, grade, reason="why")


def add_call(rapport, name: str, *, follow_up_on: date | None, days_ago: int = 1) -> None:
    with rapport.sessions.begin() as s:
        of = s.scalars(select(Account).where(Account.name == name)).one()
        at = START - timedelta(days=days_ago)
        add(s, call("check-in", of=of, at=at, logged_at=START, follow_up_on=follow_up_on))


def test_an_owner_sees_the_at_risk_account_first_with_its_target(slack, rapport, client, clock):
    for name in ("Acme Corp", "Globex", "Smith & Sons", "Umbrella"):
        slack.ask("/account", f"add {name}")
    slack.ask("/account", "add Initech", user_id=OTHER)  # someone else's
    slack.ask("/account", "archive Umbrella")
    slack.ask("/account", "set Acme Corp renewal March 31 2027")
    slack.ask("/account", "set Acme Corp arr 1.2M")
    give(rapport, client, clock, "Acme Corp", "B")
    plans.on_grade(rapport, client, give(rapport, client, clock, "Acme Corp", "C"))
    give(rapport, client, clock, "Smith & Sons", "A")
    add_call(rapport, "Globex", follow_up_on=date(2026, 11, 20), days_ago=10)  # overdue
    add_call(rapport, "Smith & Sons", follow_up_on=date(2026, 12, 1))

    view = open_home(slack)
    shown = below_language(view)

    assert headers(view) == ["Your accounts", "Needs attention"]
    attention = shown[0]
    assert attention.splitlines() == [
        "• *Acme Corp*: *C*, at risk: aim for *B-*",
        "• *Globex*: follow-up overdue since Fri 20 Nov 2026",
    ]
    assert shown[1] == "*3 accounts you own*"
    acme, globex, smith = shown[2:]
    assert acme.startswith("*Acme Corp*: grade *C* (down from B) :warning: at risk, aim for *B-*")
    assert "Next follow-up: Mon 07 Dec 2026" in acme  # the recovery plan's, 14 days on
    assert "Renewal: Wed 31 Mar 2027 · ARR: 1,200,000" in acme
    assert "Last contact: no calls yet" in acme
    assert globex.startswith("*Globex*: no grade yet")
    assert "Next follow-up: none planned" in globex
    last_call = int((START - timedelta(days=10)).timestamp())
    assert f"Last contact: <!date^{last_call}^{{date_short_pretty}} {{time}}|" in globex
    assert smith.startswith("*Smith &amp; Sons*: grade *A*\n")
    assert "Next follow-up: Tue 01 Dec 2026" in smith
    assert "Renewal: not set · ARR: not set" in smith
    assert "Initech" not in visible(view) and "Umbrella" not in visible(view)
    buttons = [b for b in view["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Log a call", "Ask for a grade"]

    # Someone else sees only their own account, without "Needs attention".
    theirs = open_home(slack, user_id=OTHER)
    assert headers(theirs) == ["Your accounts"]
    assert "Initech" in visible(theirs) and "Acme" not in visible(theirs)


def test_a_viewer_without_accounts_is_told_how_to_add_one(slack):
    view = open_home(slack)
    assert "You don't own any accounts yet" in visible(view)
    assert "/account add Acme Corp" in visible(view)


def test_the_messages_tab_publishes_nothing(slack, fake):
    opened = {"type": "app_home_opened", "user": OWNER, "channel": "D0001", "tab": "messages"}
    assert slack.event(opened, event_id="EvMessages").status == 200
    slack.settle()
    assert not fake.calls_to("views.publish")


def press(slack, view: dict, label: str, *, user_id=OWNER):
    """Press the Home tab's button labelled `label`."""
    [actions] = [b for b in view["blocks"] if b["type"] == "actions"]
    button = next(b for b in actions["elements"] if b["text"]["text"] == label)
    published = {**view, "id": "VHOME1", "state": {"values": {}}}
    ack = slack.action(action_id=button["action_id"], user_id=user_id, view=published)
    assert ack.status == 200, ack.raw


def test_log_a_call_opens_the_modal_and_the_logged_call_refreshes_the_home(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    view = open_home(slack)
    assert "no calls yet" in visible(view)

    press(slack, view, "Log a call")
    opened = fake.wait_for("views.open")[0].args
    assert opened["trigger_id"] and opened["view"]["callback_id"] == "log_call"

    values = call_form(account_id(rapport, "Acme Corp"), when="yesterday 3pm", notes="renewal talk")
    submitted = slack.submit(
        callback_id="log_call", values=values, private_metadata=opened["view"]["private_metadata"]
    )
    assert submitted.status == 200
    refreshed = fake.wait_for("views.publish", 2)[1].args
    assert refreshed["user_id"] == OWNER
    assert "Last contact: <!date^" in visible(refreshed["view"])
    assert "Next follow-up: Mon 07 Dec 2026" in visible(refreshed["view"])


def test_a_call_logged_elsewhere_shows_when_the_home_is_next_opened(slack, fake):
    slack.ask("/account", "add Acme Corp")
    assert "no calls yet" in visible(open_home(slack))

    slack.ask("/logcall", "Acme 2 hours ago: quick check-in")
    slack.settle()
    assert len(fake.calls_to("views.publish")) == 1  # nobody is shown a Home for it

    # Opened again at once: what it shows changed, so it is published, with the call.
    assert "Last contact: <!date^" in visible(open_home(slack))


def test_a_burst_of_opens_publishes_once(slack, fake, clock):
    slack.ask("/account", "add Acme Corp")
    clock.advance(seconds=1)  # a change at the very moment of a publish counts as after it
    open_home(slack)
    for n in range(3):
        opened = {"type": "app_home_opened", "user": OWNER, "channel": "D0001", "tab": "home"}
        assert slack.event(opened, event_id=f"EvBurst{n}").status == 200
    slack.settle()
    assert len(fake.calls_to("views.publish")) == 1

    clock.advance(seconds=tab.BURST.total_seconds() + 1)
    open_home(slack)  # published again once the burst is over
    assert len(fake.calls_to("views.publish")) == 2


def test_ask_for_a_grade_dms_the_grader_and_confirms_to_the_asker(slack, rapport, client, fake):
    slack.ask("/account", "add Acme Corp")
    press(slack, open_home(slack), "Ask for a grade")
    modal = fake.wait_for("views.open")[0].args["view"]
    assert modal["callback_id"] == "ask_grade"

    # The account picker is served by the log-call modal's options listener.
    options = slack.options(action_id="account", value="ac", block_id="account")
    [acme] = options.json["options"]
    assert acme["text"]["text"] == "Acme Corp"

    missing = slack.submit(callback_id="ask_grade", values={})
    assert set(missing.json["errors"]) == {"account", "grader"}

    values = {
        "account": {"account": {"type": "external_select", "selected_option": acme}},
        "grader": {"grader": {"type": "users_select", "selected_user": CLIENT}},
        "question": {"question": {"type": "plain_text_input", "value": "Are we <fast>?"}},
    }
    assert slack.submit(callback_id="ask_grade", values=values).status == 200
    slack.settle()
    posted = {call.args["channel"]: call.args for call in fake.calls_to("chat.postMessage")}
    prompt, confirmation = posted[CLIENT], posted[OWNER]
    assert "Are we &lt;fast&gt;?" in visible(prompt) and "*Acme Corp*" in visible(prompt)
    assert f"Asked <@{CLIENT}> for a grade on *Acme Corp*" in visible(confirmation)
    with rapport.reads.begin() as s:
        request = s.scalars(select(GradeRequest)).one()
        assert (request.asked_by, request.grader_id) == (OWNER, CLIENT)
        assert request.question == "Are we <fast>?"


def test_a_grade_arriving_shows_on_the_owners_home_when_opened(slack, rapport, client, fake):
    slack.ask("/account", "add Acme Corp")
    open_home(slack)
    slack.ask("/grade", f"Acme <@{CLIENT}|client>")
    with rapport.reads.begin() as s:
        request = s.scalars(select(GradeRequest)).one()
    message = {"type": "message", "ts": request.message_ts, "text": "", "blocks": []}
    slack.action(
        action_id="grade:C",
        value=f"{request.id}:C",
        user_id=CLIENT,
        channel_id=request.channel_id,
        message=message,
    )
    reason_modal = fake.wait_for("views.open")[0].args["view"]
    reason = {"reason": {"reason": {"type": "plain_text_input", "value": "too slow"}}}
    ack = slack.submit(
        callback_id=reason_modal["callback_id"],
        private_metadata=reason_modal["private_metadata"],
        user_id=CLIENT,
        values=reason,
    )
    assert ack.status == 200
    slack.settle()
    assert len(fake.calls_to("views.publish")) == 1  # the owner is not looking at it

    assert "*Acme Corp*: *C*, at risk: aim for *B-*" in visible(open_home(slack))


def test_many_accounts_stay_within_slacks_limits_in_a_fixed_number_of_statements(
    slack, rapport, client, clock
):
    with rapport.sessions.begin() as s:
        add(s, *(account(f"Account {n:03}", created_at=START) for n in range(150)))
    for n in range(0, 24, 2):  # 12 at risk
        give(rapport, client, clock, f"Account {n:03}", "D" if n == 10 else "C")

    view = open_home(slack)

    assert len(view["blocks"]) <= 100
    assert len(json.dumps(view)) < 250_000
    shown = below_language(view)
    assert shown[0].splitlines()[0] == "• *Account 010*: *D*, at risk: aim for *C-*"
    assert shown[0].splitlines()[-1] == "…and 2 more."
    context = view["blocks"][-1]
    assert context["type"] == "context"
    shown_accounts = sum(text.startswith("*Account ") for text in shown)
    assert context["elements"][0]["text"] == f"…and {150 - shown_accounts} more: `/account list`"

    with statements_sent(rapport.engine) as statements, rapport.reads.begin() as s:
        page = tab.gather(s, team_id=TEAM, user_id=OWNER, tz="UTC", now=clock.now())
    assert len(page.accounts) == 150
    assert len([sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]) == 3


def test_asking_a_bot_is_refused_in_the_askers_dm(slack, rapport, fake):
    slack.ask("/account", "add Acme Corp")
    values = {
        "account": {
            "account": {
                "type": "external_select",
                "selected_option": {"value": str(account_id(rapport, "Acme Corp"))},
            }
        },
        "grader": {"grader": {"type": "users_select", "selected_user": "UBOT"}},
    }
    assert slack.submit(callback_id="ask_grade", values=values).status == 200
    [told] = fake.wait_for("chat.postMessage")
    assert told.args["channel"] == OWNER and "is a bot" in visible(told.args)
    with rapport.reads.begin() as s:
        assert s.scalars(select(GradeRequest)).first() is None


def choose_language(slack, view: dict, code: str, *, user_id=OWNER):
    """Choose the language `code` in the select at the top of the Home tab `view`."""
    select = language_select(view)
    [option] = [o for o in select["options"] if o["value"] == code]
    chosen = {
        "type": "static_select",
        "action_id": select["action_id"],
        "block_id": "language",
        "selected_option": option,
        "action_ts": slack_requests.now_ts(),
    }
    published = {**view, "id": "VHOME1", "state": {"values": {}}}
    payload = {
        "type": "block_actions",
        **slack_requests.envelope(user_id, TEAM),
        "trigger_id": slack_requests.TRIGGER_ID,
        "actions": [chosen],
        "container": {"type": "view", "view_id": published["id"]},
        "view": published,
        "state": published["state"],
    }
    ack = Ack(*slack.post(slack_requests.form_payload(payload)))
    assert ack.status == 200, ack.raw


def test_a_language_chosen_at_the_top_of_the_home_is_kept_and_the_home_published_in_it(
    slack, rapport, fake
):
    slack.ask("/account", "add Acme Corp")
    view = open_home(slack)
    select = language_select(view)
    assert [o["text"]["text"] for o in select["options"]] == [
        "English",
        "فارسی",
        "العربية",
        "Tiếng Việt",
    ]
    assert select["initial_option"]["value"] == "en"

    choose_language(slack, view, "fa")

    republished = fake.wait_for("views.publish", 2)[1].args
    assert republished["user_id"] == OWNER
    assert language_select(republished["view"])["initial_option"]["value"] == "fa"
    [profile] = [p for p in all_rows(rapport, UserProfile) if p.user_id == OWNER]
    assert profile.language == "fa"
