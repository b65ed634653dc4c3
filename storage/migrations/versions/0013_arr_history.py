"""ARR history: each value of an account's ARR with the day it took effect, so growth
over a period can be computed. Backfilled with one row per account that has an ARR,
effective on the day the account was created (UTC), recorded by its creator.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arr_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("arr", sa.BigInteger()),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(32), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_arr_history_team_id", "arr_history", ["team_id"])
    op.create_index(
        "ix_arr_history_account_effective", "arr_history", ["account_id", "effective_on"]
    )
    # The day of created_at in UTC is the ARR's first day.
    if op.get_bind().dialect.name == "sqlite":
        day = "date(created_at)"
    else:
        day = "CAST(created_at AT TIME ZONE 'UTC' AS DATE)"
    op.execute(
        "INSERT INTO arr_history (team_id, account_id, arr, effective_on, recorded_by, "
        f"recorded_at) SELECT team_id, id, arr, {day}, created_by, created_at "
        "FROM accounts WHERE arr IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_arr_history_account_effective", "arr_history")
    op.drop_index("ix_arr_history_team_id", "arr_history")
    op.drop_table("arr_history")
