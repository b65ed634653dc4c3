"""Account names compare across the ways they can be typed: every name_key is made again
with bot.letters.fold (Arabic and Persian letter variants as one, accents optional, bidi
marks and ZWNJ ignored). A folded key is never longer than the key made before (the
name with its case folded), so it fits the same column.

Two accounts of one workspace whose names fold to the same key (say "Hoa Binh" and
"Hòa Bình") cannot both keep it: the older keeps it, and each newer one gets its key
followed by " #<id>", so it is still found by its first letters and shown with its own
name; renaming it gives it a plain key again. A downgrade makes the keys as before
(spaces folded, any case).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from bot.letters import fold

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KEY_MAX = 80  # the column's length
ACCOUNTS = sa.table(
    "accounts", sa.column("id"), sa.column("team_id"), sa.column("name"), sa.column("name_key")
)


def upgrade() -> None:
    _rekey(fold, collide=lambda key, account_id: f"{key[: KEY_MAX - 12]} #{account_id}")


def downgrade() -> None:
    _rekey(lambda name: " ".join(name.split()).casefold(), collide=None)


def _rekey(key_of, collide) -> None:
    """Set every account's key to key_of(name); a key its workspace already gave an older
    account becomes collide(key, id). Keys are first moved out of the way (to their id),
    so no update meets a key that is about to change."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(ACCOUNTS).order_by(ACCOUNTS.c.id)).all()
    for row in rows:
        connection.execute(
            ACCOUNTS.update().where(ACCOUNTS.c.id == row.id).values(name_key=f"#{row.id}")
        )
    taken = set()
    for row in rows:
        key = key_of(row.name)
        if (row.team_id, key) in taken and collide is not None:
            key = collide(key, row.id)
        taken.add((row.team_id, key))
        connection.execute(ACCOUNTS.update().where(ACCOUNTS.c.id == row.id).values(name_key=key))
