"""Alembic migrations: the only way Konsilo's schema changes."""
