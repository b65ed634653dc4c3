"""`/account search <words>`: calls whose notes or next step hold every word, best first,
and accounts whose name has each word; in the searcher's workspace, a private call only
for its author, archived accounts marked."""

from bot.accounts.names import name_key
from bot.calls.values import Found
from bot.errors import UserError
from bot.i18n import _
from bot.people import Person
from bot.runtime.context import Rapport
from storage.queries import search as search_queries

CALLS_SHOWN = 20
ACCOUNTS_SHOWN = 10


def search(rapport: Rapport, *, user: Person, text: str) -> Found:
    words = search_queries.words(text)
    if not words:
        raise UserError(
            _("Type words to look for in notes, next steps and names: `/account search renewal`.")
        )
    keys = [key for word in words if (key := name_key(word))]
    with rapport.reads.begin() as s:
        calls = search_queries.calls(
            s, team_id=user.team_id, user_id=user.user_id, terms=words, limit=CALLS_SHOWN
        )
        accounts = search_queries.accounts(s, team_id=user.team_id, keys=keys, limit=ACCOUNTS_SHOWN)
    return Found(words, calls, accounts)
