"""Minority statements: a member on the losing side may attach their dissent.

In a roll-call vote we can check the side: a member who did not vote for the
outcome. In a secret vote nobody can know the side without breaking the
secret, so any member who voted may attach a statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import assemblies
from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import ballots
from core.motions.model import FAILED, PASSED, Motion, in_assembly
from core.store.tables import statements, votes
from core.store.upsert import insert_new
from core.text import TEXT_LIMIT, clean


def attach(tx: Tx, assembly_id: int, person_id: int, motion_id: int, text: str) -> list[Reply]:
    """Attach the member's minority statement to a decided motion."""
    assemblies.require_member(tx, assembly_id, person_id)
    motion = in_assembly(tx, motion_id, assembly_id)
    if motion.status not in (PASSED, FAILED):
        raise Refusal(
            "Motion {id} is not decided; a minority statement needs a decision.", id=motion.id
        )
    if not ballots.voted(tx, motion, person_id):
        raise Refusal(
            "Only members who voted on motion {id} can attach a minority statement.", id=motion.id
        )
    if not motion.secret and not _on_losing_side(tx, motion, person_id):
        raise Refusal("You voted with the outcome of motion {id}.", id=motion.id)
    body = clean(text, TEXT_LIMIT, N_("statement"))
    if not insert_new(
        tx.conn,
        statements,
        {"motion_id": motion.id, "person_id": person_id, "text": body, "at": tx.now},
    ):
        raise Refusal("You have already attached a statement to motion {id}.", id=motion.id)
    tx.audit("statement.attach", {"motion": motion.id, "text": body}, assembly_id, person_id)
    return [
        Reply((Msg.of(N_("Your minority statement is attached to motion {id}."), id=motion.id),))
    ]


def _on_losing_side(tx: Tx, motion: Motion, person_id: int) -> bool:
    choice: Any = tx.conn.execute(
        select(votes.c.choice).where(votes.c.motion_id == motion.id, votes.c.person_id == person_id)
    ).scalar()
    winners = (motion.result or {}).get("winners", [])
    if motion.method == "yesno":
        return bool(choice != ("yes" if motion.status == PASSED else "no"))
    if motion.method == "consent":
        return isinstance(choice, dict) if motion.status == PASSED else bool(choice == "consent")
    if choice is None or not winners:
        return True
    if motion.method == "single":
        return bool(choice != winners[0])
    if motion.method == "approval":
        return bool(winners[0] not in choice)
    return not choice or choice[0] != winners[0]


def of_motion(tx: Tx, motion_id: int) -> list[tuple[int, str]]:
    """(person, statement) pairs attached to a motion."""
    rows = tx.conn.execute(
        select(statements.c.person_id, statements.c.text)
        .where(statements.c.motion_id == motion_id)
        .order_by(statements.c.id)
    )
    return [(r.person_id, r.text) for r in rows]
