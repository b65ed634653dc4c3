"""Editing a logged call and reading an account's whole call history, end to end: signed
requests to the real `serve` server, Slack faked. Alex (U0001) owns Acme Corp; Camille
(U0002) is a member; Avery (U0ADMIN) is a Slack admin; Dana (U0004) is another member."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import Account, AccountChange, Call, CallContact, ChangeKind, Contact
from support.clock import START
from support.forms import call_form
from support.rows import call
from support.shown import buttons, posted_to, section_texts, token_for, visible
from support.stored import all_rows, count
from support.workspace import NEW_YORK

ALEX, CAMILLE, AVERY, DANA = "U0001", "U0002", "U0ADMIN", "U0004"
YESTERDAY_3PM = datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo(NEW_YORK))


@pytest.fixture
def acme(slack, fake, rapport) -> int:
    """Acme Corp, Alex's; Avery is a Slack admin, Dana a member. Its id."""
    fake.add_user(AVERY, tz="America/Chicago", name="avery", roles=("is_admin",))
    fake.add_user(DANA, tz=NEW_YORK, name="dana")
    slack.ask("/account", "add Acme Corp")
    with rapport.reads.begin() as s:
        return s.scalars(select(Account.id)).one()


def log(slack, text: str, user_id: str = ALEX) -> dict:
    """Log a call with /logcall; its confirmation."""
    reply = slack.ask("/logcall", text, user_id=user_id)
    assert "Logged a call" in visible(reply), reply
    return reply


def button(message: dict, action_id: str) -> dict:
    return next(b for b in buttons(message) if b["action_id"] == action_id)


def press_edit(slack, fake, confirmation: dict, user_id: str) -> dict | None:
    """Press the confirmation's Edit as `user_id`: the modal opened, or None (then the
    refusal is the last response)."""
    opened = len(fake.calls_to("views.open"))
    answered = len(fake.calls_to("response_url"))
    edit = button(confirmation, "edit_call")
    slack.action(action_id=edit["action_id"], value=edit["value"], user_id=user_id)
    slack.settle()
    if len(fake.calls_to("views.open")) > opened:
        return fake.calls_to("views.open")[-1].args["view"]
    assert len(fake.calls_to("response_url")) > answered
    return None


def last_response(fake) -> str:
    return visible(fake.calls_to("response_url")[-1].args)


def submit_edit(slack, view: dict, user_id: str, **form) -> object:
    """Submit the edit modal `view` as `user_id` with `form` (support.forms.call_form)."""
    ack = slack.submit(
        callback_id=view["callback_id"],
        values=call_form(**form),
        user_id=user_id,
        private_metadata=view["private_metadata"],
    )
    slack.settle()
    return ack


def edits(rapport) -> list[tuple]:
    """The CALL_EDITED entries of the history: (who, field, old, new), in order."""
    return [
        (c.changed_by, c.field, c.old_value, c.new_value)
        for c in all_rows(rapport, AccountChange)
        if c.kind == ChangeKind.CALL_EDITED
    ]


def the_call(rapport) -> Call:
    with rapport.reads.begin() as s:
        return s.scalars(select(Call)).one()


def test_the_author_edits_a_call_and_its_history_keeps_each_change(
    slack, fake, rapport, clock, acme
):
    confirmation = log(slack, "Acme yesterday 3pm: discussed renewal")
    assert [b["text"]["text"] for b in buttons(confirmation)] == ["Undo", "Edit"]
    clock.advance(minutes=30)

    view = press_edit(slack, fake, confirmation, ALEX)
    assert view["callback_id"] == "edit_call"
    blocks = {b["block_id"]: b.get("element", {}) for b in view["blocks"]}
    assert blocks["account"]["initial_option"]["value"] == str(acme)
    assert blocks["when"]["initial_value"] == "2026-11-22 15:00"  # read back in New York
    assert blocks["notes"]["initial_value"] == "discussed renewal"
    assert "initial_date" not in blocks["follow_up"]

    ack = submit_edit(
        slack,
        view,
        ALEX,
        account_id=acme,
        when="2026-11-22 15:00",  # as shown: the time is kept
        notes="discussed renewal & pricing",
        follow_up="2026-12-07",
    )
    assert ack.status == 200 and ack.raw == ""

    call = the_call(rapport)
    assert call.notes == "discussed renewal & pricing"
    assert call.occurred_at == YESTERDAY_3PM
    assert call.follow_up_on.isoformat() == "2026-12-07"
    assert call.updated_at == START + timedelta(minutes=30)
    assert edits(rapport) == [
        (ALEX, "notes", "discussed renewal", "discussed renewal & pricing"),
        (ALEX, "follow_up", None, "2026-12-07"),
    ]
    updated = posted_to(fake, ALEX)[-1]
    assert "Updated the call with *Acme Corp*" in visible(updated)
    assert "discussed renewal &amp; pricing" in visible(updated)

    history = visible(slack.ask("/account", "history Acme"))
    assert (
        "<@U0001> changed a call's notes from “discussed renewal” to "
        "“discussed renewal &amp; pricing”" in history
    )
    assert "<@U0001> changed a call's follow-up from not set to" in history
    assert len(posted_to(fake, ALEX)) == 1  # the confirmation; no notice to oneself

    # A new time moves the call; nothing else changed is not recorded again.
    view = press_edit(slack, fake, confirmation, ALEX)
    submit_edit(
        slack,
        view,
        ALEX,
        account_id=acme,
        when="yesterday 5pm",
        notes="discussed renewal & pricing",
        follow_up="2026-12-07",
    )
    assert the_call(rapport).occurred_at == YESTERDAY_3PM + timedelta(hours=2)
    assert edits(rapport)[-1][1:] == (
        "when",
        YESTERDAY_3PM.astimezone(ZoneInfo("UTC")).isoformat(),
        (YESTERDAY_3PM + timedelta(hours=2)).astimezone(ZoneInfo("UTC")).isoformat(),
    )
    history = visible(slack.ask("/account", "history Acme"))
    assert f"<@U0001> moved a call from {token_for(YESTERDAY_3PM)}" in history


def test_the_owner_and_an_admin_edit_someones_call_and_another_member_is_refused(
    slack, fake, rapport, acme
):
    confirmation = log(slack, "Acme yesterday 3pm: Camille's kickoff", user_id=CAMILLE)

    assert press_edit(slack, fake, confirmation, DANA) is None
    assert (
        "Only <@U0002> (who logged it), <@U0001> (the owner of *Acme Corp*) or a Rapport "
        "admin can edit this call." in last_response(fake)
    )

    view = press_edit(slack, fake, confirmation, ALEX)  # the account's owner
    submit_edit(
        slack,
        view,
        ALEX,
        account_id=acme,
        when=json.loads(view["private_metadata"])["when"],
        notes="Camille's kickoff, with their CFO",
        follow_up=None,
    )
    assert the_call(rapport).notes == "Camille's kickoff, with their CFO"

    view = press_edit(slack, fake, confirmation, AVERY)  # a Rapport admin
    submit_edit(
        slack,
        view,
        AVERY,
        account_id=acme,
        when=json.loads(view["private_metadata"])["when"],
        notes="Kickoff with their CFO",
        follow_up=None,
    )
    assert the_call(rapport).notes == "Kickoff with their CFO"
    assert [(who, field) for who, field, _old, _new in edits(rapport)] == [
        (ALEX, "notes"),
        (AVERY, "notes"),
    ]
    dms = [visible(m) for m in posted_to(fake, ALEX)]
    assert "Updated the call" in dms[0]  # Alex's own edit, confirmed to him
    notices = [dm for dm in dms if "was edited" in dm]
    assert len(notices) == 1, dms  # Avery's edit, told to Alex; not Alex's own
    assert "A call on *Acme Corp* was edited" in notices[0]
    assert "<@U0ADMIN> changed a call's notes from" in notices[0]


def test_a_deleted_call_is_gone_and_forged_values_are_refused(slack, fake, rapport, acme):
    confirmation = log(slack, "Acme yesterday 3pm: kickoff")
    view = press_edit(slack, fake, confirmation, ALEX)

    forged = dict(view, private_metadata=json.dumps({"call_id": "1; DROP", "when": "x"}))
    ack = submit_edit(slack, forged, ALEX, account_id=acme, when="x", notes="hacked")
    assert "out of date" in ack.raw  # under the modal's first field, in Slack
    slack.action(action_id="edit_call", value="-3", user_id=ALEX)
    slack.settle()
    assert "out of date" in last_response(fake)

    undo = button(confirmation, "undo_call")
    slack.action(action_id=undo["action_id"], value=undo["value"], user_id=ALEX)
    slack.settle()
    assert press_edit(slack, fake, confirmation, ALEX) is None
    assert "That call is gone" in last_response(fake)
    ack = submit_edit(slack, view, ALEX, account_id=acme, when="now", notes="too late")
    assert "That call is gone" in ack.raw
    assert count(rapport, Call) == 0 and edits(rapport) == []


def test_a_private_notes_text_never_reaches_the_history(slack, fake, rapport, acme):
    slack.command("/logcall", "")
    fake.wait_for("views.open")
    values = call_form(acme, when="yesterday 3pm", notes="their budget is cut", private=True)
    slack.submit(callback_id="log_call", values=values)
    slack.settle()
    confirmation = posted_to(fake, ALEX)[-1]

    view = press_edit(slack, fake, confirmation, ALEX)
    private = next(b for b in view["blocks"] if b["block_id"] == "private")["element"]
    assert [o["value"] for o in private["initial_options"]] == ["private"]
    submit_edit(
        slack,
        view,
        ALEX,
        account_id=acme,
        when=json.loads(view["private_metadata"])["when"],
        notes="their budget is cut by half",
        private=True,
    )
    assert the_call(rapport).notes == "their budget is cut by half"
    assert edits(rapport) == [(ALEX, "notes", None, None)]
    history = visible(slack.ask("/account", "history Acme", user_id=CAMILLE))
    assert "<@U0001> changed a private call's notes" in history
    assert "budget" not in history


def test_account_calls_pages_through_whole_notes_newest_first(slack, fake, rapport, clock, acme):
    long_note = " ".join(f"word{i}" for i in range(1200)) + " & the end"  # 9,000 characters
    log(slack, f"Acme 40 days ago: {long_note}")
    for day in range(12, 0, -1):
        log(slack, f"Acme {day} days ago: call number {day}")
    log(slack, "Acme 3 hours ago: mine only", user_id=CAMILLE)
    slack.ask("/logcall", "Acme 2 hours ago: just checking")  # public, newest
    with rapport.sessions.begin() as s:
        s.execute(Call.__table__.update().where(Call.notes == "mine only").values(private=True))

    first = slack.ask("/account", "calls Acme")
    shown = visible(first)
    assert "*Calls with Acme Corp*, newest first" in shown
    texts = "\n".join(section_texts(first))
    assert (
        texts.index("just checking") < texts.index("call number 1\n") < texts.index("call number 8")
    )
    assert "mine only" not in shown and "_private note_" in shown
    assert len(first["blocks"]) <= 50
    more = button(first, "older_calls")

    slack.action(action_id=more["action_id"], value=more["value"], user_id=ALEX)
    slack.settle()
    second = fake.calls_to("response_url")[-1].args
    assert second["replace_original"] is True
    texts = "\n".join(section_texts(second))
    assert "call number 9" in texts and "call number 12" in texts and "call number 8\n" not in texts
    assert "word0 " in texts and "word1199 &amp; the end" in texts  # the whole note
    assert all(len(t) <= 3000 for t in section_texts(second))
    assert "older_calls" not in json.dumps(second["blocks"])  # the oldest page

    in_period = visible(slack.ask("/account", "calls Acme last 7 days"))
    assert "call number 6" in in_period and "call number 7" not in in_period
    camille = visible(slack.ask("/account", "calls acme", user_id=CAMILLE))
    assert "mine only" in camille  # her own private note

    for forged in ("x", f"{acme}:::1:", "99999:::", f"{acme}:2026-13-01:2026-01-01::"):
        slack.action(action_id="older_calls", value=forged, user_id=ALEX)
        slack.settle()
        assert "out of date" in last_response(fake) or "gone" in last_response(fake)


def test_the_edit_modal_shows_who_was_on_the_call_and_changes_them(slack, fake, rapport, acme):
    slack.ask("/account", "contact add Acme Dana Lee, CFO, Finance")
    slack.ask("/account", "contact add Acme Sam Roy, CTO, IT")
    confirmation = log(slack, "Acme yesterday 3pm with Dana: renewal talk")
    with rapport.reads.begin() as s:
        people = dict(s.execute(select(Contact.name, Contact.id)).all())

    view = press_edit(slack, fake, confirmation, ALEX)
    picked = next(b for b in view["blocks"] if b["block_id"] == "contacts")["element"]
    assert [o["value"] for o in picked["initial_options"]] == [str(people["Dana Lee"])]

    values = call_form(
        acme, when=json.loads(view["private_metadata"])["when"], notes="renewal talk"
    )
    chosen = [{"value": str(people[name])} for name in ("Sam Roy", "Dana Lee")]
    values["contacts"] = {"contacts": {"type": "multi_external_select", "selected_options": chosen}}
    slack.submit(
        callback_id="edit_call",
        values=values,
        user_id=ALEX,
        private_metadata=view["private_metadata"],
    )
    slack.settle()
    with rapport.reads.begin() as s:
        attended = set(s.scalars(select(CallContact.contact_id)))
    assert attended == {people["Dana Lee"], people["Sam Roy"]}
    assert (ALEX, "attendees", "Dana Lee", "Dana Lee, Sam Roy") in edits(rapport)
    history = visible(slack.ask("/account", "history Acme"))
    assert "changed who was on a call from “Dana Lee” to “Dana Lee, Sam Roy”" in history
    listed = visible(slack.ask("/account", "calls Acme"))
    assert "<@U0001> with *Dana Lee*, *Sam Roy*" in listed


def test_an_edit_of_a_call_changed_since_it_was_opened_saves_nothing(slack, fake, rapport, acme):
    confirmation = log(slack, "Acme yesterday 3pm: kickoff")
    alex_view = press_edit(slack, fake, confirmation, ALEX)
    avery_view = press_edit(slack, fake, confirmation, AVERY)
    when = json.loads(alex_view["private_metadata"])["when"]
    in_chicago = json.loads(avery_view["private_metadata"])["when"]  # Avery's timezone
    assert in_chicago == "2026-11-22 14:00"
    submit_edit(slack, avery_view, AVERY, account_id=acme, when=in_chicago, notes="Avery's words")

    ack = submit_edit(slack, alex_view, ALEX, account_id=acme, when=when, notes="Alex's words")
    assert "changed since you opened it" in ack.raw
    assert the_call(rapport).notes == "Avery's words"
    assert [(who, field) for who, field, *_values in edits(rapport)] == [
        (AVERY, "notes"),
        (AVERY, "follow_up"),
    ]


def test_notes_too_long_for_the_form_are_kept_as_they_are(slack, fake, rapport, acme):
    long_note = "x" * 5000
    confirmation = log(slack, f"Acme yesterday 3pm: {long_note}")
    view = press_edit(slack, fake, confirmation, ALEX)
    assert "notes" not in {b.get("block_id") for b in view["blocks"] if b["type"] == "input"}
    assert "longer than a form can hold" in json.dumps(view["blocks"])

    when = json.loads(view["private_metadata"])["when"]
    values = call_form(acme, when=when, notes="")
    del values["notes"]
    slack.submit(
        callback_id="edit_call",
        values=values,
        user_id=ALEX,
        private_metadata=view["private_metadata"],
    )
    slack.settle()
    call = the_call(rapport)
    assert call.notes == long_note and call.follow_up_on.isoformat() == "2026-12-07"
    assert [field for _who, field, *_values in edits(rapport)] == ["follow_up"]


def test_a_call_moved_to_another_account_is_kept_in_both_histories(slack, fake, rapport, acme):
    slack.ask("/account", "add Globex", user_id=CAMILLE)
    with rapport.reads.begin() as s:
        globex = s.scalars(select(Account.id).where(Account.name == "Globex")).one()
    confirmation = log(slack, "Acme yesterday 3pm: logged on the wrong account")
    view = press_edit(slack, fake, confirmation, ALEX)
    when = json.loads(view["private_metadata"])["when"]
    submit_edit(
        slack, view, ALEX, account_id=globex, when=when, notes="logged on the wrong account"
    )

    assert the_call(rapport).account_id == globex
    moves = [c for c in all_rows(rapport, AccountChange) if c.field == "account"]
    assert {(c.account_id, c.old_value, c.new_value) for c in moves} == {
        (acme, "Acme Corp", "Globex"),
        (globex, "Acme Corp", "Globex"),
    }
    for name in ("Acme", "Globex"):
        history = visible(slack.ask("/account", f"history {name}"))
        assert "<@U0001> moved a call from *Acme Corp* to *Globex*" in history
    told = [visible(m) for m in posted_to(fake, CAMILLE)]
    assert len(told) == 1 and "A call on *Globex* was edited" in told[0]  # Globex's owner


def test_calls_stored_before_input_was_checked_are_listed_and_edited(slack, fake, rapport, acme):
    """A year-1 call (old data no input accepts now): listed, paged past, and edited with
    its time typed again."""
    with rapport.sessions.begin() as s:
        account = s.get(Account, acme)
        s.add_all(
            [
                call(f"old call {i}", of=account, at=datetime(1, 1, 1, tzinfo=timezone.utc))
                for i in range(12)
            ]
        )
    first = slack.ask("/account", "calls Acme")
    assert "invalid date" in visible(first) and "old call" in visible(first)
    more = button(first, "older_calls")
    slack.action(action_id=more["action_id"], value=more["value"], user_id=ALEX)
    slack.settle()
    assert "old call" in last_response(fake)

    edit = {"type": "button", "action_id": "edit_call", "value": str(the_first_id(rapport))}
    view = press_edit(slack, fake, {"blocks": [{"type": "actions", "elements": [edit]}]}, ALEX)
    when = next(b for b in view["blocks"] if b["block_id"] == "when")["element"]
    assert not when.get("initial_value")
    submit_edit(slack, view, ALEX, account_id=acme, when="yesterday 3pm", notes="old call 0")
    with rapport.reads.begin() as s:
        assert s.get(Call, the_first_id(rapport)).occurred_at == YESTERDAY_3PM


def the_first_id(rapport) -> int:
    with rapport.reads.begin() as s:
        return s.scalar(select(Call.id).order_by(Call.id))
