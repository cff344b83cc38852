"""Shared pytest fixtures for Konsilo."""

from __future__ import annotations

import atexit
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.pgserver import find_postgres_bindir, new_server

# ---------------------------------------------------------------------------
# Database fixtures
#
# ``postgres_url`` (session scope) starts a throwaway PostgreSQL server for the
# whole test run and yields the SQLAlchemy URL of its ``konsilo_test`` database.
# ``db_url`` (function scope) is parametrized over ``sqlite`` and ``postgres``:
# every test that requests it runs twice, each time against a fresh, empty
# database.  The postgres variant carries the ``postgres`` marker, so
# ``pytest -m "not postgres"`` runs the SQLite half only.
#
# If no PostgreSQL binaries are found the postgres tests fail, unless
# KONSILO_ALLOW_NO_POSTGRES=1 is set, in which case they are skipped.
# KONSILO_PG_TMPDIR (set by scripts/test.sh) is the parent directory of the
# throwaway cluster, so that the script can stop a server a crashed run left.
# ---------------------------------------------------------------------------

PG_TEST_DATABASE = "konsilo_test"


def _admin_execute(url: str, statement: str, name: str) -> None:
    """Run one utility statement (CREATE/DROP DATABASE) outside a transaction.

    Connects to the ``postgres`` maintenance database of the server ``url`` points at.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    server = make_url(url)
    with psycopg.connect(
        host=server.host,
        port=server.port,
        user=server.username,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as conn:
        conn.execute(sql.SQL(statement).format(name=sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of ``konsilo_test`` on a throwaway PostgreSQL server (session scope)."""
    bindir = find_postgres_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL server binaries (initdb, pg_ctl) not found under "
            "/usr/lib/postgresql/*/bin or on PATH; install the 'postgresql' package "
            "(scripts/test.sh does this)"
        )
        if os.environ.get("KONSILO_ALLOW_NO_POSTGRES") == "1":
            pytest.skip(f"{reason} [skipped because KONSILO_ALLOW_NO_POSTGRES=1]")
        pytest.fail(f"{reason}; set KONSILO_ALLOW_NO_POSTGRES=1 to skip instead", pytrace=False)

    try:
        server = new_server(bindir)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    stop_at_exit: Callable[[], None] = server.cleanup
    atexit.register(stop_at_exit)  # fallback if the teardown below never runs
    try:
        began = time.monotonic()
        server.initdb()
        server.start()
        url = server.sqlalchemy_url(PG_TEST_DATABASE)
        _admin_execute(url, "CREATE DATABASE {name}", PG_TEST_DATABASE)
        elapsed = time.monotonic() - began
        print(f"\nPostgreSQL test server ready in {elapsed:.2f}s on 127.0.0.1:{server.port}")
        yield url
    finally:
        server.cleanup()
        atexit.unregister(stop_at_exit)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'konsilo.db'}"
        return

    from sqlalchemy.engine import make_url

    server_url: str = request.getfixturevalue("postgres_url")
    name = f"konsilo_t_{uuid.uuid4().hex[:16]}"
    _admin_execute(server_url, "CREATE DATABASE {name}", name)
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        # WITH (FORCE) also ends connections a test left open (e.g. an undisposed engine).
        _admin_execute(server_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)", name)


# --- end of database fixtures ----------------------------------------------


# ---------------------------------------------------------------------------
# Engine fixtures: a Konsilo on a fresh database (both dialects), and a chat.
# ---------------------------------------------------------------------------


@pytest.fixture
def app(db_url: str) -> Iterator[Konsilo]:
    from tests.chat import make_app

    konsilo = make_app(db_url)
    try:
        yield konsilo
    finally:
        konsilo.db.close()


@pytest.fixture
def chat(app: Konsilo) -> Chat:
    from tests.chat import Chat

    return Chat(app)


if TYPE_CHECKING:
    from core.app import Konsilo
    from tests.chat import Chat
