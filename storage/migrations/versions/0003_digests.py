"""Digest subscriptions, their named accounts, and posted digests (the claims); indexes
for a digest's "calls since" and for deleting an account's rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("days", sa.String(8), nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("scope_owner_id", sa.String(32)),
        sa.Column("skip_quiet", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("paused_reason", sa.String(64)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_digest_subscriptions_team_id"),
    )
    op.create_index("ix_digest_subscriptions_team_id", "digest_subscriptions", ["team_id"])
    op.create_index("ix_digest_subscriptions_status", "digest_subscriptions", ["status"])

    op.create_table(
        "digest_subscription_accounts",
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey(
                "digest_subscriptions.id",
                name="fk_digest_sub_accounts_subscription",
                ondelete="CASCADE",
            ),
            primary_key=True,
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey(
                "accounts.id",
                name="fk_digest_sub_accounts_account",
                ondelete="CASCADE",
            ),
            primary_key=True,
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
    )

    op.create_table(
        "digest_posts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey(
                "digest_subscriptions.id",
                name="fk_digest_posts_subscription_id_digest_subscriptions",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("posted_at", UTCDateTime()),
        sa.Column("covered_until", UTCDateTime()),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("detail", sa.String(200)),
        sa.UniqueConstraint(
            "subscription_id", "local_date", name="uq_digest_posts_subscription_id"
        ),
    )
    op.create_index("ix_digest_posts_team_id", "digest_posts", ["team_id"])
    op.create_index(
        "ix_digest_subscription_accounts_account_id", "digest_subscription_accounts", ["account_id"]
    )
    op.create_index("ix_calls_team_created", "calls", ["team_id", "created_at"])
    op.create_index("ix_grade_requests_account_id", "grade_requests", ["account_id"])
    op.create_index("ix_recovery_plans_account_id", "recovery_plans", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_recovery_plans_account_id", "recovery_plans")
    op.drop_index("ix_grade_requests_account_id", "grade_requests")
    op.drop_index("ix_calls_team_created", "calls")
    op.drop_table("digest_posts")
    op.drop_table("digest_subscription_accounts")
    op.drop_table("digest_subscriptions")
