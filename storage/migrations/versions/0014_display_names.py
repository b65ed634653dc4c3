"""The name Slack shows for each person (display name, else real name, else handle),
cached with their profile so a report names its people without asking Slack again.
None for profiles cached before: the next users.info answer fills it in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(sa.Column("display_name", sa.String(255)))


def downgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("display_name")
