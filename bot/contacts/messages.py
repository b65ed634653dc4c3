"""Block Kit for contacts: `/account contact`'s replies, `/account show`'s contact lines,
and the options of the log-call modal's contacts select."""

from slack_sdk.models.blocks import Option

from bot.blocks import lines_message, text_message
from bot.contacts.values import QUIET_DAYS, ContactView, Overview
from bot.i18n import LANGUAGES, _, isolate, ngettext, number
from bot.mrkdwn import date_token, escape
from storage.models import Account, Contact

OPTIONS_MAX = 100  # Slack shows at most 100 options in a select
SHOWN_IN_DETAILS = 15  # contacts listed by /account show; `/account contact list` has all


def added(account: Account, contact: Contact) -> dict:
    return text_message(
        _("Added *{name}* to the contacts of *{account}*. {details}").format(
            name=_name(contact.name), account=_name(account.name), details=details(contact)
        )
    )


def edited(account: Account, contact: Contact, changed: bool) -> dict:
    if not changed:
        text = _("*{name}* of *{account}* already has that. {details}")
    else:
        text = _("Updated *{name}* of *{account}*. {details}")
    return text_message(
        text.format(name=_name(contact.name), account=_name(account.name), details=details(contact))
    )


def removed(account: Account, contact: Contact) -> dict:
    return text_message(
        _(
            "Removed *{name}* from the contacts of *{account}*. The calls they were on "
            "still name them; adding the name again brings them back."
        ).format(name=_name(contact.name), account=_name(account.name))
    )


def contact_list(account: Account, overview: Overview, tz: str) -> dict:
    """`/account contact list`: every contact, with all their details (the message is
    packed within Slack's limits)."""
    if not overview.contacts:
        return text_message(_no_contacts(account))
    count = len(overview.contacts)
    lines = [
        ngettext("*{n} contact of {account}*", "*{n} contacts of {account}*", count).format(
            n=isolate(number(count)), account=_name(account.name)
        )
    ]
    for view in overview.contacts:
        more = details(view.contact, with_role=False)
        lines.append(f"• {contact_line(view, tz)}" + (f" · {more}" if more else ""))
    lines += quiet_lines(overview)
    return lines_message(lines)


def overview_lines(account: Account, overview: Overview, tz: str) -> list[str]:
    """`/account show`'s contact lines: the first contacts, each with their role, team and
    when they were last on a call, then the teams no call reached in QUIET_DAYS days."""
    if not overview.contacts:
        return [_no_contacts(account)]
    lines = [_("*Contacts*")]
    lines += [f"• {contact_line(view, tz)}" for view in overview.contacts[:SHOWN_IN_DETAILS]]
    more = len(overview.contacts) - SHOWN_IN_DETAILS
    if more > 0:
        lines.append(
            ngettext(
                "…and {n} more: `/account contact list {typed}`.",
                "…and {n} more: `/account contact list {typed}`.",
                more,
            ).format(n=isolate(number(more)), typed=escape(account.name))
        )
    return lines + quiet_lines(overview, SHOWN_IN_DETAILS)


def quiet_lines(overview: Overview, shown: int | None = None) -> list[str]:
    """A warning per team no call reached in QUIET_DAYS days (the first `shown` of them)."""
    teams = overview.quiet_teams[:shown]
    lines = [
        ":warning: "
        + ngettext(
            "No call with {team} in {n} day.", "No call with {team} in {n} days.", QUIET_DAYS
        ).format(team=f"*{_name(team)}*", n=isolate(number(QUIET_DAYS)))
        for team in teams
    ]
    more = len(overview.quiet_teams) - len(teams)
    if more:
        lines.append(
            ngettext(
                "…and {n} more team with no call in {days} days.",
                "…and {n} more teams with no call in {days} days.",
                more,
            ).format(n=isolate(number(more)), days=isolate(number(QUIET_DAYS)))
        )
    return lines


def contact_line(view: ContactView, tz: str) -> str:
    """ "*Dana Lee*, CFO, Finance, last on a call <date>" (or "never on a call")."""
    c = view.contact
    parts = [f"*{_name(c.name)}*"] + [_name(v) for v in (c.role, c.department) if v]
    if view.last_call:
        parts.append(_("last on a call {date}").format(date=date_token(view.last_call, tz)))
    else:
        parts.append(_("never on a call"))
    # Translators: what separates a contact's name, role, team and last call.
    return _(", ").join(parts)


def details(contact: Contact, *, with_role: bool = True) -> str:
    """A contact's email, Slack user and language (and role and team), for a reply."""
    parts = []
    if with_role and contact.role:
        parts.append(_("Role: {role}").format(role=_name(contact.role)))
    if with_role and contact.department:
        parts.append(_("Team: {team}").format(team=_name(contact.department)))
    if contact.email:
        parts.append(_("Email: {email}").format(email=isolate(escape(contact.email))))
    if contact.slack_user_id:
        parts.append(_("Slack: {user}").format(user=f"<@{contact.slack_user_id}>"))
    if contact.language:
        parts.append(
            _("Language: {language}").format(language=LANGUAGES.get(contact.language, "?"))
        )
    return "; ".join(parts)


def attendee_names(contacts: list[Contact]) -> str:
    """ "*Dana Lee*, *Sam Roy*", by name."""
    ordered = sorted(contacts, key=lambda contact: contact.name_key)
    # Translators: what separates names in a list ("*Dana Lee*, *Sam Roy*").
    return _(", ").join(f"*{_name(contact.name)}*" for contact in ordered)


def contact_options(contacts: list[Contact]) -> list[dict]:
    """Options for the log-call modal's contacts select: "Dana Lee (CFO, Finance)"."""
    options = []
    for contact in contacts[:OPTIONS_MAX]:
        about = ", ".join(v for v in (contact.role, contact.department) if v)
        text = f"{contact.name} ({about})" if about else contact.name
        options.append(Option(value=str(contact.id), text=text[:75]).to_dict())
    return options


def _no_contacts(account: Account) -> str:
    return _(
        "*{account}* has no contacts yet. Add one with "
        "`/account contact add {typed} Dana Lee, CFO, Finance`."
    ).format(account=_name(account.name), typed=escape(account.name))


def _name(name: str) -> str:
    """A name inside a sentence: escaped, kept in its own direction."""
    return isolate(escape(name))
