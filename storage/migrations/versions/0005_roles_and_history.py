"""Roles and change history: whether a cached person is a Slack admin or a guest, the
people named Rapport admins, and every change made to an account.

Profiles cached before this migration read as neither admin nor guest until they are
next fetched (a day at most, sooner on user_change): nobody gains a right from it, and
until then a Slack admin is treated as a member.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        for flag in ("is_admin", "is_guest"):
            batch.add_column(
                sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
            )

    op.create_table(
        "rapport_admins",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )

    op.create_table(
        "account_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey(
                "accounts.id", name="fk_account_changes_account_id_accounts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("changed_by", sa.String(32), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32)),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
    )
    op.create_index("ix_account_changes_team_id", "account_changes", ["team_id"])
    op.create_index(
        "ix_account_changes_account_changed", "account_changes", ["account_id", "changed_at"]
    )


def downgrade() -> None:
    op.drop_table("account_changes")
    op.drop_table("rapport_admins")
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("is_guest")
        batch.drop_column("is_admin")
