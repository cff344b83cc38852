"""Who acts, where, and the transaction they act in.

Transports build an ``Actor`` and a ``Place`` from a platform event; services
receive a ``Tx`` that bundles the open connection, the time of the act, the
audit chain head and the outbox, so that one command is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from core.audit import Chain
from core.store.db import tx_cache


@dataclass(frozen=True)
class Actor:
    """A person as a platform names them."""

    platform: str
    user_id: str
    name: str
    language: str | None = None


@dataclass(frozen=True)
class Place:
    """The chat a command came from; ``private`` is a one-to-one chat with the bot."""

    platform: str
    chat_id: str
    private: bool = False


@dataclass
class Tx:
    """One unit of work: a connection inside a transaction, and its time."""

    conn: Connection
    now: datetime
    secret: bytes

    def audit(
        self,
        action: str,
        payload: dict[str, Any],
        assembly_id: int | None = None,
        actor_id: int | None = None,
    ) -> None:
        """Append an entry to the audit chain in this transaction.

        The chain head is read once per transaction, not once per entry: a
        group commit of many votes reads it once for all of them.
        """
        cache = self.cache
        head = cache.get("audit.head")
        chain = Chain.load(self.conn) if head is None else Chain(*head)
        chain.append(self.conn, self.now, action, payload, assembly_id, actor_id)
        cache["audit.head"] = (chain.seq, chain.hash)

    @property
    def cache(self) -> dict[Any, Any]:
        """This transaction's cache of lookups (``core.store.db.tx_cache``)."""
        return tx_cache(self.conn)
