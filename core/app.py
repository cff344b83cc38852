"""The way in: a transport hands over who said what where; one transaction runs it.

``Konsilo.handle`` is the only entry the transports need. It parses the text,
dispatches to one handler inside one unit of work, and returns the replies
with the language to render them in. A ``Refusal`` rolls everything back and
comes back as the reply. A platform event key makes redelivery harmless: the key is written with the
command's own writes, and a key seen before rolls the command back unanswered.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection

from core import assemblies, delivery, due, heard, people
from core import membership as _membership  # noqa: F401  (registers motion effects)
from core import rules as _rules  # noqa: F401  (registers motion effects)
from core import sittings as _sittings  # noqa: F401  (registers motion effects)
from core.calendar import notices as _notices  # noqa: F401  (registers timers)
from core.clock import Clock
from core.commands import delegates as _delegates  # noqa: F401  (registers commands)
from core.commands import federation as _federation  # noqa: F401  (registers commands)
from core.commands import plans as _plans  # noqa: F401  (registers commands)
from core.commands import reports as _reports  # noqa: F401  (registers commands)
from core.commands.grammar import parse
from core.commands.handlers import HANDLERS, Ctx
from core.context import Actor, Place, Tx
from core.errors import Refusal
from core.i18n import normalize_language
from core.messages import Reply
from core.motions import reminders as _reminders  # noqa: F401  (registers timers)
from core.store.db import Database

# Runs in a row at one instant (a long catch-up runs in batches): past this, a job
# that never finishes its work is assumed, and time passes on.
STALL_LIMIT = 1000


@dataclass(frozen=True)
class Answer:
    """Replies to one command and the language to render them in."""

    replies: list[Reply]
    language: str


class Konsilo:
    """The engine as the transports see it."""

    def __init__(self, db: Database, secret: bytes, clock: Clock | None = None) -> None:
        self.db = db
        self.secret = secret
        self.clock = clock or Clock()
        # Told when a command makes something fall due (``core.scheduler`` listens);
        # called on the database thread, so it must only hand the time over.
        self.on_due: Callable[[datetime], None] | None = None

    async def handle(
        self, actor: Actor, place: Place, text: str, event_key: str | None = None
    ) -> Answer:
        """Run one member's message; ordinary chat (no command) gets no answer."""
        try:
            return await self.db.run(lambda conn: self.unit(conn, actor, place, text, event_key))
        except delivery.Redelivered:
            return Answer([], normalize_language(actor.language))
        except Refusal as refusal:
            return Answer(
                [Reply((refusal.msg,))],
                await self.db.run(lambda conn: self.language(conn, actor, place)),
            )

    def handle_now(
        self, actor: Actor, place: Place, text: str, event_key: str | None = None
    ) -> Answer:
        """``handle`` on the calling thread, for callers without an event loop."""
        try:
            return self.db.transaction(lambda conn: self.unit(conn, actor, place, text, event_key))
        except delivery.Redelivered:
            return Answer([], normalize_language(actor.language))
        except Refusal as refusal:
            return Answer(
                [Reply((refusal.msg,))],
                self.db.transaction(lambda conn: self.language(conn, actor, place)),
            )

    def run_due(self) -> datetime | None:
        """Do whatever has fallen due by now (closing motions, overdue reports...);
        return when the next thing falls due."""
        return self.db.transaction(self.due_unit)

    async def run_due_async(self) -> datetime | None:
        """``run_due`` on the database thread, for the event loop's clock."""
        return await self.db.run(self.due_unit)

    def due_unit(self, conn: Connection) -> datetime | None:
        tx = Tx(conn, self.clock.now(), self.secret)
        due.run(tx)
        return due.next_at(tx)

    def pass_time(
        self, delta: timedelta, after_run: Callable[[datetime], None] | None = None
    ) -> None:
        """Move ``clock`` forward by ``delta``, stopping at each time something falls due
        to run it then, as the scheduler would (the demo, the console's ``:wait``, tests).
        ``after_run(now)`` is called after each run (to deliver what it said).
        """
        end = self.clock.now() + delta
        stalled = 0
        while stalled < STALL_LIMIT:
            at = self.run_due()
            if after_run is not None:
                after_run(self.clock.now())
            if at is None or at > end:
                break
            stalled = stalled + 1 if at <= self.clock.now() else 0
            self.clock.advance(max(at - self.clock.now(), timedelta()))
        self.clock.advance(max(end - self.clock.now(), timedelta()))

    def next_due(self) -> datetime | None:
        """When the next thing falls due (read only)."""
        return self.db.transaction(
            lambda conn: due.next_at(Tx(conn, self.clock.now(), self.secret))
        )

    def unit(
        self, conn: Connection, actor: Actor, place: Place, text: str, event_key: str | None
    ) -> Answer:
        """The unit of work of one command (raises ``Refusal`` to roll back)."""
        tx = Tx(conn, self.clock.now(), self.secret)
        command = parse(text)
        if command is None:
            if not place.private:
                heard.heard(tx, actor, place, text, event_key)
            return Answer([], normalize_language(actor.language))
        recorded = delivery.record(tx, event_key) if event_key else None
        try:
            answer = self.command(tx, actor, place, command.name, command.args)
        except Refusal:
            if recorded is not None and delivery.redelivered(tx, recorded):
                raise delivery.Redelivered from None
            raise
        if recorded is not None and delivery.redelivered(tx, recorded):
            raise delivery.Redelivered
        if (at := due.noted(tx)) is not None and self.on_due is not None:
            self.on_due(at)
        return answer

    def command(self, tx: Tx, actor: Actor, place: Place, name: str, args: str) -> Answer:
        """Run one command's handler (the event key is checked around it, in ``unit``)."""
        person_id = people.person_for(tx, actor)
        handler = HANDLERS.get(name)
        if handler is None:
            raise Refusal("Unknown command /{name}. Send /help for the list.", name=name[:32])
        ctx = Ctx(tx, actor, place, person_id)
        replies = handler(ctx, args)
        return Answer(replies, _language(tx, person_id, ctx.assembly, actor))

    def language(self, conn: Connection, actor: Actor, place: Place) -> str:
        """The language to answer this actor in, read outside any failed transaction."""
        tx = Tx(conn, self.clock.now(), self.secret)
        person_id = people.find_person(tx, actor.platform, actor.user_id)
        assembly = None if place.private else assemblies.at_place(tx, place)
        if person_id is None:
            if assembly is not None:
                return str(assemblies.statute(tx, assembly.id)["language"])
            return normalize_language(actor.language)
        return _language(tx, person_id, assembly, actor)


def _language(tx: Tx, person_id: int, assembly: assemblies.Assembly | None, actor: Actor) -> str:
    """The person's choice, else the assembly's language, else the platform's hint."""
    chosen = people.language_of(tx, person_id)
    if chosen:
        return chosen
    if assembly is not None:
        return str(assemblies.statute(tx, assembly.id)["language"])
    return normalize_language(actor.language)


def load_secret(data_dir: Path) -> bytes:
    """The instance's secret key (for ballot locators), created on first use.

    It lives in a file beside the database, never in it, so a copy of the
    database alone cannot link an open secret ballot to its voter.
    """
    if env := os.environ.get("KONSILO_SECRET_KEY"):
        return bytes.fromhex(env)
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())
