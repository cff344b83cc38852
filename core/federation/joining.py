"""Joining and leaving a federation: only by the member assembly's own vote.

``/federation join|leave <central>`` puts a motion of kind ``federation`` to
the assembly; nothing changes until it passes. The central assembly cannot
make anyone join or leave. Leaving takes effect the moment the motion passes:
the assembly's delegates lose their seats there, and their vote with them.
"""

from __future__ import annotations

from sqlalchemy import select

from core import assemblies, outbox, people
from core.context import Tx
from core.delegates import seats
from core.errors import Refusal
from core.federation import central, roll
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import DRAFT, OPEN, Motion
from core.store.tables import motions

JOIN, LEAVE = "join", "leave"
KIND = "federation"

# The kind's name in motion announcements, registered by the module that owns the kind.


def propose(
    tx: Tx, assembly_id: int, proposer_id: int, central_id: int, action: str
) -> list[Reply]:
    """Put joining or leaving a central assembly to this assembly's vote."""
    assemblies.require_member(tx, assembly_id, proposer_id)
    if assemblies.kind_of(tx, assembly_id) == assemblies.CENTRAL:
        raise Refusal(
            "A central assembly cannot make anyone join or leave: "
            "each assembly decides that by its own vote."
        )
    body = central.require_central(tx, central_id)
    name = assemblies.get(tx, assembly_id).name
    joined = central.is_member(tx, central_id, assembly_id)
    if action == JOIN and joined:
        raise Refusal(
            "{name} is already a member of central assembly {central}.", name=name, central=body.id
        )
    if action == LEAVE and not joined:
        raise Refusal(
            "{name} is not a member of central assembly {central}.", name=name, central=body.id
        )
    if (pending := _pending(tx, assembly_id, central_id)) is not None:
        raise Refusal("This is already put to the vote as motion {id}.", id=pending)
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        KIND,
        f"{action} {body.name} ({body.id})",
        method="yesno",
        payload={"central": body.id, "action": action},
    )
    key = (
        N_("Joining {central} is put to the vote as motion {id}.")
        if action == JOIN
        else N_("Leaving {central} is put to the vote as motion {id}.")
    )
    return [Reply((Msg.of(key, central=body.name, id=motion.id),))]


def _pending(tx: Tx, assembly_id: int, central_id: int) -> int | None:
    """An open federation motion of this assembly about this central assembly."""
    rows = tx.conn.execute(
        select(motions.c.id, motions.c.payload).where(
            motions.c.assembly_id == assembly_id,
            motions.c.kind == KIND,
            motions.c.status.in_((OPEN, DRAFT)),
        )
    )
    return next((r.id for r in rows if r.payload.get("central") == central_id), None)


@effects.on_passed(KIND)
def _passed(tx: Tx, motion: Motion) -> list[Msg]:
    """Carry out the assembly's decision (unless an earlier motion already did)."""
    central_id, assembly_id = int(motion.payload["central"]), motion.assembly_id
    body = assemblies.get(tx, central_id)
    joined = central.is_member(tx, central_id, assembly_id)
    if motion.payload["action"] == JOIN:
        if joined:
            return [
                Msg.of(N_("Already a member of {central}: nothing changes."), central=body.name)
            ]
        return _join(tx, motion, body.id, body.name)
    if not joined:
        return [Msg.of(N_("Not a member of {central}: nothing changes."), central=body.name)]
    return _leave(tx, motion, body.id, body.name)


def _join(tx: Tx, motion: Motion, central_id: int, central_name: str) -> list[Msg]:
    assembly = assemblies.get(tx, motion.assembly_id)
    central.set_status(tx, central_id, assembly.id, central.ACTIVE, motion.id)
    tx.audit("federation.join", {"central": central_id, "motion": motion.id}, assembly.id)
    tx.audit("federation.member", {"assembly": assembly.id, "motion": motion.id}, central_id)
    delegation = seats.active(tx, assembly.id, central_id)
    names = ", ".join(people.display_name(tx, s.person_id) for s in delegation) or "-"
    outbox.announce(
        tx,
        central_id,
        Msg.of(
            N_("{assembly} joins, by its own vote (motion {motion}). Its delegates: {names}"),
            assembly=assembly.name,
            motion=motion.id,
            names=names,
        ),
    )
    roll.seat_delegation(tx, central_id, assembly.id)
    return [
        Msg.of(
            N_("{assembly} is now a member of {central}. Its news: /central"),
            assembly=assembly.name,
            central=central_name,
        )
    ]


def _leave(tx: Tx, motion: Motion, central_id: int, central_name: str) -> list[Msg]:
    assembly = assemblies.get(tx, motion.assembly_id)
    central.set_status(tx, central_id, assembly.id, central.LEFT, motion.id)
    tx.audit("federation.leave", {"central": central_id, "motion": motion.id}, assembly.id)
    tx.audit("federation.left", {"assembly": assembly.id, "motion": motion.id}, central_id)
    outbox.announce(
        tx,
        central_id,
        Msg.of(
            N_("{assembly} has left, by its own vote (motion {motion})."),
            assembly=assembly.name,
            motion=motion.id,
        ),
    )
    ended = roll.end_delegation(tx, central_id, assembly.id, motion.id)
    return [
        Msg.of(
            N_("{assembly} has left {central}: the seats of its delegates there ended ({n})."),
            assembly=assembly.name,
            central=central_name,
            n=len(ended),
        )
    ]
