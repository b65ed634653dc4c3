"""`/grade history <account>`: every grade the account was given."""

from bot.accounts.names import find_active
from bot.errors import UserError
from bot.grades.values import History
from bot.i18n import _
from bot.runtime.context import Rapport
from storage.queries import grades as grade_queries


def history(rapport: Rapport, *, team_id: str, query: str) -> History:
    if not query.strip():
        raise UserError(_("Name the account: `/grade history Acme`."))
    with rapport.reads.begin() as s:
        account = find_active(s, team_id=team_id, query=query)
        return History(
            account, grade_queries.account_grades(s, team_id=team_id, account_id=account.id)
        )
