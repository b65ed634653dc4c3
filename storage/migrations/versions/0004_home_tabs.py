"""Home tabs: when each was published and when what it shows changed, so that a Home is
published when it is opened and stale, not after every change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_tabs",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("published_at", UTCDateTime()),
        sa.Column("changed_at", UTCDateTime()),
    )


def downgrade() -> None:
    op.drop_table("home_tabs")
