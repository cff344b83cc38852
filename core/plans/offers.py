"""A workplace's productive possibilities, offered to the plan factory by its assembly's vote.

``/plan offer <sector>; now 120; capacity 150; expand two new presses: +40 with
2.5 machinery`` (grammar in ``core.planning.workplaces``) is read against the
federation's data at once (bad words are refused before any vote), then put
to the assembly as a motion of kind ``offer``: what the workplace can make is
the assembly's to say, not one member's. When it passes, it stands as the
assembly's offer for the federation's next variant sets, replacing its
previous one. The factory regroups all offers, points out what cannot go
together, and builds variants from what can (``core.plans.factory``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from core import assemblies
from core.assemblies import Assembly
from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion
from core.planning.workplaces import Offer, check_offer, parse_offer
from core.plans import economies
from core.plans.member_proposals import federation_of
from core.store.tables import plan_offers
from core.text import TITLE_LIMIT, clean

KIND = "offer"
TEXT_LIMIT = 1000


def offer(tx: Tx, here: Assembly, person_id: int, text: str, hours: int | None) -> list[Reply]:
    """Read the offer and put it to the assembly's vote."""
    assemblies.require_member(tx, here.id, person_id)
    if here.is_central:
        raise Refusal("A workplace offers its possibilities in its own assembly's chat.")
    body = federation_of(tx, here)
    words = clean(text, TEXT_LIMIT, N_("offer"))
    data = economies.of_federation(tx, body.id)
    read = parse_offer(words, here.name, data.economy.products)
    check_offer(data.economy, read)
    lifecycle.check_window(tx, here.id, hours)
    motion = lifecycle.propose(
        tx,
        here.id,
        person_id,
        KIND,
        words[:TITLE_LIMIT],
        body=words,
        payload={"central": body.id, "offer": read.describe()},
        hours=hours,
    )
    return [
        Reply(
            (
                Msg.of(
                    N_(
                        "The assembly decides whether this is the workplace's offer to the "
                        "plan of {central}: motion {id}."
                    ),
                    id=motion.id,
                    central=body.name,
                ),
            )
        )
    ]


@effects.on_passed(KIND)
def _adopted(tx: Tx, motion: Motion) -> list[Msg]:
    """The passed offer stands for the next variant sets, in place of the previous one."""
    central_id = int(motion.payload["central"])
    tx.conn.execute(
        update(plan_offers)
        .where(
            plan_offers.c.assembly_id == motion.assembly_id,
            plan_offers.c.central_id == central_id,
            plan_offers.c.replaced_at.is_(None),
        )
        .values(replaced_at=tx.now)
    )
    tx.conn.execute(
        insert(plan_offers).values(
            central_id=central_id,
            assembly_id=motion.assembly_id,
            motion_id=motion.id,
            offer=motion.payload["offer"],
            created_at=tx.now,
        )
    )
    tx.audit("plan.offer", {"motion": motion.id, "offer": motion.payload["offer"]}, central_id)
    return [Msg.of(N_("This is now the workplace's offer for the federation's next variant sets."))]


def standing(tx: Tx, central_id: int) -> list[tuple[int, Offer]]:
    """(assembly id, offer) of every member assembly's standing offer, oldest first."""
    rows = tx.conn.execute(
        select(plan_offers.c.assembly_id, plan_offers.c.offer)
        .where(plan_offers.c.central_id == central_id, plan_offers.c.replaced_at.is_(None))
        .order_by(plan_offers.c.id)
    )
    return [(int(r.assembly_id), _offer(r.offer)) for r in rows]


def _offer(data: dict[str, Any]) -> Offer:
    return Offer.from_dict(data)
