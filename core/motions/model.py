"""The motion record and how to read it from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.context import Tx
from core.errors import Refusal
from core.store.tables import motions

OPEN, DRAFT = "open", "draft"
PASSED, FAILED, NO_QUORUM, WITHDRAWN = "passed", "failed", "no_quorum", "withdrawn"
CLOSED = (PASSED, FAILED, NO_QUORUM)


@dataclass(frozen=True)
class Motion:
    id: int
    assembly_id: int
    kind: str
    method: str
    title: str
    body: str
    options: list[str]
    payload: dict[str, Any]
    secret: bool
    status: str
    proposer_id: int | None
    sitting_id: int | None
    reopens_id: int | None
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    result: dict[str, Any] | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def due(self, now: datetime) -> bool:
        """Open, with its closing time reached."""
        return self.is_open and self.closes_at is not None and self.closes_at <= now


def load(tx: Tx, motion_id: int) -> Motion:
    """The motion, or a refusal naming the unknown number."""
    row = tx.conn.execute(select(motions).where(motions.c.id == motion_id)).first()
    if row is None:
        raise Refusal("There is no motion {id}.", id=motion_id)
    return from_row(row)


def from_row(row: Any) -> Motion:
    return Motion(
        id=row.id,
        assembly_id=row.assembly_id,
        kind=row.kind,
        method=row.method,
        title=row.title,
        body=row.body,
        options=list(row.options),
        payload=dict(row.payload),
        secret=row.secret,
        status=row.status,
        proposer_id=row.proposer_id,
        sitting_id=row.sitting_id,
        reopens_id=row.reopens_id,
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        result=row.result,
    )


def in_assembly(tx: Tx, motion_id: int, assembly_id: int) -> Motion:
    """The motion, refused when it belongs to another assembly."""
    motion = load(tx, motion_id)
    if motion.assembly_id != assembly_id:
        raise Refusal("There is no motion {id}.", id=motion_id)
    return motion
