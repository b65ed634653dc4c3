"""Who may do what, end to end: signed requests to the real `serve` server, Slack faked.
Alex (U0001) owns Acme Corp; Camille (U0002) is a member; Avery (U0ADMIN) is a Slack
admin; the client (U0003) is made a guest where a test says so."""

import pytest
from sqlalchemy import select

from storage.models import Account, AccountChange, Call, Grade, GradeCadence, RecoveryPlan
from support.grading import press, submit
from support.shown import posted_to, visible
from support.stored import all_rows, count
from support.workspace import CLIENT

ALEX, CAMILLE, AVERY = "U0001", "U0002", "U0ADMIN"
REFUSED = "Only <@U0001> (the owner) or a Rapport admin can"


@pytest.fixture
def acme(slack, fake):
    """Acme Corp, Alex's, with an ARR, a monthly grade cadence and a call; Avery is a
    Slack admin of the workspace."""
    fake.add_user(AVERY, tz="America/Chicago", name="avery", roles=("is_admin",))
    slack.ask("/account", "add Acme Corp")
    slack.ask("/account", "set Acme arr 120k")
    slack.ask("/grade", "every month Acme <@U0003|client>")
    slack.ask("/logcall", "Acme 2 hours ago: kickoff")
    slack.settle()


def the_account(rapport) -> Account:
    with rapport.reads.begin() as s:
        return s.scalars(select(Account)).one()


def changes(rapport) -> list[tuple]:
    """The account's history: (who, kind, field, old, new) of each change, in order."""
    return [
        (c.changed_by, c.kind, c.field, c.old_value, c.new_value)
        for c in all_rows(rapport, AccountChange)
    ]


def dms_to(fake, user_id: str) -> str:
    return "\n".join(visible(message) for message in posted_to(fake, user_id))


def running_cadences(rapport) -> int:
    return sum(cadence.stopped_at is None for cadence in all_rows(rapport, GradeCadence))


def test_a_member_cannot_change_someone_elses_account_and_is_told_who_can(slack, rapport, acme):
    before = changes(rapport)
    for command, text, doing in (
        ("/account", "set Acme arr 1", "change *Acme Corp*"),
        ("/account", "set Acme owner <@U0002|camille>", "change *Acme Corp*"),
        ("/account", "archive Acme", "archive *Acme Corp*"),
        ("/account", "rename Acme to Camille's Corp", "rename *Acme Corp*"),
        ("/grade", "cadence stop Acme", "stop the grade requests on *Acme Corp*"),
    ):
        reply = visible(slack.ask(command, text, user_id=CAMILLE))
        assert f"{REFUSED} {doing}." in reply, text

    account = the_account(rapport)
    assert (account.name, account.owner_id, account.arr) == ("Acme Corp", ALEX, 120_000)
    assert account.archived_at is None and running_cadences(rapport) == 1
    assert changes(rapport) == before
    with pytest.raises(AssertionError):  # nobody was told of a change that did not happen
        slack.fake.wait_for("chat.postMessage", 3, timeout=0.5)


def test_an_admin_changes_it_and_the_owner_is_told_who_changed_what(slack, rapport, fake, acme):
    reply = visible(slack.ask("/account", "set Acme renewal 2027-03-31", user_id=AVERY))
    assert "Updated *Acme Corp*" in reply and "Wed 31 Mar 2027" in reply
    slack.settle()
    told = dms_to(fake, ALEX)
    assert "<@U0ADMIN> changed renewal from not set to Wed 31 Mar 2027, on *Acme Corp*" in told

    # Alex's own changes are not told back to Alex.
    slack.ask("/account", "set Acme arr 150k")
    slack.settle()
    assert dms_to(fake, ALEX) == told


def test_an_admin_names_admins_who_may_then_change_any_account(slack, rapport, fake, acme):
    refused = visible(slack.ask("/rapport", "admins add <@U0002|camille>", user_id=CAMILLE))
    assert "Only a Rapport admin can name admins" in refused

    named = visible(slack.ask("/rapport", "admins add <@U0002|camille>", user_id=AVERY))
    assert "<@U0002> is now a Rapport admin" in named
    listed = visible(slack.ask("/rapport", "admins", user_id=CAMILLE))
    assert "<@U0002>, named by <@U0ADMIN>" in listed and "Slack admins and owners" in listed

    assert "Archived *Acme Corp*" in visible(slack.ask("/account", "archive Acme", user_id=CAMILLE))
    slack.settle()
    assert "<@U0002> archived the account, on *Acme Corp*" in dms_to(fake, ALEX)

    removed = visible(slack.ask("/rapport", "admins remove <@U0002|camille>", user_id=AVERY))
    assert "<@U0002> is no longer a Rapport admin" in removed
    reply = visible(slack.ask("/account", "unarchive Acme", user_id=CAMILLE))
    assert f"{REFUSED} unarchive *Acme Corp*." in reply
    assert the_account(rapport).archived_at is not None


def test_a_transfer_tells_the_old_owner_and_the_new_one(slack, rapport, fake, acme):
    slack.ask("/account", "set Acme owner <@U0002|camille>", user_id=AVERY)
    slack.settle()
    made = "<@U0ADMIN> made <@U0002> the owner, instead of <@U0001>, on *Acme Corp*"
    assert made in dms_to(fake, ALEX) and made in dms_to(fake, CAMILLE)

    # Now Camille owns it: she changes it, and Alex no longer may.
    assert "Updated" in visible(slack.ask("/account", "set Acme arr 1M", user_id=CAMILLE))
    reply = visible(slack.ask("/account", "set Acme arr 2M"))
    assert "Only <@U0002> (the owner) or a Rapport admin can change *Acme Corp*." in reply


def test_history_lists_each_change_newest_first(slack, rapport, fake, acme):
    call_id = all_rows(rapport, Call)[0].id
    slack.ask("/account", "set Acme target 15%")
    slack.ask("/account", "set Acme target 15%")  # no change: nothing recorded
    slack.ask("/account", "rename Acme to Acme Corporation")
    slack.ask("/account", "archive Acme Corporation")
    slack.ask("/account", "unarchive acme")
    slack.ask("/account", "set Acme owner <@U0002|camille>")
    slack.action(action_id="undo_call", value=str(call_id), user_id=ALEX)
    slack.settle()

    reply = visible(slack.ask("/account", "history acme corporation", user_id=CAMILLE))
    expected = [
        "<@U0001> deleted the call of",
        "<@U0001> made <@U0002> the owner, instead of <@U0001>",
        "<@U0001> unarchived the account",
        "<@U0001> archived the account",
        "<@U0001> renamed the account from *Acme Corp* to *Acme Corporation*",
        "<@U0001> changed target from not set to +15% a year",
        "<@U0001> changed arr from not set to 120,000",
    ]
    positions = [reply.index(line) for line in expected]
    assert positions == sorted(positions), reply
    assert "kickoff" in reply and "<!date^" in reply
    assert len(changes(rapport)) == len(expected)


def test_rename_keeps_names_unique_among_archived_accounts_too(slack, rapport, acme):
    slack.ask("/account", "add Globex")
    slack.ask("/account", "archive Globex")
    reply = visible(slack.ask("/account", "rename Acme to globex"))
    assert "There is already an account called *Globex* (archived)" in reply
    reply = visible(slack.ask("/account", "rename Acme to Acme: the sequel"))
    assert "can't contain" in reply
    assert the_account_named(rapport, "Acme Corp") is not None

    assert "Renamed *Acme Corp* to *Back to Basics*" in visible(
        slack.ask("/account", "rename Acme Corp to Back to Basics")
    )
    reply = visible(slack.ask("/account", "rename Back to Basics to B2B"))
    assert "Renamed *Back to Basics* to *B2B*" in reply
    assert visible(slack.ask("/account", "show B2B")).count("kickoff") == 1


def the_account_named(rapport, name: str) -> Account | None:
    with rapport.reads.begin() as s:
        return s.scalars(select(Account).where(Account.name == name)).one_or_none()


def test_unarchive_brings_an_account_back_with_its_calls(slack, rapport, acme):
    assert "No account is archived" in visible(slack.ask("/account", "unarchive Acme"))
    slack.ask("/account", "archive Acme")
    assert "I don't know an account" in visible(slack.ask("/account", "show Acme"))
    assert "active again" in visible(slack.ask("/account", "unarchive acme"))
    assert "kickoff" in visible(slack.ask("/account", "show Acme"))


def test_a_guest_sees_no_account_data_but_answers_a_grade_sent_to_them(slack, rapport, fake, acme):
    # The client, asked for grades as a member, became a guest: Slack says so.
    guest = fake.add_user(CLIENT, tz="Europe/London", name="client", roles=("is_restricted",))
    slack.event({"type": "user_change", "user": guest}, event_id="EvGuest")
    slack.settle()

    for text in ("list", "show Acme", "report", "export", "history Acme"):
        reply = visible(slack.ask("/account", text, user_id=CLIENT))
        assert "for members of this workspace" in reply and "Acme" not in reply, text
    for command, text in (("/logcall", "Acme: hi"), ("/grade", "pending"), ("/digest", "now")):
        assert "for members" in visible(slack.ask(command, text, user_id=CLIENT)), command
    assert fake.calls_to("files.getUploadURLExternal") == []
    assert count(rapport, Call) == 1

    slack.event({"type": "app_home_opened", "user": CLIENT, "tab": "home"}, event_id="EvHome")
    slack.settle()
    [home] = [c.args["view"] for c in fake.calls_to("views.publish") if c.args["user_id"] == CLIENT]
    assert "for members of this workspace" in visible(home) and "Acme" not in visible(home)

    # The prompt the cadence sent the client still takes their answer.
    assert press(slack, rapport, "B+") is None
    submit(slack, fake.calls_to("views.open")[-1].args["view"], "Quick answers")
    slack.settle()
    assert [(g.grader_id, g.grade) for g in all_rows(rapport, Grade)] == [(CLIENT, "B+")]


def test_only_the_clients_side_can_meet_a_recovery_plan(slack, rapport, fake, acme):
    """Camille cannot walk around the owner: she cannot take the account, and a grade she
    asks of herself, of Alex or of an admin is refused, so Alex's plan stays open."""
    assert press(slack, rapport, "C") is None
    submit(slack, fake.calls_to("views.open")[-1].args["view"], "Slow to answer")
    slack.settle()
    assert [plan.status for plan in all_rows(rapport, RecoveryPlan)] == ["proposed"]

    reply = visible(slack.ask("/account", "set Acme owner <@U0002|camille>", user_id=CAMILLE))
    assert REFUSED in reply
    for grader, reason in (
        ("<@U0002|camille>", "You can't ask yourself for a grade"),
        ("<@U0001|alex>", "<@U0001> owns *Acme Corp*, so can't grade it"),
        ("<@U0ADMIN|avery>", "<@U0ADMIN> is a Rapport admin, so can't grade an account"),
    ):
        reply = visible(slack.ask("/grade", f"Acme {grader}", user_id=CAMILLE))
        assert f"{reason}: a grade counts when it comes from the client's side." in reply
    assert count(rapport, Grade) == 1
    assert [plan.status for plan in all_rows(rapport, RecoveryPlan)] == ["proposed"]
    dismiss = visible(slack.ask("/account", "show Acme", user_id=CAMILLE))
    assert "Owner: <@U0001>" in dismiss


def test_an_admin_may_dismiss_the_owners_at_risk_alert(slack, rapport, fake, acme):
    assert press(slack, rapport, "D") is None
    submit(slack, fake.calls_to("views.open")[-1].args["view"], "Missed deadlines")
    slack.settle()
    plan = all_rows(rapport, RecoveryPlan)[0]

    replied = len(fake.calls_to("response_url"))
    slack.action(action_id="dismiss_plan", value=str(plan.id), user_id=AVERY)
    dismissed = fake.wait_for("response_url", replied + 1)[-1].args
    assert "Dismissed" in visible(dismissed)
    assert all_rows(rapport, RecoveryPlan)[0].status == "dismissed"
