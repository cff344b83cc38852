"""The audit log: append-only, one entry per state change, hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, deleted or reordered entry breaks the chain from that point on.
Deleting the newest entries leaves a shorter but valid chain: that is why the
head (sequence number and hash) is published in chats with every record
(``/record``) and can be checked with ``konsilo audit verify --head SEQ:HASH``.
For secret ballots the log records only that a member voted, never the choice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from core.store import raw
from core.store.raw import Raw
from core.store.tables import audit_log

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """The one JSON spelling that hashes are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    seq: int,
    at: datetime,
    assembly_id: int | None,
    actor_id: int | None,
    action: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 over the entry's fields and its predecessor's hash."""
    body = canonical([seq, at.isoformat(), assembly_id, actor_id, action, payload, prev_hash])
    return hashlib.sha256(body.encode()).hexdigest()


# Plain SQL: every state change appends here (see docs/architecture.md on speed).
_HEAD = Raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
_APPEND = Raw(
    "INSERT INTO audit_log (seq, at, assembly_id, actor_id, action, payload, prev_hash, hash) "
    "VALUES (:seq, :at, :assembly_id, :actor_id, :action, :payload, :prev_hash, :hash)",
    json_params=("payload",),
)


@dataclass
class Chain:
    """The chain's head as one transaction sees and extends it."""

    seq: int
    hash: str

    @classmethod
    def load(cls, conn: Connection) -> Chain:
        rows = raw.execute(conn, _HEAD, {})
        return cls(0, GENESIS) if not rows else cls(rows[0][0], rows[0][1])

    def append(
        self,
        conn: Connection,
        at: datetime,
        action: str,
        payload: dict[str, Any],
        assembly_id: int | None = None,
        actor_id: int | None = None,
    ) -> None:
        """Add one entry; the primary key on ``seq`` refuses a forked chain."""
        seq = self.seq + 1
        digest = entry_hash(seq, at, assembly_id, actor_id, action, payload, self.hash)
        raw.defer(  # sent with the next statement or before the commit
            conn,
            _APPEND,
            {
                "seq": seq,
                "at": at,
                "assembly_id": assembly_id,
                "actor_id": actor_id,
                "action": action,
                "payload": payload,
                "prev_hash": self.hash,
                "hash": digest,
            },
        )
        self.seq, self.hash = seq, digest


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: how far the chain holds and where it breaks."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""
    bad_seq: int | None = None


def entries(conn: Connection, assembly_id: int | None = None) -> Iterator[Any]:
    """All entries in chain order (optionally one assembly's)."""
    query = select(audit_log).order_by(audit_log.c.seq)
    if assembly_id is not None:
        query = query.where(audit_log.c.assembly_id == assembly_id)
    yield from conn.execute(query)


def verify(conn: Connection, expected_head: tuple[int, str] | None = None) -> Verdict:
    """Recompute every hash; report the first entry that does not fit."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for row in entries(conn):
        if row.seq != expected_seq:
            return Verdict(
                False,
                checked,
                expected_seq - 1,
                prev,
                f"entry {expected_seq} is missing (found {row.seq})",
                expected_seq,
            )
        if row.prev_hash != prev:
            return Verdict(
                False,
                checked,
                row.seq - 1,
                prev,
                f"entry {row.seq} does not follow entry {row.seq - 1}",
                row.seq,
            )
        digest = entry_hash(
            row.seq, row.at, row.assembly_id, row.actor_id, row.action, row.payload, row.prev_hash
        )
        if digest != row.hash:
            return Verdict(
                False, checked, row.seq - 1, prev, f"entry {row.seq} was altered", row.seq
            )
        prev, expected_seq, checked = digest, expected_seq + 1, checked + 1
    head_seq = expected_seq - 1
    if expected_head is not None:
        seq, digest = expected_head
        if seq > head_seq:
            return Verdict(
                False,
                checked,
                head_seq,
                prev,
                f"entries after {head_seq} were deleted (published head is {seq})",
                seq,
            )
        kept = prev if seq == head_seq else _hash_at(conn, seq)
        if not kept.startswith(digest):
            return Verdict(
                False, checked, head_seq, prev, f"entry {seq} differs from the published head", seq
            )
    return Verdict(True, checked, head_seq, prev)


def _hash_at(conn: Connection, seq: int) -> str:
    value = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq)).scalar()
    return value or ""
