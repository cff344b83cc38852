"""Report-back reminders: the delegate hears before the report falls due.

``report.reminders`` lists the hours before the due time (default ``72,24``).
They are planned as timers when a report is owed, told to the delegate
privately, and skipped once the report is posted or the seat has ended. The
overdue flag and the "recall?" agenda item are in ``core.delegates.reports``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core import assemblies, outbox, timers
from core.calendar import local, reminding
from core.context import Tx
from core.delegates import seats
from core.messages import N_, Msg
from core.statutes import hours_before
from core.store.tables import reports

KIND = "report.remind"


def plan(tx: Tx, assembly_id: int, report_id: int, due_at: datetime) -> None:
    """Plan the statute's reminders before ``due_at`` (the slot is the hours before)."""
    hours = hours_before(str(assemblies.statute(tx, assembly_id)["report.reminders"]))
    reminding.plan_before(tx, assembly_id, KIND, report_id, due_at, hours)


@timers.on_timer(KIND)
def remind(tx: Tx, timer: timers.Timer) -> timers.Later | None:
    """Tell the delegate, unless the report is in or the seat is gone."""
    row = tx.conn.execute(select(reports).where(reports.c.id == timer.subject_id)).first()
    if row is None or row.posted_at is not None or row.due_at <= tx.now:
        return None
    seat = seats.get(tx, row.delegate_id)
    if not seat.is_active:
        return None
    if (hold := reminding.held(tx, row.assembly_id, row.due_at)) is not None:
        return hold.later
    outbox.tell(
        tx,
        seat.person_id,
        Msg.of(
            N_("Reminder: your report as delegate {seat} is due {when}. Post it: /report {seat}"),
            seat=seat.id,
            when=local.minute(row.due_at, local.zone_of(tx, row.assembly_id)),
        ),
        assembly_id=row.assembly_id,
    )
    tx.audit("report.remind", {"report": row.id, "hours": timer.slot}, row.assembly_id)
    return None
