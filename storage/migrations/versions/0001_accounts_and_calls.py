"""Accounts, calls, cached Slack user profiles and handled Events API deliveries.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("renewal_on", sa.Date()),
        sa.Column("arr", sa.BigInteger()),
        sa.Column("growth_target_pct", sa.Float()),
        sa.Column("channel_id", sa.String(32)),
        sa.Column("competitors", sa.Text()),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("archived_at", UTCDateTime()),
        sa.UniqueConstraint("team_id", "name_key", name="uq_accounts_team_id"),
    )
    op.create_index("ix_accounts_team_id", "accounts", ["team_id"])

    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name="fk_calls_account_id_accounts", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("logged_by", sa.String(32), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text()),
        sa.Column("follow_up_on", sa.Date()),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_calls_team_id", "calls", ["team_id"])
    op.create_index("ix_calls_account_occurred", "calls", ["account_id", "occurred_at"])

    op.create_table(
        "user_profiles",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(16)),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
    )

    op.create_table(
        "event_deliveries",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_event_deliveries_received_at", "event_deliveries", ["received_at"])


def downgrade() -> None:
    op.drop_table("event_deliveries")
    op.drop_table("user_profiles")
    op.drop_table("calls")
    op.drop_table("accounts")
