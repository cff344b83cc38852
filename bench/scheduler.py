"""Scheduler start-up with 10,000 assemblies: catch-up time and resident memory.

Builds a database of ``--assemblies`` (default 10,000) assemblies of five
members, each with a ``sitting.rule`` adopted by a rules motion and its
convened ordinary sitting (agenda posts and the next convening planned as
timers), an open motion with its vote reminder, and a delegate seat owing its
first report (with its reminders). Then a fresh process, so that its memory
is its own, opens the database, starts ``core.scheduler.Scheduler`` and waits
for the end of its first run, the catch-up. Printed: the time from spawning
the process (interpreter and imports included) to that moment, the run's own
time, what it did, the job's next time and the peak resident memory.
Target: start in under 5 s and under 300 MB.

How the data is made: ``--templates`` assemblies (default 100) live their
lives through the engine (``Konsilo.handle_now`` and ``pass_time``, with a
clock that starts days or weeks before now), each with its own rule, age and
voting window, so due times spread over the coming weeks. All of them stop
two hours before now, as if the process went down then. In 1% of them
everything falls due in that gap (the motion closes, the weekly sitting
starts, the delegate's first report is due), besides whatever else the hour
brings: that is the catch-up of the measured start. The other assemblies are
copies of the templates, written in bulk in one transaction: the same rows in
every table with ids, names and chat ids shifted, and the audit chain
extended with recomputed hashes. ``tests/bench/test_scheduler_bench.py``
checks that a copy equals, as stored, an assembly the engine built itself.
On PostgreSQL the database is vacuumed, analysed and checkpointed before the
start, as one in use for a while would be.

    python bench/scheduler.py [--assemblies 10000] [--templates 100] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import due
from core.app import Konsilo
from core.audit import entry_hash
from core.clock import Clock, FixedClock, utcnow
from core.context import Actor, Place, Tx
from core.delegates.reports import add_months
from core.i18n import render
from core.scheduler import Scheduler
from core.store import raw
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.raw import Raw
from core.store.tables import (
    assembly_chats,
    audit_log,
    delegates,
    metadata,
    motions,
    outbox,
    reports,
    sittings,
    timers,
)
from tests.chat import SECRET

PLATFORM = "bench"
NAMES = ("Ana", "Bo", "Cy", "Di", "Eve")
RULES = (  # the time is moved off the hours the process is down (see ``rule``)
    "2nd and 4th Tuesday at {}",
    "every other Thursday at {}",
    "every Monday at {}",
    "1st Wednesday at {}",
    "the 15th at {}",
    "last Friday at {}",
    "every Tuesday and Thursday at {}",
)
TIMES = ("17:30", "18:00", "12:00", "16:00", "10:00", "14:00", "7:30")
SETUP_HOURS = 49  # the rules motion and the election close 48 hours after they open
MAX_AGE_HOURS = 27 * 24  # the oldest template was founded this long before the shutdown
DOWN = timedelta(hours=2)  # how long the process was down before the measured start
LATE = 0.01  # the share of the assemblies where everything falls due while it is down


# --------------------------------------------------------------------------- templates


def user_id(number: int, member: int) -> str:
    return f"u{number}-{member}"


def chat_id(number: int) -> str:
    return f"g{number}"


def assembly_name(number: int) -> str:
    return f"Workplace {number}"


@dataclass(frozen=True)
class Plan:
    """One template's life, in hours before the shutdown (``t0``)."""

    rule: str
    age: int  # founded this long (plus the set-up hours) before t0
    lookback: int  # its open motion was put this long before t0
    window: int  # ... with this voting window


def plans(count: int, t0: datetime, late_share: float = LATE, seed: int = 7) -> list[Plan]:
    """Rules, ages and windows spread so that due times spread over the coming weeks;
    the last ``late_share`` of the templates (at least one) are ``late``."""
    rng = random.Random(seed)
    overdue = min(count, max(1, round(count * late_share)))
    result = []
    for i in range(count - overdue):
        age = MAX_AGE_HOURS * i // max(1, count - 1)
        lookback = min(age, 48)
        window = max(24, lookback + rng.randint(3, 14 * 24))
        result.append(Plan(rule(i, t0), age, lookback, window))
    return result + [late(t0)] * overdue


def rule(i: int, t0: datetime) -> str:
    """The ``i``-th rule, at a time of day clear of the hours the process is down, so
    that only the ``late`` templates' sittings start then (a seventh of the assemblies
    starting a sitting in the gap would make the catch-up depend on the hour)."""
    hour, minute = map(int, TIMES[i % len(TIMES)].split(":"))
    at = t0.replace(hour=hour, minute=minute)
    day = timedelta(days=1)
    while any(t0 - timedelta(hours=1) <= at + d * day <= t0 + 2 * DOWN for d in (-1, 0, 1)):
        at += timedelta(hours=6)
    return RULES[i % len(RULES)].format(f"{at:%H:%M}")


def late(t0: datetime) -> Plan:
    """A template whose motion closes, whose weekly sitting starts and (most days of
    the year) whose delegate's first report falls due while the process is down."""
    at = t0 + DOWN / 2
    hour = timedelta(hours=1)
    # Elected ``age`` + 1 hours before t0; the report is due a calendar month later.
    age = next(
        (
            a
            for a in range(24 * 27, 24 * 32)
            if t0 + DOWN / 4 <= add_months(t0 - (a + 1) * hour, 1) <= t0 + DOWN * 3 / 4
        ),
        24 * 30,
    )
    lookback = 48
    return Plan(f"every {at:%A} at {at:%H:%M}", age, lookback, lookback + DOWN // hour // 2)


def build_template(db: Database, plan: Plan, number: int, t0: datetime) -> int:
    """Found assembly ``number`` and live ``plan`` through the engine until ``t0``.

    Returns its id, which must equal ``number`` (names and chat ids use it)."""
    app = Konsilo(db, SECRET, FixedClock(t0 - timedelta(hours=SETUP_HOURS + plan.age)))
    group = Place(PLATFORM, chat_id(number))

    def say(member: int, command: str, private: bool = False) -> str:
        actor = Actor(PLATFORM, user_id(number, member), NAMES[member])
        place = Place(PLATFORM, actor.user_id, True) if private else group
        answer = app.handle_now(actor, place, command)
        return " ".join(render(m, answer.language) for r in answer.replies for m in r.lines)

    def number_in(reply: str, pattern: str) -> int:
        found = re.search(pattern, reply)
        if found is None:
            raise RuntimeError(f"assembly {number}: unexpected reply {reply!r}")
        return int(found.group(1))

    say(0, f"/found {assembly_name(number)}")
    for member in range(1, len(NAMES)):
        say(member, "/join")
    rules = number_in(say(0, f"/rules set sitting.rule {plan.rule}"), r"as motion (\d+)")
    for member in range(len(NAMES)):
        say(member, f"/vote {rules} yes")
    election = number_in(say(0, "/elect"), r"Election (\d+) called")
    say(1, f"/nominate {election}")
    say(0, f"/ballot {election}")
    for member in range(len(NAMES)):
        say(member, f"/vote {election} 1", private=True)
    app.pass_time(timedelta(hours=SETUP_HOURS + plan.age - plan.lookback))
    motion = number_in(
        say(2, f"/motion {plan.window}h Buy a new coffee machine"), r"Motion (\d+) is open"
    )
    say(0, f"/vote {motion} yes")
    say(1, f"/vote {motion} no")
    app.pass_time(timedelta(hours=plan.lookback))
    db.transaction(delivered)

    def assembly_id(conn: Connection) -> int:
        query = select(assembly_chats.c.assembly_id).where(
            assembly_chats.c.chat_id == chat_id(number)
        )
        return int(conn.execute(query).scalar_one())

    found = db.transaction(assembly_id)
    if found != number:
        raise RuntimeError(f"template {number} got assembly id {found}")
    db.transaction(lambda conn: check_template(conn, found, plan, t0))
    return found


def check_template(conn: Connection, assembly_id: int, plan: Plan, t0: datetime) -> None:
    """The engine did what the plan says (a refused command would show here)."""
    closes = list(
        conn.execute(
            select(motions.c.closes_at).where(
                motions.c.assembly_id == assembly_id, motions.c.status == "open"
            )
        ).scalars()
    )
    expected = t0 + timedelta(hours=plan.window - plan.lookback)
    seats = conn.execute(
        select(func.count()).where(
            delegates.c.assembly_id == assembly_id, delegates.c.status == "active"
        )
    ).scalar_one()
    owed = conn.execute(
        select(func.count()).where(
            reports.c.assembly_id == assembly_id, reports.c.posted_at.is_(None)
        )
    ).scalar_one()
    upcoming = conn.execute(
        select(func.count()).where(
            sittings.c.assembly_id == assembly_id,
            sittings.c.status == "convened",
            sittings.c.starts_at > t0,
        )
    ).scalar_one()
    if closes != [expected] or (seats, owed, upcoming) != (1, 1, 1):
        raise RuntimeError(
            f"template {assembly_id}: open motions closing {closes} (expected {expected}), "
            f"{seats} seats, {owed} reports owed, {upcoming} sittings convened ahead"
        )


def delivered(conn: Connection) -> None:
    """The transports sent every message when it was written."""
    conn.execute(
        update(outbox).where(outbox.c.sent_at.is_(None)).values(sent_at=outbox.c.created_at)
    )


# --------------------------------------------------------------------------- copies

# The entity each integer column names (``id`` included: the table owns those ids).
COLUMNS: dict[str, dict[str, str]] = {
    "persons": {"id": "person"},
    "assemblies": {"id": "assembly"},
    "identities": {"person_id": "person"},
    "assembly_chats": {"assembly_id": "assembly"},
    "statutes": {"assembly_id": "assembly", "motion_id": "motion"},
    "members": {"assembly_id": "assembly", "person_id": "person"},
    "sittings": {"id": "sitting", "assembly_id": "assembly", "petition_id": "petition"},
    "motions": {
        "id": "motion",
        "assembly_id": "assembly",
        "proposer_id": "person",
        "sitting_id": "sitting",
        "reopens_id": "motion",
    },
    "votes": {"motion_id": "motion", "person_id": "person"},
    "turnout": {"motion_id": "motion", "person_id": "person"},
    "secret_ballots": {"motion_id": "motion"},
    "candidacies": {"motion_id": "motion", "person_id": "person", "nominated_by": "person"},
    "delegates": {
        "id": "delegate",
        "assembly_id": "assembly",
        "person_id": "person",
        "body_id": "assembly",
        "election_id": "motion",
        "end_motion_id": "motion",
    },
    "reports": {
        "id": "report",
        "delegate_id": "delegate",
        "assembly_id": "assembly",
        "poll_id": "motion",
    },
    "timers": {"id": "timer", "assembly_id": "assembly"},
    "outbox": {"id": "outbox", "assembly_id": "assembly", "person_id": "person"},
    "audit_log": {"assembly_id": "assembly", "actor_id": "person"},
}
TIMER_SUBJECTS = {
    "motion.remind": "motion",
    "sitting.remind": "sitting",
    "sitting.next": "sitting",
    "report.remind": "report",
}
# Integers in JSON (audit payloads, message parameters, motion payloads) by key.
JSON_KEYS = {
    "person": "person",
    "candidates": "person",
    "motion": "motion",
    "election": "motion",
    "sitting": "sitting",
    "delegate": "delegate",
    "seat": "delegate",
    "report": "report",
    "body": "assembly",
    "body_id": "assembly",
}
BATCH = 500  # copies written per round of inserts
RAW_TABLES = {"audit_log": ("payload",), "votes": ("choice",)}  # JSON columns
RAW_BATCH = 1000  # statements sent together


@dataclass
class Template:
    """The rows of one engine-built assembly, by table, in the order they were written."""

    number: int
    rows: dict[str, list[dict[str, Any]]]


def read_templates(conn: Connection) -> list[Template]:
    """Every row of the database, grouped by the assembly it belongs to.

    Refuses rows it cannot place or tables it does not know how to copy, so a
    richer scenario cannot silently produce incomplete copies."""
    tables = {t.name: t for t in metadata.sorted_tables}
    rows = {
        name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key))]
        for name, t in tables.items()
    }
    for name, found in rows.items():
        if found and name not in COLUMNS:
            raise RuntimeError(f"the templates wrote to {name}, which this bench cannot copy")
    home_of = {
        "person": {r["person_id"]: r["assembly_id"] for r in rows["members"]},
        "motion": {r["id"]: r["assembly_id"] for r in rows["motions"]},
    }
    templates = {r["id"]: Template(r["id"], {n: [] for n in COLUMNS}) for r in rows["assemblies"]}
    for name in COLUMNS:
        for row in rows[name]:
            if name == "assemblies":
                home = row["id"]
            elif name == "persons":
                home = home_of["person"].get(row["id"])
            elif "assembly_id" in row:
                home = row["assembly_id"]
            elif "motion_id" in row:
                home = home_of["motion"].get(row["motion_id"])
            else:
                home = home_of["person"].get(row["person_id"])
            if home not in templates:
                raise RuntimeError(f"a row of {name} belongs to no template: {row}")
            templates[home].rows[name].append(row)
    return [templates[k] for k in sorted(templates)]


class Copier:
    """Writes copies of templates with fresh ids, continuing the audit chain."""

    def __init__(self, conn: Connection) -> None:
        self.next: dict[str, int] = {}
        for name, columns in COLUMNS.items():
            if "id" in columns:
                table = metadata.tables[name]
                top = conn.execute(select(func.max(table.c.id))).scalar()
                self.next[columns["id"]] = int(top or 0) + 1
        head = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).one()
        self.seq, self.hash = int(head.seq), str(head.hash)

    def copy(self, template: Template) -> dict[str, list[dict[str, Any]]]:
        """The rows of one new assembly, like ``template`` in all but ids and names."""
        ids: dict[str, dict[int, int]] = {"petition": {}}
        for name, columns in COLUMNS.items():
            if "id" in columns:
                entity = columns["id"]
                mapping = ids.setdefault(entity, {})
                for row in template.rows[name]:
                    mapping[row["id"]] = self.next[entity]
                    self.next[entity] += 1
        (number,) = ids["assembly"].values()
        strings = {
            assembly_name(template.number): assembly_name(number),
            chat_id(template.number): chat_id(number),
        }
        strings.update({user_id(template.number, k): user_id(number, k) for k in range(len(NAMES))})
        remap = Remap(ids, strings)
        copied: dict[str, list[dict[str, Any]]] = {}
        for name, rows in template.rows.items():
            columns = COLUMNS[name]
            out = []
            for row in rows:
                new: dict[str, Any] = {}
                for column, value in row.items():
                    if value is None:
                        new[column] = None
                    elif column in columns:
                        new[column] = ids[columns[column]][value]
                    elif name == "timers" and column == "subject_id":
                        new[column] = ids[TIMER_SUBJECTS[row["kind"]]][value]
                    else:
                        new[column] = remap.json(value)
                if name == "secret_ballots":
                    if row["locator"] is not None:
                        raise RuntimeError("a template holds an open secret ballot")
                    new["id"] = secrets.token_hex(16)
                elif name == "audit_log":
                    self._chain(new)
                out.append(new)
            copied[name] = out
        return copied

    def _chain(self, entry: dict[str, Any]) -> None:
        """Append ``entry`` to the audit chain: next sequence number, hashes recomputed."""
        entry["seq"] = self.seq = self.seq + 1
        entry["prev_hash"] = self.hash
        entry["hash"] = self.hash = entry_hash(
            entry["seq"],
            entry["at"],
            entry["assembly_id"],
            entry["actor_id"],
            entry["action"],
            entry["payload"],
            entry["prev_hash"],
        )


@dataclass
class Remap:
    """Ids and names inside JSON values and strings of one copy."""

    ids: dict[str, dict[int, int]]
    strings: dict[str, str]

    def json(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, str):
            return self.strings.get(value, value)
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return self.ids[JSON_KEYS[key]][value] if key in JSON_KEYS else value
        if isinstance(value, list):
            if key == "roll":  # [[person, choice], ...] in a motion's result
                return [[self.ids["person"][p], self.json(c)] for p, c in value]
            return [self.json(v, key) for v in value]
        if isinstance(value, dict):
            if isinstance(value.get("key"), str) and isinstance(value.get("params"), dict):
                return self._message(value)
            return {k: self.json(v, k) for k, v in value.items()}
        return value

    def _message(self, line: dict[str, Any]) -> dict[str, Any]:
        """A stored message: ``{id}`` names what the sentence is about."""
        params = {}
        for k, v in line["params"].items():
            if k == "id" and isinstance(v, int):
                params[k] = self.ids[_message_subject(line["key"])][v]
            else:
                params[k] = self.json(v, k)
        return {**line, "params": params}


def _message_subject(key: str) -> str:
    lowered = key.lower()
    if "sitting {id}" in lowered or "/agenda {id}" in lowered:
        return "sitting"
    if "delegate {id}" in lowered:
        return "delegate"
    if "report {id}" in lowered:
        return "report"
    return "motion"  # motions, elections, votes, reminders


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in the form the engine stores them.

    On SQLite, tables the engine writes through ``core.store.raw`` go that way
    too: it spells datetimes differently from SQLAlchemy (on PostgreSQL both
    store the same, and SQLAlchemy's executemany is much faster than sending
    statements one by one). Elsewhere, JSON columns that are None are left
    out: the engine's inserts leave them SQL NULL, where a None passed to
    SQLAlchemy would be stored as JSON null."""
    if not rows:
        return
    if table.name in RAW_TABLES and conn.dialect.name == "sqlite":
        names = list(rows[0])
        statement = Raw(
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join(':' + n for n in names)})",
            json_params=RAW_TABLES[table.name],
        )
        for first in range(0, len(rows), RAW_BATCH):
            for row in rows[first : first + RAW_BATCH]:
                raw.defer(conn, statement, row)
            raw.flush(conn)
        return
    nullable = [c.name for c in table.columns if isinstance(c.type, JSON)]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        absent = tuple(c for c in nullable if row[c] is None)
        groups.setdefault(absent, []).append(
            {k: v for k, v in row.items() if k not in absent} if absent else row
        )
    for group in groups.values():
        conn.execute(table.insert(), group)


def copy_assemblies(conn: Connection, count: int) -> None:
    """Add ``count`` copies of the templates (every assembly in the database), in turn."""
    templates = read_templates(conn)
    copier = Copier(conn)
    order = [t.name for t in metadata.sorted_tables if t.name in COLUMNS]
    for first in range(0, count, BATCH):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in order}
        for k in range(first, min(count, first + BATCH)):
            for name, rows in copier.copy(templates[k % len(templates)]).items():
                batch[name].extend(rows)
        for name in order:
            insert_rows(conn, metadata.tables[name], batch[name])
    if conn.dialect.name == "postgresql":  # explicit ids do not move the sequences
        for name, columns in COLUMNS.items():
            if "id" in columns:
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :top)"),
                    {"top": copier.next[columns["id"]] - 1},
                )


# --------------------------------------------------------------------------- the measure


def overdue(conn: Connection, at: datetime) -> tuple[int, int]:
    """Open motions whose close has passed, and timers due but not done, at ``at``."""
    closing = select(func.count()).where(motions.c.status == "open", motions.c.closes_at <= at)
    firing = select(func.count()).where(timers.c.done_at.is_(None), timers.c.due_at <= at)
    return int(conn.execute(closing).scalar_one()), int(conn.execute(firing).scalar_one())


def done_since(conn: Connection, since: datetime) -> dict[str, int]:
    """What the measured process did: everything stamped at or after its start."""
    stamped = {
        "motions closed": motions.c.closed_at,
        "timers fired": timers.c.done_at,
        "reports flagged": reports.c.flagged_at,
        "sittings convened": sittings.c.created_at,
        "messages": outbox.c.created_at,
    }
    return {
        what: int(conn.execute(select(func.count()).where(column >= since)).scalar_one())
        for what, column in stamped.items()
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    Linux's ``VmHWM`` rather than ``ru_maxrss``: when ``subprocess`` starts us
    with vfork, the kernel carries the parent's peak over into our
    ``ru_maxrss`` at exec, so it would report the parent's memory as ours."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def settle(db: Database) -> None:
    """PostgreSQL: statistics and a checkpoint, as a database in use for a while has;
    otherwise autovacuum and the checkpointer run through the measured start."""
    if db.is_sqlite:
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        conn.execute(text("CHECKPOINT"))


def timed_parts(conn: Connection, app: Konsilo) -> dict[str, float]:
    """Seconds each due job and next-due provider takes when nothing is due: what
    every later wake-up costs, and where a slow start-up would come from."""
    tx = Tx(conn, app.clock.now(), app.secret)
    spent = {}
    for part in [*due._JOBS, *due._NEXT]:
        began = time.perf_counter()
        part(tx)
        spent[f"{part.__module__}.{part.__name__}"] = time.perf_counter() - began
    return spent


async def start_up(url: str, spawned: float) -> dict[str, Any]:
    """Open the database, start the scheduler, wait for its first run (the catch-up)."""
    entered = time.time()
    db = Database(url)
    app = Konsilo(db, SECRET, Clock())
    ran: asyncio.Queue[None] = asyncio.Queue()

    async def after_run() -> None:
        ran.put_nowait(None)

    scheduler = Scheduler(app, after_run)
    began = time.perf_counter()
    await scheduler.start()
    await ran.get()
    first_run = time.perf_counter() - began
    ready = time.time() - spawned
    rss = peak_rss_mb()
    next_run = scheduler.next_run
    while next_run is not None and next_run <= utcnow():  # the first run left some for now
        await asyncio.wait_for(ran.get(), 300)
        next_run = scheduler.next_run
    caught_up = time.time() - spawned
    scheduler.stop()
    idle = db.transaction(lambda conn: timed_parts(conn, app))
    done = db.transaction(lambda conn: done_since(conn, datetime.fromtimestamp(spawned, UTC)))
    db.close()
    return {
        "imports": entered - spawned,
        "ready": ready,
        "first_run": first_run,
        "caught_up": caught_up,
        "runs": scheduler.runs,
        "rss_mb": rss,
        "next_run": None if next_run is None else shown(next_run),
        "done": done,
        "idle": idle,
    }


def shown(at: datetime) -> str:
    """To the second: the job is set a few microseconds off the due time (the clock
    is read twice to translate it to the wall clock)."""
    return f"{(at + timedelta(seconds=0.5)).astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def measure(url: str) -> dict[str, Any]:
    """Start-up in a fresh process, so its resident memory is its own."""
    spawned = time.time()
    child = subprocess.run(
        [sys.executable, __file__, "--child", url, "--spawned", repr(spawned)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{child.stderr}")
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def size_mb(db: Database, path: Path | None) -> float:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20
    size = db.transaction(
        lambda conn: conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
    )
    return int(size or 0) / 2**20


def run(
    name: str, url: str, count: int, template_count: int, late_share: float, path: Path | None
) -> bool:
    """Build the database, measure start-up; True when both targets are met."""
    db = Database(url)
    upgrade(db.engine)
    t0 = utcnow() - DOWN
    began = time.perf_counter()
    template_count = max(1, min(template_count, count))
    for number, plan in enumerate(plans(template_count, t0, late_share), start=1):
        build_template(db, plan, number, t0)
    engine_s = time.perf_counter() - began
    db.transaction(lambda conn: copy_assemblies(conn, count - template_count))
    built_s = time.perf_counter() - began
    late_motions, late_timers = db.transaction(lambda conn: overdue(conn, utcnow()))
    size = size_mb(db, path)
    settle(db)
    db.close()
    print(
        f"{name}: built {count} assemblies in {built_s:.1f} s ({template_count} through the "
        f"engine in {engine_s:.1f} s, {count - template_count} copies in "
        f"{built_s - engine_s:.1f} s), database {size:.0f} MB; overdue at start: "
        f"{late_motions} motions, {late_timers} timers"
    )
    result = measure(url)
    done = result["done"]
    print(
        f"{name}  assemblies={count}  start {result['ready']:.2f} s (catch-up run "
        f"{result['first_run']:.2f} s, {done['motions closed']} motions closed)  "
        f"rss {result['rss_mb']:.0f} MB  next run {result['next_run']}"
    )
    others = ", ".join(f"{n} {what}" for what, n in done.items() if what != "motions closed")
    print(
        f"{name}: interpreter and imports {result['imports']:.2f} s; caught up after "
        f"{result['runs']} run(s), {result['caught_up']:.2f} s from spawn; also {others}"
    )
    idle = sorted(result["idle"].items(), key=lambda item: -item[1])
    print(
        f"{name}: a run with nothing due {sum(result['idle'].values()) * 1000:.0f} ms; "
        "slowest: " + ", ".join(f"{part} {s * 1000:.1f} ms" for part, s in idle[:3])
    )
    fast, small = bool(result["ready"] < 5), bool(result["rss_mb"] < 300)
    print(
        f"{name}: target start < 5 s {'met' if fast else 'MISSED'}, "
        f"rss < 300 MB {'met' if small else 'MISSED'}"
    )
    return fast and small


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assemblies", type=int, default=10_000)
    parser.add_argument("--templates", type=int, default=100, help="built through the engine")
    parser.add_argument(
        "--late", type=float, default=LATE, help="share of assemblies with things overdue"
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(start_up(args.child, args.spawned))), flush=True)
        return
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scheduler.db"
        met &= run("sqlite", f"sqlite:///{path}", args.assemblies, args.templates, args.late, path)
    if args.postgres:
        from tests.pgserver import find_postgres_bindir, new_server

        bindir = find_postgres_bindir()
        if bindir is None:
            print("postgres: skipped (no PostgreSQL server)")
        else:
            server = new_server(bindir)
            try:
                server.initdb()
                server.start()
                url = server.sqlalchemy_url("postgres")
                met &= run("postgres", url, args.assemblies, args.templates, args.late, None)
            finally:
                server.cleanup()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
