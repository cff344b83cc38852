"""Before each sitting: its agenda, posted in the group at the statute's times.

``sitting.reminders`` lists the hours before the start (default ``24,1``).
Each post is a timer planned when the sitting is convened; one that would fall
in quiet hours comes at their start instead, and one already past when the
sitting is convened (short notice) is skipped. A cancelled sitting's posts
never go out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core import assemblies, outbox, sittings, timers
from core.calendar import local, reminding
from core.context import Tx
from core.messages import N_, Msg
from core.statutes import hours_before
from core.store.tables import sittings as sitting_table

KIND = "sitting.remind"


@sittings.on_convened
def plan(tx: Tx, sitting_id: int, assembly_id: int, starts_at: datetime) -> None:
    """Plan one agenda post per ``sitting.reminders`` entry (the slot is the hours before)."""
    hours = hours_before(str(assemblies.statute(tx, assembly_id)["sitting.reminders"]))
    reminding.plan_before(tx, assembly_id, KIND, sitting_id, starts_at, hours)


def cancel(tx: Tx, sitting_id: int) -> None:
    """The sitting will not be held: its posts never go out."""
    timers.cancel(tx, KIND, sitting_id)


@timers.on_timer(KIND)
def post(tx: Tx, timer: timers.Timer) -> timers.Later | None:
    """Post the agenda with a line saying when the sitting starts."""
    row = tx.conn.execute(
        select(sitting_table).where(sitting_table.c.id == timer.subject_id)
    ).first()
    if row is None or row.status != "convened" or row.starts_at <= tx.now:
        return None
    if (hold := reminding.held(tx, row.assembly_id, row.starts_at)) is not None:
        return hold.later
    hours = max(1, round((row.starts_at - tx.now) / timedelta(hours=1)))
    first = Msg.of(
        N_("Sitting {id} starts in {hours} h, at {when}."),
        id=row.id,
        hours=hours,
        when=local.minute(row.starts_at, local.zone_of(tx, row.assembly_id)),
    )
    (agenda,) = sittings.agenda(tx, row.assembly_id, row.id)
    outbox.announce(tx, row.assembly_id, first, *agenda.lines)
    return None
