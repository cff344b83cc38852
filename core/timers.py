"""Timers: acts planned for a later moment (reminders), each done exactly once.

A module plans a timer when the thing it belongs to is created (a motion
opening plans its vote reminders, a convened sitting its agenda posts) and
registers the handler for its kind with ``@on_timer``. When a timer falls due,
``fire`` marks it done and calls the handler in the same transaction: the
mark and the messages commit together, so a crash before the commit leaves
the timer to fire after restart, and a commit means it never fires again.

A handler may ask for the timer to wait longer (``Later``), for example when
it falls in quiet hours after a restart; it keeps its identity and fires once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from core import due
from core.context import Tx
from core.store.tables import timers


@dataclass(frozen=True)
class Timer:
    id: int
    assembly_id: int
    kind: str
    subject_id: int
    slot: int
    due_at: datetime


@dataclass(frozen=True)
class Later:
    """A handler's answer: fire this timer again at ``at`` instead of now."""

    at: datetime


Handler = Callable[[Tx, Timer], Later | None]
_HANDLERS: dict[str, Handler] = {}


def on_timer(kind: str) -> Callable[[Handler], Handler]:
    """Register the handler of one kind of timer."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return register


def plan(tx: Tx, assembly_id: int, kind: str, subject_id: int, slot: int, at: datetime) -> None:
    """Plan one timer (a kind, subject and slot is planned once; later plans are ignored)."""
    exists = tx.conn.execute(
        select(timers.c.id).where(
            timers.c.kind == kind, timers.c.subject_id == subject_id, timers.c.slot == slot
        )
    ).first()
    if exists is not None:
        return
    tx.conn.execute(
        insert(timers).values(
            assembly_id=assembly_id, kind=kind, subject_id=subject_id, slot=slot, due_at=at
        )
    )
    due.soon(tx, at)


def cancel(tx: Tx, kind: str, subject_id: int) -> None:
    """Mark a subject's timers of one kind done without firing them."""
    tx.conn.execute(
        update(timers)
        .where(timers.c.kind == kind, timers.c.subject_id == subject_id, timers.c.done_at.is_(None))
        .values(done_at=tx.now)
    )


@due.when_due
def fire(tx: Tx) -> None:
    """Fire every timer due by now, oldest first."""
    rows = tx.conn.execute(
        select(timers)
        .where(timers.c.done_at.is_(None), timers.c.due_at <= tx.now)
        .order_by(timers.c.due_at, timers.c.id)
        .limit(due.BATCH)
    ).all()
    for row in rows:
        timer = Timer(row.id, row.assembly_id, row.kind, row.subject_id, row.slot, row.due_at)
        outcome = _HANDLERS[timer.kind](tx, timer)
        if isinstance(outcome, Later) and outcome.at > tx.now:
            tx.conn.execute(update(timers).where(timers.c.id == timer.id).values(due_at=outcome.at))
            due.soon(tx, outcome.at)
        else:
            tx.conn.execute(update(timers).where(timers.c.id == timer.id).values(done_at=tx.now))


@due.next_due
def next_timer(tx: Tx) -> datetime | None:
    at: datetime | None = tx.conn.execute(
        select(func.min(timers.c.due_at)).where(timers.c.done_at.is_(None))
    ).scalar()
    return at
