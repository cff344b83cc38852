"""Vote reminders: members who have not voted hear once (by default) before the close.

When a motion opens, its reminders are planned as timers: ``voting.reminders``
of them (default one), ``voting.remind_hours`` apart, the last that many hours
before the close (default four). A reminder that would fall in quiet hours
comes at their start instead. When it fires, each member who has not voted
gets a private message; members who voted get nothing. On a secret ballot the
turnout roll says who voted, never how.

The reminders are planned under the rules in force when the motion opens; a
later change of the rules applies to motions opened after it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import assemblies, outbox, timers
from core.calendar import local, reminding
from core.context import Tx
from core.messages import N_, Msg
from core.motions import effects, lifecycle
from core.motions.model import OPEN, Motion, load
from core.store.tables import turnout, votes

KIND = "motion.remind"
LAST_CALL = timedelta(minutes=30)  # a reminder held by quiet hours is dropped this near the close


@effects.on_opened
def plan(tx: Tx, motion: Motion) -> None:
    """Plan the statute's reminders between now and the close."""
    if motion.closes_at is None:
        return
    rules = assemblies.statute(tx, motion.assembly_id)
    count, every = int(rules["voting.reminders"]), int(rules["voting.remind_hours"])
    hours = [every * n for n in range(count, 0, -1)]
    reminding.plan_before(tx, motion.assembly_id, KIND, motion.id, motion.closes_at, hours)


def not_voted(tx: Tx, motion: Motion) -> list[int]:
    """Members of the motion's assembly with no ballot on it yet (here or, where a
    ballot elsewhere counts for this one, there)."""
    table = turnout if motion.secret else votes
    voted = set(
        tx.conn.execute(select(table.c.person_id).where(table.c.motion_id == motion.id)).scalars()
    )
    voted |= effects.voted_elsewhere(tx, motion)
    return [p for p in assemblies.member_ids(tx, motion.assembly_id) if p not in voted]


@timers.on_timer(KIND)
def remind(tx: Tx, timer: timers.Timer) -> timers.Later | None:
    """Tell each member who has not voted; wait out quiet hours if there is time."""
    motion = load(tx, timer.subject_id)
    if motion.status != OPEN or motion.closes_at is None or motion.closes_at <= tx.now:
        return None
    if (hold := reminding.held(tx, motion.assembly_id, motion.closes_at, LAST_CALL)) is not None:
        return hold.later
    lines = (
        Msg.of(
            N_("Reminder: motion {id}, {title}, closes {when}. You have not voted yet."),
            id=motion.id,
            title=motion.title,
            when=local.minute(motion.closes_at, local.zone_of(tx, motion.assembly_id)),
        ),
        Msg(lifecycle.METHOD_HINTS[motion.method], {"id": motion.id}),
    )
    waiting = not_voted(tx, motion)
    for person_id in waiting:
        outbox.tell(tx, person_id, *lines, assembly_id=motion.assembly_id)
    tx.audit(
        "motion.remind",
        {"motion": motion.id, "hours": timer.slot, "members": len(waiting)},
        motion.assembly_id,
    )
    return None
