"""Statements run straight on the driver's cursor, for the few on every vote.

Why not SQLAlchemy here: measured on the project's 2-core machine, a
``text()`` statement costs about 100 µs of Python on top of the database round
trip (compiling parameters, building the result), and a vote runs six
statements. For the statements on the vote path, ``Raw`` spells one SQL text
for both drivers (``:name`` placeholders, rewritten once to psycopg's
``%(name)s``) and adapts the two kinds of value the drivers disagree on:
datetimes (stored as naive UTC, like ``core.store.types.UTCDateTime``) and JSON.
Everything else uses SQLAlchemy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from psycopg import ClientCursor
from psycopg.types.json import Json
from sqlalchemy import Connection

_PLACEHOLDER = re.compile(r"(?<![:\w]):(\w+)")


class Raw:
    """One SQL text with ``:name`` placeholders and the names that hold JSON."""

    def __init__(self, sql: str, json_params: tuple[str, ...] = ()) -> None:
        self.sql = sql
        self.json_params = json_params
        self._pyformat = _PLACEHOLDER.sub(r"%(\1)s", sql.replace("%", "%%"))

    def text_for(self, dialect: str) -> str:
        return self.sql if dialect == "sqlite" else self._pyformat


PENDING_SAVEPOINT = "konsilo.pending_savepoint"
SAVEPOINT = "SAVEPOINT konsilo_job"


def execute(conn: Connection, statement: Raw, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``statement``; returns its rows (empty for statements without rows).

    A savepoint the group commit left pending (``defer_savepoint``) goes first;
    on PostgreSQL it travels in the same round trip as the statement.
    """
    dialect = conn.dialect.name
    json_params = statement.json_params
    values = {key: _adapt(value, key in json_params, dialect) for key, value in params.items()}
    dbapi: Any = conn.connection.dbapi_connection
    # SQLite runs in-process: a savepoint there costs no round trip to save.
    together = dialect != "sqlite" and conn.info.pop(PENDING_SAVEPOINT, False)
    cursor = ClientCursor(dbapi) if together else dbapi.cursor()
    take_pending_savepoint(conn, cursor)
    try:
        if together:
            cursor.execute(f"{SAVEPOINT}; {statement.text_for(dialect)}", values)
            cursor.nextset()
        else:
            cursor.execute(statement.text_for(dialect), values)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def defer_savepoint(conn: Connection) -> None:
    """Open a savepoint with the next statement, sparing it a round trip of its own."""
    conn.info[PENDING_SAVEPOINT] = True


def savepoint_taken(conn: Connection) -> bool:
    """Whether the deferred savepoint was taken (False: nothing ran since it was deferred)."""
    return not conn.info.pop(PENDING_SAVEPOINT, False)


def take_pending_savepoint(conn: Connection, cursor: Any, *_: Any) -> None:
    """Take a deferred savepoint before the statement about to run on ``cursor``.

    Also SQLAlchemy's ``before_cursor_execute`` hook, so that a statement not
    run through this module takes it too.
    """
    if conn.info.pop(PENDING_SAVEPOINT, False):
        cursor.execute(SAVEPOINT)


def _adapt(value: Any, is_json: bool, dialect: str) -> Any:
    if is_json:
        return json.dumps(value) if dialect == "sqlite" else Json(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
