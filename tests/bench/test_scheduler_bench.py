"""``bench/scheduler.py``: its bulk copies are what the engine writes, and it runs.

The bench builds a few assemblies through the engine and copies them in bulk
to reach 10,000; the start-up it measures means something only if a copy is
the same, row for row, as an assembly the engine built itself.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, select

from core.audit import verify
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.tables import metadata, secret_ballots

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scheduler.py"
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scheduler", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def rows_of(conn: Connection) -> dict[str, list[str]]:
    """Every table's rows as stored (SQL NULL is not JSON null), with random ballot
    ids and receipts blanked: two engines never draw the same."""
    receipts = set(conn.execute(select(secret_ballots.c.receipt)).scalars())
    blank = re.compile("|".join(map(re.escape, receipts)))
    dumped: dict[str, list[str]] = {}
    for table in metadata.sorted_tables:
        result = conn.exec_driver_sql(f'SELECT * FROM "{table.name}"')
        found = []
        for row in result:
            values = dict(zip(result.keys(), row, strict=True))
            if table is secret_ballots:
                del values["id"]
            found.append(blank.sub("R", json.dumps(values, default=str, sort_keys=True)))
        dumped[table.name] = sorted(found)
    return dumped


def test_a_bulk_copy_is_what_the_engine_writes(tmp_path: Path) -> None:
    bench = load_bench()
    plans = bench.plans(2, T0)  # an ordinary assembly and one that is due while down
    built, copied = (Database(f"sqlite:///{tmp_path / name}.db") for name in ("built", "copied"))
    for db in (built, copied):
        upgrade(db.engine)
        for number, plan in enumerate(plans, start=1):
            bench.build_template(db, plan, number, T0)
    for number, plan in enumerate(plans, start=3):
        bench.build_template(built, plan, number, T0)
    copied.transaction(lambda conn: bench.copy_assemblies(conn, 2))

    engine_rows = built.transaction(rows_of)
    copy_rows = copied.transaction(rows_of)
    assert copy_rows == engine_rows
    assert len(copy_rows["assemblies"]) == 4 and len(copy_rows["timers"]) > 20
    assert copied.transaction(verify).ok  # the audit chain runs on through the copies
    for db in (built, copied):
        db.close()


def test_the_bench_prints_start_up_time_memory_and_the_catch_up() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--assemblies", "40", "--templates", "10"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("sqlite  assemblies=40"))
    # one template in ten is late: its 4 copies' motions close in the catch-up
    assert re.search(r"start \d+\.\d\d s \(catch-up run \d+\.\d\d s, 4 motions closed\)", line)
    assert re.search(r"rss \d+ MB  next run 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC", line)
    assert "4 sittings convened" in done.stdout
    assert "target start < 5 s met, rss < 300 MB met" in done.stdout
