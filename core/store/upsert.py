"""INSERT ... ON CONFLICT for both dialects we run on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: Connection, table: Table, values: dict[str, Any], keys: list[str], update: list[str]
) -> None:
    """Insert ``values``, or update the ``update`` columns of the row at ``keys``."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=keys, set_={name: stmt.excluded[name] for name in update}
        )
    )


def insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the primary key exists; True when a row was added.

    Asks for the inserted key back rather than trusting ``rowcount``, which
    psycopg does not report reliably for ``ON CONFLICT DO NOTHING``.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing()
    key = next(iter(table.primary_key.columns))
    return conn.execute(stmt.returning(key)).first() is not None
