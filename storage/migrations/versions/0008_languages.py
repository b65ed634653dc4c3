"""Each person's language and calendar, Rapport's own settings (Slack knows neither for
Persian, Arabic or Vietnamese readers), kept with their cached profile; and the
language a channel's digest is written in.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("calendar", sa.String(16)))
    with op.batch_alter_table("digest_subscriptions") as batch:
        batch.add_column(sa.Column("language", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("calendar")
        batch.drop_column("language")
