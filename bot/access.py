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
from bot.mrkdwn import escape
from bot.people import Person
from storage.models import Account
from storage.queries import admins as admin_queries

GUESTS_REFUSED = (
    "Rapport's accounts are for members of this workspace. "
    "As a guest, you can answer the grade requests sent to you."
)


def require_member(person: Person) -> None:
    """A guest may not read or change anything."""
    if person.is_guest:
        raise UserError(GUESTS_REFUSED)


def is_admin(s: Session, person: Person) -> bool:
    return not person.is_guest and (
        person.is_admin or admin_queries.named(s, team_id=person.team_id, user_id=person.user_id)
    )


def require_admin(s: Session, person: Person, doing: str) -> None:
    if not is_admin(s, person):
        raise UserError(f"Only a Rapport admin can {doing}. See `/rapport admins list`.")


def require_change(s: Session, person: Person, account: Account, doing: str = "") -> None:
    """`person` may change `account` (the owner or an admin), or UserError naming who can."""
    if (person.user_id == account.owner_id and not person.is_guest) or is_admin(s, person):
        return
    doing = doing or f"change *{escape(account.name)}*"
    raise UserError(f"Only <@{account.owner_id}> (the owner) or a Rapport admin can {doing}.")


def require_outside_grader(s: Session, *, asker: str, account: Account, grader: Person) -> None:
    """A grade request must go to someone on the client's side, or UserError saying why."""
    if grader.user_id == asker:
        reason = "You can't ask yourself for a grade"
    elif grader.user_id == account.owner_id:
        reason = f"<@{grader.user_id}> owns *{escape(account.name)}*, so can't grade it"
    elif is_admin(s, grader):
        reason = f"<@{grader.user_id}> is a Rapport admin, so can't grade an account"
    else:
        return
    raise UserError(f"{reason}: a grade counts when it comes from the client's side.")
