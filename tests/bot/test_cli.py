"""The operator's commands: upgrade, audit verification, export, run."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.bot.conftest import Run

HEAD = re.compile(r"audit log OK: (\d+) entries, head (\d+:[0-9a-f]{16})")


@pytest.fixture
def demo_db(konsilo: Run, db_url: str) -> str:
    """A database holding the demo's assembly (number 1), on SQLite and PostgreSQL."""
    assert konsilo("demo", "--database", db_url)[0] == 0
    return db_url


def sql(url: str, statement: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def verified(konsilo: Run, url: str, *extra: str) -> tuple[int, str]:
    status, out, err = konsilo("audit", "verify", "--database", url, *extra)
    return status, out + err


def test_db_upgrade_creates_the_schema(konsilo: Run, tmp_path: Path) -> None:
    status, out, _ = konsilo("db", "upgrade", "--database", str(tmp_path / "new.db"))
    assert status == 0
    assert "is at revision" in out
    assert (tmp_path / "new.db").exists()


def test_default_database_is_in_the_data_directory(konsilo: Run, data_dir: Path) -> None:
    assert konsilo("audit", "verify")[1].startswith("audit log OK: 0 entries")
    assert (data_dir / "konsilo.db").exists()


def test_audit_verify_accepts_an_intact_log(konsilo: Run, demo_db: str) -> None:
    status, out = verified(konsilo, demo_db)
    assert status == 0
    match = HEAD.search(out)
    assert match and match.group(2).startswith(f"{match.group(1)}:")
    assert verified(konsilo, demo_db, "--head", match.group(2))[0] == 0


def test_audit_verify_names_an_altered_entry(konsilo: Run, demo_db: str) -> None:
    sql(demo_db, """UPDATE audit_log SET payload = '{"choice": "no"}' WHERE seq = 20""")
    status, out = verified(konsilo, demo_db)
    assert status == 1
    assert "audit log BROKEN: entry 20 was altered" in out
    assert "the chain holds for 19 entries" in out


def test_audit_verify_names_a_deleted_entry(konsilo: Run, demo_db: str) -> None:
    sql(demo_db, "DELETE FROM audit_log WHERE seq = 12")
    status, out = verified(konsilo, demo_db)
    assert status == 1
    assert "entry 12 is missing" in out


def test_audit_verify_detects_deleted_newest_entries_against_the_head(
    konsilo: Run, demo_db: str
) -> None:
    published = HEAD.search(verified(konsilo, demo_db)[1])
    assert published
    seq = int(published.group(1))
    sql(demo_db, f"DELETE FROM audit_log WHERE seq > {seq - 3}")
    assert verified(konsilo, demo_db)[0] == 0  # a shorter chain still holds together...
    status, out = verified(konsilo, demo_db, "--head", published.group(2))
    assert status == 1  # ...but not against the head members keep in their chat
    assert f"entries after {seq - 3} were deleted (published head is {seq})" in out


def test_audit_verify_rejects_a_head_that_differs(konsilo: Run, demo_db: str) -> None:
    status, out = verified(konsilo, demo_db, "--head", "5:0000")
    assert status == 1
    assert "entry 5 differs from the published head" in out


def test_export_writes_the_record_and_the_tallies(
    konsilo: Run, demo_db: str, tmp_path: Path
) -> None:
    status, out, _ = konsilo("export", "1", "--out", str(tmp_path / "out"), "--database", demo_db)
    assert status == 0
    record = json.loads((tmp_path / "out" / "assembly-1.json").read_text())
    motions = {m["id"]: m for m in record["motions"]}
    assert [motions[i]["title"] for i in (3, 4)] == ["Buy a second press", "Summer plan"]
    assert {motions[i]["status"] for i in (1, 2, 3, 4, 5, 6, 7, 9, 11)} == {"passed"}
    assert motions[10]["status"] == "failed"  # the report acceptance poll
    assert [(d["person_id"], d["status"]) for d in record["delegates"]] == [
        (2, "recalled"),
        (4, "active"),
    ]
    assert record["report_questions"][0]["answer"].startswith("I judged the price")
    assert motions[4]["options"] == ["Fridays off", "Short days", "2 weeks off"]
    votes_on_3 = sorted(v["choice"] for v in record["open_votes"] if v["motion_id"] == 3)
    assert votes_on_3 == ["no", "no"] + ["yes"] * 5
    ballots = [b for b in record["secret_ballots"] if b["motion_id"] == 4]
    assert len(ballots) == 7 and all("locator" not in b for b in ballots)
    assert len(record["members"]) == 9

    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "tallies-1.csv").read_text())))
    # The print shop's motions (14, 16 and 18 are the bindery's).
    assert [int(r["motion"]) for r in rows] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15, 17]
    third = rows[2]
    assert (third["status"], third["turnout"], third["quorum"]) == ("passed", "7", "5")
    assert json.loads(third["counts"]) == [5, 2, 0]
    assert "tallies-1.csv" in out


def test_export_refuses_an_unknown_assembly(konsilo: Run, tmp_path: Path) -> None:
    status, _, err = konsilo("export", "9", "--out", str(tmp_path / "out"))
    assert status == 1
    assert "there is no assembly 9" in err
    assert not (tmp_path / "out").exists()


def test_run_without_a_terminal_names_the_transport_settings(
    konsilo: Run, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, err = konsilo("run")
    assert status == 2
    assert "no chat platform is configured" in err
    assert "KONSILO_TELEGRAM_TOKEN" in err and "KONSILO_MATRIX_HOMESERVER" in err
    assert (data_dir / "konsilo.db").exists(), "run upgrades the database first"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_run_in_a_terminal_starts_the_console(
    konsilo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("/found Bakery\n:quit\n"))
    status, out, _ = konsilo("run", "--as", "Rosa")
    assert status == 0
    assert "Assembly Bakery is founded" in out
