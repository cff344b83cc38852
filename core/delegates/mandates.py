"""Mandates: what the assembly asks of its delegates, changed only by its vote.

A seat's scope, the hours a week its holder is released from work and its term
end change by a passed motion of kind "mandate"; so does each instruction on a
central motion, binding or advisory. ``/delegates`` shows it all to anyone in
the assembly's chat.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from core import assemblies, outbox, people
from core.calendar import local
from core.context import Tx
from core.delegates import seats
from core.delegates.elections import KIND as ELECTION
from core.delegates.elections import day
from core.delegates.seats import Seat
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.choices import describe, parse_choice
from core.motions.model import CLOSED, DRAFT, OPEN, Motion, from_row, load
from core.store.tables import assemblies as assembly_table
from core.store.tables import federation_members, instructions, motions
from core.text import TITLE_LIMIT, clean

KIND = "mandate"
MAX_RELEASE = 60
SHOWN_INSTRUCTIONS = 10
FORCE = {"binding": True, "advisory": False}

# The kind's name in motion announcements, registered by the module that owns the kind.


def _seat_here(tx: Tx, assembly_id: int, seat_id: int) -> Seat:
    """A seat this assembly gave and that is still held."""
    seat = seats.get(tx, seat_id)
    if seat.assembly_id != assembly_id:
        raise Refusal("There is no delegate {id}.", id=seat_id)
    if not seat.is_active:
        raise Refusal("Delegate {id} no longer holds a seat.", id=seat_id)
    return seat


def _release(text: str) -> int:
    """Hours a week off work, within what a seat can sensibly carry."""
    value = text.strip()
    if not value.isdigit() or not 0 <= int(value) <= MAX_RELEASE:
        raise Refusal("Give the hours a week released from work, from 0 to 60.")
    return int(value)


def _term_end(tx: Tx, text: str) -> datetime | None:
    """``YYYY-MM-DD`` (the seat ends as that day begins, UTC) or ``none``."""
    value = text.strip().lower()
    if value in ("none", "-"):
        return None
    try:
        when = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise Refusal("Give the term end as YYYY-MM-DD, or none.") from None
    if when <= tx.now:
        raise Refusal("That date has already passed.")
    return when


def propose_change(
    tx: Tx, assembly_id: int, proposer_id: int, seat_id: int, what: str, value: str
) -> list[Reply]:
    """Put a change of one seat's scope, release hours or term end to the vote."""
    assemblies.require_member(tx, assembly_id, proposer_id)
    seat = _seat_here(tx, assembly_id, seat_id)
    name = people.display_name(tx, seat.person_id)
    if what == "scope":
        scope = clean(value, TITLE_LIMIT, N_("scope"))
        stored: Any = scope
        shown, explained = (
            scope,
            Msg.of(
                N_("If it passes, the scope of {name} (delegate {id}) is: {scope}"),
                name=name,
                id=seat.id,
                scope=scope,
            ),
        )
    elif what == "release":
        stored = _release(value)
        shown, explained = (
            f"{stored} h",
            Msg.of(
                N_("If it passes, {name} (delegate {id}) is released from work {hours} h a week."),
                name=name,
                id=seat.id,
                hours=stored,
            ),
        )
    else:
        ends = _term_end(tx, value)
        stored = ends.isoformat() if ends else None
        shown = day(ends) if ends else "-"
        explained = (
            Msg.of(
                N_("If it passes, the term of {name} (delegate {id}) ends on {date}."),
                name=name,
                id=seat.id,
                date=shown,
            )
            if ends
            else Msg.of(
                N_("If it passes, the term of {name} (delegate {id}) has no fixed end."),
                name=name,
                id=seat.id,
            )
        )
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        KIND,
        f"{name} ({seat.id}): {shown}"[:TITLE_LIMIT],
        method="yesno",
        payload={"delegate": seat.id, "change": what, "value": stored},
    )
    outbox.announce(tx, assembly_id, explained)
    return [Reply((Msg.of(N_("Mandate change put to the vote as motion {id}."), id=motion.id),))]


def _body_of_subject(tx: Tx, assembly_id: int, subject: Motion) -> int:
    """The central assembly the subject is before, if this assembly sends delegates there."""
    kind = tx.conn.execute(
        select(assembly_table.c.kind).where(assembly_table.c.id == subject.assembly_id)
    ).scalar()
    member = tx.conn.execute(
        select(federation_members.c.status).where(
            federation_members.c.central_id == subject.assembly_id,
            federation_members.c.assembly_id == assembly_id,
        )
    ).scalar()
    seated = any(s.body_id == subject.assembly_id for s in seats.active(tx, assembly_id))
    if kind != "central" or not (member == "active" or seated):
        raise Refusal(
            "Motion {id} is not before a central assembly this assembly belongs to.",
            id=subject.id,
        )
    return subject.assembly_id


def propose_instruction(
    tx: Tx, assembly_id: int, proposer_id: int, subject_id: int, choice_text: str, force: str
) -> list[Reply]:
    """Put an instruction to the delegates on one central motion to the vote."""
    assemblies.require_member(tx, assembly_id, proposer_id)
    binding = FORCE.get(force.strip().lower())
    if binding is None:
        raise Refusal(
            "Instruct the delegates: /instruct <central motion> <choice> binding|advisory"
        )
    subject = load(tx, subject_id)
    body_id = _body_of_subject(tx, assembly_id, subject)
    if subject.status not in (DRAFT, OPEN):
        raise Refusal("Central motion {id} is already decided.", id=subject.id)
    choice = parse_choice(subject.method, subject.options, choice_text)
    shown = describe(subject.method, subject.options, choice)
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        KIND,
        f"#{subject.id} {subject.title}: {shown}"[:TITLE_LIMIT],
        method="yesno",
        payload={
            "change": "instruct",
            "body_id": body_id,
            "subject_id": subject.id,
            "subject": subject.title,
            "choice": choice,
            "binding": binding,
        },
    )
    key = (
        N_("If it passes, our delegates must vote {choice} on central motion {id}: {subject}")
        if binding
        else N_(
            "If it passes, our delegates should vote {choice} on central motion {id}: {subject}"
        )
    )
    outbox.announce(
        tx, assembly_id, Msg(key, {"choice": shown, "id": subject.id, "subject": subject.title})
    )
    return [Reply((Msg.of(N_("Instruction put to the vote as motion {id}."), id=motion.id),))]


@effects.on_passed(KIND)
def _mandate_passed(tx: Tx, motion: Motion) -> list[Msg]:
    """Record the instruction, or change the seat, as the assembly decided."""
    change = motion.payload["change"]
    if change == "instruct":
        return _instruct(tx, motion)
    seat = seats.get(tx, int(motion.payload["delegate"]))
    if not seat.is_active:
        return [Msg.of(N_("Delegate {id} no longer holds a seat; nothing changed."), id=seat.id)]
    value = motion.payload["value"]
    if change == "scope":
        seats.set_mandate(tx, seat, scope=value)
    elif change == "release":
        seats.set_mandate(tx, seat, release_hours=int(value))
    else:
        seats.set_mandate(tx, seat, term_ends_at=datetime.fromisoformat(value) if value else None)
    name = people.display_name(tx, seat.person_id)
    return [Msg.of(N_("The mandate of {name} (delegate {id}) is changed."), name=name, id=seat.id)]


def _instruct(tx: Tx, motion: Motion) -> list[Msg]:
    """Record the instruction the assembly adopted, for the federation to check votes."""
    payload = motion.payload
    tx.conn.execute(
        insert(instructions).values(
            assembly_id=motion.assembly_id,
            body_id=payload["body_id"],
            subject_id=payload["subject_id"],
            subject=payload["subject"],
            choice=payload["choice"],
            binding=bool(payload["binding"]),
            motion_id=motion.id,
            adopted_at=tx.now,
        )
    )
    tx.audit(
        "delegate.instruct",
        {
            "subject": payload["subject_id"],
            "choice": payload["choice"],
            "binding": payload["binding"],
            "motion": motion.id,
        },
        motion.assembly_id,
    )
    return [
        Msg.of(
            N_("Instruction in force on central motion {id} ({force})."),
            id=payload["subject_id"],
            force=Msg(FORCE_NAMES[bool(payload["binding"])]),
        )
    ]


FORCE_NAMES = {True: N_("binding"), False: N_("advisory")}


# --------------------------------------------------------------------------- the listing


def listing(tx: Tx, assembly_id: int) -> list[Reply]:
    """The delegates with their mandates, instructions in force and running elections."""
    held = seats.active(tx, assembly_id)
    lines = (
        [Msg.of(N_("Delegates of {assembly}:"), assembly=assemblies.get(tx, assembly_id).name)]
        if held
        else [Msg.of(N_("No delegate holds a seat. Call an election: /elect"))]
    )
    names = people.names(tx, [s.person_id for s in held])
    for seat in held:
        lines += _seat_lines(tx, seat, names.get(seat.person_id, f"#{seat.person_id}"))
    lines += _instruction_lines(tx, assembly_id)
    lines += _election_lines(tx, assembly_id)
    return [Reply(tuple(lines))]


def _seat_lines(tx: Tx, seat: Seat, name: str) -> list[Msg]:
    """One delegate: body, term end, release hours and scope."""
    until = day(seat.term_ends_at) if seat.term_ends_at else Msg.of(N_("no fixed end"))
    lines = [
        Msg.of(
            N_("Delegate {id}: {name}, in {body}"),
            id=seat.id,
            name=name,
            body=_name_of(tx, seat.body_id),
        )
        if seat.body_id
        else Msg.of(N_("Delegate {id}: {name}"), id=seat.id, name=name),
        Msg.of(
            N_("  Term ends: {until}. Released: {hours} h a week."),
            until=until,
            hours=seat.release_hours,
        ),
    ]
    if seat.scope:
        lines.append(Msg.of(N_("  Scope: {scope}"), scope=seat.scope))
    return lines


def _name_of(tx: Tx, assembly_id: int) -> str:
    """An assembly's name, for the body a delegate sits in."""
    name = tx.conn.execute(
        select(assembly_table.c.name).where(assembly_table.c.id == assembly_id)
    ).scalar()
    return str(name) if name else f"#{assembly_id}"


def _instruction_lines(tx: Tx, assembly_id: int) -> list[Msg]:
    """The latest instruction per central motion still undecided."""
    rows = tx.conn.execute(
        select(instructions, motions.c.status, motions.c.method, motions.c.options)
        .join(motions, motions.c.id == instructions.c.subject_id)
        .where(instructions.c.assembly_id == assembly_id, motions.c.status.not_in(CLOSED))
        .order_by(instructions.c.id.desc())
    )
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row.subject_id, row)
    if not latest:
        return []
    lines = [Msg.of(N_("Instructions in force:"))]
    for row in list(latest.values())[:SHOWN_INSTRUCTIONS]:
        lines.append(
            Msg.of(
                N_("Central motion {id}, {subject}: {choice} ({force})"),
                id=row.subject_id,
                subject=row.subject,
                choice=describe(row.method, list(row.options), row.choice),
                force=Msg(FORCE_NAMES[bool(row.binding)]),
            )
        )
    return lines


def _election_lines(tx: Tx, assembly_id: int) -> list[Msg]:
    """Elections under way, so members know where to stand or vote."""
    rows = tx.conn.execute(
        select(motions)
        .where(
            motions.c.assembly_id == assembly_id,
            motions.c.kind == ELECTION,
            motions.c.status.in_((DRAFT, OPEN)),
        )
        .order_by(motions.c.id)
    )
    lines = []
    for motion in (from_row(r) for r in rows):
        if motion.status == OPEN and motion.closes_at:
            lines.append(
                Msg.of(
                    N_("Election {id}: voting until {when}."),
                    id=motion.id,
                    when=local.minute(motion.closes_at, local.zone_of(tx, assembly_id)),
                )
            )
        elif closes := motion.payload.get("nominations_close"):
            lines.append(
                Msg.of(
                    N_("Election {id}: nominations until {when}: /nominate {id}"),
                    id=motion.id,
                    when=local.minute(
                        datetime.fromisoformat(closes), local.zone_of(tx, assembly_id)
                    ),
                )
            )
    return lines
