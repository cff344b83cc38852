"""The outbox: what must be said, recorded in the same transaction as the act.

A message to an assembly becomes one row per chat it is bound to; a private
message names a person. Transports drain their rows, render them in each
reader's language and mark them sent, so an announcement survives a crash
and reaches every chat of the assembly from the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.assemblies import chats
from core.context import Tx
from core.messages import Msg
from core.store.tables import identities, outbox


def encode(msg: Msg) -> dict[str, Any]:
    """A message as JSON (nested messages included)."""
    return {"key": msg.key, "params": {k: _encode(v) for k, v in msg.params.items()}}


def _encode(value: Any) -> Any:
    return {"$msg": encode(value)} if isinstance(value, Msg) else value


def decode(data: dict[str, Any]) -> Msg:
    return Msg(data["key"], {k: _decode(v) for k, v in data["params"].items()})


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$msg"}:
        return decode(value["$msg"])
    return value


def announce(tx: Tx, assembly_id: int, *lines: Msg) -> list[int]:
    """Say ``lines`` in every chat of the assembly; the outbox rows, one per chat."""
    body = {"lines": [encode(m) for m in lines]}
    ids: list[int] = []
    for platform, chat_id in chats(tx, assembly_id):
        row_id = tx.conn.execute(
            insert(outbox)
            .values(
                assembly_id=assembly_id,
                platform=platform,
                chat_id=chat_id,
                person_id=None,
                key="lines",
                params=body,
                created_at=tx.now,
            )
            .returning(outbox.c.id)
        ).scalar_one()
        ids.append(int(row_id))
    return ids


def amend(tx: Tx, ids: list[int], *lines: Msg) -> None:
    """Replace the lines of announcements not yet sent (written first to keep their place
    in the order members read things, completed once what follows them is known)."""
    if ids:
        body = {"lines": [encode(m) for m in lines]}
        pending_rows = outbox.c.id.in_(ids) & outbox.c.sent_at.is_(None)
        tx.conn.execute(update(outbox).where(pending_rows).values(params=body))


def tell(tx: Tx, person_id: int, *lines: Msg, assembly_id: int | None = None) -> None:
    """Say ``lines`` to one person privately, on the platform they first used."""
    platform = tx.conn.execute(
        select(identities.c.platform)
        .where(identities.c.person_id == person_id)
        .order_by(identities.c.created_at)
        .limit(1)
    ).scalar()
    if platform is None:
        return
    tx.conn.execute(
        insert(outbox).values(
            assembly_id=assembly_id,
            platform=platform,
            chat_id=None,
            person_id=person_id,
            key="lines",
            params={"lines": [encode(m) for m in lines]},
            created_at=tx.now,
        )
    )


@dataclass(frozen=True)
class Pending:
    """One undelivered message as a transport receives it."""

    id: int
    chat_id: str | None
    person_id: int | None
    lines: tuple[Msg, ...]


def pending(conn: Connection, platform: str, limit: int = 100) -> list[Pending]:
    rows = conn.execute(
        select(outbox)
        .where(outbox.c.platform == platform, outbox.c.sent_at.is_(None))
        .order_by(outbox.c.id)
        .limit(limit)
    )
    return [
        Pending(r.id, r.chat_id, r.person_id, tuple(decode(m) for m in r.params["lines"]))
        for r in rows
    ]


def mark_sent(conn: Connection, ids: list[int], at: datetime) -> None:
    if ids:
        conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(sent_at=at))
