"""What falls due with time: registered by the module that owns it, run together.

Closing motions at their time, opening elections after nominations, flagging
overdue reports, firing reminders: each owning module registers one function
with ``@when_due`` that does whatever has fallen due by ``tx.now``, and one
with ``@next_due`` that says when its next thing falls due. ``run`` calls the
jobs in one transaction; ``next_at`` is the earliest of the answers, which is
all the clock (``core.scheduler``) needs to know to wake up on time.

The database is the only record of what is due: nothing is kept in memory
between runs, so a restart loses nothing. Every job must be idempotent and
mark what it did in the same transaction, so running it twice (or after a
crash, again) changes nothing the second time.

A command that creates something falling due (a motion opening, a reminder
planned) calls ``soon(tx, at)``; the app passes the earliest such time to the
clock after the command, so the clock never needs to poll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.context import Tx

Job = Callable[[Tx], None]
Next = Callable[[Tx], datetime | None]
_JOBS: list[Job] = []
_NEXT: list[Next] = []
SOON = "due.soon"  # key in the transaction's cache
# Acts of one kind done per run: a long catch-up after downtime runs as several short
# transactions, so members' commands are not held up behind it (the next run follows
# at once, since what is left is still due).
BATCH = 200


def when_due(job: Job) -> Job:
    """Register ``job(tx)``: do whatever has fallen due by ``tx.now``."""
    _JOBS.append(job)
    return job


def next_due(provider: Next) -> Next:
    """Register ``provider(tx)``: when the owner's next thing falls due (None: nothing)."""
    _NEXT.append(provider)
    return provider


def run(tx: Tx) -> None:
    """Run every registered job, in registration order."""
    for job in _JOBS:
        job(tx)


def next_at(tx: Tx) -> datetime | None:
    """The earliest time anything falls due (it may be in the past: run now)."""
    times = [at for provider in _NEXT if (at := provider(tx)) is not None]
    return min(times, default=None)


def soon(tx: Tx, at: datetime) -> None:
    """Note that something falls due at ``at`` (the clock learns it after the command)."""
    earliest = tx.cache.get(SOON)
    if earliest is None or at < earliest:
        tx.cache[SOON] = at


def noted(tx: Tx) -> datetime | None:
    """The earliest time noted by ``soon`` in this transaction."""
    at: datetime | None = tx.cache.get(SOON)
    return at
