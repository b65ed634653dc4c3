"""`/rapport admins add|remove @person` and `/rapport admins list`."""

from slack_sdk import WebClient

from bot import access, people
from bot.errors import UserError
from bot.i18n import _
from bot.mrkdwn import USER_MENTION
from bot.people import Person
from bot.runtime.context import Rapport
from storage.models import RapportAdmin
from storage.queries import admins as admin_queries


def name(rapport: Rapport, client: WebClient, *, user: Person, text: str) -> tuple[str, bool]:
    """An admin names `@person` an admin: (their id, whether they were not one already)."""
    named_id = _mentioned(text)
    named = people.person(rapport, client, team_id=user.team_id, user_id=named_id)
    if named.is_guest or named.is_bot:
        refusal = (
            _("{person} is a guest: name a member.")
            if named.is_guest
            else _("{person} is a bot: name a member.")
        )
        raise UserError(refusal.format(person=f"<@{named_id}>"))
    with rapport.sessions.begin() as s:
        access.require_admin(
            s, user, _("Only a Rapport admin can name admins. See `/rapport admins list`.")
        )
        added = admin_queries.name(
            s,
            team_id=user.team_id,
            user_id=named_id,
            added_by=user.user_id,
            now=rapport.clock.now(),
        )
    return named_id, added


def unname(rapport: Rapport, *, user: Person, text: str) -> tuple[str, bool]:
    """An admin removes `@person` from the named admins: (their id, whether they were one)."""
    named_id = _mentioned(text)
    with rapport.sessions.begin() as s:
        access.require_admin(
            s, user, _("Only a Rapport admin can remove admins. See `/rapport admins list`.")
        )
        return named_id, admin_queries.unname(s, team_id=user.team_id, user_id=named_id)


def listing(rapport: Rapport, *, team_id: str) -> list[RapportAdmin]:
    with rapport.reads.begin() as s:
        return admin_queries.all_named(s, team_id=team_id)


def _mentioned(text: str) -> str:
    found = USER_MENTION.fullmatch(text.strip())
    if found is None:
        raise UserError(_("Mention one person, with @: `/rapport admins add @avery`."))
    return found.group(1)
