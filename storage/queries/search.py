"""Full-text search of calls (migration 0011): FTS5 on SQLite, ranked by bm25; a GIN
index on `to_tsvector('simple', ...)` on PostgreSQL, ranked by ts_rank. Accounts are
found by the words of their folded name (name_key). A private call is found only by its
author, and nothing of another workspace is found."""

import re

from sqlalchemy import ColumnElement, column, false, func, literal_column, or_, select, table
from sqlalchemy.orm import Session

from storage.models import Account, Call

# As migration 0011 folds the text indexed: the Arabic keyboard's yeh, alef maksura and
# kaf written the Persian way, a zero-width non-joiner as a space, Vietnamese đ as d.
VARIANTS = "\u064a\u0649\u0643\u200c\u0111\u0110"
FOLDED = "\u06cc\u06cc\u06a9 dD"
FOLD = str.maketrans(VARIANTS, FOLDED)
# A word of a query: letters, digits and marks, as both tokenizers see them.
WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f\u064b-\u065f\u0670]+[^\W_]*)*")
WORDS_MAX = 16
RANKED = 2000  # PostgreSQL: the newest matches ranked (see calls)
# SQLite's FTS5 table: rowid is the call's id.
CALLS_SEARCH = table("calls_search", column("rowid"), column("team_id"))


def words(query: str) -> list[str]:
    """The words of a query, folded as the index folds its text: punctuation, quotes and
    FTS5's operators (`AND`, `(`, `*`, `:`...) are never read as syntax."""
    return WORD.findall(query.translate(FOLD))[:WORDS_MAX]


def calls(
    s: Session, *, team_id: str, user_id: str, terms: list[str], limit: int
) -> list[tuple[Call, Account]]:
    """Calls of the workspace whose notes or next step hold every term, best first; a
    private call only when `user_id` logged it.

    On PostgreSQL, ts_rank reads each match's text again (the index holds no positions
    to rank by), so only the newest RANKED matches are ranked: words found in most calls
    then cost a few milliseconds instead of seconds (2 s at 100,000 matches), and Slack's
    3 seconds to answer a command hold."""
    if not terms:
        return []
    visible = or_(Call.private == false(), Call.logged_by == user_id)
    scope = [Call.team_id == team_id, visible]
    if s.get_bind().dialect.name == "sqlite":
        match, rank = _sqlite(terms)
        query = select(Call, Account).join(CALLS_SEARCH, CALLS_SEARCH.c.rowid == Call.id)
        query = query.where(*scope, match)
    else:
        match, rank = _postgresql(terms)
        newest = (
            select(Call.id)
            .where(*scope, match)
            .order_by(Call.occurred_at.desc(), Call.id.desc())
            .limit(RANKED)
            .subquery()
        )
        query = select(Call, Account).join(newest, newest.c.id == Call.id)
    query = (
        query.join(Account, Account.id == Call.account_id)
        .where(Account.team_id == team_id)
        .order_by(rank, Call.occurred_at.desc(), Call.id.desc())
        .limit(limit)
    )
    return [(row.Call, row.Account) for row in s.execute(query)]


def accounts(s: Session, *, team_id: str, keys: list[str], limit: int) -> list[Account]:
    """Accounts of the workspace (archived ones too) with a word of their folded name
    starting with each of `keys` (folded as bot.letters.fold folds); the names equal to
    the keys joined first, then by name."""
    if not keys:
        return []
    conditions = [
        or_(
            Account.name_key.like(f"{_like(key)}%", escape="\\"),
            Account.name_key.like(f"% {_like(key)}%", escape="\\"),
        )
        for key in keys
    ]
    exact = Account.name_key == " ".join(keys)
    return list(
        s.scalars(
            select(Account)
            .where(Account.team_id == team_id, *conditions)
            .order_by(exact.desc(), Account.name_key, Account.id)
            .limit(limit)
        )
    )


def _sqlite(terms: list[str]) -> tuple[ColumnElement, ColumnElement]:
    """FTS5: every term a quoted string (a `"` doubled), so none is read as an operator;
    bm25 is smaller for better matches."""
    query = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    match = literal_column("calls_search").op("MATCH")(query)
    return match, func.bm25(literal_column("calls_search"))


def _postgresql(terms: list[str]) -> tuple[ColumnElement, ColumnElement]:
    """The indexed expression (migration 0011), written with the same constants so the
    planner uses the index; plainto_tsquery reads any text as words joined by AND."""
    space, blank = literal_column("' '"), literal_column("''")  # constants, not parameters
    text = func.translate(
        Call.notes.op("||")(space).op("||")(func.coalesce(Call.next_step, blank)),
        literal_column(f"'{VARIANTS}'"),
        literal_column(f"'{FOLDED}'"),
    )
    vector = func.to_tsvector(literal_column("'simple'::regconfig"), text)
    query = func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(terms))
    return vector.op("@@")(query), func.ts_rank(vector, query).desc()


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
