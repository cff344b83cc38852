"""Bringing a database to the newest schema with Alembic.

Konsilo upgrades its database when it starts (a self-hoster runs one
command); ``konsilo db upgrade`` does the same on its own.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

# The top-level ``migrations`` folder sits beside ``core`` both in a checkout and
# in site-packages; found by path, since the bare name ``migrations`` may belong
# to another package on the import path.
SCRIPTS = Path(__file__).resolve().parents[2] / "migrations"


def config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the shipped migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied, in one transaction."""
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
