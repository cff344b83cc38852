"""Planning reminders around quiet hours, shared by every kind of reminder.

A reminder is a timer some hours before an event (a vote's close, a sitting,
a report's due date). ``plan_before`` plans them out of quiet hours; when one
fires late (after a restart) inside quiet hours, ``held`` makes it wait for
the morning, or drops it if the morning comes too late to help.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core import assemblies, timers
from core.calendar import quiet
from core.context import Tx


def plan_before(
    tx: Tx, assembly_id: int, kind: str, subject_id: int, event_at: datetime, hours: list[int]
) -> None:
    """One timer per entry of ``hours`` before ``event_at`` (its slot is the hours),
    moved out of quiet hours; those already past are skipped."""
    rules = assemblies.statute(tx, assembly_id)
    window, zone = str(rules["quiet.hours"]), str(rules["timezone"])
    planned: set[datetime] = set()
    for before in hours:
        at = quiet.earlier(event_at - timedelta(hours=before), window, zone)
        if at > tx.now and at not in planned:
            planned.add(at)
            timers.plan(tx, assembly_id, kind, subject_id, before, at)


@dataclass(frozen=True)
class Held:
    """A reminder firing in quiet hours: wait until ``later``, or drop it (None)."""

    later: timers.Later | None


def held(
    tx: Tx, assembly_id: int, deadline: datetime, margin: timedelta = timedelta()
) -> Held | None:
    """None when the reminder may go now; else what to do with it."""
    rules = assemblies.statute(tx, assembly_id)
    morning = quiet.later(tx.now, str(rules["quiet.hours"]), str(rules["timezone"]))
    if morning <= tx.now:
        return None
    return Held(timers.Later(morning) if morning < deadline - margin else None)
