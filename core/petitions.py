"""Petitions: N members can convene an extraordinary sitting, reopen a decision
or recall a delegate.

The number of signatures needed is the statute's threshold, fixed when the
petition is started. Reaching it acts at once: the sitting is convened, the
decision is put to the vote again, or the recall motion opens
(``core.delegates.recall`` checks the seat before a recall petition starts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from core import assemblies, outbox, people, sittings
from core.context import Tx
from core.delegates import seats
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import lifecycle
from core.motions.model import in_assembly
from core.store.tables import petitions, signatures
from core.store.upsert import insert_new
from core.text import TEXT_LIMIT, clean

KINDS = {"sitting": "petition.sitting", "reopen": "petition.reopen", "recall": "recall.cosigners"}


def start(
    tx: Tx, assembly_id: int, person_id: int, kind: str, reason: str, target_id: int | None = None
) -> list[Reply]:
    """Start a petition, signed by its first signer."""
    assemblies.require_member(tx, assembly_id, person_id)
    if kind == "reopen":
        if target_id is None:
            raise Refusal("Name the motion to reopen: /petition reopen <motion> <why>.")
        lifecycle.require_closed(in_assembly(tx, target_id, assembly_id))
    why = "" if kind == "recall" and not reason.strip() else clean(reason, TEXT_LIMIT, N_("reason"))
    rules = assemblies.statute(tx, assembly_id)
    needed = rules.threshold(KINDS[kind]).required(assemblies.member_count(tx, assembly_id))
    petition_id = int(
        tx.conn.execute(
            insert(petitions)
            .values(
                assembly_id=assembly_id,
                kind=kind,
                target_id=target_id,
                reason=why,
                status="open",
                needed=needed,
                created_by=person_id,
                created_at=tx.now,
            )
            .returning(petitions.c.id)
        ).scalar_one()
    )
    tx.audit(
        "petition.start",
        {
            "petition": petition_id,
            "kind": kind,
            "target": target_id,
            "reason": why,
            "needed": needed,
        },
        assembly_id,
        person_id,
    )
    key = (
        N_("{name} petitions ({what}): {reason}. {needed} signatures needed: /sign {id}")
        if why
        else N_("{name} petitions ({what}). {needed} signatures needed: /sign {id}")
    )
    outbox.announce(
        tx,
        assembly_id,
        Msg(
            key,
            {
                "name": people.display_name(tx, person_id),
                "what": _what(tx, kind, target_id),
                "reason": why,
                "needed": needed,
                "id": petition_id,
            },
        ),
    )
    return sign(tx, assembly_id, person_id, petition_id)


WHAT = {
    "sitting": N_("extraordinary sitting"),
    "reopen": N_("reopen a decision"),
    "recall": N_("recall {name}, delegate {target}"),
}


def _what(tx: Tx, kind: str, target_id: int | None) -> Msg:
    """What the petition asks for, naming the delegate a recall is about."""
    if kind != "recall" or target_id is None:
        return Msg(WHAT[kind])
    holder = seats.get(tx, target_id).person_id
    return Msg(WHAT[kind], {"name": people.display_name(tx, holder), "target": target_id})


def sign(tx: Tx, assembly_id: int, person_id: int, petition_id: int) -> list[Reply]:
    """Add a signature; the one that reaches the threshold grants the petition."""
    assemblies.require_member(tx, assembly_id, person_id)
    row = tx.conn.execute(
        select(petitions).where(
            petitions.c.id == petition_id, petitions.c.assembly_id == assembly_id
        )
    ).first()
    if row is None:
        raise Refusal("There is no petition {id}.", id=petition_id)
    if row.status != "open":
        raise Refusal("Petition {id} has already succeeded.", id=petition_id)
    if not insert_new(
        tx.conn, signatures, {"petition_id": petition_id, "person_id": person_id, "at": tx.now}
    ):
        raise Refusal("You have already signed petition {id}.", id=petition_id)
    tx.audit("petition.sign", {"petition": petition_id}, assembly_id, person_id)
    count = int(
        tx.conn.execute(
            select(func.count())
            .select_from(signatures)
            .where(signatures.c.petition_id == petition_id)
        ).scalar_one()
    )
    if count >= row.needed:
        _grant(tx, row)
    return [
        Reply(
            (
                Msg.of(
                    N_("Petition {id}: {count} of {needed} signatures."),
                    id=petition_id,
                    count=count,
                    needed=row.needed,
                ),
            )
        )
    ]


def _grant(tx: Tx, row: Any) -> None:
    petition_id, assembly_id = row.id, row.assembly_id
    tx.conn.execute(
        update(petitions)
        .where(petitions.c.id == petition_id)
        .values(status="granted", granted_at=tx.now)
    )
    tx.audit("petition.grant", {"petition": petition_id}, assembly_id)
    if row.kind == "sitting":
        notice = int(assemblies.statute(tx, assembly_id)["sitting.notice_hours"])
        sitting_id = sittings.convene(
            tx,
            assembly_id,
            "extraordinary",
            row.reason[:200],
            tx.now + timedelta(hours=notice),
            petition_id,
        )
        sittings.add_item(
            tx, assembly_id, row.created_by, sitting_id, row.reason[:200], by_petition=True
        )
        return
    if row.kind == "recall":
        from core.delegates import recall  # recall starts its petitions here

        motion_id = recall.put_to_vote(tx, assembly_id, row.target_id, petition_id, row.created_by)
        outbox.announce(
            tx,
            assembly_id,
            Msg.of(
                N_(
                    "Petition {petition} has its co-signers: the recall is put to the vote as "
                    "motion {new}."
                ),
                petition=petition_id,
                new=motion_id,
            ),
        )
        return
    target = in_assembly(tx, row.target_id, assembly_id)
    motion = lifecycle.reput(tx, target, None)
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(
            N_("By petition {petition}, motion {old} is put again as motion {new}."),
            petition=petition_id,
            old=target.id,
            new=motion.id,
        ),
    )
