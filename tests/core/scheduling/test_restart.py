"""A crash in the middle of closing a motion, then a restart: nothing lost, nothing doubled.

A real clock process (``clock_process.py``, the bot's scheduler on the real
clock) is killed with SIGKILL from inside the transaction that closes a motion
whose time passed two hours ago, after the result is written but before the
commit. The database must be exactly as before. Started again, the process
closes that motion at once, then waits for a second motion to fall due a few
seconds later and closes it on time: each motion is closed, audited and
announced once per chat of the assembly, with the votes that were cast. A third
start finds nothing left to do and changes nothing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select

from core import audit
from core.app import Konsilo
from core.clock import utcnow
from core.i18n import render
from core.outbox import decode
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.tables import assembly_chats, audit_log, metadata, motions, outbox
from tests.chat import SECRET, Chat, assembly
from tests.chat import TestClock as StillClock  # (not a test class)

ROOT = Path(__file__).resolve().parents[3]
WAIT = 60  # seconds: a child still running then has hung; it is killed and the test fails
LEAD = timedelta(seconds=6)  # motion 2 closes this long after it opens, in real time
RESULT = "Motion {id} {status}: {title}"  # the first line of a result announcement
CHATS = ["group-1", "group-2"]


@dataclass(frozen=True)
class Exit:
    """How a clock process ended and what it printed."""

    code: int
    out: list[str]
    err: str

    def runs_before(self, line: str) -> int:
        """How many runs had ended when ``line`` was printed."""
        return sum(1 for seen in self.out[: self.out.index(line)] if seen.startswith("run "))


def clock_process(url: str, *options: str) -> Exit:
    """Run the clock process to its end; kill it if it outlives ``WAIT``."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.core.scheduling.clock_process", url, *options],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = child.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the clock process {options} did not stop within {WAIT} s")
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return Exit(child.returncode, out.splitlines(), err)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade(database.engine)
    try:
        yield database
    finally:
        database.close()


def dump(db: Database) -> dict[str, list[str]]:
    """Every row of every table, to compare the whole database before and after."""

    def read(conn: Connection) -> dict[str, list[str]]:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            for table in metadata.sorted_tables
        }

    return db.transaction(read)


def motion(db: Database, motion_id: int) -> Any:
    return db.transaction(
        lambda conn: conn.execute(select(motions).where(motions.c.id == motion_id)).one()
    )


def closes(db: Database, motion_id: int) -> list[dict[str, Any]]:
    """The ``motion.close`` audit entries of one motion."""

    def read(conn: Connection) -> list[dict[str, Any]]:
        query = select(audit_log.c.payload).where(audit_log.c.action == "motion.close")
        return [p for p in conn.execute(query).scalars() if p["motion"] == motion_id]

    return db.transaction(read)


def results(db: Database, motion_id: int) -> dict[str, list[list[str]]]:
    """The result announcements of one motion in the outbox, as read, by chat."""

    def read(conn: Connection) -> dict[str, list[list[str]]]:
        found: dict[str, list[list[str]]] = {}
        for chat_id, params in conn.execute(select(outbox.c.chat_id, outbox.c.params)):
            lines = [decode(m) for m in params["lines"]]
            if lines[0].key == RESULT and lines[0].params["id"] == motion_id:
                found.setdefault(chat_id, []).append([render(m, "en") for m in lines])
        return found

    return db.transaction(read)


def chain_holds(db: Database) -> bool:
    return db.transaction(lambda conn: audit.verify(conn).ok)


def test_a_crash_while_closing_loses_nothing_and_a_restart_doubles_nothing(
    db: Database, db_url: str
) -> None:
    # Motion 1 opened fifty hours ago (48 h window): it should have closed two hours ago.
    chat = Chat(Konsilo(db, SECRET, StillClock(utcnow() - timedelta(hours=50))))
    assembly(chat, "Ben", "Cy", "Dee")
    db.transaction(  # a second chat bound to the assembly (as a bridge would): told too
        lambda conn: conn.execute(
            insert(assembly_chats).values(
                platform="test", chat_id="group-2", assembly_id=1, bound_at=chat.app.clock.now()
            )
        )
    )
    assert chat.say("Ana", "/motion Buy a new press") == "Motion 1 is open for voting."
    for name, choice in (("Ana", "yes"), ("Ben", "yes"), ("Cy", "no")):
        chat.say(name, f"/vote 1 {choice}")
    before = dump(db)

    crashed = clock_process(db_url, "--crash-in-close")
    assert crashed.code == -signal.SIGKILL, crashed
    assert crashed.out == ["ready", "closing motion 1", "crashing in close of motion 1"]
    assert dump(db) == before  # nothing half-stored, in any table
    assert motion(db, 1).status == "open"
    assert closes(db, 1) == []
    assert results(db, 1) == {}

    # Motion 2 opens now and closes LEAD from now, while the restarted process runs.
    later = Chat(Konsilo(db, SECRET, StillClock(utcnow() + LEAD - timedelta(hours=48))))
    assert later.say("Ana", "/motion Paint the floor") == "Motion 2 is open for voting."
    for name in ("Ana", "Ben", "Dee"):
        later.say(name, "/vote 2 yes")
    closes_at = motion(db, 2).closes_at

    restarted = clock_process(db_url, "--until", closes_at.isoformat())
    assert restarted.code == 0, restarted
    assert restarted.runs_before("closing motion 1") == 0  # caught up at once on start
    assert restarted.runs_before("closing motion 2") >= 1  # woke up again when it fell due
    assert sum(line.startswith("closing") for line in restarted.out) == 2, restarted

    first = motion(db, 1)
    assert first.status == "passed"
    assert first.closed_at < closes_at  # closed on start, not only when motion 2 fell due
    assert (first.result["counts"], first.result["turnout"]) == ([2, 1, 0], 3)
    assert [c["counts"] for c in closes(db, 1)] == [[2, 1, 0]]
    announced = results(db, 1)
    assert sorted(announced) == CHATS
    for chat_id in CHATS:
        [lines] = announced[chat_id]  # exactly one result announcement in each chat
        assert lines[0] == "Motion 1 passed: Buy a new press"
        assert lines[1].startswith("Turnout 3 of 4 ")
        assert lines[2] == "Yes 2, no 1, abstain 0."

    second = motion(db, 2)
    assert second.status == "passed"
    assert second.closed_at >= closes_at
    assert [c["counts"] for c in closes(db, 2)] == [[3, 0, 0]]
    announced = results(db, 2)
    assert sorted(announced) == CHATS
    assert all(len(announced[chat_id]) == 1 for chat_id in CHATS)
    assert chain_holds(db)

    after = dump(db)
    again = clock_process(db_url)
    assert again.code == 0, again
    assert not any(line.startswith("closing") for line in again.out), again
    assert dump(db) == after  # nothing doubled: not a row changed or added
