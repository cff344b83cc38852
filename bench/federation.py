"""A federation of 1,000 assemblies of 200 members: elect, vote centrally, relay.

Prints three figures, on SQLite by default (``--postgres`` for a throwaway
PostgreSQL server as well):

- **elect**: every assembly's delegate election closes (secret STV count, seat,
  the central roll updated, results announced) — all 1,000 in one due run;
- **central vote**: the 1,000 delegates vote by name through ``Konsilo.handle``,
  64 in flight, each checked against its assembly's instruction;
- **relay**: the central motion closes and its result, with each delegation's
  votes beside its instruction, is written to the outbox of every member
  assembly in the same transaction (prepared, not sent: sending is the
  transports' work). Target: under 2 s.

Members, candidacies and ballots are written in bulk (what members would have
typed is not what is measured); the election's opening, count and seating run
through the engine.

    python bench/federation.py [--assemblies 1000] [--members 200] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.app import Konsilo
from core.context import Actor, Place, Tx
from core.delegates import elections
from core.motions.ballots import locator, new_receipt
from core.motions.model import load
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.tables import (
    federation_members,
    identities,
    members,
    outbox,
    persons,
    secret_ballots,
    turnout,
)
from tests.chat import SECRET, TestClock

PLATFORM = "bench"
IN_FLIGHT = 64
CANDIDATES = 3


def person_id(assembly: int, member: int, size: int) -> int:
    return 10_000 + assembly * size + member


def setup(app: Konsilo, count: int, size: int) -> tuple[int, list[int]]:
    """Found the central assembly and ``count`` member assemblies with ``size`` members."""
    central = Actor(PLATFORM, "founder", "Founder")
    app.handle_now(central, Place(PLATFORM, "central"), "/federation found Federation")
    ids: list[int] = []
    for a in range(count):
        founder = Actor(PLATFORM, str(person_id(a, 0, size)), f"m{a}-0")
        app.handle_now(founder, Place(PLATFORM, f"g{a}"), f"/found Workplace {a}")
    now = app.clock.now()

    def bulk(conn: Connection) -> None:
        rows = conn.execute(select(members.c.assembly_id).order_by(members.c.assembly_id))
        ids.extend(int(r.assembly_id) for r in rows)  # one founder per workplace
        people, names, roll, joined = [], [], [], []
        for a, assembly_id in enumerate(ids):
            for m in range(1, size):
                pid = person_id(a, m, size)
                people.append({"id": pid, "created_at": now})
                names.append(
                    {
                        "platform": PLATFORM,
                        "user_id": str(pid),
                        "person_id": pid,
                        "display_name": f"m{a}-{m}",
                        "created_at": now,
                    }
                )
                roll.append(
                    {
                        "assembly_id": assembly_id,
                        "person_id": pid,
                        "status": "active",
                        "joined_at": now,
                    }
                )
            joined.append(
                {"central_id": 1, "assembly_id": assembly_id, "status": "active", "joined_at": now}
            )
        conn.execute(insert(persons), people)
        conn.execute(insert(identities), names)
        conn.execute(insert(members), roll)
        conn.execute(insert(federation_members), joined)

    app.db.transaction(bulk)
    return 1, ids


def open_elections(app: Konsilo, central: int, ids: list[int], size: int) -> list[int]:
    """Each assembly calls an election to the centre; three members stand; voting opens."""
    motions: list[int] = []

    def one(conn: Connection, a: int, assembly_id: int) -> None:
        tx = Tx(conn, app.clock.now(), app.secret)
        motion = elections.open_nominations(tx, assembly_id, None, 1, central)
        for m in range(1, CANDIDATES + 1):
            elections.nominate(tx, assembly_id, person_id(a, m, size), motion.id, "")
        elections.open_ballot(tx, load(tx, motion.id), None)
        motions.append(motion.id)

    for a, assembly_id in enumerate(ids):
        app.db.transaction(partial(one, a=a, assembly_id=assembly_id))
    return motions


def cast_ballots(app: Konsilo, ids: list[int], motions: list[int], size: int) -> None:
    """Every member but the founder ranks the candidates (secret ballots, in bulk)."""
    rng = random.Random(7)

    def bulk(conn: Connection) -> None:
        rolls, ballots = [], []
        for a, motion_id in enumerate(motions):
            for m in range(1, size):  # the founder abstains
                pid = person_id(a, m, size)
                ranking = rng.sample(range(CANDIDATES), rng.randint(1, CANDIDATES))
                rolls.append({"motion_id": motion_id, "person_id": pid})
                ballots.append(
                    {
                        "id": secrets.token_hex(16),
                        "motion_id": motion_id,
                        "locator": locator(app.secret, motion_id, pid),
                        "receipt": new_receipt(),
                        "choice": ranking,
                        "reason": None,
                    }
                )
        conn.execute(insert(turnout), rolls)
        conn.execute(insert(secret_ballots), ballots)

    app.db.transaction(bulk)


def timed(work: Callable[[], Any]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


async def central_vote(app: Konsilo, delegates: list[tuple[int, str]], motion_id: int) -> None:
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for item in delegates:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            pid, choice = queue.get_nowait()
            actor = Actor(PLATFORM, str(pid), f"d{pid}")
            answer = await app.handle(
                actor, Place(PLATFORM, "central"), f"/vote {motion_id} {choice}"
            )
            if not answer.replies:
                raise RuntimeError(f"delegate {pid} got no answer")

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


def seated(app: Konsilo, central: int) -> list[int]:
    def read(conn: Connection) -> list[int]:
        query = select(members.c.person_id).where(
            members.c.assembly_id == central, members.c.status == "active"
        )
        return [int(p) for p in conn.execute(query.order_by(members.c.person_id)).scalars()]

    return app.db.transaction(read)


def outbox_rows(app: Konsilo) -> int:
    return app.db.transaction(
        lambda conn: int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())
    )


def run(name: str, url: str, count: int, size: int) -> None:
    db = Database(url)
    upgrade(db.engine)
    app = Konsilo(db, SECRET, TestClock())
    began = time.perf_counter()
    central, ids = setup(app, count, size)
    motions = open_elections(app, central, ids, size)
    cast_ballots(app, ids, motions, size)
    print(
        f"{name}: set up {count} assemblies x {size} members in {time.perf_counter() - began:.1f} s"
    )

    app.clock.advance(timedelta(hours=49))
    elect = timed(app.run_due)
    roll = seated(app, central)
    if len(roll) != count:
        raise RuntimeError(f"{len(roll)} delegates seated, expected {count}")
    print(f"{name}: elect all delegates (close {count} STV elections, seat, roll): {elect:.2f} s")

    proposer = Actor(PLATFORM, str(roll[0]), "d")
    app.handle_now(proposer, Place(PLATFORM, "central"), "/motion 72h Joint purchase of paper")
    motion_id = max(motions) + 1
    rng = random.Random(11)
    choices = [(pid, rng.choice(("yes", "yes", "no"))) for pid in roll]
    vote = timed(lambda: asyncio.run(central_vote(app, choices, motion_id)))
    print(
        f"{name}: central vote, {count} delegates by name: {vote:.2f} s "
        f"({count / vote:,.0f} votes/s)"
    )

    before = outbox_rows(app)
    app.clock.advance(timedelta(hours=73))
    relay = timed(app.run_due)
    relayed = outbox_rows(app) - before
    print(
        f"{name}: relay prepared for all {count} assemblies ({relayed} outbox rows): {relay:.2f} s"
    )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assemblies", type=int, default=1000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{tmp}/federation.db", args.assemblies, args.members)
    if args.postgres:
        from tests.pgserver import find_postgres_bindir, new_server

        bindir = find_postgres_bindir()
        if bindir is None:
            print("postgres: skipped (no PostgreSQL server)")
            return
        server = new_server(bindir)
        try:
            server.initdb()
            server.start()
            run("postgres", server.sqlalchemy_url("postgres"), args.assemblies, args.members)
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
