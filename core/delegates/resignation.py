"""A delegate steps down: the seat ends at once and its vacancy opens by itself.

Holding a seat is never an obligation: like a member leaving, a delegate can
give the mandate back at any time, with no vote and no delay.
"""

from __future__ import annotations

from core import outbox, people
from core.context import Tx
from core.delegates import elections, seats
from core.errors import Refusal
from core.messages import N_, Msg, Reply


def resign(tx: Tx, person_id: int, seat_id: int) -> list[Reply]:
    """End the actor's own seat and open nominations for it."""
    seat = seats.get(tx, seat_id)
    if seat.person_id != person_id:
        raise Refusal("Only the delegate who holds seat {id} can resign it.", id=seat_id)
    seats.end(tx, seat, seats.RESIGNED)
    outbox.announce(
        tx,
        seat.assembly_id,
        Msg.of(
            N_("{name} resigned as delegate {id}."),
            name=people.display_name(tx, person_id),
            id=seat.id,
        ),
    )
    elections.open_vacancy(tx, seat.assembly_id, seat.body_id)
    return [Reply((Msg.of(N_("You no longer hold seat {id}."), id=seat.id),), private=True)]
