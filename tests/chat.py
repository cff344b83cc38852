"""A test chat: members type commands, the test reads what they would see.

``Chat`` drives the real engine (``Konsilo.handle_now``) on a migrated
database and renders replies and outbox messages in each reader's language,
so tests assert on the text a member would read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select

from core.app import Konsilo
from core.clock import Clock
from core.context import Actor, Place
from core.i18n import render
from core.outbox import mark_sent, pending
from core.store.db import Database
from core.store.migrate import upgrade
from core.store.tables import identities, metadata, persons

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = bytes(range(32))


@dataclass(frozen=True)
class Said:
    """A message as the scheduler delivered it: when, to whom (a chat, or dm:Name), what."""

    at: datetime
    to: str
    text: str


class TestClock(Clock):
    """A clock that stands still until the test moves it."""

    def __init__(self, start: datetime = START) -> None:
        super().__init__(lambda: start)


@dataclass
class Chat:
    """One group chat (``group``) on the ``test`` platform, plus private chats."""

    app: Konsilo
    platform: str = "test"
    group: str = "group-1"
    language: str | None = None
    transcript: list[str] = field(default_factory=list)

    def actor(self, name: str) -> Actor:
        return Actor(self.platform, name.lower(), name, self.language)

    def say(
        self,
        name: str,
        text: str,
        *,
        private: bool = False,
        group: str | None = None,
        key: str | None = None,
    ) -> str:
        """``name`` sends ``text``; returns the rendered replies, one line each."""
        place = Place(self.platform, name.lower() if private else (group or self.group), private)
        answer = self.app.handle_now(self.actor(name), place, text, key)
        lines = [render(m, answer.language) for r in answer.replies for m in r.lines]
        self.transcript += [f"{name}> {text}", *lines]
        return "\n".join(lines)

    def announcements(self, chat: str | None = None, language: str = "en") -> str:
        """Undelivered messages to the group chat (marked delivered once read)."""
        wanted = chat or self.group

        def read(conn: object) -> list[str]:
            rows = [
                p
                for p in pending(conn, self.platform, 10_000)  # type: ignore[arg-type]
                if p.chat_id == wanted
            ]
            mark_sent(conn, [p.id for p in rows], START)  # type: ignore[arg-type]
            return [render(m, language) for p in rows for m in p.lines]

        return "\n".join(self.app.db.transaction(read))

    def advance(self, hours: float) -> None:
        self.app.clock.advance(timedelta(hours=hours))

    def live(self, hours: float) -> list[Said]:
        """Let ``hours`` pass as the scheduler would, each thing at its time; everything
        said meanwhile (group and private), with the time it was said."""
        said: list[Said] = []

        def drain(conn: Connection) -> None:
            rows = pending(conn, self.platform, 100_000)
            names: dict[int, str] = {
                r.person_id: r.display_name
                for r in conn.execute(select(identities.c.person_id, identities.c.display_name))
            }
            for row in rows:
                to = row.chat_id or f"dm:{names[int(row.person_id or 0)]}"
                text = "\n".join(render(m, "en") for m in row.lines)
                said.append(Said(self.app.clock.now(), to, text))
            mark_sent(conn, [r.id for r in rows], self.app.clock.now())

        self.app.pass_time(timedelta(hours=hours), lambda _now: self.app.db.transaction(drain))
        return said

    def tick(self) -> None:
        """Let whatever has fallen due happen (what the scheduler will do on its own)."""
        self.app.run_due()

    def person_count(self) -> int:
        return len(self.app.db.transaction(lambda conn: list(conn.execute(select(persons.c.id)))))


def assembly(chat: Chat, *names: str) -> None:
    """Ana founds the assembly; ``names`` join it (admission is open by default)."""
    chat.say("Ana", "/found Press shop")
    for name in names:
        chat.say(name, "/join")
    chat.announcements()


def vote_and_close(chat: Chat, motion: int, yes: tuple[str, ...], no: tuple[str, ...] = ()) -> str:
    """Cast the votes, let the window pass, close; returns what the group reads."""
    for name in yes:
        chat.say(name, f"/vote {motion} yes")
    for name in no:
        chat.say(name, f"/vote {motion} no")
    chat.advance(49)
    chat.say("Ana", f"/close {motion}")
    return chat.announcements()


def make_app(url: str) -> Konsilo:
    """A Konsilo on a freshly migrated database with a still clock."""
    db = Database(url)
    upgrade(db.engine)
    return Konsilo(db, SECRET, TestClock())


def table_rows(chat: Chat) -> dict[str, int]:
    """The number of rows in every table."""

    def count(conn: Connection) -> dict[str, int]:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
        }

    return chat.app.db.transaction(count)


def refused(
    chat: Chat, name: str, text: str, *, private: bool = False, group: str | None = None
) -> str:
    """What ``name`` reads after ``text``, asserting that no table changed and that
    nothing was announced."""
    chat.announcements()
    before = table_rows(chat)
    reply = chat.say(name, text, private=private, group=group)
    assert table_rows(chat) == before, f"{text!r} changed the database"
    assert chat.announcements() == ""
    return reply
