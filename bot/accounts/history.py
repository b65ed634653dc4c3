"""An account's change history: recorded in the use case that makes each change, shown by
`/account history`, and told to the owner when someone else made it."""

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import people
from bot.accounts import messages
from bot.accounts.names import find
from bot.errors import UserError, unless_slack_fails
from bot.i18n import _
from bot.runtime.context import Rapport
from storage.models import Account, AccountChange, Call, ChangeKind
from storage.queries import accounts as account_queries
from storage.queries import history as history_queries

log = logging.getLogger(__name__)
SHOWN = 50


def record(
    s: Session,
    account: Account,
    *,
    by: str,
    now: datetime,
    kind: ChangeKind,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> AccountChange:
    """Add the change to the account's history, in the caller's transaction."""
    change = AccountChange(
        team_id=account.team_id,
        account_id=account.id,
        changed_by=by,
        changed_at=now,
        kind=kind,
        field=field,
        old_value=old,
        new_value=new,
    )
    s.add(change)
    return change


def deleted_call(call: Call) -> str:
    """What the history keeps of a deleted call: when it was, then its note unless private."""
    note = "" if call.private else call.notes
    return f"{call.occurred_at.isoformat()}\n{note}"


def listing(
    rapport: Rapport, *, team_id: str, query: str
) -> tuple[Account, list[AccountChange], int]:
    """`/account history <name>` (archived accounts too): the account, its latest changes,
    newest first, and how many there are in all."""
    if not query.strip():
        raise UserError(_("Name the account: `/account history Acme`."))
    with rapport.reads.begin() as s:
        account = find(account_queries.all_of(s, team_id=team_id), query)
        changes = history_queries.latest(s, team_id=team_id, account_id=account.id, limit=SHOWN)
        total = history_queries.count(s, team_id=team_id, account_id=account.id)
        return account, changes, total


def tell_owners(
    rapport: Rapport, client: WebClient, account: Account, changes: list[AccountChange]
) -> None:
    """DM the owner about each change someone else made, in the owner's language; an
    ownership transfer is told to the old owner and the new one. A DM Slack refuses, or
    to an owner Slack no longer knows, is logged: the change stands."""
    for change in changes:
        told = {change.old_value, change.new_value} if change.field == "owner" else set()
        told = (told or {account.owner_id}) - {change.changed_by, None}
        for owner_id in sorted(told):
            with unless_slack_fails(f"change {change.id} not told to {owner_id}"):
                try:
                    owner = people.person(
                        rapport, client, team_id=account.team_id, user_id=owner_id
                    )
                except UserError:
                    log.warning("change %s not told to %s: not a Slack user", change.id, owner_id)
                    continue
                with owner.speaking(rapport.settings.default_language):
                    notice = messages.change_notice(account, change)
                client.chat_postMessage(channel=owner_id, **notice)
