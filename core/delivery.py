"""Idempotency: a platform event redelivered after a crash or a retry changes nothing."""

from __future__ import annotations

from core.context import Tx
from core.store import raw
from core.store.raw import Raw

_HANDLED = Raw(
    "INSERT INTO handled_events (key, at) VALUES (:key, :at) ON CONFLICT DO NOTHING RETURNING key"
)


def first_delivery(tx: Tx, event_key: str) -> bool:
    """Record the platform event; False when it was handled before (a redelivery)."""
    return bool(raw.execute(tx.conn, _HANDLED, {"key": event_key[:160], "at": tx.now}))
