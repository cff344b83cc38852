"""Instant recall: members take a seat back by co-signed petition and one vote.

Any member of the delegate's home assembly starts a recall petition
(``petitions`` kind ``recall``); when the co-signers reach the statute's
``recall.cosigners`` the recall motion opens at once, for ``recall.hours``.
The moment it passes the seat ends and a replacement election opens. The
delegate has no say in any of it beyond their own vote: there is no
protected period and nothing they can do delays it.
"""

from __future__ import annotations

from sqlalchemy import select

from core import assemblies, people, petitions
from core.context import Tx
from core.delegates import seats
from core.errors import Refusal
from core.i18n import render
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import OPEN, PASSED, Motion, from_row
from core.store.tables import delegates, motions
from core.store.tables import petitions as petitions_table


def start(tx: Tx, assembly_id: int, person_id: int, delegate_id: int, reason: str) -> list[Reply]:
    """Start (and sign) a petition to recall a delegate of this assembly."""
    assemblies.require_member(tx, assembly_id, person_id)
    require_recallable(tx, assembly_id, delegate_id)
    return petitions.start(tx, assembly_id, person_id, "recall", reason, delegate_id)


def require_recallable(tx: Tx, assembly_id: int, delegate_id: int) -> seats.Seat:
    """The seat, if this assembly can recall it now; else a refusal saying why."""
    seat = seats.get(tx, delegate_id)
    if seat.assembly_id != assembly_id:
        raise Refusal(
            "Delegate {id} sits for another assembly; only that assembly can recall them.",
            id=delegate_id,
        )
    if not seat.is_active:
        raise Refusal("Delegate {id} no longer holds a seat.", id=delegate_id)
    petition = _open_petition(tx, delegate_id)
    if petition is not None:
        raise Refusal(
            "A recall of delegate {id} is under way: sign it with /sign {petition}.",
            id=delegate_id,
            petition=petition,
        )
    motion = _open_motion(tx, assembly_id, delegate_id)
    if motion is not None:
        raise Refusal(
            "A recall of delegate {id} is already put to the vote as motion {motion}.",
            id=delegate_id,
            motion=motion,
        )
    return seat


def _open_petition(tx: Tx, delegate_id: int) -> int | None:
    """The recall petition collecting signatures for this seat, if any."""
    found = tx.conn.execute(
        select(petitions_table.c.id).where(
            petitions_table.c.kind == "recall",
            petitions_table.c.target_id == delegate_id,
            petitions_table.c.status == "open",
        )
    ).scalar()
    return None if found is None else int(found)


def _open_motion(tx: Tx, assembly_id: int, delegate_id: int) -> int | None:
    """The recall motion open on this seat, if any (few are ever open at once)."""
    rows = tx.conn.execute(
        select(motions).where(
            motions.c.assembly_id == assembly_id,
            motions.c.kind == "recall",
            motions.c.status == OPEN,
        )
    )
    for row in rows:
        if from_row(row).payload.get("delegate") == delegate_id:
            return int(row.id)
    return None


def put_to_vote(tx: Tx, assembly_id: int, delegate_id: int, petition_id: int, starter: int) -> int:
    """Open the recall motion now that the petition has its co-signers."""
    seat = seats.get(tx, delegate_id)
    if not seat.is_active:
        raise Refusal("Delegate {id} no longer holds a seat.", id=delegate_id)
    name = people.display_name(tx, seat.person_id)
    motion = lifecycle.propose(
        tx,
        assembly_id,
        starter,
        "recall",
        _title(tx, assembly_id, Msg.of(N_("{name}, delegate {id}"), name=name, id=delegate_id)),
        method="yesno",
        payload={"delegate": delegate_id, "petition": petition_id},
        hours=int(assemblies.statute(tx, assembly_id)["recall.hours"]),
    )
    return motion.id


def _title(tx: Tx, assembly_id: int, msg: Msg) -> str:
    """A motion title is stored text: write it once in the assembly's language."""
    return render(msg, str(assemblies.statute(tx, assembly_id)["language"]))


@effects.on_passed("recall")
def _recalled(tx: Tx, motion: Motion) -> list[Msg]:
    """End the seat the moment the recall passes; its powers go with it."""
    seat = seats.get(tx, int(motion.payload["delegate"]))
    name = people.display_name(tx, seat.person_id)
    if not seat.is_active:  # resigned or reached its term while the vote ran
        return [Msg.of(N_("{name} had already left as delegate {id}."), name=name, id=seat.id)]
    seats.end(tx, seat, seats.RECALLED, motion.id)
    return [
        Msg.of(
            N_("{name} is recalled as delegate {id}: the seat and all its powers end now."),
            name=name,
            id=seat.id,
        )
    ]


@effects.on_closed
def _replace(tx: Tx, motion: Motion) -> None:
    """Open the replacement election in the same transaction, announced after the result."""
    if motion.kind != "recall" or motion.status != PASSED:
        return
    row = tx.conn.execute(
        select(delegates.c.assembly_id, delegates.c.body_id).where(
            delegates.c.end_motion_id == motion.id
        )
    ).first()
    if row is None:  # the seat had ended before the recall passed
        return
    from core.delegates.elections import open_vacancy

    open_vacancy(tx, row.assembly_id, row.body_id)


@effects.on_not_passed("recall")
def _kept(tx: Tx, motion: Motion) -> list[Msg]:
    """Say plainly that the delegate keeps the seat (and can be recalled again)."""
    seat = seats.get(tx, int(motion.payload["delegate"]))
    return [
        Msg.of(
            N_("{name} stays delegate {id}. A new recall can start any time: /recall {id}"),
            name=people.display_name(tx, seat.person_id),
            id=seat.id,
        )
    ]
