"""Alembic environment: migrate the database the caller hands over.

``core.store.migrate`` passes an open connection in ``config.attributes``;
the ``alembic`` command line falls back to ``sqlalchemy.url`` or
``$KONSILO_DATABASE_URL``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from core.store.db import default_url, make_engine
from core.store.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or default_url()
    engine = make_engine(url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()


run_online()
