"""Grade requests for people outside Slack: a personal link whose token is kept only as
its SHA-256 (unique: the page finds its request by it), and the reminder email's own
link likewise (Rapport keeps no token, so cannot send the first link again), how the link went out (copied by
the asker, or emailed by Rapport), and the contact, not a Slack user, as the grader of
such a request and of its grade (grader_id is then empty).

Only grade_requests and grades are rebuilt by batch mode on SQLite; `calls`, whose
full-text search triggers (0011) a rebuild would drop, is left alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grade_requests") as batch:
        batch.alter_column("grader_id", existing_type=sa.String(32), nullable=True)
        batch.add_column(sa.Column("token_hash", sa.String(64)))
        batch.add_column(sa.Column("reminder_token_hash", sa.String(64)))
        batch.add_column(sa.Column("link_sent", sa.String(8)))
        batch.create_unique_constraint("uq_grade_requests_token_hash", ["token_hash"])
        batch.create_unique_constraint(
            "uq_grade_requests_reminder_token_hash", ["reminder_token_hash"]
        )
    with op.batch_alter_table("grades") as batch:
        batch.alter_column("grader_id", existing_type=sa.String(32), nullable=True)
        batch.add_column(sa.Column("contact_id", sa.Integer()))
        batch.create_foreign_key(
            "fk_grades_contact_id_contacts",
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    # Grades and requests of people outside Slack have no Slack user to keep: they go.
    op.execute("DELETE FROM grades WHERE grader_id IS NULL")
    op.execute("DELETE FROM grade_requests WHERE grader_id IS NULL")
    with op.batch_alter_table("grades") as batch:
        batch.drop_constraint("fk_grades_contact_id_contacts", type_="foreignkey")
        batch.drop_column("contact_id")
        batch.alter_column("grader_id", existing_type=sa.String(32), nullable=False)
    with op.batch_alter_table("grade_requests") as batch:
        batch.drop_constraint("uq_grade_requests_reminder_token_hash", type_="unique")
        batch.drop_constraint("uq_grade_requests_token_hash", type_="unique")
        batch.drop_column("link_sent")
        batch.drop_column("reminder_token_hash")
        batch.drop_column("token_hash")
        batch.alter_column("grader_id", existing_type=sa.String(32), nullable=False)
