"""Asking for grades: `/grade <account> @person [question]`, `/grade <account> <contact or
email> [question]` (through the contact's Slack user, else by link: bot/grades/links.py),
the "Ask for a grade" modal, and the requests someone sent that are still unanswered."""

from dataclasses import dataclass

from slack_sdk import WebClient

from bot import access, people
from bot.accounts.names import find_active
from bot.contacts import manage as contacts
from bot.errors import FormErrors, UserError
from bot.grades import ids, links, messages
from bot.grades.scale import DEFAULT_QUESTION, QUESTION_MAX
from bot.grades.values import Asked
from bot.i18n import N_, _, ngettext
from bot.mrkdwn import USER_MENTION
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import GradeRequest, RequestStatus
from storage.queries import accounts as account_queries
from storage.queries import grades as grade_queries

# Translators: translate only the question; `/grade Acme @client` is typed as it is.
EXAMPLE = N_("`/grade Acme @client What grade would you give our proposals?`")


@dataclass(frozen=True)
class Ask:
    """A parsed `<account> @person [question]`."""

    account_name: str
    grader_id: str
    question: str | None


@dataclass(frozen=True)
class AskForm:
    """What the "Ask for a grade" modal collects, checked when made: FormErrors, keyed by
    the modal's block ids, when a field is missing or too long."""

    account_id: int | None
    grader_id: str | None
    question: str = ""

    def __post_init__(self):
        errors = {}
        if self.account_id is None:
            errors[ids.ASK_GRADE_ACCOUNT] = _("Pick an account.")
        if not self.grader_id:
            errors[ids.ASK_GRADE_GRADER] = _("Pick the person to ask.")
        if len(self.question.strip()) > QUESTION_MAX:
            errors[ids.ASK_GRADE_QUESTION] = _too_long()
        if errors:
            raise FormErrors(errors)


def parse_ask(text: str) -> Ask:
    """`<account> @person [question]`; UserError with an example when a part is missing."""
    mention = USER_MENTION.search(text)
    if not text.strip():
        raise UserError(
            _("Say which account and whom to ask: {example}.").format(example=_(EXAMPLE))
        )
    if mention is None:
        raise UserError(
            _("Mention the person to ask, with @: {example}.").format(example=_(EXAMPLE))
        )
    name = text[: mention.start()].strip()
    if not name:
        raise UserError(
            _("Name the account before the person: {example}.").format(example=_(EXAMPLE))
        )
    question = text[mention.end() :].strip() or None
    if question and len(question) > QUESTION_MAX:
        raise UserError(_too_long())
    return Ask(name, mention.group(1), question)


def _too_long() -> str:
    return ngettext(
        "Keep the question under {n} character.",
        "Keep the question under {n} characters.",
        QUESTION_MAX,
    ).format(n=QUESTION_MAX)


def ask_text(
    rapport: Rapport, client: WebClient, *, user: Person, text: str
) -> GradeRequest | Asked:
    """`/grade <account> @person [question]`: DM the person a grade prompt; or `/grade
    <account> <contact or email> [question]`: DM the account's contact through their
    Slack user, or, for a contact without one or an email address (which becomes a
    contact), a request by personal link (bot/grades/links.py)."""
    named = None
    if text.strip() and USER_MENTION.search(text) is None:
        named = contacts.grader(rapport, team_id=user.team_id, text=text)
    if named is not None:
        account, contact, question = named
        if question and len(question) > QUESTION_MAX:
            raise UserError(_too_long())
        if isinstance(contact, str) or contact.slack_user_id is None:
            return links.ask(
                rapport, user=user, account=account, contact=contact, question=question
            )
        grader_id, contact_id = contact.slack_user_id, contact.id
    else:
        wanted = parse_ask(text)
        with rapport.reads.begin() as s:
            account = find_active(s, team_id=user.team_id, query=wanted.account_name)
        grader_id, question, contact_id = wanted.grader_id, wanted.question, None
    return ask(
        rapport,
        client,
        team_id=user.team_id,
        asked_by=user.user_id,
        account_id=account.id,
        grader_id=grader_id,
        question=question,
        contact_id=contact_id,
    )


def ask_form(rapport: Rapport, client: WebClient, *, user: Person, form: AskForm) -> GradeRequest:
    """Ask the form's person for a grade on its account, as `/grade` does; UserError when
    the account was archived (or removed) after the modal opened."""
    with rapport.reads.begin() as s:
        account = account_queries.by_id(s, team_id=user.team_id, account_id=form.account_id)
    if account is None or account.archived_at is not None:
        raise UserError(_("That account is archived or gone; pick another one."))
    return ask(
        rapport,
        client,
        team_id=user.team_id,
        asked_by=user.user_id,
        account_id=account.id,
        grader_id=form.grader_id,
        question=form.question.strip() or None,
    )


def ask(
    rapport: Rapport,
    client: WebClient,
    *,
    team_id: str,
    asked_by: str,
    account_id: int,
    grader_id: str,
    question: str | None,
    cadence_id: int | None = None,
    contact_id: int | None = None,
) -> GradeRequest:
    """Record a grade request and DM its prompt to the grader, who must be on the client's
    side (bot/access.py). The prompt, and the default question when the account has none
    of its own, are in the grader's language.

    The request is stored first, so the prompt's buttons can carry its id; if Slack
    refuses the DM, the request is removed again and the error goes to the asker.
    """
    try:
        grader = people.person(rapport, client, team_id=team_id, user_id=grader_id)
    except UserError as unknown:
        raise UserError(
            # Translators: {error} is a sentence saying the person was not found.
            _("{error} Mention someone in this workspace: {example}.").format(
                error=unknown, example=_(EXAMPLE)
            )
        ) from None
    if grader.is_bot:
        raise UserError(
            _("{grader} is a bot; ask a person: {example}.").format(
                grader=f"<@{grader_id}>", example=_(EXAMPLE)
            )
        )
    with rapport.sessions.begin() as s:
        account = account_queries.by_id(s, team_id=team_id, account_id=account_id)
        if account is None or account.archived_at is not None:
            raise UserError(_("That account no longer exists or was archived."))
        access.require_outside_grader(s, asker=asked_by, account=account, grader=grader)
        with grader.speaking(rapport.settings.default_language):
            question = question or account.grade_question or _(DEFAULT_QUESTION)
        request = GradeRequest(
            team_id=team_id,
            account=account,
            asked_by=asked_by,
            grader_id=grader_id,
            question=question,
            status=RequestStatus.OPEN,
            asked_at=rapport.clock.now(),
            cadence_id=cadence_id,
            contact_id=contact_id,
        )
        s.add(request)
    with grader.speaking(rapport.settings.default_language):
        prompt = messages.prompt(request)
    try:
        posted = client.chat_postMessage(channel=grader_id, **prompt)
    except Exception:
        with rapport.sessions.begin() as s:
            grade_queries.delete_request(s, team_id=team_id, request_id=request.id)
        raise
    with rapport.sessions.begin() as s:
        s.add(request)
        request.channel_id, request.message_ts = posted["channel"], posted["ts"]
    return request


def pending(rapport: Rapport, *, team_id: str, asked_by: str) -> list[GradeRequest]:
    """`/grade pending`: the requests `asked_by` sent that are still unanswered, oldest first."""
    with rapport.reads.begin() as s:
        return grade_queries.open_requests_sent(s, team_id=team_id, asked_by=asked_by)
