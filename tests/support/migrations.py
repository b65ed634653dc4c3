"""Taking a database down the migrations, which the app itself never does."""

from alembic import command

from storage import migrate


def downgrade(engine, revision: str) -> None:
    """Downgrade to `revision` ("base": no tables), holding the lock migrate.upgrade takes."""
    with migrate.locked_connection(engine) as connection:
        command.downgrade(migrate.config(connection), revision)
