"""What the central assembly does reaches every member assembly, at once.

- A motion opened there is relayed as one digest line to every member assembly.
- A delegate's vote there that goes against a binding instruction of their home
  assembly is flagged in that assembly the moment it is cast, with the recall.
- A result there is announced in every member assembly in the transaction that
  decided it, each with how its own delegates voted beside their instruction.

There is no delegates-only channel: whatever the centre proposes or decides,
the members below read too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core import assemblies, outbox, people
from core.context import Tx
from core.delegates import seats
from core.delegates.seats import Instruction
from core.errors import Refusal
from core.federation import central, roll
from core.messages import N_, Msg
from core.motions import effects, lifecycle
from core.motions.choices import describe, parse_choice
from core.motions.model import Motion
from core.store.tables import delegates, instructions, votes

NOT_CAST = object()  # a delegate who did not vote


def _is_central(tx: Tx, motion: Motion) -> bool:
    return assemblies.kind_of(tx, motion.assembly_id) == assemblies.CENTRAL


@effects.on_opened
def relay_opened(tx: Tx, motion: Motion) -> None:
    """One digest line in every member assembly: what the centre now votes on."""
    if not _is_central(tx, motion):
        return
    name = assemblies.get(tx, motion.assembly_id).name
    line = Msg.of(
        N_("Central {central}: motion {id} opened: {title}. More: /central {id}"),
        central=name,
        id=motion.id,
        title=motion.title,
    )
    for member in central.members(tx, motion.assembly_id):
        outbox.announce(tx, member.id, line)


def _same(motion: Motion, instructed: Any, cast: Any) -> bool:
    """Whether a vote follows the instruction (typed as a member would vote, or stored)."""
    if instructed == cast:
        return True
    if not isinstance(instructed, str):
        return False
    try:
        return bool(parse_choice(motion.method, motion.options, instructed) == cast)
    except Refusal:
        return False


def _shown(motion: Motion, choice: Any) -> str:
    """A choice or an instructed choice as members read it."""
    if isinstance(choice, str) and motion.method not in ("yesno", "consent"):
        return choice
    try:
        return describe(motion.method, motion.options, choice)
    except (IndexError, TypeError):
        return str(choice)


@effects.on_cast
def _check_mandate(tx: Tx, motion: Motion, person_id: int, choice: Any) -> None:
    """Flag, in the home assembly, a central vote against its binding instruction."""
    if not _is_central(tx, motion):
        return
    for seat_id, home_id in roll.holding(tx, motion.assembly_id, person_id):
        instruction = seats.instruction_for(tx, home_id, motion.id)
        if instruction is None or not instruction.binding or instruction.choice is None:
            continue
        if _same(motion, instruction.choice, choice):
            continue
        tx.audit(
            "federation.flag",
            {"motion": motion.id, "delegate": seat_id, "instruction": instruction.id},
            home_id,
        )
        outbox.announce(
            tx,
            home_id,
            Msg.of(
                N_(
                    "Delegate {name} voted {choice} on central motion {id} ({title}), "
                    "against your binding instruction {instructed}. Recall: /recall {seat}"
                ),
                name=people.display_name(tx, person_id),
                choice=_shown(motion, choice),
                id=motion.id,
                title=motion.title,
                instructed=_shown(motion, instruction.choice),
                seat=seat_id,
            ),
        )


@effects.on_closed
def _relay_result(tx: Tx, motion: Motion) -> None:
    """The result, in every member assembly, in the transaction that decided it."""
    if not _is_central(tx, motion):
        return
    name = assemblies.get(tx, motion.assembly_id).name
    status = Msg(lifecycle.STATUS_NAMES[motion.status])
    head = [
        Msg.of(
            N_("Central {central}: motion {id} {status}: {title}"),
            central=name,
            id=motion.id,
            status=status,
            title=motion.title,
        ),
        *lifecycle.result_lines(motion)[1:],
    ]
    homes = [member.id for member in central.members(tx, motion.assembly_id)]
    report = Delegations(tx, motion, homes)
    for home_id in homes:
        outbox.announce(tx, home_id, *head, *report.lines(home_id))


class Delegations:
    """How each member assembly's delegates voted on one central motion, read at once
    for all of them (a federation can have a thousand member assemblies)."""

    def __init__(self, tx: Tx, motion: Motion, homes: Iterable[int]) -> None:
        self.motion = motion
        wanted = set(homes)
        when = motion.closed_at or tx.now
        self.held = [row for row in _held_at(tx, motion.assembly_id, when) if row[1] in wanted]
        persons = [person for _, _, person in self.held]
        self.votes = _votes(tx, motion.id, persons)
        self.instructions = _instructions(tx, motion.id, wanted)
        self.names = people.names(tx, persons) if persons else {}

    def lines(self, home_id: int) -> list[Msg]:
        """One line per delegate of ``home_id``: their vote beside the instruction."""
        mine = [(seat, person) for seat, home, person in self.held if home == home_id]
        if not mine:
            return [Msg.of(N_("You had no delegate seated for this vote."))]
        instruction = self.instructions.get(home_id)
        return [
            self._line(seat, self.names.get(person, f"#{person}"), person, instruction)
            for seat, person in mine
        ]

    def _line(self, seat: int, name: str, person: int, instruction: Instruction | None) -> Msg:
        cast = self.votes.get(person, NOT_CAST)
        if instruction is None or instruction.choice is None:
            if cast is NOT_CAST:
                return Msg.of(N_("Delegate {name} did not vote."), name=name)
            return Msg.of(
                N_("Delegate {name} voted {choice}."), name=name, choice=_shown(self.motion, cast)
            )
        instructed = _shown(self.motion, instruction.choice)
        if cast is NOT_CAST:
            key = (
                N_(
                    "Delegate {name} did not vote; binding instruction {instructed}. "
                    "Recall: /recall {seat}"
                )
                if instruction.binding
                else N_("Delegate {name} did not vote; advisory instruction {instructed}.")
            )
            return Msg.of(key, name=name, instructed=instructed, seat=seat)
        followed = _same(self.motion, instruction.choice, cast)
        key = {
            (True, True): N_(
                "Delegate {name} voted {choice}; binding instruction {instructed}: followed."
            ),
            (True, False): N_(
                "Delegate {name} voted {choice}; binding instruction {instructed}: "
                "NOT followed. Recall: /recall {seat}"
            ),
            (False, True): N_(
                "Delegate {name} voted {choice}; advisory instruction {instructed}: followed."
            ),
            (False, False): N_(
                "Delegate {name} voted {choice}; advisory instruction {instructed}: not followed."
            ),
        }[(instruction.binding, followed)]
        return Msg.of(
            key, name=name, choice=_shown(self.motion, cast), instructed=instructed, seat=seat
        )


def _held_at(tx: Tx, central_id: int, when: datetime) -> list[tuple[int, int, int]]:
    """(seat, home assembly, person) of every seat held in the body at ``when``."""
    rows = tx.conn.execute(
        select(delegates.c.id, delegates.c.assembly_id, delegates.c.person_id)
        .where(
            delegates.c.body_id == central_id,
            delegates.c.started_at <= when,
            delegates.c.ended_at.is_(None) | (delegates.c.ended_at > when),
        )
        .order_by(delegates.c.id)
    )
    return [(r.id, r.assembly_id, r.person_id) for r in rows]


def _votes(tx: Tx, motion_id: int, persons: list[int]) -> dict[int, Any]:
    if not persons:
        return {}
    rows = tx.conn.execute(
        select(votes.c.person_id, votes.c.choice).where(
            votes.c.motion_id == motion_id, votes.c.person_id.in_(persons)
        )
    )
    return {r.person_id: r.choice for r in rows}


def _instructions(tx: Tx, motion_id: int, homes: set[int]) -> dict[int, Instruction]:
    """Each assembly's latest instruction on the motion (as ``seats.instruction_for``)."""
    rows = tx.conn.execute(
        select(instructions)
        .where(instructions.c.subject_id == motion_id)
        .order_by(instructions.c.id)
    )
    return {
        r.assembly_id: Instruction(r.id, r.subject_id, r.subject, r.choice, r.binding, r.motion_id)
        for r in rows
        if r.assembly_id in homes
    }
