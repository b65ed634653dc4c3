"""A contact's fields as typed, checked: pure functions (the import reuses them), each
raising UserError that says what is wrong and how to write it.

`/account contact add <account> <name>, <role>, <team>, <email> <@slack user> <language>`:
after the name, comma-separated fields. An email address, a Slack mention and
`language fa` are recognised wherever they are; the other fields are, in order, the role,
the team (department) and the language; a field left blank (`Dana, , Finance`) is skipped.
A language code may also end the field that holds the email or the mention.
"""

import re
from dataclasses import dataclass, fields

from bot.errors import UserError
from bot.i18n import LANGUAGES, _, isolate, ngettext
from bot.letters import fold, plain
from bot.mrkdwn import USER_MENTION, escape

NAME_MAX = 80
ROLE_MAX = 80
TEAM_MAX = 80
EMAIL_MAX = 254
CLEAR = "none"  # `/account contact edit Acme Dana role none` clears the role
EXAMPLE = "`/account contact add Acme Dana Lee, CFO, Finance, dana@acme.com @Dana fa`"
# The fields of `/account contact edit`, by the word typed, and the column each sets.
EDITABLE = {
    "name": "name",
    "role": "role",
    "team": "department",
    "department": "department",
    "email": "email",
    "slack": "slack_user_id",
    "language": "language",
}
EMAIL = re.compile(r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\"]+")
# How Slack sends an email address typed in a command: <mailto:a@b.c|a@b.c>.
MAILTO = re.compile(r"<mailto:([^|>]*)(?:\|[^>]*)?>")
LANGUAGE_FIELD = re.compile(r"^language\s+(\S+)$", re.IGNORECASE)
SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
# A language may be typed by its code, its own name (bot.i18n.LANGUAGES) or its English one.
ENGLISH_NAMES = {"en": "english", "fa": "persian", "ar": "arabic", "vi": "vietnamese"}


@dataclass(frozen=True)
class ContactFields:
    """A contact's checked fields; None means not given."""

    name: str
    role: str | None = None
    department: str | None = None
    email: str | None = None
    slack_user_id: str | None = None
    language: str | None = None

    def values(self) -> dict[str, str | None]:
        """The fields by column name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def checked_contact(
    name: str,
    *,
    role: str | None = None,
    department: str | None = None,
    email: str | None = None,
    slack_user: str | None = None,
    language: str | None = None,
) -> ContactFields:
    """Every field checked (blank ones are None); UserError at the first wrong one."""
    return ContactFields(
        name=checked_name(name),
        role=checked_text(role, ROLE_MAX),
        department=checked_text(department, TEAM_MAX),
        email=checked_email(email),
        slack_user_id=checked_slack_user(slack_user),
        language=checked_language(language),
    )


def read_contact(name: str, details: list[str]) -> ContactFields:
    """The contact named `name` with the comma-separated `details` typed after it (see
    the module's grammar)."""
    found: dict[str, str] = {}
    positional = []
    for detail in details:
        rest, email, mention = _take_marked(detail)
        if email is not None:
            _once(found, "email", email)
        if mention is not None:
            _once(found, "slack_user", mention)
        language = LANGUAGE_FIELD.match(rest)
        if language:
            _once(found, "language", language.group(1))
        elif email is not None or mention is not None:
            if rest:  # only a language may follow an email or a mention
                _once(found, "language", rest)
        else:
            positional.append(rest)
    for key, value in zip(("role", "department", "language"), positional, strict=False):
        if value:
            _once(found, key, value)
    if len(positional) > 3:
        raise UserError(
            _(
                "After the name, write the role, the team, the email, the Slack user and the "
                "language, separated by commas: {example}."
            ).format(example=EXAMPLE)
        )
    return checked_contact(name, **found)


def checked_field(field: str, value: str) -> tuple[str, str | None]:
    """`/account contact edit`'s `<field> <value>`: the column and its checked value
    (`none` clears a field other than the name)."""
    column = EDITABLE[field]
    value = " ".join(value.split())
    if column == "name":
        return column, checked_name(value)
    if value.casefold() == CLEAR:
        return column, None
    if not value:
        raise UserError(_("Give a value for `{field}`, or `none` to clear it.").format(field=field))
    if column == "email":
        value = MAILTO.sub(r"\1", value)
    checker = {
        "role": lambda v: checked_text(v, ROLE_MAX),
        "department": lambda v: checked_text(v, TEAM_MAX),
        "email": checked_email,
        "slack_user_id": checked_slack_user,
        "language": checked_language,
    }[column]
    return column, checker(value)


def checked_name(name: str) -> str:
    """A contact's name, spaces folded, as typed but for invisible marks."""
    name = " ".join(plain(name or "").split())
    if not fold(name):
        raise UserError(_("Give the contact's name: {example}.").format(example=EXAMPLE))
    if len(name) > NAME_MAX or len(fold(name)) > NAME_MAX:
        raise UserError(_too_long(_("Contact names"), NAME_MAX))
    if any(char in name for char in ',،:;<>@#"“”'):
        raise UserError(
            _("Contact names can't contain `,`, `:`, `;`, `<`, `>`, `@`, `#` or quotes.")
        )
    return name


def checked_text(text: str | None, limit: int) -> str | None:
    """A role or a team: spaces folded, at most `limit` characters; None when blank."""
    text = " ".join(plain(text or "").split())
    if not text:
        return None
    if len(text) > limit:
        raise UserError(_too_long(_("A contact's role and team"), limit))
    return text


def checked_email(email: str | None) -> str | None:
    """An email address of the shape name@domain.tld, or None when blank."""
    email = MAILTO.sub(r"\1", (email or "").strip())
    if not email:
        return None
    if len(email) > EMAIL_MAX or not EMAIL.fullmatch(email):
        if email.startswith("@"):
            text = _(
                "“{typed}” is not an email address. To name their Slack user, mention them "
                "so that Slack links the name."
            )
        else:
            text = _("“{typed}” is not an email address such as dana@acme.com.")
        raise UserError(text.format(typed=isolate(escape(email[:EMAIL_MAX]))))
    return email


def checked_slack_user(user: str | None) -> str | None:
    """A Slack user's id from a mention as Slack sends it (`<@U123|dana>`) or the id
    itself; None when blank."""
    user = (user or "").strip()
    if not user:
        return None
    mention = USER_MENTION.fullmatch(user)
    user_id = mention.group(1) if mention else user
    if not SLACK_ID.fullmatch(user_id):
        raise UserError(
            _("Mention their Slack user with @, so that Slack links the name: {example}.").format(
                example=EXAMPLE
            )
        )
    return user_id


def checked_language(language: str | None) -> str | None:
    """A language code Rapport speaks (en, fa, ar, vi), or its name; None when blank."""
    typed = (language or "").strip()
    if not typed:
        return None
    for code, name in LANGUAGES.items():
        if fold(typed) in (code, fold(name), ENGLISH_NAMES[code]):
            return code
    if fold(typed) == "farsi":
        return "fa"
    raise UserError(
        _("“{typed}” is not a language Rapport speaks: choose one of {codes}.").format(
            typed=isolate(escape(typed)), codes=", ".join(f"`{code}`" for code in LANGUAGES)
        )
    )


def _take_marked(detail: str) -> tuple[str, str | None, str | None]:
    """A field's text without the email address and the Slack mention found in it, and
    those two (None when absent)."""
    email = mention = None
    text = MAILTO.sub(r" \1 ", detail)
    found = USER_MENTION.search(text)
    if found:
        mention = found.group(0)
        text = text[: found.start()] + " " + text[found.end() :]
        if USER_MENTION.search(text):
            raise UserError(_("Name one Slack user per contact."))
    words = text.split()
    emails = [word for word in words if "@" in word]
    if len(emails) > 1:
        raise UserError(_("Give one email address per contact."))
    if emails:
        email = emails[0]
        words.remove(email)
    return " ".join(words), email, mention


def _once(found: dict[str, str], key: str, value: str) -> None:
    if key in found:
        raise UserError(
            _("A contact has one {field}; it was given twice.").format(field=_FIELD_WORDS[key]())
        )
    found[key] = value


_FIELD_WORDS = {
    "role": lambda: _("role"),
    "department": lambda: _("team"),
    "email": lambda: _("email address"),
    "slack_user": lambda: _("Slack user"),
    "language": lambda: _("language"),
}


def _too_long(what: str, limit: int) -> str:
    # Translators: {what} is "Contact names" or "A contact's role and team".
    return ngettext(
        "{what} can be at most {n} character.",
        "{what} can be at most {n} characters.",
        limit,
    ).format(what=what, n=isolate(str(limit)))
