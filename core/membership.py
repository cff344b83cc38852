"""Joining, vouching, leaving, and removal by the assembly's vote.

Admission follows the statute: ``open`` admits at once; ``vouch`` waits for N
members to vouch; ``vote`` opens an admission motion. Leaving needs nobody's
leave and takes effect at once. Removal happens only by a passed removal
motion: no admin, founder or operator can remove anyone.

A central assembly has none of this: its roll is the delegates of its member
assemblies and follows their elections and recalls alone (core/federation).
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, update

from core import assemblies, outbox, people
from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion
from core.store.tables import admissions, members, vouches
from core.store.upsert import insert_new, upsert
from core.text import TEXT_LIMIT, clean


def _refuse_in_central(tx: Tx, assembly_id: int) -> None:
    """Nobody joins, vouches, leaves or is removed in a central assembly: seats decide."""
    if assemblies.kind_of(tx, assembly_id) == assemblies.CENTRAL:
        raise Refusal(
            "Here the members are the delegates of the member assemblies: "
            "only their elections and recalls change the roll."
        )


def join(tx: Tx, assembly_id: int, person_id: int) -> list[Reply]:
    """Ask to join; the statute decides how the assembly admits."""
    _refuse_in_central(tx, assembly_id)
    if assemblies.is_member(tx, assembly_id, person_id):
        raise Refusal("You are already a member.")
    pending = _pending_admission(tx, assembly_id, person_id)
    if pending is not None:
        raise Refusal("Your request to join is waiting (request {id}).", id=pending)
    rules = assemblies.statute(tx, assembly_id)
    name = people.display_name(tx, person_id)
    policy = "vote" if _was_removed(tx, assembly_id, person_id) else rules["admission"]
    if policy == "open":
        admit(tx, assembly_id, person_id, "open")
        return [Reply((Msg.of(N_("Welcome, {name}: you are a member."), name=name),))]
    admission_id = int(
        tx.conn.execute(
            insert(admissions)
            .values(
                assembly_id=assembly_id, person_id=person_id, status="pending", requested_at=tx.now
            )
            .returning(admissions.c.id)
        ).scalar_one()
    )
    tx.audit(
        "member.request", {"person": person_id, "admission": admission_id}, assembly_id, person_id
    )
    if policy == "vouch":
        needed = int(rules["admission.vouches"])
        outbox.announce(
            tx,
            assembly_id,
            Msg.of(
                N_("{name} asks to join. {n} members must vouch: /vouch {id}"),
                name=name,
                n=needed,
                id=admission_id,
            ),
        )
        return [
            Reply(
                (
                    Msg.of(
                        N_("Request {id} sent: {n} members must vouch for you."),
                        id=admission_id,
                        n=needed,
                    ),
                )
            )
        ]
    motion = lifecycle.propose(
        tx,
        assembly_id,
        person_id,
        "admission",
        name,
        method="yesno",
        payload={"person": person_id, "admission": admission_id},
    )
    tx.conn.execute(
        update(admissions).where(admissions.c.id == admission_id).values(motion_id=motion.id)
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("Request {id} sent: the assembly votes on it in motion {motion}."),
                    id=admission_id,
                    motion=motion.id,
                ),
            )
        )
    ]


def _was_removed(tx: Tx, assembly_id: int, person_id: int) -> bool:
    """A person the assembly removed returns only by the assembly's vote."""
    status = tx.conn.execute(
        select(members.c.status).where(
            members.c.assembly_id == assembly_id, members.c.person_id == person_id
        )
    ).scalar()
    return status == "removed"


def _pending_admission(tx: Tx, assembly_id: int, person_id: int) -> int | None:
    return tx.conn.execute(
        select(admissions.c.id).where(
            admissions.c.assembly_id == assembly_id,
            admissions.c.person_id == person_id,
            admissions.c.status == "pending",
        )
    ).scalar()


def admit(tx: Tx, assembly_id: int, person_id: int, by: str) -> None:
    """Make the person an active member (again, if they had left)."""
    _refuse_in_central(tx, assembly_id)
    upsert(
        tx.conn,
        members,
        {
            "assembly_id": assembly_id,
            "person_id": person_id,
            "status": "active",
            "joined_at": tx.now,
            "ended_at": None,
        },
        ["assembly_id", "person_id"],
        ["status", "joined_at", "ended_at"],
    )
    tx.conn.execute(
        update(admissions)
        .where(
            admissions.c.assembly_id == assembly_id,
            admissions.c.person_id == person_id,
            admissions.c.status == "pending",
        )
        .values(status="admitted", decided_at=tx.now)
    )
    tx.audit("member.admit", {"person": person_id, "by": by}, assembly_id)
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(N_("{name} is now a member."), name=people.display_name(tx, person_id)),
    )


def vouch(tx: Tx, assembly_id: int, voucher_id: int, admission_id: int) -> list[Reply]:
    """A member vouches for a pending applicant; enough vouches admit them."""
    _refuse_in_central(tx, assembly_id)
    assemblies.require_member(tx, assembly_id, voucher_id)
    row = tx.conn.execute(
        select(admissions).where(
            admissions.c.id == admission_id, admissions.c.assembly_id == assembly_id
        )
    ).first()
    if row is None or row.status != "pending":
        raise Refusal("There is no pending request {id}.", id=admission_id)
    if row.motion_id is not None:
        raise Refusal(
            "Request {id} is decided by vote in motion {motion}.",
            id=admission_id,
            motion=row.motion_id,
        )
    if not insert_new(
        tx.conn, vouches, {"admission_id": admission_id, "person_id": voucher_id, "at": tx.now}
    ):
        raise Refusal("You have already vouched for request {id}.", id=admission_id)
    tx.audit(
        "member.vouch",
        {"admission": admission_id, "person": row.person_id},
        assembly_id,
        voucher_id,
    )
    given = int(
        tx.conn.execute(
            select(func.count()).select_from(vouches).where(vouches.c.admission_id == admission_id)
        ).scalar_one()
    )
    needed = int(assemblies.statute(tx, assembly_id)["admission.vouches"])
    if given >= needed:
        admit(tx, assembly_id, row.person_id, "vouch")
    return [
        Reply(
            (
                Msg.of(
                    N_("Vouched for request {id}: {given} of {needed}."),
                    id=admission_id,
                    given=given,
                    needed=needed,
                ),
            )
        )
    ]


def leave(tx: Tx, assembly_id: int, person_id: int) -> list[Reply]:
    """Leave at once; what the member did stays on the record."""
    assemblies.require_member(tx, assembly_id, person_id)
    if assemblies.kind_of(tx, assembly_id) == assemblies.CENTRAL:
        raise Refusal(
            "You sit here as your assembly's delegate: your place here ends when your seat does."
        )
    tx.conn.execute(
        update(members)
        .where(members.c.assembly_id == assembly_id, members.c.person_id == person_id)
        .values(status="left", ended_at=tx.now)
    )
    tx.audit("member.leave", {"person": person_id}, assembly_id, person_id)
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(N_("{name} has left the assembly."), name=people.display_name(tx, person_id)),
    )
    return [
        Reply(
            (Msg.of(N_("You have left. Send /export to take your data with you.")),), private=True
        )
    ]


def propose_removal(
    tx: Tx, assembly_id: int, proposer_id: int, person_id: int, reason: str
) -> list[Reply]:
    """Only the assembly can remove a member, by a removal motion."""
    if assemblies.kind_of(tx, assembly_id) == assemblies.CENTRAL:
        raise Refusal(
            "The central assembly cannot remove anyone: only a delegate's home "
            "assembly can recall them."
        )
    assemblies.require_member(tx, assembly_id, proposer_id)
    if not assemblies.is_member(tx, assembly_id, person_id):
        raise Refusal("Member {id} is not on the roll.", id=person_id)
    why = clean(reason, TEXT_LIMIT, N_("reason"))
    name = people.display_name(tx, person_id)
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        "removal",
        name,
        body=why,
        method="yesno",
        payload={"person": person_id},
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("Removal of {name} is put to the vote as motion {id}."),
                    name=name,
                    id=motion.id,
                ),
            )
        )
    ]


@effects.on_passed("admission")
def _admission_passed(tx: Tx, motion: Motion) -> list[Msg]:
    admit(tx, motion.assembly_id, int(motion.payload["person"]), f"motion {motion.id}")
    return []


@effects.on_passed("removal")
def _removal_passed(tx: Tx, motion: Motion) -> list[Msg]:
    person_id = int(motion.payload["person"])
    tx.conn.execute(
        update(members)
        .where(members.c.assembly_id == motion.assembly_id, members.c.person_id == person_id)
        .values(status="removed", ended_at=tx.now)
    )
    tx.audit("member.remove", {"person": person_id, "motion": motion.id}, motion.assembly_id)
    return [
        Msg.of(
            N_("{name} is no longer a member, by the assembly's decision."),
            name=people.display_name(tx, person_id),
        )
    ]


@effects.on_not_passed("admission")
def _admission_not_passed(tx: Tx, motion: Motion) -> list[Msg]:
    """A failed admission vote closes the request (the person may ask again)."""
    tx.conn.execute(
        update(admissions)
        .where(admissions.c.motion_id == motion.id)
        .values(status="refused", decided_at=tx.now)
    )
    return []
