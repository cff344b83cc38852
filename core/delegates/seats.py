"""Delegate seats: who holds one, for which assembly, in which body, until when.

A seat is created by a passed election and ends by recall, at its term's end,
or when its holder resigns or leaves the assembly. Everything attached to a
seat (membership of a central assembly, reports owed) follows it through the
listeners registered with ``on_change``: the seat itself knows nothing of
federations or reports, and those modules need not know who ended a seat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from core import due
from core.context import Tx
from core.errors import Refusal
from core.store.tables import delegates, instructions

ACTIVE, RECALLED, ENDED, RESIGNED = "active", "recalled", "ended", "resigned"


@dataclass(frozen=True)
class Seat:
    """One delegate's seat and mandate."""

    id: int
    assembly_id: int  # the home assembly that elected them and can recall them
    person_id: int
    body_id: int | None  # the central assembly they sit in, if any
    election_id: int
    scope: str
    release_hours: int
    status: str
    started_at: datetime
    term_ends_at: datetime | None
    ended_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class Instruction:
    """What the home assembly told its delegates to do on one item."""

    id: int
    subject_id: int | None
    subject: str
    choice: Any
    binding: bool
    motion_id: int


Listener = Callable[[Tx, Seat], None]
_LISTENERS: list[Listener] = []


def on_change(listener: Listener) -> Listener:
    """Register ``listener(tx, seat)``, called after a seat starts or ends."""
    _LISTENERS.append(listener)
    return listener


def _notify(tx: Tx, seat: Seat) -> None:
    for listener in _LISTENERS:
        listener(tx, seat)


def _seat(row: Any) -> Seat:
    return Seat(
        id=row.id,
        assembly_id=row.assembly_id,
        person_id=row.person_id,
        body_id=row.body_id,
        election_id=row.election_id,
        scope=row.scope,
        release_hours=row.release_hours,
        status=row.status,
        started_at=row.started_at,
        term_ends_at=row.term_ends_at,
        ended_at=row.ended_at,
    )


def get(tx: Tx, seat_id: int) -> Seat:
    """The seat, or a refusal naming the unknown number."""
    row = tx.conn.execute(select(delegates).where(delegates.c.id == seat_id)).first()
    if row is None:
        raise Refusal("There is no delegate {id}.", id=seat_id)
    return _seat(row)


def active(tx: Tx, assembly_id: int | None = None, body_id: int | None = None) -> list[Seat]:
    """Seats held now, of one home assembly and/or in one body, oldest first."""
    query = select(delegates).where(delegates.c.status == ACTIVE)
    if assembly_id is not None:
        query = query.where(delegates.c.assembly_id == assembly_id)
    if body_id is not None:
        query = query.where(delegates.c.body_id == body_id)
    return [_seat(r) for r in tx.conn.execute(query.order_by(delegates.c.id))]


def history(tx: Tx, assembly_id: int, person_id: int) -> list[Seat]:
    """Every seat the person held for the assembly, newest first (term limits, cooldown)."""
    rows = tx.conn.execute(
        select(delegates)
        .where(delegates.c.assembly_id == assembly_id, delegates.c.person_id == person_id)
        .order_by(delegates.c.started_at.desc(), delegates.c.id.desc())
    )
    return [_seat(r) for r in rows]


def install(
    tx: Tx,
    assembly_id: int,
    person_id: int,
    body_id: int | None,
    election_id: int,
    term_ends_at: datetime | None,
    scope: str = "",
) -> Seat:
    """Seat an elected person; listeners then give the seat its powers and duties."""
    seat_id = int(
        tx.conn.execute(
            insert(delegates)
            .values(
                assembly_id=assembly_id,
                person_id=person_id,
                body_id=body_id,
                election_id=election_id,
                scope=scope,
                release_hours=0,
                status=ACTIVE,
                started_at=tx.now,
                term_ends_at=term_ends_at,
            )
            .returning(delegates.c.id)
        ).scalar_one()
    )
    tx.audit(
        "delegate.seat",
        {"delegate": seat_id, "person": person_id, "body": body_id, "election": election_id},
        assembly_id,
    )
    if term_ends_at is not None:
        due.soon(tx, term_ends_at)
    seat = get(tx, seat_id)
    _notify(tx, seat)
    return seat


def end(tx: Tx, seat: Seat, status: str, motion_id: int | None = None) -> Seat:
    """End a seat at once (recall, term end, resignation); its powers go with it."""
    if not seat.is_active:
        raise Refusal("Delegate {id} no longer holds a seat.", id=seat.id)
    tx.conn.execute(
        update(delegates)
        .where(delegates.c.id == seat.id)
        .values(status=status, ended_at=tx.now, end_motion_id=motion_id)
    )
    tx.audit(
        "delegate.end",
        {"delegate": seat.id, "person": seat.person_id, "status": status, "motion": motion_id},
        seat.assembly_id,
    )
    ended = get(tx, seat.id)
    _notify(tx, ended)
    return ended


def set_mandate(tx: Tx, seat: Seat, **changes: Any) -> Seat:
    """Change the scope, release hours or term end of a seat (as a passed motion decided)."""
    allowed = {"scope", "release_hours", "term_ends_at"}
    if not changes or not set(changes) <= allowed:
        raise ValueError(f"mandate changes must be among {sorted(allowed)}")
    tx.conn.execute(update(delegates).where(delegates.c.id == seat.id).values(**changes))
    tx.audit(
        "delegate.mandate",
        {"delegate": seat.id, **{k: str(v) for k, v in changes.items()}},
        seat.assembly_id,
    )
    return get(tx, seat.id)


def instruction_for(tx: Tx, assembly_id: int, subject_id: int) -> Instruction | None:
    """The assembly's latest instruction on central motion ``subject_id``, if any."""
    row = tx.conn.execute(
        select(instructions)
        .where(instructions.c.assembly_id == assembly_id, instructions.c.subject_id == subject_id)
        .order_by(instructions.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return Instruction(row.id, row.subject_id, row.subject, row.choice, row.binding, row.motion_id)
