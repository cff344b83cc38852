"""Ordinary chat (no command): listeners registered by the modules that need it.

Konsilo answers no ordinary message, and most chats' talk is none of its
business. A central assembly is the exception: everything said there is
relayed to the member assemblies (there is no delegates-only channel). A
listener gets the raw text and decides; it may write, in the message's own
transaction, and must not refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from core.context import Actor, Place, Tx

Listener = Callable[[Tx, Actor, Place, str, str | None], None]
_LISTENERS: list[Listener] = []


def on_heard(listener: Listener) -> Listener:
    """Register ``listener(tx, actor, place, text, event_key)`` for messages that are
    not commands."""
    _LISTENERS.append(listener)
    return listener


def heard(tx: Tx, actor: Actor, place: Place, text: str, event_key: str | None) -> None:
    for listener in _LISTENERS:
        listener(tx, actor, place, text, event_key)
