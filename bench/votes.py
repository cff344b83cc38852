"""Votes per second through the chat's own command path, on SQLite and PostgreSQL.

20,000 members each send ``/vote <motion> yes`` to one open motion through
``Konsilo.handle`` (parse, membership check, ballot, audit entry, idempotency
key, one durable commit per vote). Beside it, a raw loop inserts one row and
commits, the same number of times, on the same database: the ceiling for one
durable commit per vote. Prints ``N votes/s`` and ``ratio R`` per database.

    python bench/votes.py [--members 20000] [--only sqlite|postgres]

Targets (issue 1/6): at least 1,000 votes/s and a ratio of at least 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.app import Konsilo
from core.context import Actor, Place
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.tables import identities, members, persons
from tests.chat import SECRET, TestClock

PLATFORM, GROUP = "bench", "group"
IN_FLIGHT = 64  # updates a busy group delivers at once


def populate(konsilo: Konsilo, count: int) -> int:
    """Found an assembly through the engine, then add ``count - 1`` members in bulk."""
    place = Place(PLATFORM, GROUP)
    konsilo.handle_now(Actor(PLATFORM, "0", "m0"), place, "/found Bench works")
    konsilo.handle_now(Actor(PLATFORM, "0", "m0"), place, "/motion Adopt the bench")
    now = konsilo.clock.now()

    def bulk(conn: object) -> None:
        c = conn  # a Connection
        c.execute(
            insert(persons),
            [
                {"id": i + 1000, "created_at": now}  # type: ignore[attr-defined]
                for i in range(1, count)
            ],
        )
        c.execute(
            insert(identities),
            [  # type: ignore[attr-defined]
                {
                    "platform": PLATFORM,
                    "user_id": str(i),
                    "person_id": i + 1000,
                    "display_name": f"m{i}",
                    "created_at": now,
                }
                for i in range(1, count)
            ],
        )
        c.execute(
            insert(members),
            [  # type: ignore[attr-defined]
                {"assembly_id": 1, "person_id": i + 1000, "status": "active", "joined_at": now}
                for i in range(1, count)
            ],
        )

    konsilo.db.transaction(bulk)
    return 1


async def cast_all(konsilo: Konsilo, count: int, motion_id: int) -> float:
    """Every member votes once; returns elapsed seconds."""
    place = Place(PLATFORM, GROUP)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            answer = await konsilo.handle(
                Actor(PLATFORM, str(i), f"m{i}"), place, f"/vote {motion_id} yes", f"bench:{i}"
            )
            if not answer.replies:
                raise RuntimeError(f"vote {i} got no reply")

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return time.perf_counter() - began


def raw_loop(db: Database, count: int) -> float:
    """One-row insert and commit, ``count`` times: the durable-commit ceiling."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE raw_bench (id INTEGER PRIMARY KEY, v VARCHAR(8))"))
    began = time.perf_counter()
    for i in range(count):
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO raw_bench (id, v) VALUES (:i, 'yes')"), {"i": i})
    return time.perf_counter() - began


def check(db: Database, count: int) -> None:
    with db.engine.connect() as conn:
        cast = conn.execute(text("SELECT count(*) FROM votes WHERE motion_id = 1")).scalar()
    if cast != count:
        raise RuntimeError(f"{cast} votes recorded, expected {count}")


def run(name: str, url: str, count: int) -> None:
    db = Database(url)
    upgrade(db.engine)
    konsilo = Konsilo(db, SECRET, TestClock())
    motion_id = populate(konsilo, count)
    elapsed = asyncio.run(cast_all(konsilo, count, motion_id))
    check(db, count)
    raw = raw_loop(db, count)
    votes_per_s, raw_per_s = count / elapsed, count / raw
    print(
        f"{name}: {votes_per_s:,.0f} votes/s ({count} votes in {elapsed:.2f} s); "
        f"raw insert+commit {raw_per_s:,.0f}/s; ratio {votes_per_s / raw_per_s:.2f}"
    )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "postgres":
            run("sqlite", f"sqlite:///{tmp}/bench.db", args.members)
        if args.only != "sqlite":
            run_postgres(args.members)


def run_postgres(count: int) -> None:
    from tests.pgserver import find_postgres_bindir, new_server

    bindir = find_postgres_bindir()
    if bindir is None:
        print("postgres: skipped (no PostgreSQL server; bash scripts/test.sh installs it)")
        return
    server = new_server(bindir)
    try:
        server.initdb()
        server.start()
        run("postgres (TCP 127.0.0.1)", server.sqlalchemy_url("postgres"), count)
        with create_engine(
            server.sqlalchemy_url("postgres"), isolation_level="AUTOCOMMIT"
        ).connect() as conn:
            conn.execute(
                text("CREATE DATABASE bench_socket")
            )  # a clean database for the second run
        run("postgres (Unix socket)", server.socket_url("bench_socket"), count)
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
