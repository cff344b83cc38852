"""The terminal console, driven the way a person types into it."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from bot.console import ConsoleChat, run_console
from core import outbox, people
from core.app import Konsilo
from core.clock import Clock
from core.context import Tx
from core.messages import Msg
from core.store.db import Database
from core.store.migrate import upgrade

SECRET = bytes(range(32))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(db_url: str) -> Iterator[Konsilo]:
    """The engine on a fresh database, with the console's real-time clock."""
    db = Database(db_url)
    upgrade(db.engine)
    try:
        yield Konsilo(db, SECRET, Clock())
    finally:
        db.close()


def typed(app: Konsilo, data_dir: Path, *lines: str, name: str = "Ana") -> str:
    """What the terminal shows for a session that types ``lines``."""
    out = io.StringIO()
    source = io.StringIO("".join(f"{line}\n" for line in lines))
    assert run_console(ConsoleChat(app, data_dir), name, source, out, width=78) == 0
    return out.getvalue()


def test_found_join_vote_and_vote_secretly(app: Konsilo, data_dir: Path) -> None:
    out = typed(
        app,
        data_dir,
        "/found Bakery",
        ":as Bo",
        "/join",
        ":as Cy",
        "/join",
        "/motion Open on Sundays",
        "/vote 1 no",
        "/vote 1 yes",
        ":as Ana",
        "/motion secret Hire an apprentice",
        "/vote 2 yes",
        ":dm",
        "/vote 2 yes",
        ":as Bo",
        "/vote 2 no",
        ":as Cy",
        "/vote 2 yes",
        ":group",
        ":as Bo",
        "/vote 1 yes",
        ":wait 48",
        "/close 1",
        "/close 2",
    )
    assert "ana@group> /found Bakery\n  bot: Assembly Bakery is founded" in out
    assert (
        "bo@group> /join\n  bot: Welcome, Bo: you are a member.\n  [group] Bo is now a member."
        in out
    )
    assert "cy@group> /vote 1 yes\n  bot: Vote on motion 1 changed to yes." in out
    assert "Motion 2 is a secret ballot: send your vote to me in a private chat" in out
    receipts = re.findall(r"Your receipt is ([A-Z0-9]{8})\.", out)
    assert len(receipts) == 3
    assert "ana@dm> /vote 2 yes\n  bot: Secret vote on motion 2 recorded: yes." in out
    assert "  You are now Bo, in your private chat." in out
    assert "... 48 hours passed: it is now" in out
    assert "[group] Motion 1 passed: Open on Sundays" in out
    assert "[group] Motion 2 passed: Hire an apprentice" in out
    assert "Yes 2, no 0, abstain 0." in out  # motion 1, in the open
    assert "Yes 2, no 1, abstain 0." in out  # motion 2, in secret
    result = out[out.index("Receipts:") :]
    assert all(receipt in result for receipt in receipts)
    assert "internal error" not in out


def test_piped_stdin_reads_like_a_chat_log(tmp_path: Path, data_dir: Path) -> None:
    script = "/found Bakery\n:as Bo\n/join\n/members\n:quit\n/never sent\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--database", f"sqlite:///{tmp_path}/c.db"],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "KONSILO_DATA": str(data_dir)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ana@group> /found Bakery\n" in done.stdout
    assert "bo@group> /members\n  bot: 2 members: Ana (1), Bo (2)" in done.stdout
    assert "never sent" not in done.stdout
    assert (data_dir / "secret.key").exists()


def tell(app: Konsilo, user: str, msg: Msg) -> None:
    """Queue a private message for a console member, as a service would."""

    def queue(conn: Connection) -> None:
        tx = Tx(conn, app.clock.now(), app.secret)
        person = people.find_person(tx, "console", user)
        assert person is not None
        outbox.tell(tx, person, msg)

    app.db.transaction(queue)


def test_private_messages_wait_for_their_reader(app: Konsilo, data_dir: Path) -> None:
    typed(app, data_dir, "/found Bakery", ":as Bo", "/join")
    tell(
        app,
        "bo",
        Msg("Petition {id}: {count} of {needed} signatures.", {"id": 1, "count": 2, "needed": 3}),
    )
    out = typed(app, data_dir, ":who", ":as Bo", ":as Ana", ":who")
    first, later = out.split("You are now Bo", 1)
    assert "- Bo (1 private message(s) waiting)" in first
    assert "[dm to Bo]" not in first
    assert "  [dm to Bo] Petition 1: 2 of 3 signatures." in later
    assert "waiting" not in later


def test_each_reader_gets_their_language(app: Konsilo, data_dir: Path) -> None:
    typed(app, data_dir, "/found Bakery", ":as Bo", "/join", "/language es")
    tell(app, "bo", Msg("{name} is now a member.", {"name": "Cy"}))
    out = typed(app, data_dir, "/motion Open on Sundays", "/vote 1 yes", name="Bo")
    assert "[group] Motion 1 (decision): Open on Sundays" in out  # the assembly's language
    assert "bot: Voto en la propuesta 1 registrado: sí." in out  # Bo's own
    assert "[dm to Bo] Cy ya es miembro." in out


def test_export_is_saved_in_the_data_directory(app: Konsilo, data_dir: Path) -> None:
    out = typed(app, data_dir, "/found Bakery", "/export")
    assert "  bot (private): Here is everything Konsilo holds about you." in out
    path = data_dir / "konsilo-1.json"
    assert f"  file: {path}" in out
    assert '"person"' in path.read_text()


def test_mistakes_get_a_friendly_answer(app: Konsilo, data_dir: Path) -> None:
    out = typed(
        app, data_dir, "hello everyone", ":bogus", ":as two words", ":wait soon", "/bogus", ":help"
    )
    assert "(chat message; Konsilo answers commands that start with /)" in out
    assert "Unknown console command :bogus. :help lists them." in out
    assert "Usage: :as NAME" in out
    assert "Usage: :wait HOURS" in out
    assert "Unknown command /bogus. Send /help for the list." in out
    assert ":dm             your private chat with the bot" in out


def test_a_new_session_is_not_mistaken_for_a_redelivery(app: Konsilo, data_dir: Path) -> None:
    typed(app, data_dir, "/found Bakery")
    assert "1 members: Ana (1)" in typed(app, data_dir, "/members")
