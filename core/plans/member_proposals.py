"""Members' proposals for the federation's next variant set: ``/plan propose <words>``.

Any member of a member assembly (or a delegate in the central chat) writes what
they want in plain words ("close coal", "+20% public transport", "35 hours",
see ``core.planning.proposals``). The words are read against the federation's
data at once, so a proposal that cannot be read is refused then, not when the
set is computed. Every proposal waiting when ``/plan compute`` runs becomes a
variant of that set, in the order made: none is dropped, none ranked. A member
may withdraw their own proposal before then.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from core import assemblies
from core.assemblies import Assembly
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg, Reply
from core.planning.proposals import Proposal, parse
from core.plans import economies
from core.plans.variant_sets import neutral
from core.store.tables import plan_proposals
from core.text import clean

TEXT_LIMIT = 500


@dataclass(frozen=True)
class Waiting:
    """A proposal not yet computed: its number, the member's words, who and where."""

    id: int
    text: str
    person_id: int
    assembly_id: int


def federation_of(tx: Tx, here: Assembly) -> Assembly:
    """The one federation a chat proposes to (refused when it is in none, or in several)."""
    bodies = central.read_from(tx, here)
    if len(bodies) > 1:
        raise Refusal(
            "{name} is in several federations; send this in the central chat of the one you mean.",
            name=here.name,
        )
    return bodies[0]


def propose(tx: Tx, here: Assembly, person_id: int, text: str) -> list[Reply]:
    """Read the proposal against the federation's data and keep it for the next set."""
    assemblies.require_member(tx, here.id, person_id)
    body = federation_of(tx, here)
    words = neutral(clean(text, TEXT_LIMIT, N_("proposal")))
    data = economies.of_federation(tx, body.id)
    read: Proposal = parse(words, data.economy.products)
    proposal_id = tx.conn.execute(
        insert(plan_proposals)
        .values(
            central_id=body.id,
            assembly_id=here.id,
            person_id=person_id,
            text=read.text,
            created_at=tx.now,
        )
        .returning(plan_proposals.c.id)
    ).scalar_one()
    tx.audit("plan.propose", {"proposal": proposal_id, "text": read.text}, body.id, person_id)
    return [
        Reply(
            (
                Msg.of(
                    N_(
                        "Proposal {id} noted: it will be a variant of {central}'s next variant "
                        "set, computed when a delegate sends /plan compute there."
                    ),
                    id=proposal_id,
                    central=body.name,
                ),
            )
        )
    ]


def withdraw(tx: Tx, person_id: int, proposal_id: int) -> list[Reply]:
    """The proposer takes back a proposal not yet computed."""
    row = tx.conn.execute(select(plan_proposals).where(plan_proposals.c.id == proposal_id)).first()
    if row is None or row.person_id != person_id or row.withdrawn_at is not None:
        raise Refusal("You have no proposal {id} waiting.", id=proposal_id)
    if row.set_id is not None:
        raise Refusal(
            "Proposal {id} is already a variant of set {set}.", id=proposal_id, set=row.set_id
        )
    tx.conn.execute(
        update(plan_proposals).where(plan_proposals.c.id == proposal_id).values(withdrawn_at=tx.now)
    )
    tx.audit("plan.withdraw", {"proposal": proposal_id}, row.central_id, person_id)
    return [Reply((Msg.of(N_("Proposal {id} withdrawn."), id=proposal_id),))]


def waiting(tx: Tx, central_id: int) -> list[Waiting]:
    """The proposals the next set must include, oldest first."""
    rows = tx.conn.execute(
        select(plan_proposals)
        .where(
            plan_proposals.c.central_id == central_id,
            plan_proposals.c.set_id.is_(None),
            plan_proposals.c.withdrawn_at.is_(None),
        )
        .order_by(plan_proposals.c.id)
    )
    return [Waiting(r.id, r.text, r.person_id, r.assembly_id) for r in rows]


def computed_in(tx: Tx, proposal_ids: list[int], set_id: int) -> None:
    """Mark proposals as made into variants of ``set_id``."""
    if proposal_ids:
        tx.conn.execute(
            update(plan_proposals)
            .where(plan_proposals.c.id.in_(proposal_ids))
            .values(set_id=set_id)
        )
