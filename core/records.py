"""The record: decisions with results and dissent, and the audit head.

``/record`` shows the latest decisions of the assembly (or one sitting's
minutes); every record ends with the audit chain's head so members hold, in
their chat, a witness against later deletion (see core/audit.py).
"""

from __future__ import annotations

from sqlalchemy import select

from core import dissent, people
from core.audit import Chain
from core.context import Tx
from core.messages import N_, Msg, Reply
from core.motions import lifecycle
from core.motions.model import CLOSED, OPEN, from_row
from core.store.tables import agenda_items, motions

RECENT = 10


def record(tx: Tx, assembly_id: int, sitting_id: int | None = None) -> list[Reply]:
    """Recent decisions (or a sitting's minutes), each with result and dissent."""
    query = select(motions).where(
        motions.c.assembly_id == assembly_id, motions.c.status.in_(CLOSED)
    )
    if sitting_id is not None:
        linked = select(agenda_items.c.motion_id).where(agenda_items.c.sitting_id == sitting_id)
        query = query.where(motions.c.id.in_(linked) | (motions.c.sitting_id == sitting_id))
    rows = list(
        tx.conn.execute(
            query.order_by(motions.c.closed_at.desc(), motions.c.id.desc()).limit(RECENT)
        )
    )
    lines: list[Msg] = []
    if not rows:
        lines.append(Msg.of(N_("No decisions yet.")))
    for row in reversed(rows):
        motion = from_row(row)
        lines += lifecycle.result_lines(motion)[:3]
        for person_id, text in dissent.of_motion(tx, motion.id):
            lines.append(
                Msg.of(
                    N_("Minority statement by {name}: {text}"),
                    name=people.display_name(tx, person_id),
                    text=text,
                )
            )
    head = Chain.load(tx.conn)
    lines.append(Msg.of(N_("Audit head: {seq}:{hash}"), seq=head.seq, hash=head.hash[:16]))
    return [Reply(tuple(lines))]


def open_motions(tx: Tx, assembly_id: int) -> list[Reply]:
    """What is open for voting now, with its closing time."""
    rows = list(
        tx.conn.execute(
            select(motions)
            .where(motions.c.assembly_id == assembly_id, motions.c.status == OPEN)
            .order_by(motions.c.id)
        )
    )
    if not rows:
        return [Reply((Msg.of(N_("No motion is open.")),))]
    lines = []
    for row in rows:
        motion = from_row(row)
        lines += lifecycle.announcement(tx, motion)
    return [Reply(tuple(lines))]
