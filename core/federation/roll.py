"""The central roll: exactly the delegates seated there by its member assemblies.

The members of a central assembly (``members`` rows with its id) are the
active seats whose body is that assembly and whose home assembly is an active
member of it. Nothing else changes the roll: a seat starting puts its holder
on it, a seat ending (recall, term end, resignation, the home assembly
leaving) takes them off at once, so a recalled delegate's vote there goes
with the seat (``core/motions/ballots.open_choices`` counts members only).
"""

from __future__ import annotations

from sqlalchemy import select, update

from core import assemblies, outbox, people
from core.context import Tx
from core.delegates import seats
from core.delegates.seats import Seat
from core.federation import central
from core.messages import N_, Msg
from core.store.tables import delegates, federation_members, members
from core.store.upsert import upsert

# How a member of the central roll leaves it, by how their seat ended.
_ROLL_STATUS = {seats.RECALLED: "recalled", seats.RESIGNED: "left", seats.ENDED: "ended"}
_STATUS_NAMES = {
    "recalled": N_("recalled by their assembly"),
    "left": N_("resigned"),
    "ended": N_("seat ended"),
}


@seats.on_change
def _follow_seat(tx: Tx, seat: Seat) -> None:
    """A seat in a central assembly started or ended: put the roll right at once."""
    if seat.body_id is None or assemblies.kind_of(tx, seat.body_id) != assemblies.CENTRAL:
        return
    sync(tx, seat.body_id, seat)


def seated(tx: Tx, central_id: int) -> list[Seat]:
    """The seats that make the roll: active, in this body, of an active member assembly."""
    joined = select(federation_members.c.assembly_id).where(
        federation_members.c.central_id == central_id,
        federation_members.c.status == central.ACTIVE,
    )
    homes = set(tx.conn.execute(joined).scalars())
    return [seat for seat in seats.active(tx, body_id=central_id) if seat.assembly_id in homes]


def holding(tx: Tx, central_id: int, person_id: int) -> list[tuple[int, int]]:
    """(seat, home assembly) of each seat the person holds here for an active member."""
    rows = tx.conn.execute(
        select(delegates.c.id, delegates.c.assembly_id)
        .join(
            federation_members,
            (federation_members.c.assembly_id == delegates.c.assembly_id)
            & (federation_members.c.central_id == delegates.c.body_id),
        )
        .where(
            delegates.c.body_id == central_id,
            delegates.c.person_id == person_id,
            delegates.c.status == seats.ACTIVE,
            federation_members.c.status == central.ACTIVE,
        )
        .order_by(delegates.c.id)
    )
    return [(r.id, r.assembly_id) for r in rows]


def sync(tx: Tx, central_id: int, seat: Seat) -> None:
    """Make the seat holder's place on the central roll match the seats they hold."""
    person_id = seat.person_id
    on_roll = assemblies.is_member(tx, central_id, person_id)
    entitled = bool(holding(tx, central_id, person_id))
    if entitled and not on_roll:
        _seat_on_roll(tx, central_id, seat)
    elif on_roll and not entitled:
        _take_off_roll(tx, central_id, seat, _ROLL_STATUS.get(seat.status, "ended"))


def _seat_on_roll(tx: Tx, central_id: int, seat: Seat) -> None:
    upsert(
        tx.conn,
        members,
        {
            "assembly_id": central_id,
            "person_id": seat.person_id,
            "status": "active",
            "joined_at": tx.now,
            "ended_at": None,
        },
        ["assembly_id", "person_id"],
        ["status", "joined_at", "ended_at"],
    )
    tx.audit("member.admit", {"person": seat.person_id, "by": f"delegate {seat.id}"}, central_id)
    outbox.announce(
        tx,
        central_id,
        Msg.of(
            N_("{name}, delegate of {home}, takes a seat here."),
            name=people.display_name(tx, seat.person_id),
            home=assemblies.get(tx, seat.assembly_id).name,
        ),
    )


def _take_off_roll(tx: Tx, central_id: int, seat: Seat, status: str) -> None:
    tx.conn.execute(
        update(members)
        .where(members.c.assembly_id == central_id, members.c.person_id == seat.person_id)
        .values(status=status, ended_at=tx.now)
    )
    tx.audit(
        "member.end",
        {"person": seat.person_id, "status": status, "delegate": seat.id},
        central_id,
    )
    outbox.announce(
        tx,
        central_id,
        Msg.of(
            N_("{name}, delegate of {home}, no longer sits here: {why}."),
            name=people.display_name(tx, seat.person_id),
            home=assemblies.get(tx, seat.assembly_id).name,
            why=Msg(_STATUS_NAMES[status]),
        ),
    )


def seat_delegation(tx: Tx, central_id: int, assembly_id: int) -> list[Seat]:
    """The assembly joined: its delegates already seated in this body take their places."""
    delegation = seats.active(tx, assembly_id, central_id)
    for seat in delegation:
        sync(tx, central_id, seat)
    return delegation


def end_delegation(tx: Tx, central_id: int, assembly_id: int, motion_id: int) -> list[Seat]:
    """The assembly left: its delegates' seats in this body end now, and the roll with them."""
    return [
        seats.end(tx, seat, seats.ENDED, motion_id)
        for seat in seats.active(tx, assembly_id, central_id)
    ]
