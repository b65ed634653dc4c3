"""One running grade cadence per account and person: a unique index on grade_cadences
(team_id, account_id, grader_id) over the rows whose stopped_at is null.

Two `/grade every` at once could each start a cadence, so a database may already hold
several running for one account and person. Before the index is made, all but the oldest
of each such group (the earliest created_at, then the lowest id) are stopped, at the
time of the migration: their person is asked once a period again, by the oldest. A
downgrade drops the index and leaves them stopped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEX = "uq_grade_cadences_running"
RUNNING = sa.text("stopped_at IS NULL")


def upgrade() -> None:
    cadences = sa.table(
        "grade_cadences",
        sa.column("id"),
        sa.column("team_id"),
        sa.column("account_id"),
        sa.column("grader_id"),
        sa.column("created_at", UTCDateTime()),
        sa.column("stopped_at", UTCDateTime()),
    )
    older = cadences.alias("older")
    op.execute(
        cadences.update()
        .where(
            cadences.c.stopped_at.is_(None),
            sa.exists().where(
                older.c.team_id == cadences.c.team_id,
                older.c.account_id == cadences.c.account_id,
                older.c.grader_id == cadences.c.grader_id,
                older.c.stopped_at.is_(None),
                sa.tuple_(older.c.created_at, older.c.id)
                < sa.tuple_(cadences.c.created_at, cadences.c.id),
            ),
        )
        .values(stopped_at=datetime.now(timezone.utc))
    )
    op.create_index(
        INDEX,
        "grade_cadences",
        ["team_id", "account_id", "grader_id"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="grade_cadences")
