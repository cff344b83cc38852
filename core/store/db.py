"""The database: one engine, one writer thread, group commits.

Why a synchronous engine on a worker thread rather than SQLAlchemy's asyncio
extension: measured on the project's 2-core machine, aiosqlite costs about
0.75 ms per statement (a thread hop each), so a vote of four statements could
never reach 1,000 durable votes/s. Here a whole unit of work runs on the
database thread in one hop (about 0.14 ms), and the event loop never blocks.
The single writer thread also matches SQLite's single-writer model; the same
code runs on PostgreSQL (psycopg 3) unchanged.
"""

from __future__ import annotations

import asyncio
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.store import raw
from core.store.raw import Raw

T = TypeVar("T")

RETRIES = 3
MAX_BATCH = 256


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and plain paths; pick the drivers we ship."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Durable, concurrent-reader SQLite: WAL with a full sync on commit.

    ``secure_delete`` overwrites freed pages, so an erased ballot locator does
    not linger in the file. Autocommit off at the driver level lets us issue
    ``BEGIN IMMEDIATE`` ourselves (SQLAlchemy's documented pysqlite recipe).
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "secure_delete=ON",
        "busy_timeout=10000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


CACHE = "konsilo.cache"


def _fresh_cache(conn: Connection) -> None:
    conn.info[CACHE] = {}


def tx_cache(conn: Connection) -> dict[Any, Any]:
    """Lookups remembered until the end of this transaction (emptied at each begin).

    Services keep here what the rest of the transaction may read again: the
    audit chain head, statutes, the assembly of a chat. Whoever writes such a
    thing drops or replaces its entry. A refused unit of work in a group commit
    gets the cache back as it was before it ran. Values must be immutable.
    """
    cache: dict[Any, Any] = conn.info.setdefault(CACHE, {})
    return cache


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings Konsilo relies on."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=1, max_overflow=4)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "begin", _fresh_cache)
    raw.listen(engine)
    return engine


@dataclass
class _Job:
    """A unit of work waiting for the database thread, and where its answer goes."""

    work: Callable[[Connection], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


# Raw statements (core/store/raw.py) raise the driver's own IntegrityError, not
# SQLAlchemy's wrapper; the audit chain is appended that way.
_INTEGRITY_ERRORS = (IntegrityError, psycopg.IntegrityError, sqlite3.IntegrityError)


def _conflict(error: Exception) -> bool:
    """Two writers extended the audit chain at once (only with several processes)."""
    cause = error.orig if isinstance(error, IntegrityError) else error
    return "audit_log" in str(cause)


class Database:
    """Runs units of work on one database thread, committing them in groups.

    Group commit: units of work that arrive while the previous commit is being
    made wait in a queue; the thread runs them together in one transaction,
    each inside its own savepoint (so one refusal rolls back only itself), and
    answers them after the single durable commit. A vote is acknowledged only
    once it is on disk, yet a burst of votes shares one fsync.
    """

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def transaction(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one transaction on the calling thread; commit if it returns."""
        for attempt in range(RETRIES):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except _INTEGRITY_ERRORS as error:
                if attempt == RETRIES - 1 or not _conflict(error):
                    raise
        raise AssertionError("unreachable")

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on the database thread; resolves after its commit."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._start()
        self._queue.put(_Job(work, loop, future))
        return await future

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="konsilo-db", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            batch = [job]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)
                    break
                batch.append(more)
            self._run_batch(batch)

    def _run_batch(self, batch: list[_Job]) -> None:
        """One transaction for the batch; a failed commit retries each job alone."""
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.engine.begin() as conn:
                for job in batch:
                    outcomes.append(_in_savepoint(conn, job.work))
        except Exception as error:  # the commit itself failed: nothing of the batch stands
            if len(batch) == 1:
                outcomes = [(False, error)]
            else:
                outcomes = [self._alone(job.work) for job in batch]
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            job.loop.call_soon_threadsafe(_settle, job.future, ok, value)

    def _alone(self, work: Callable[[Connection], Any]) -> tuple[bool, Any]:
        try:
            return True, self.transaction(work)
        except Exception as error:
            return False, error

    def close(self) -> None:
        """Finish queued work, stop the thread and release connections."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._thread = None
        self.engine.dispose()


_ROLLBACK_TO = Raw("ROLLBACK TO SAVEPOINT konsilo_job")


def _in_savepoint(conn: Connection, work: Callable[[Connection], Any]) -> tuple[bool, Any]:
    """Run one job of a batch; on failure undo its writes and its cache entries.

    The savepoint waits in ``core.store.raw``'s queue and travels with the job's
    first statement, and the job's last writes travel with the next job's first
    statement (or the commit): a vote costs two round trips on PostgreSQL. The
    savepoint is never released: that would cost a round trip and free nothing
    the commit does not. A refusal (or any error of the code) undoes the job
    alone; an error from the database (a conflict on the audit chain when
    another process appended, or a deferred write that failed) fails the whole
    batch, and each job is then retried alone in its own transaction.
    """
    cache = tx_cache(conn)
    saved = dict(cache)
    savepoint = raw.defer_savepoint(conn)
    try:
        return True, work(conn)
    except Exception as error:
        if _from_database(error):
            raise  # the batch's transaction may be broken: each job is retried alone
        if raw.undo_unsent(conn, savepoint):
            raw.execute(conn, _ROLLBACK_TO, {})
        cache.clear()
        cache.update(saved)
        return False, error


def _from_database(error: Exception) -> bool:
    return isinstance(error, DBAPIError | psycopg.Error)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


def default_url(data_dir: Path | None = None) -> str:
    """``$KONSILO_DATABASE_URL``, else a SQLite file in the data directory."""
    if url := os.environ.get("KONSILO_DATABASE_URL"):
        return url
    return f"sqlite:///{(data_dir or data_directory()) / 'konsilo.db'}"


def data_directory() -> Path:
    """``$KONSILO_DATA``, else ``./konsilo-data`` (created when first used)."""
    return Path(os.environ.get("KONSILO_DATA", "konsilo-data")).expanduser().resolve()
