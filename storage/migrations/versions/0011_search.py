"""Full-text search of calls (`/account search`): their notes and next steps.

SQLite: an FTS5 table, `calls_search`, with one row per call (its rowid is the call's id)
holding the workspace and the call's notes and next step, kept in step with `calls` by
triggers on insert, update and delete, so every way a call is stored (a use case, an
import's bulk insert) is indexed. The text is indexed with the `unicode61
remove_diacritics 2` tokenizer: any case, Vietnamese (and other Latin) accents optional.
Persian and Arabic are tokenized as letters; the Arabic keyboard's yeh, alef maksura and
kaf are written the Persian way, a zero-width non-joiner is a space and Vietnamese đ is d,
as account names fold (bot/letters.py), and storage/queries/search.py folds the words searched for alike.
A migration that rebuilds `calls` (alembic's batch mode on SQLite) drops its triggers:
it must create them again (`_create_triggers`).

PostgreSQL: a GIN index on the same text as a `to_tsvector('simple', ...)` expression
(the `simple` configuration: no language's stemming or stop words, as notes are written
in several); storage/queries/search.py writes the expression exactly so, which is what
lets the planner use the index.

Existing calls are indexed by the upgrade.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Arabic yeh, alef maksura, kaf, the zero-width non-joiner and Vietnamese đ (which has no
# accent to remove: it is a letter of its own), and what each becomes.
VARIANTS = "\u064a\u0649\u0643\u200c\u0111\u0110"
FOLDED = "\u06cc\u06cc\u06a9 dD"
TRIGGERS = ("calls_search_insert", "calls_search_update", "calls_search_delete")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE calls_search USING fts5("
            "team_id UNINDEXED, notes, next_step, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        _create_triggers()
        op.execute(
            "INSERT INTO calls_search (rowid, team_id, notes, next_step) "
            f"SELECT id, team_id, {_folded('notes')}, {_folded('next_step')} FROM calls"
        )
    else:
        op.execute(
            "CREATE INDEX ix_calls_search ON calls USING gin ("
            "to_tsvector('simple'::regconfig, translate("
            f"notes || ' ' || coalesce(next_step, ''), '{VARIANTS}', '{FOLDED}')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE calls_search")
    else:
        op.execute("DROP INDEX ix_calls_search")


def _create_triggers() -> None:
    new = f"new.id, new.team_id, {_folded('new.notes')}, {_folded('new.next_step')}"
    op.execute(
        "CREATE TRIGGER calls_search_insert AFTER INSERT ON calls BEGIN "
        f"INSERT INTO calls_search (rowid, team_id, notes, next_step) VALUES ({new}); END"
    )
    op.execute(
        "CREATE TRIGGER calls_search_update "
        "AFTER UPDATE OF id, team_id, notes, next_step ON calls BEGIN "
        "DELETE FROM calls_search WHERE rowid = old.id; "
        f"INSERT INTO calls_search (rowid, team_id, notes, next_step) VALUES ({new}); END"
    )
    op.execute(
        "CREATE TRIGGER calls_search_delete AFTER DELETE ON calls BEGIN "
        "DELETE FROM calls_search WHERE rowid = old.id; END"
    )


def _folded(column: str) -> str:
    """`column` with the letter variants folded, in SQLite's SQL."""
    folded = column
    for variant, plain in zip(VARIANTS, FOLDED, strict=True):
        folded = f"replace({folded}, '{variant}', '{plain}')"
    return folded
