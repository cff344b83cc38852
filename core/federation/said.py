"""What is said in the centre reaches the members below: stored, digested, expandable.

There is no delegates-only channel. Every ordinary message (not a command)
that a delegate on the roll writes in a central assembly's chat is stored in
``central_statements``; messages in any other chat are none of Konsilo's
business and cost no write. At most once a day, and only when something new
was said, every member assembly reads one digest line. ``/central said``
expands it there: the latest statements with who and when, each cut to fit a
phone, and ``/central said #<id>`` shows one in full. The words are the
delegates' own: they are passed as parameters, never as markup.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from core import assemblies, due, heard, outbox, people
from core.assemblies import Assembly
from core.calendar import local
from core.context import Actor, Place, Tx
from core.delivery import first_delivery
from core.due import when_due
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg, Reply
from core.store.tables import assemblies as assembly_table
from core.store.tables import central_statements

STORED_LIMIT = 4000  # a chat message is at most 4096 characters on Telegram
PREVIEW = 120  # characters of a statement in the expanded digest
DEFAULT, MOST = 10, 30
EVERY = timedelta(days=1)  # at most one digest a day per central assembly
_CONTROL = ("Cc", "Cs", "Co", "Cn")  # control, surrogate, private-use, unassigned
# Direction overrides and marks (as core.text refuses in commands): they can make
# a text read differently from what it says.
_HIDDEN = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def _tidy(text: str) -> str:
    """The words as typed, minus what could hide or fake text (never refused)."""
    value = unicodedata.normalize("NFC", text)
    kept = "".join(
        c
        for c in value
        if c in "\n\t" or (c not in _HIDDEN and unicodedata.category(c) not in _CONTROL)
    )
    return kept.strip()[:STORED_LIMIT]


@heard.on_heard
def _heard(tx: Tx, actor: Actor, place: Place, text: str, event_key: str | None) -> None:
    """Store what a delegate says in a central chat (once, however often it is delivered)."""
    body = assemblies.at_place(tx, place)
    if body is None or not body.is_central or body.status != "active":
        return
    person_id = people.find_person(tx, actor.platform, actor.user_id)
    if person_id is None or not assemblies.is_member(tx, body.id, person_id):
        return
    words = _tidy(text)
    if not words or (event_key and not first_delivery(tx, event_key)):
        return
    statement_id = tx.conn.execute(
        insert(central_statements)
        .values(central_id=body.id, person_id=person_id, text=words, at=tx.now)
        .returning(central_statements.c.id)
    ).scalar_one()
    tx.audit("central.said", {"statement": statement_id}, body.id, person_id)
    last = _last_digest(tx, body.id)
    due.soon(tx, tx.now if last is None else max(tx.now, last + EVERY))


# --------------------------------------------------------------------------- the digest


def _waiting(tx: Tx) -> list[Any]:
    """Per central assembly: statements not yet digested, their speakers, the first time."""
    return list(
        tx.conn.execute(
            select(
                central_statements.c.central_id,
                func.count().label("n"),
                func.count(central_statements.c.person_id.distinct()).label("speakers"),
                func.min(central_statements.c.at).label("first"),
                func.min(central_statements.c.person_id).label("someone"),
            )
            .where(central_statements.c.digested_at.is_(None))
            .group_by(central_statements.c.central_id)
            .order_by(central_statements.c.central_id)
        )
    )


def _last_digest(tx: Tx, central_id: int) -> Any:
    return tx.conn.execute(
        select(func.max(central_statements.c.digested_at)).where(
            central_statements.c.central_id == central_id
        )
    ).scalar()


def _line(tx: Tx, name: str, row: Any, reader_id: int) -> Msg:
    """One digest line: how many said how much since when (in the reading assembly's
    time), and how to read it."""
    when = local.minute(row.first, local.zone_of(tx, reader_id))
    if row.speakers == 1:
        key = (
            N_("Central {central}: 1 message from {who} since {when}. Read: /central said")
            if row.n == 1
            else N_("Central {central}: {n} messages from {who} since {when}. Read: /central said")
        )
        who = people.display_name(tx, row.someone)
        return Msg.of(key, central=name, n=row.n, who=who, when=when)
    return Msg.of(
        N_(
            "Central {central}: {n} messages from {speakers} delegates since {when}. "
            "Read: /central said"
        ),
        central=name,
        n=row.n,
        speakers=row.speakers,
        when=when,
    )


def _digest_at(tx: Tx, row: Any) -> datetime:
    """When the waiting statements of one central assembly are digested."""
    last = _last_digest(tx, row.central_id)
    first: datetime = row.first
    return first if last is None else max(first, last + EVERY)


@due.next_due
def next_digest(tx: Tx) -> datetime | None:
    """When the next digest is posted (nothing waiting: never)."""
    return min((_digest_at(tx, row) for row in _waiting(tx)), default=None)


@when_due
def digest(tx: Tx) -> None:
    """At most once a day per central assembly, when something new was said: one line below."""
    for row in _waiting(tx):
        last = _last_digest(tx, row.central_id)
        if last is not None and tx.now - last < EVERY:
            continue
        body = tx.conn.execute(
            select(assembly_table.c.name, assembly_table.c.status).where(
                assembly_table.c.id == row.central_id
            )
        ).one()
        if body.status != "active":
            continue
        for member in central.members(tx, row.central_id):
            outbox.announce(tx, member.id, _line(tx, body.name, row, member.id))
        tx.conn.execute(
            update(central_statements)
            .where(
                central_statements.c.central_id == row.central_id,
                central_statements.c.digested_at.is_(None),
            )
            .values(digested_at=tx.now)
        )
        tx.audit("central.digest", {"statements": row.n}, row.central_id)


# --------------------------------------------------------------------------- reading


def count_arg(text: str) -> int:
    """``[n]``: how many statements to show, 1 to 30 (10 when not given)."""
    value = text.strip()
    if not value:
        return DEFAULT
    if not value.isdigit() or len(value) > 3 or not 1 <= int(value) <= MOST:
        raise Refusal(
            "Give how many to show, from 1 to {most}: /central said [n], or one in full: "
            "/central said #<id>",
            most=MOST,
        )
    return int(value)


def _preview(text: str) -> tuple[str, bool]:
    """The statement on one line, cut at a word to fit a phone; and whether it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= PREVIEW:
        return flat, False
    cut = flat[:PREVIEW]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…", True


def latest(tx: Tx, here: Assembly, n: int) -> list[Reply]:
    """The last ``n`` statements of each central assembly this chat reads, oldest first."""
    lines: list[Msg] = []
    for body in central.read_from(tx, here):
        rows = list(
            tx.conn.execute(
                select(central_statements)
                .where(central_statements.c.central_id == body.id)
                .order_by(central_statements.c.id.desc())
                .limit(n)
            )
        )
        lines.append(Msg.of(N_("Said in central {central} ({id}):"), central=body.name, id=body.id))
        if not rows:
            lines.append(Msg.of(N_("Nothing said there yet.")))
        names = people.names(tx, sorted({r.person_id for r in rows})) if rows else {}
        for row in reversed(rows):
            cut, shortened = _preview(row.text)
            key = (
                N_("#{id} {name}, {when}: {text} (all: /central said #{id})")
                if shortened
                else N_("#{id} {name}, {when}: {text}")
            )
            lines.append(
                Msg.of(
                    key,
                    id=row.id,
                    name=names.get(row.person_id, f"#{row.person_id}"),
                    when=local.minute(row.at, local.zone_of(tx, here.id)),
                    text=cut,
                )
            )
    return [Reply(tuple(lines))]


def one(tx: Tx, here: Assembly, statement_id: int) -> list[Reply]:
    """One statement in full, if it was said in a central assembly this chat reads."""
    readable = {body.id: body for body in central.read_from(tx, here)}
    row = tx.conn.execute(
        select(central_statements).where(central_statements.c.id == statement_id)
    ).first()
    if row is None or row.central_id not in readable:
        raise Refusal("Nothing numbered {id} was said in your central assembly.", id=statement_id)
    return [
        Reply(
            (
                Msg.of(
                    N_("#{id} {name} in central {central}, {when}:"),
                    id=row.id,
                    name=people.display_name(tx, row.person_id),
                    central=readable[row.central_id].name,
                    when=local.minute(row.at, local.zone_of(tx, here.id)),
                ),
                Msg.of(N_("{text}"), text=row.text),
            )
        )
    ]
