"""Grade requests for people outside Slack: a personal link, `PUBLIC_URL/g/<token>`, to a
page where they grade (bot/grades/web.py serves it).

The token is 256 bits from `secrets`; only its SHA-256 is stored, so the database never
holds a working link. Without SMTP_URL the asker is given the link to send in their own
email; with it Rapport emails it (bot/grades/mail.py), and if the email fails the asker is
given the link instead, so no request is left that nobody can answer. An answer is
recorded by the same conditional update as a Slack answer (bot/grades/answering.py), and
recovery looks at it as at any grade (bot/recovery/plans.py).

Reminders (bot/grades/reminders.py): an emailed request gets a second email, with a link
of its own (Rapport cannot send the first one again); a request whose link the asker
copied gets them a DM nudge instead. Both once, across replicas. Expiry closes a link's
request after EXPIRY_DAYS, and its page then says so."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from slack_sdk import WebClient

from bot import i18n, people
from bot.contacts import manage as contacts
from bot.errors import UserError
from bot.grades import answering, mail, messages
from bot.grades.scale import DEFAULT_QUESTION
from bot.grades.values import Asked
from bot.i18n import _
from bot.people import Person
from bot.recovery import plans
from bot.runtime.context import Rapport
from bot.runtime.settings import Settings
from storage.models import Account, Contact, GradeRequest, LinkSent, RequestStatus
from storage.queries import accounts as account_queries
from storage.queries import grades as grade_queries

log = logging.getLogger(__name__)

TOKEN_BYTES = 32  # 256 bits
GRADERS_LANGUAGES = ("en", "fa", "ar", "vi")


class Answer(StrEnum):
    """What became of an answer given on a grade page."""

    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # no request has this token


@dataclass(frozen=True)
class GradePage:
    """What a grade page shows: nothing about the account beyond its name and the question."""

    account_name: str
    question: str
    language: str  # "en", "fa", "ar" or "vi"
    grader_name: str | None
    status: str  # "open", "answered" or "expired"


def link(settings: Settings, token: str) -> str:
    """The page of `token`: PUBLIC_URL/g/<token>."""
    return f"{settings.public_url}/g/{token}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash (the only part stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def page(rapport: Rapport, *, token: str) -> GradePage | None:
    """The page of `token`, or None when it matches no request (never saying more)."""
    request = _find(rapport, token)
    if request is None:
        return None
    return GradePage(
        account_name=request.account.name,
        question=request.question,
        language=language_of(rapport, request.contact),
        grader_name=request.contact.name if request.contact else None,
        status=_status(rapport, request),
    )


def answer(rapport: Rapport, client: WebClient, *, token: str, grade: str, reason: str) -> Answer:
    """Record `grade` and `reason` for the request of `token`, once whatever the
    concurrency; a bad grade or a blank or too long reason is UserError in the page's
    language. Recovery looks at a recorded grade after its commit, as for Slack's: below B
    the owner gets the at-risk alert."""
    request = _find(rapport, token)
    if request is None:
        return Answer.UNKNOWN
    status = _status(rapport, request)
    if status != RequestStatus.OPEN:
        return _CLOSED[status]
    with i18n.speaking(language_of(rapport, request.contact)):
        recorded = answering.answer(
            rapport,
            team_id=request.team_id,
            request_id=request.id,
            user_id=None,
            grade=grade,
            reason=reason,
        )
    if recorded is None:  # answered (or expired) meanwhile
        return _CLOSED[_status(rapport, _find(rapport, token))]
    plans.on_grade(rapport, client, recorded)
    return Answer.RECORDED


_CLOSED = {RequestStatus.ANSWERED: Answer.ALREADY_ANSWERED, RequestStatus.EXPIRED: Answer.EXPIRED}


def ask(
    rapport: Rapport,
    *,
    user: Person,
    account: Account,
    contact: Contact | str,
    question: str | None,
) -> Asked:
    """`/grade <account> <contact or email>` for someone outside Slack: store a request
    with a new link (an address becomes a contact of the account), then email it when
    SMTP_URL is set and the contact has an address. UserError, storing nothing, when
    PUBLIC_URL is not set."""
    settings = rapport.settings
    if not settings.public_url:
        raise UserError(
            _(
                "Grade links for people outside Slack need Rapport's public address: an "
                "admin must set PUBLIC_URL (see the README's settings), then ask again."
            )
        )
    token, hashed = new_token()
    now = rapport.clock.now()
    with rapport.sessions.begin() as s:
        account = account_queries.by_id(s, team_id=user.team_id, account_id=account.id)
        if account is None or account.archived_at is not None:
            raise UserError(_("That account no longer exists or was archived."))
        if isinstance(contact, str):
            contact = contacts.contact_for_email(
                s, user=user, account=account, email=contact, now=now
            )
        else:
            contact = s.merge(contact)
        emailing = bool(settings.smtp_url and contact.email)
        with i18n.speaking(language_of(rapport, contact)):
            question = question or account.grade_question or _(DEFAULT_QUESTION)
        request = GradeRequest(
            team_id=user.team_id,
            account=account,
            asked_by=user.user_id,
            grader_id=None,
            contact=contact,
            question=question,
            status=RequestStatus.OPEN,
            asked_at=now,
            token_hash=hashed,
            link_sent=LinkSent.EMAILED if emailing else LinkSent.COPIED,
        )
        s.add(request)
    url = link(settings, token)
    if not emailing:
        return Asked(request, contact, url, emailed_to=None, mail_failed=False)
    try:
        _email(rapport, request, url, reminder=False)
    except mail.MailError as error:
        log.warning(
            "grade request %s: email not sent (%s); the asker has the link", request.id, error
        )
        with rapport.sessions.begin() as s:
            s.add(request)
            request.link_sent = LinkSent.COPIED
        return Asked(request, contact, url, emailed_to=None, mail_failed=True)
    return Asked(request, contact, url, emailed_to=contact.email, mail_failed=False)


def remind(rapport: Rapport, client: WebClient, request: GradeRequest) -> None:
    """The one reminder of a request by link (run once across replicas by the caller): a
    second email with a new link of its own when Rapport emailed the first; else a DM
    nudging the asker, who sent the link themselves."""
    if request.link_sent == LinkSent.EMAILED and rapport.settings.smtp_url:
        token, hashed = new_token()
        with rapport.sessions.begin() as s:
            s.add(request)
            request.reminder_token_hash = hashed
        try:
            _email(rapport, request, link(rapport.settings, token), reminder=True)
        except mail.MailError as error:  # the first email's link still works
            log.warning("grade request %s: reminder email not sent (%s)", request.id, error)
    else:
        with people.speaking_to(rapport, client, team_id=request.team_id, user_id=request.asked_by):
            nudge = messages.link_nudge(request, expiry_days=rapport.settings.expiry_days)
        client.chat_postMessage(channel=request.asked_by, **nudge)
    with rapport.sessions.begin() as s:
        s.add(request)
        request.reminded_at = rapport.clock.now()


def expire(rapport: Rapport, request: GradeRequest) -> bool:
    """Close a link's request unanswered for EXPIRY_DAYS; True if this call closed it."""
    with rapport.sessions.begin() as s:
        return grade_queries.close_request(
            s,
            team_id=request.team_id,
            request_id=request.id,
            status=RequestStatus.EXPIRED,
            now=rapport.clock.now(),
        )


def language_of(rapport: Rapport, contact: Contact | None) -> str:
    """The contact's language, else DEFAULT_LANGUAGE."""
    if contact is not None and contact.language in GRADERS_LANGUAGES:
        return contact.language
    return rapport.settings.default_language


def _find(rapport: Rapport, token: str) -> GradeRequest | None:
    if not token or len(token) > 128:
        return None
    with rapport.reads.begin() as s:
        return grade_queries.by_token_hash(s, token_hash=token_hash(token))


def _status(rapport: Rapport, request: GradeRequest) -> str:
    """The request's status, expired as soon as EXPIRY_DAYS have passed (before the
    scheduler closes it)."""
    age = rapport.clock.now() - request.asked_at
    if request.status == RequestStatus.OPEN and age >= timedelta(days=rapport.settings.expiry_days):
        return RequestStatus.EXPIRED
    return request.status


def _email(rapport: Rapport, request: GradeRequest, url: str, *, reminder: bool) -> None:
    contact = request.contact
    message = mail.grade_email(
        rapport.settings,
        to_name=contact.name,
        to_address=contact.email,
        account_name=request.account.name,
        question=request.question,
        link=url,
        language=language_of(rapport, contact),
        reminder=reminder,
    )
    mail.send(rapport.settings, message)
