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
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from core import assemblies, delivery, due, heard, people
from core import membership as _membership  # noqa: F401  (registers motion effects)
from core import rules as _rules  # noqa: F401  (registers motion effects)
from core import sittings as _sittings  # noqa: F401  (registers motion effects)
from core.clock import Clock
from core.commands import delegates as _delegates  # noqa: F401  (registers commands)
from core.commands import federation as _federation  # noqa: F401  (registers commands)
from core.commands import reports as _reports  # noqa: F401  (registers commands)
from core.commands.grammar import parse
from core.commands.handlers import HANDLERS, Ctx
from core.context import Actor, Place, Tx
from core.errors import Refusal
from core.i18n import normalize_language
from core.messages import Reply
from core.store.db import Database


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

    def run_due(self) -> None:
        """Do whatever has fallen due by now (closing motions, overdue reports...)."""
        self.db.transaction(lambda conn: due.run(Tx(conn, self.clock.now(), self.secret)))

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
