"""Grade requests and grades, cadences, recovery plans, and scheduler job claims.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _account_id(table: str) -> sa.Column:
    return sa.Column(
        "account_id",
        sa.Integer(),
        sa.ForeignKey("accounts.id", name=f"fk_{table}_account_id_accounts", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("grade_question", sa.Text()))

    op.create_table(
        "grade_cadences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        _account_id("grade_cadences"),
        sa.Column("asked_by", sa.String(32), nullable=False),
        sa.Column("grader_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text()),
        sa.Column("every", sa.String(8), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("stopped_at", UTCDateTime()),
    )
    op.create_index("ix_grade_cadences_team_id", "grade_cadences", ["team_id"])
    op.create_index("ix_grade_cadences_next_due_at", "grade_cadences", ["next_due_at"])

    op.create_table(
        "grade_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        _account_id("grade_requests"),
        sa.Column("asked_by", sa.String(32), nullable=False),
        sa.Column("grader_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("channel_id", sa.String(32)),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("reminded_at", UTCDateTime()),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column(
            "cadence_id",
            sa.Integer(),
            sa.ForeignKey(
                "grade_cadences.id",
                name="fk_grade_requests_cadence_id_grade_cadences",
                ondelete="SET NULL",
            ),
        ),
    )
    op.create_index("ix_grade_requests_team_id", "grade_requests", ["team_id"])
    op.create_index("ix_grade_requests_status_asked", "grade_requests", ["status", "asked_at"])

    op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        _account_id("grades"),
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey(
                "grade_requests.id", name="fk_grades_request_id_grade_requests", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("grader_id", sa.String(32), nullable=False),
        sa.Column("grade", sa.String(2), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("graded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("request_id", name="uq_grades_request_id"),
    )
    op.create_index("ix_grades_team_id", "grades", ["team_id"])
    op.create_index("ix_grades_account_graded", "grades", ["account_id", "graded_at"])

    op.create_table(
        "recovery_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        _account_id("recovery_plans"),
        sa.Column(
            "grade_id",
            sa.Integer(),
            sa.ForeignKey(
                "grades.id", name="fk_recovery_plans_grade_id_grades", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("target", sa.String(2), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=False),
        sa.Column("what_it_takes", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("grade_id", name="uq_recovery_plans_grade_id"),
    )
    op.create_index("ix_recovery_plans_team_id", "recovery_plans", ["team_id"])
    op.create_index("ix_recovery_plans_status", "recovery_plans", ["status"])

    op.create_table(
        "job_claims",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime()),
    )


def downgrade() -> None:
    op.drop_table("job_claims")
    op.drop_table("recovery_plans")
    op.drop_table("grades")
    op.drop_table("grade_requests")
    op.drop_table("grade_cadences")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("grade_question")
