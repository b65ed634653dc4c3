"""The whole book of accounts: contacts and who was on each call, edited calls, imported
calls' keys, follow-ups done, each person's choice of follow-up reminders, and the
contact a grade request went to.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey(
                "accounts.id", name="fk_contacts_account_id_accounts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("role", sa.String(80)),
        sa.Column("department", sa.String(80)),
        sa.Column("email", sa.String(254)),
        sa.Column("slack_user_id", sa.String(32)),
        sa.Column("language", sa.String(8)),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime()),
        sa.UniqueConstraint("account_id", "name_key", name="uq_contacts_account_id"),
    )
    op.create_index("ix_contacts_team_id", "contacts", ["team_id"])
    op.create_index("ix_contacts_team_slack_user", "contacts", ["team_id", "slack_user_id"])

    op.create_table(
        "call_contacts",
        sa.Column(
            "call_id",
            sa.Integer(),
            sa.ForeignKey("calls.id", name="fk_call_contacts_call_id_calls", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contacts.id", name="fk_call_contacts_contact_id_contacts", ondelete="CASCADE"
            ),
            primary_key=True,
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_call_contacts_contact_id", "call_contacts", ["contact_id"])

    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("updated_at", UTCDateTime()))
        batch.add_column(sa.Column("follow_up_done_at", UTCDateTime()))
        batch.add_column(sa.Column("import_key", sa.String(64)))
        batch.create_unique_constraint("uq_calls_team_import_key", ["team_id", "import_key"])
    op.create_index("ix_calls_team_follow_up", "calls", ["team_id", "follow_up_on"])

    with op.batch_alter_table("recovery_plans") as batch:
        batch.add_column(sa.Column("follow_up_done_at", UTCDateTime()))

    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(sa.Column("reminders", sa.Boolean()))

    with op.batch_alter_table("grade_requests") as batch:
        batch.add_column(sa.Column("contact_id", sa.Integer()))
        batch.create_foreign_key(
            "fk_grade_requests_contact_id_contacts",
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("grade_requests") as batch:
        batch.drop_constraint("fk_grade_requests_contact_id_contacts", type_="foreignkey")
        batch.drop_column("contact_id")
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("reminders")
    with op.batch_alter_table("recovery_plans") as batch:
        batch.drop_column("follow_up_done_at")
    op.drop_index("ix_calls_team_follow_up", "calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_constraint("uq_calls_team_import_key", type_="unique")
        batch.drop_column("import_key")
        batch.drop_column("follow_up_done_at")
        batch.drop_column("updated_at")
    op.drop_table("call_contacts")
    op.drop_table("contacts")
