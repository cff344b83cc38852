"""Statements run straight on the driver's cursor, for the few on every vote.

Why not SQLAlchemy here: measured on the project's 2-core machine, a
``text()`` statement costs about 100 µs of Python on top of the database round
trip (compiling parameters, building the result), and a vote is a handful of
statements. A write whose result is not needed at once can also wait
(``defer``) and travel with the next statement, in one round trip through
psycopg's pipeline mode on the raw connection (SQLAlchemy's own statements
cannot use pipeline mode: it reads each result as soon as it executes). In a
group commit a vote takes two round trips (docs/architecture.md, "The vote
path"), and the server keeps the statements prepared.

For these statements, ``Raw`` spells one SQL text
for both drivers (``:name`` placeholders, rewritten once to psycopg's
``%(name)s``) and adapts the two kinds of value the drivers disagree on:
datetimes (stored as naive UTC, like ``core.store.types.UTCDateTime``) and JSON.
Everything else uses SQLAlchemy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import Connection, Engine, event

_PLACEHOLDER = re.compile(r"(?<![:\w]):(\w+)")


class Raw:
    """One SQL text with ``:name`` placeholders and the names that hold JSON."""

    def __init__(self, sql: str, json_params: tuple[str, ...] = ()) -> None:
        self.sql = sql
        self.json_params = json_params
        self._pyformat = _PLACEHOLDER.sub(r"%(\1)s", sql.replace("%", "%%"))

    def text_for(self, dialect: str) -> str:
        return self.sql if dialect == "sqlite" else self._pyformat


QUEUE = "konsilo.raw_queue"
SAVEPOINT = "SAVEPOINT konsilo_job"


@dataclass
class Deferred:
    """A statement's rows, once it has been sent (``None`` until then)."""

    rows: list[tuple[Any, ...]] | None = None


@dataclass(frozen=True)
class _Queued:
    statement: Raw
    values: dict[str, Any]
    result: Deferred


def execute(conn: Connection, statement: Raw, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``statement`` now and return its rows (empty for statements without rows).

    Whatever waits (a pending savepoint, deferred statements) goes first, in
    the same round trip on PostgreSQL.
    """
    result = defer(conn, statement, params)
    flush(conn)
    return result.rows or []


def defer(conn: Connection, statement: Raw, params: Mapping[str, Any]) -> Deferred:
    """Queue a statement whose result is not needed at once; it is sent with the next
    statement, at ``flush``, or before the transaction commits, whichever comes first.

    A vote's own row, its audit entry and its event key travel together this way:
    three statements, one round trip. Any error surfaces when they are sent.
    """
    dialect = conn.dialect.name
    values = {k: _adapt(v, k in statement.json_params, dialect) for k, v in params.items()}
    result = Deferred()
    conn.info.setdefault(QUEUE, []).append(_Queued(statement, values, result))
    return result


def flush(conn: Connection, *_: Any) -> None:
    """Send every queued statement (one round trip on PostgreSQL; SQLite runs
    in-process and has no round trip to save)."""
    queue: list[_Queued] = conn.info.pop(QUEUE, [])
    if not queue:
        return
    dbapi: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        _send_each(dbapi, queue, "sqlite")
    elif len(queue) == 1:
        _send_each(dbapi, queue, "postgresql")
    else:
        _send_together(dbapi, queue)


def _send_each(dbapi: Any, queue: list[_Queued], dialect: str) -> None:
    cursor = dbapi.cursor()
    try:
        for item in queue:
            cursor.execute(item.statement.text_for(dialect), item.values)
            item.result.rows = list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def _send_together(dbapi: Any, queue: list[_Queued]) -> None:
    """Several statements in one round trip: psycopg's pipeline mode on the raw
    connection (SQLAlchemy's own statements cannot run in it, ours can), one
    cursor per statement, results read after the pipeline's sync. The server
    keeps them as prepared statements, so it plans each kind of statement once."""
    cursors = [dbapi.cursor() for _ in queue]
    try:
        with dbapi.pipeline():
            for cursor, item in zip(cursors, queue, strict=True):
                cursor.execute(item.statement.text_for("postgresql"), item.values)
        for cursor, item in zip(cursors, queue, strict=True):
            item.result.rows = list(cursor.fetchall()) if cursor.description else []
    finally:
        for cursor in cursors:
            cursor.close()


def discard(conn: Connection, *_: Any) -> None:
    """Forget what waits (the transaction is being rolled back)."""
    conn.info.pop(QUEUE, None)


_SAVEPOINT = Raw(SAVEPOINT)


def defer_savepoint(conn: Connection) -> Deferred:
    """Queue a savepoint for the next unit of work of a group commit: it travels with
    that unit's first statement, after what earlier units left waiting."""
    return defer(conn, _SAVEPOINT, {})


def undo_unsent(conn: Connection, savepoint: Deferred) -> bool:
    """Drop what a failed unit of work queued since ``savepoint``; True when the
    savepoint had already been sent (the caller must then roll back to it)."""
    queue: list[_Queued] = conn.info.get(QUEUE, [])
    if savepoint.rows is not None:
        queue.clear()  # everything still queued came after the savepoint
        return True
    for index, item in enumerate(queue):
        if item.result is savepoint:
            del queue[index:]
            break
    return False


def listen(engine: Engine) -> None:
    """Keep SQLAlchemy's own statements and commits in order with what waits here:
    anything queued is sent before a SQLAlchemy statement runs and before a commit."""
    event.listen(engine, "before_cursor_execute", flush)
    event.listen(engine, "commit", flush)
    event.listen(engine, "rollback", discard)


def _adapt(value: Any, is_json: bool, dialect: str) -> Any:
    if is_json:
        return json.dumps(value) if dialect == "sqlite" else Json(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        naive = value.astimezone(UTC).replace(tzinfo=None)
        # SQLite compares datetimes as text: write SQLAlchemy's format (microseconds
        # always), not sqlite3's default adapter, which drops ".000000".
        return naive.strftime(SQLITE_DATETIME) if dialect == "sqlite" else naive
    return value


SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # as sqlalchemy.dialects.sqlite.DATETIME stores it
