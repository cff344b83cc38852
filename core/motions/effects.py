"""What a passed motion does, by kind, registered by the module that owns it.

The registry keeps ``lifecycle`` free of imports of membership, rules and
sittings (which themselves open motions), and puts each effect beside the
concept it changes.
"""

from __future__ import annotations

from collections.abc import Callable

from core.context import Tx
from core.messages import Msg
from core.motions.model import Motion

Effect = Callable[[Tx, Motion], list[Msg]]

_EFFECTS: dict[str, Effect] = {}
_UNDONE: dict[str, Effect] = {}


def on_passed(kind: str) -> Callable[[Effect], Effect]:
    """Register the effect of a passed motion of ``kind``."""

    def register(effect: Effect) -> Effect:
        _EFFECTS[kind] = effect
        return effect

    return register


def on_not_passed(kind: str) -> Callable[[Effect], Effect]:
    """Register what a failed or inquorate motion of ``kind`` must tidy up."""

    def register(effect: Effect) -> Effect:
        _UNDONE[kind] = effect
        return effect

    return register


def apply(tx: Tx, motion: Motion, passed: bool) -> list[Msg]:
    """Carry out a closed motion; kinds without an effect just stand decided."""
    effect = (_EFFECTS if passed else _UNDONE).get(motion.kind)
    return effect(tx, motion) if effect else []
