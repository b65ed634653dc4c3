"""Storage: models, engine and sessions, queries, migrations."""
