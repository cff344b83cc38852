"""Central assemblies and the assemblies that belong to them.

Founding a central assembly gives its founder nothing: nobody is a member
until assemblies join it by their own vote and seat delegates there. Votes in
a central assembly are by name (so each assembly sees how its delegates
voted): its statute turns every secret ballot off, and ``limits`` keeps it so.
"""

from __future__ import annotations

from sqlalchemy import select

from core import assemblies
from core.assemblies import Assembly
from core.context import Place, Tx
from core.errors import Refusal
from core.statutes import KINDS
from core.store.tables import assemblies as assembly_table
from core.store.tables import federation_members
from core.store.upsert import upsert

ACTIVE, LEFT = "active", "left"


def found(tx: Tx, place: Place, name: str, founder_id: int, language: str | None) -> Assembly:
    """Make this chat a central assembly of delegates, with nobody on its roll yet."""
    by_name: dict[str, object] = {f"secret.{kind}": False for kind in KINDS}
    return assemblies.found_central(tx, place, name, founder_id, language, by_name)


def require_central(tx: Tx, central_id: int) -> Assembly:
    """The central assembly numbered ``central_id``, or a refusal saying what it is not."""
    found = assemblies.get(tx, central_id)
    if not found.is_central:
        raise Refusal("Assembly {id} is not a central assembly.", id=central_id)
    if found.status != "active":
        raise Refusal("This assembly has been dissolved.")
    return found


def status(tx: Tx, central_id: int, assembly_id: int) -> str | None:
    """``active``, ``left``, or None when the assembly never joined."""
    found: str | None = tx.conn.execute(
        select(federation_members.c.status).where(
            federation_members.c.central_id == central_id,
            federation_members.c.assembly_id == assembly_id,
        )
    ).scalar()
    return found


def is_member(tx: Tx, central_id: int, assembly_id: int) -> bool:
    return status(tx, central_id, assembly_id) == ACTIVE


def set_status(tx: Tx, central_id: int, assembly_id: int, new_status: str, motion_id: int) -> None:
    """Record the member assembly's decision to join (``active``) or leave (``left``)."""
    joined = new_status == ACTIVE
    row = {
        "central_id": central_id,
        "assembly_id": assembly_id,
        "status": new_status,
        "joined_at": tx.now,
        "left_at": None if joined else tx.now,
        "motion_id": motion_id,
    }
    changed = ["status", "left_at", "motion_id"] + (["joined_at"] if joined else [])
    upsert(tx.conn, federation_members, row, ["central_id", "assembly_id"], changed)


def members(tx: Tx, central_id: int) -> list[Assembly]:
    """The active member assemblies, in the order they joined."""
    rows = tx.conn.execute(
        select(assembly_table.c.id, assembly_table.c.name, assembly_table.c.status)
        .join(federation_members, federation_members.c.assembly_id == assembly_table.c.id)
        .where(federation_members.c.central_id == central_id, federation_members.c.status == ACTIVE)
        .order_by(federation_members.c.joined_at, assembly_table.c.id)
    )
    return [Assembly(r.id, r.name, r.status) for r in rows]


def centrals_of(tx: Tx, assembly_id: int) -> list[Assembly]:
    """The central assemblies this assembly is an active member of."""
    rows = tx.conn.execute(
        select(assembly_table.c.id, assembly_table.c.name, assembly_table.c.status)
        .join(federation_members, federation_members.c.central_id == assembly_table.c.id)
        .where(
            federation_members.c.assembly_id == assembly_id, federation_members.c.status == ACTIVE
        )
        .order_by(assembly_table.c.id)
    )
    return [Assembly(r.id, r.name, r.status, assemblies.CENTRAL) for r in rows]


def read_from(tx: Tx, here: Assembly) -> list[Assembly]:
    """The central assemblies a chat reads: its own, or those its assembly belongs to."""
    bodies = [here] if here.is_central else centrals_of(tx, here.id)
    if not bodies:
        raise Refusal(
            "{name} is in no federation. Join one by vote: /federation join <central number>",
            name=here.name,
        )
    return bodies
