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


def record(tx: Tx, event_key: str) -> raw.Deferred:
    """Record the platform event, sent with the command's own writes (no round trip of
    its own); ``redelivered`` reads the outcome once the command has run."""
    return raw.defer(tx.conn, _HANDLED, {"key": event_key[:160], "at": tx.now})


def redelivered(tx: Tx, recorded: raw.Deferred) -> bool:
    """Whether the event had been handled before (then the command must be undone)."""
    if recorded.rows is None:  # usually sent already, with the command's first statement
        raw.flush(tx.conn)
    return not recorded.rows


class Redelivered(Exception):
    """A platform event seen before: its command is rolled back and answers nothing."""
