"""Reading the central assembly from below: what it proposed, decided, and who sits there.

``/central`` in a member assembly's chat lists the recent central motions;
``/central <motion>`` expands one (``/show`` stays within one assembly), with
how this assembly's delegates voted beside its instruction. In the central
assembly's own chat both read its own motions, with every vote by name.
"""

from __future__ import annotations

from sqlalchemy import select

from core import people
from core.assemblies import Assembly
from core.context import Tx
from core.errors import Refusal
from core.federation import central, relay, roll
from core.messages import N_, Msg, Reply
from core.motions import ballots, lifecycle
from core.motions.choices import describe
from core.motions.model import DRAFT, OPEN, Motion, from_row, load
from core.store.tables import motions

RECENT = 10


def _centrals(tx: Tx, assembly: Assembly) -> list[Assembly]:
    """The central assemblies this chat may read: its own, or those it belongs to."""
    return [assembly] if assembly.is_central else central.centrals_of(tx, assembly.id)


def _no_federation(assembly: Assembly) -> Refusal:
    return Refusal(
        "{name} is in no federation. Join one by vote: /federation join <central number>",
        name=assembly.name,
    )


def recent(tx: Tx, assembly: Assembly) -> list[Reply]:
    """The latest motions of each central assembly, with their status."""
    centrals = _centrals(tx, assembly)
    if not centrals:
        raise _no_federation(assembly)
    lines: list[Msg] = []
    for body in centrals:
        lines.append(Msg.of(N_("Central {central} ({id}):"), central=body.name, id=body.id))
        rows = list(
            tx.conn.execute(
                select(motions)
                .where(motions.c.assembly_id == body.id, motions.c.status != DRAFT)
                .order_by(motions.c.id.desc())
                .limit(RECENT)
            )
        )
        if not rows:
            lines.append(Msg.of(N_("No central motions yet.")))
        for motion in (from_row(r) for r in reversed(rows)):
            lines.append(
                Msg.of(
                    N_("{id} {status}: {title}"),
                    id=motion.id,
                    status=Msg(lifecycle.STATUS_NAMES.get(motion.status, motion.status)),
                    title=motion.title,
                )
            )
    lines.append(Msg.of(N_("Read one: /central <motion>")))
    return [Reply(tuple(lines))]


def expand(tx: Tx, assembly: Assembly, motion_id: int) -> list[Reply]:
    """One central motion in full, with the votes that concern this chat."""
    centrals = {body.id: body for body in _centrals(tx, assembly)}
    if not centrals:
        raise _no_federation(assembly)
    motion = load(tx, motion_id)
    body = centrals.get(motion.assembly_id)
    if body is None or motion.status == DRAFT:
        raise Refusal("There is no central motion {id}.", id=motion_id)
    lines = [Msg.of(N_("Central {central} ({id}):"), central=body.name, id=body.id)]
    if motion.status == OPEN:
        lines += lifecycle.announcement(tx, motion)
    else:
        lines += lifecycle.result_lines(motion)
    if assembly.is_central:
        lines.append(_roll_call(tx, motion))
    else:
        lines += relay.Delegations(tx, motion, [assembly.id]).lines(assembly.id)
    return [Reply(tuple(lines))]


def _roll_call(tx: Tx, motion: Motion) -> Msg:
    """Every counted vote by name (central votes are never secret)."""
    cast = ballots.open_choices(tx, motion)
    names = people.names(tx, [person for person, _ in cast]) if cast else {}
    listing = ", ".join(
        f"{names.get(p, f'#{p}')} {describe(motion.method, motion.options, c)}" for p, c in cast
    )
    return Msg.of(N_("Votes by name: {list}"), list=listing or "-")


def overview(tx: Tx, assembly: Assembly) -> list[Reply]:
    """In a central chat: its member assemblies and delegates; elsewhere: its federations."""
    if assembly.is_central:
        return [Reply(tuple(_members_of(tx, assembly)))]
    centrals = central.centrals_of(tx, assembly.id)
    if not centrals:
        raise _no_federation(assembly)
    lines = []
    for body in centrals:
        mine = [s for s in roll.seated(tx, body.id) if s.assembly_id == assembly.id]
        names = people.names(tx, [s.person_id for s in mine]) if mine else {}
        lines.append(
            Msg.of(
                N_("Member of central {central} ({id}); your delegates there: {names}"),
                central=body.name,
                id=body.id,
                names=", ".join(f"{names.get(s.person_id, '?')} ({s.id})" for s in mine) or "-",
            )
        )
    return [Reply(tuple(lines))]


def _members_of(tx: Tx, body: Assembly) -> list[Msg]:
    """Each member assembly and the delegates it seats here."""
    members = central.members(tx, body.id)
    seated = roll.seated(tx, body.id)
    names = people.names(tx, [s.person_id for s in seated]) if seated else {}
    lines = [
        Msg.of(
            N_("Central {central} ({id}): {n} member assemblies."),
            central=body.name,
            id=body.id,
            n=len(members),
        )
    ]
    for member in members:
        mine = [s for s in seated if s.assembly_id == member.id]
        lines.append(
            Msg.of(
                N_("{assembly}: {names}"),
                assembly=member.name,
                names=", ".join(f"{names.get(s.person_id, '?')} ({s.id})" for s in mine) or "-",
            )
        )
    if not members:
        lines.append(
            Msg.of(N_("Assemblies join by their own vote: /federation join {id}"), id=body.id)
        )
    return lines
