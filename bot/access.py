"""Who may do what. Every use case asks here; a refusal names who can.

- Members of the workspace read accounts, log calls and ask for grades.
- An account's owner and Rapport admins change it: its fields, owner, name, archiving,
  grade cadences and recovery plans.
- Rapport admins are the workspace's Slack admins and owners, and the people an admin
  names with `/rapport admins add`; only admins name or remove admins.
- Guests see no account data and use no command; they answer grade prompts sent to them.
- A grade counts toward recovery only from the client's side: never asked of oneself,
  of the account's owner or of a Rapport admin.
"""

from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import N_, _, isolate
from bot.mrkdwn import escape
from bot.people import Person
from storage.models import Account
from storage.queries import admins as admin_queries

GUESTS_REFUSED = N_(
    "Rapport's accounts are for members of this workspace. "
    "As a guest, you can answer the grade requests sent to you."
)


def require_member(person: Person) -> None:
    """A guest may not read or change anything."""
    if person.is_guest:
        raise UserError(_(GUESTS_REFUSED))


def is_admin(s: Session, person: Person) -> bool:
    return not person.is_guest and (
        person.is_admin or admin_queries.named(s, team_id=person.team_id, user_id=person.user_id)
    )


def require_admin(s: Session, person: Person, refusal: str) -> None:
    """`person` is an admin, or UserError with `refusal` (a sentence, translated)."""
    if not is_admin(s, person):
        raise UserError(refusal)


def require_change(s: Session, person: Person, account: Account, doing: str = "") -> None:
    """`person` may change `account` (the owner or an admin), or UserError naming who can."""
    if (person.user_id == account.owner_id and not person.is_guest) or is_admin(s, person):
        return
    # Translators: completes "Only @owner (the owner) or a Rapport admin can …".
    doing = doing or _("change *{name}*").format(name=isolate(escape(account.name)))
    # Translators: {doing} is what the person tried, such as "rename *Acme*".
    refusal = _("Only {owner} (the owner) or a Rapport admin can {doing}.")
    raise UserError(refusal.format(owner=f"<@{account.owner_id}>", doing=doing))


def require_outside_grader(s: Session, *, asker: str, account: Account, grader: Person) -> None:
    """A grade request must go to someone on the client's side, or UserError saying why."""
    if grader.user_id == asker:
        refusal = _(
            "You can't ask yourself for a grade: a grade counts when it comes from the "
            "client's side."
        )
    elif grader.user_id == account.owner_id:
        refusal = _(
            "{grader} owns *{name}*, so can't grade it: a grade counts when it comes from "
            "the client's side."
        )
    elif is_admin(s, grader):
        refusal = _(
            "{grader} is a Rapport admin, so can't grade an account: a grade counts when it "
            "comes from the client's side."
        )
    else:
        return
    raise UserError(
        refusal.format(grader=f"<@{grader.user_id}>", name=isolate(escape(account.name)))
    )
