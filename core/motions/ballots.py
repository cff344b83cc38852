"""Casting ballots, open and secret, and reading them back for the count.

Open ballots are a roll call: the ``votes`` table links member and choice.
Secret ballots are split in two tables (see docs/secret-ballots.md): the
``turnout`` roll says who voted; ``secret_ballots`` holds choices under a
random id with no voter, no order and no time. While the motion is open, a
keyed hash (``locator``, HMAC with the instance's secret key, which is not in
the database) lets the running process find a voter's ballot so they can
change it; at close every locator is erased and the ballots are rewritten in
random order, so afterwards nobody can link a ballot to a voter except the
voter, who holds the receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from core.context import Tx
from core.errors import Refusal
from core.motions.model import Motion
from core.store import raw
from core.store.raw import Raw
from core.store.tables import members, secret_ballots, turnout, votes
from core.store.upsert import insert_new

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def locator(secret: bytes, motion_id: int, person_id: int) -> str:
    """Where the process finds a voter's secret ballot while the motion is open."""
    return hmac.new(secret, f"{motion_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))


_CHANGE_VOTE = Raw(
    "UPDATE votes SET choice = :choice, reason = :reason, cast_at = :at "
    "WHERE motion_id = :motion AND person_id = :person RETURNING person_id",
    json_params=("choice",),
)
_NEW_VOTE = Raw(
    "INSERT INTO votes (motion_id, person_id, choice, reason, cast_at) "
    "VALUES (:motion, :person, :choice, :reason, :at)",
    json_params=("choice",),
)


def cast_open(tx: Tx, motion: Motion, person_id: int, choice: Any, voted: bool) -> bool:
    """Record or replace a roll-call vote; True when it replaced an earlier one.

    Plain SQL, one statement: the caller read ``voted`` with the motion. Should
    the vote have vanished meanwhile (it cannot: votes are never deleted while
    the motion is open), the update finding no row falls back to an insert.
    """
    reason = choice.get("object") if isinstance(choice, dict) else None
    params = {
        "motion": motion.id,
        "person": person_id,
        "choice": choice,
        "reason": reason,
        "at": tx.now,
    }
    if voted and raw.execute(tx.conn, _CHANGE_VOTE, params):
        return True
    raw.defer(tx.conn, _NEW_VOTE, params)  # sent with the audit entry, in one round trip
    return False


def cast_secret(tx: Tx, motion: Motion, person_id: int, choice: Any) -> tuple[str, bool]:
    """Record or replace a secret ballot; returns (receipt, replaced)."""
    reason = choice.get("object") if isinstance(choice, dict) else None
    where = locator(tx.secret, motion.id, person_id)
    if insert_new(tx.conn, turnout, {"motion_id": motion.id, "person_id": person_id}):
        receipt = new_receipt()
        tx.conn.execute(
            insert(secret_ballots).values(
                id=secrets.token_hex(16),
                motion_id=motion.id,
                locator=where,
                receipt=receipt,
                choice=choice,
                reason=reason,
            )
        )
        return receipt, False
    earlier = tx.conn.execute(
        select(secret_ballots.c.receipt).where(secret_ballots.c.locator == where)
    ).scalar()
    if earlier is None:  # the instance key changed while the vote was open
        raise Refusal("Your earlier secret vote on motion {id} cannot be changed.", id=motion.id)
    tx.conn.execute(
        update(secret_ballots)
        .where(secret_ballots.c.locator == where)
        .values(choice=choice, reason=reason)
    )
    return str(earlier), True


def turnout_count(tx: Tx, motion: Motion) -> int:
    table = turnout if motion.secret else votes
    return int(
        tx.conn.execute(
            select(func.count()).select_from(table).where(table.c.motion_id == motion.id)
        ).scalar_one()
    )


def open_choices(tx: Tx, motion: Motion) -> list[tuple[int, Any]]:
    """(person, choice) of a roll-call vote by those who are members at the count.

    A member who left, was removed, or (in a central assembly) lost their seat
    by recall takes their vote with them: only the assembly's members decide.
    The vote stays stored and in the audit log; it is just not counted.
    """
    rows = tx.conn.execute(
        select(votes.c.person_id, votes.c.choice)
        .join(
            members,
            (members.c.person_id == votes.c.person_id)
            & (members.c.assembly_id == motion.assembly_id),
        )
        .where(votes.c.motion_id == motion.id, members.c.status == "active")
        .order_by(votes.c.person_id)
    )
    return [(r.person_id, r.choice) for r in rows]


def secret_choices(tx: Tx, motion: Motion) -> list[tuple[str, Any]]:
    """(receipt, choice) of a secret vote, sorted by receipt."""
    rows = tx.conn.execute(
        select(secret_ballots.c.receipt, secret_ballots.c.choice)
        .where(secret_ballots.c.motion_id == motion.id)
        .order_by(secret_ballots.c.receipt)
    )
    return [(r.receipt, r.choice) for r in rows]


def seal(tx: Tx, motion: Motion) -> None:
    """At close: erase locators and rewrite the ballots in random order.

    After this, the running process itself can no longer tell whose ballot is
    whose. (PostgreSQL keeps the dead row versions until VACUUM reclaims them;
    the threat model in docs/secret-ballots.md says so.)
    """
    rows = list(
        tx.conn.execute(
            select(
                secret_ballots.c.receipt, secret_ballots.c.choice, secret_ballots.c.reason
            ).where(secret_ballots.c.motion_id == motion.id)
        )
    )
    random.SystemRandom().shuffle(rows)
    tx.conn.execute(delete(secret_ballots).where(secret_ballots.c.motion_id == motion.id))
    if rows:
        tx.conn.execute(
            insert(secret_ballots),
            [
                {
                    "id": secrets.token_hex(16),
                    "motion_id": motion.id,
                    "locator": None,
                    "receipt": r.receipt,
                    "choice": r.choice,
                    "reason": r.reason,
                }
                for r in rows
            ],
        )


def voted(tx: Tx, motion: Motion, person_id: int) -> bool:
    table = turnout if motion.secret else votes
    return (
        tx.conn.execute(
            select(table.c.person_id).where(
                table.c.motion_id == motion.id, table.c.person_id == person_id
            )
        ).first()
        is not None
    )
