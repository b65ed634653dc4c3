"""Grades from people outside Slack, end to end through the real `serve`: `/grade Acme
dana@client.com` makes a contact and a request with a personal link (its token stored
only as a hash); with SMTP settings Rapport emails the link itself, to a local SMTP server
on loopback (aiosmtpd), in the contact's language; one reminder across three replicas;
expiry; and answers through bot/grades/links.py, the interface the grade page uses:
recorded once whatever the concurrency, an at-risk alert for the owner below B, and the
contact named in `/grade history`."""

import hashlib
import re
import threading
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot import i18n
from bot.digests import content
from bot.digests import messages as digest_messages
from bot.errors import UserError
from bot.grades import links, scale
from storage.models import Contact, Grade, GradeRequest, LinkSent, RecoveryPlan, RequestStatus
from support.app import settings_for, tick_together
from support.rows import add, subscription
from support.shown import posted_to, visible
from support.smtp import parts, smtp_server
from support.stored import all_rows, count
from support.workspace import NEW_YORK

OWNER = "U0001"  # adds Acme, so owns it, and asks
PUBLIC_URL = "https://rapport.example.com"
LINK = re.compile(re.escape(PUBLIC_URL) + r"/g/([A-Za-z0-9_-]+)")
DANA_EMAIL = "<mailto:dana@client.com|dana@client.com>"  # as Slack sends a typed address
ADD_DANA_FA = "contact add Acme Dana Lee, CFO, <mailto:dana.lee@client.com|dana.lee@client.com> fa"


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture
def mailbox(smtp):
    return smtp[1]


@pytest.fixture
def public_url():
    return PUBLIC_URL


@pytest.fixture
def smtp_url(request):
    """None, unless the test reads a mailbox: then the local SMTP server's URL."""
    if "mailbox" in request.fixturenames:
        return request.getfixturevalue("smtp")[0]
    return None


@pytest.fixture
def settings(database_url, fake, public_url, smtp_url):
    return replace(
        settings_for(fake, database_url),
        public_url=public_url,
        smtp_url=smtp_url,
        mail_from="Rapport <rapport@example.com>" if smtp_url else None,
    )


@pytest.fixture
def acme(slack):
    slack.ask("/account", "add Acme Corp")


def token_in(text: str) -> str:
    found = LINK.search(text)
    assert found, text
    return found.group(1)


def stored_request(rapport) -> GradeRequest:
    (request,) = all_rows(rapport, GradeRequest)
    return request


def persian_question() -> str:
    with i18n.speaking("fa"):
        question = i18n._(scale.DEFAULT_QUESTION)
    assert question != scale.DEFAULT_QUESTION  # translated, so the test can tell
    return question


# -- asking


def test_an_email_address_becomes_a_contact_and_the_asker_gets_the_link(slack, rapport, acme):
    reply = visible(slack.ask("/grade", f"Acme {DANA_EMAIL}"))

    assert "Send *Dana* this link to grade *Acme Corp*, in your own email" in reply
    assert "personal to *Dana*" in reply and "expires in 14 days" in reply
    assert scale.DEFAULT_QUESTION in reply
    token = token_in(reply)
    assert len(token) >= 43  # 256 bits, base64url
    (contact,) = all_rows(rapport, Contact)
    assert (contact.name, contact.email) == ("Dana", "dana@client.com")
    request = stored_request(rapport)
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (request.grader_id, request.contact_id) == (None, contact.id)
    assert (request.link_sent, request.status) == (LinkSent.COPIED, RequestStatus.OPEN)
    stored = " ".join(str(getattr(request, c.key)) for c in GradeRequest.__table__.columns)
    assert token not in stored  # only its hash is kept

    # The same address again (in another case) asks the same contact, with a new link.
    again = visible(slack.ask("/grade", "Acme DANA@client.com Are we fast enough?"))
    assert token_in(again) != token and "Are we fast enough?" in again
    assert count(rapport, Contact) == 1 and count(rapport, GradeRequest) == 2


def test_a_contact_without_a_slack_user_is_asked_by_link(slack, rapport, acme):
    slack.ask("/account", "contact add Acme Sam Roy, CTO")
    reply = visible(slack.ask("/grade", "Acme Sam"))
    token = token_in(reply)
    assert "Send *Sam Roy* this link" in reply
    assert links.page(rapport, token=token) == links.GradePage(
        account_name="Acme Corp",
        question=scale.DEFAULT_QUESTION,
        language="en",
        grader_name="Sam Roy",
        status="open",
    )


@pytest.mark.parametrize("public_url", [None])
def test_without_public_url_nothing_is_stored_and_an_admin_is_asked(slack, rapport, acme):
    reply = visible(slack.ask("/grade", f"Acme {DANA_EMAIL}"))
    assert "an admin must set PUBLIC_URL" in reply
    assert count(rapport, GradeRequest) == 0 and count(rapport, Contact) == 0


# -- email


def test_rapport_emails_the_link_in_the_contacts_language(slack, rapport, mailbox, acme):
    slack.ask("/account", ADD_DANA_FA)
    reply = visible(slack.ask("/grade", "Acme Dana"))

    assert "Emailed *Dana Lee* (dana.lee@client.com) a link to grade *Acme Corp*" in reply
    assert not LINK.search(reply)  # the asker never sees the contact's link
    (email,) = mailbox.wait_for(1)
    assert mailbox.recipients == [["dana.lee@client.com"]]
    assert email["To"] == "Dana Lee <dana.lee@client.com>"
    assert email["From"] == "Rapport <rapport@example.com>"
    assert email.get_content_type() == "multipart/alternative"
    plain, html = parts(email)
    token = token_in(plain)
    assert token_in(html) == token
    assert stored_request(rapport).token_hash == links.token_hash(token)
    assert stored_request(rapport).link_sent == LinkSent.EMAILED
    question = persian_question()
    assert question in plain and question in html
    assert '<html lang="fa" dir="rtl">' in html and "Acme Corp" in html
    assert links.page(rapport, token=token).language == "fa"


@pytest.mark.parametrize("smtp_url", ["smtp://127.0.0.1:1"])  # nothing listens there
def test_an_email_that_fails_gives_the_asker_the_link(slack, rapport, acme):
    reply = visible(slack.ask("/grade", f"Acme {DANA_EMAIL}"))
    assert "could not be sent, so send them this link yourself" in reply
    token = token_in(reply)
    request = stored_request(rapport)
    assert request.token_hash == links.token_hash(token)
    assert (request.link_sent, request.status) == (LinkSent.COPIED, RequestStatus.OPEN)


def test_one_reminder_email_across_replicas_then_expiry(
    slack, rapport, replicas, client, clock, mailbox, acme
):
    slack.ask("/account", ADD_DANA_FA)
    slack.ask("/grade", "Acme Dana")
    (first,) = mailbox.wait_for(1)
    first_token = token_in(parts(first)[0])
    everyone = [rapport, *replicas]

    clock.advance(days=2, hours=23)
    tick_together(everyone, client)
    assert len(mailbox.messages) == 1  # not REMINDER_DAYS yet

    clock.advance(hours=1, minutes=1)
    tick_together(everyone, client)
    clock.advance(minutes=1)
    tick_together(everyone, client)
    _, reminder = mailbox.wait_for(2)
    assert len(mailbox.messages) == 2  # once, across three replicas and two ticks
    plain, html = parts(reminder)
    second_token = token_in(plain)
    assert second_token != first_token and persian_question() in html
    request = stored_request(rapport)
    assert request.reminded_at is not None
    assert request.reminder_token_hash == links.token_hash(second_token)
    assert links.page(rapport, token=first_token).status == "open"  # both links work
    assert links.page(rapport, token=second_token).status == "open"

    clock.advance(days=11)  # EXPIRY_DAYS after asking
    assert links.page(rapport, token=first_token).status == "expired"  # before any tick
    tick_together(everyone, client)
    assert stored_request(rapport).status == RequestStatus.EXPIRED
    assert links.answer(rapport, client, token=second_token, grade="B", reason="ok") == (
        links.Answer.EXPIRED
    )
    assert count(rapport, Grade) == 0 and len(mailbox.messages) == 2


def test_a_copied_links_asker_is_nudged_once_in_slack(
    slack, rapport, replicas, client, clock, fake, acme
):
    slack.ask("/grade", f"Acme {DANA_EMAIL}")
    clock.advance(days=3, minutes=1)
    tick_together([rapport, *replicas], client)
    clock.advance(minutes=1)
    tick_together([rapport, *replicas], client)
    (nudge,) = posted_to(fake, OWNER)
    assert "*Dana* hasn't graded *Acme Corp* yet" in visible(nudge)
    assert stored_request(rapport).reminded_at is not None


# -- answering


def test_an_answer_is_recorded_once_and_alerts_the_owner(slack, rapport, client, fake, acme):
    token = token_in(visible(slack.ask("/grade", f"Acme {DANA_EMAIL}")))
    (dana,) = all_rows(rapport, Contact)

    with pytest.raises(UserError, match="not a grade"):
        links.answer(rapport, client, token=token, grade="E", reason="why not")
    with pytest.raises(UserError, match="Please say why"):
        links.answer(rapport, client, token=token, grade="C", reason="   ")
    assert count(rapport, Grade) == 0

    outcome = links.answer(rapport, client, token=token, grade="C", reason="too slow on proposals")

    assert outcome == links.Answer.RECORDED
    (grade,) = all_rows(rapport, Grade)
    assert (grade.grade, grade.points, grade.reason) == ("C", 2.0, "too slow on proposals")
    assert (grade.grader_id, grade.contact_id) == (None, dana.id)
    assert stored_request(rapport).status == RequestStatus.ANSWERED
    (plan,) = all_rows(rapport, RecoveryPlan)
    assert plan.target == "B-"
    (alert,) = posted_to(fake, OWNER)
    assert "*Acme Corp* is at risk: *Dana* gave it a *C*" in visible(alert)
    assert "*B-*" in visible(alert)
    assert links.page(rapport, token=token).status == "answered"

    again = links.answer(rapport, client, token=token, grade="A", reason="changed my mind")
    assert again == links.Answer.ALREADY_ANSWERED
    assert count(rapport, Grade) == 1 and len(posted_to(fake, OWNER)) == 1

    history = visible(slack.ask("/grade", "history Acme"))
    assert "*Dana*: *C*, “too slow on proposals”" in history


def test_a_blank_reason_is_refused_in_the_contacts_language(slack, rapport, client, acme):
    slack.ask("/account", ADD_DANA_FA)
    token = token_in(visible(slack.ask("/grade", "Acme dana.lee@client.com")))
    with pytest.raises(UserError) as refused:
        links.answer(rapport, client, token=token, grade="B", reason="")
    with i18n.speaking("fa"):
        expected = i18n._("Please say why: the reason is what makes a grade useful.")
    assert (
        str(refused.value) == expected != "Please say why: the reason is what makes a grade useful."
    )


def test_twenty_answers_at_once_record_one_grade(slack, rapport, client, acme):
    token = token_in(visible(slack.ask("/grade", f"Acme {DANA_EMAIL}")))
    start = threading.Barrier(20)
    outcomes = []

    def submit(n: int) -> None:
        start.wait(timeout=10)
        outcomes.append(links.answer(rapport, client, token=token, grade="B+", reason=f"try {n}"))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes).count(links.Answer.RECORDED) == 1
    assert outcomes.count(links.Answer.ALREADY_ANSWERED) == 19
    assert count(rapport, Grade) == 1


def test_an_unknown_token_is_unknown(slack, rapport, client, acme):
    slack.ask("/grade", f"Acme {DANA_EMAIL}")
    for token in ("x" * 43, "", "a" * 500):
        assert links.page(rapport, token=token) is None
        assert links.answer(rapport, client, token=token, grade="A", reason="r") == (
            links.Answer.UNKNOWN
        )
    assert count(rapport, Grade) == 0
    with rapport.reads.begin() as s:
        assert s.scalar(select(GradeRequest.status)) == RequestStatus.OPEN


def test_pending_and_digests_name_the_contact(slack, rapport, client, clock, acme):
    dana = token_in(visible(slack.ask("/grade", f"Acme {DANA_EMAIL}")))
    slack.ask("/grade", "Acme sam@client.com")
    assert "*Acme Corp*: *Dana*, asked just now" in visible(slack.ask("/grade", "pending"))
    links.answer(rapport, client, token=dana, grade="A", reason="great")
    clock.advance(minutes=1)
    with rapport.sessions.begin() as s:
        sub = add(s, subscription())
    with rapport.reads.begin() as s:
        since = clock.now().replace(year=2025)
        digest = content.gather(s, subscription=sub, since=since, now=clock.now(), stale_days=14)
    channel, replies = digest_messages.messages(digest, subscription=sub, tz=NEW_YORK)
    shown = "\n".join(visible(message) for message in [channel, *replies])
    assert "*Acme Corp*: *A* (first grade) from *Dana*" in shown
    assert "*Acme Corp*: waiting for *Sam*, asked by <@U0001>" in shown
