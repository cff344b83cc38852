"""What a passed motion does, by kind, registered by the module that owns it.

The registry keeps ``lifecycle`` free of imports of membership, rules and
sittings (which themselves open motions), and puts each effect beside the
concept it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from core.context import Tx
from core.messages import Msg
from core.motions.model import Motion

Effect = Callable[[Tx, Motion], list[Msg]]
Closed = Callable[[Tx, Motion], None]
Cast = Callable[[Tx, Motion, int, Any], None]


@dataclass(frozen=True)
class Weighed:
    """The ballots of a roll-call vote as a statute weighs them, instead of one each."""

    ballots: list[tuple[Any, Fraction]]  # (choice, weight): what the count sums
    total: Fraction  # the weight of everyone entitled to vote (an absolute majority's base)
    turnout: int  # voters counted as taking part, for the quorum (a count of people)
    basis: str  # how the weights were set, named in the result: "size" or "split"
    shares: list[dict[str, Any]] = field(default_factory=list)  # kept with the result


Weigher = Callable[[Tx, Motion, list[tuple[int, Any]]], Weighed | None]

_EFFECTS: dict[str, Effect] = {}
_UNDONE: dict[str, Effect] = {}
_CLOSED: list[Closed] = []
_OPENED: list[Closed] = []
_CAST: list[Cast] = []
_WEIGHERS: list[Weigher] = []
Elsewhere = Callable[[Tx, Motion], set[int]]
_ELSEWHERE: list[Elsewhere] = []


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


def on_closed(listener: Closed) -> Closed:
    """Register ``listener(tx, motion)``, called after any motion closes and is announced
    (a federation relays central results with it)."""
    _CLOSED.append(listener)
    return listener


def on_opened(listener: Closed) -> Closed:
    """Register ``listener(tx, motion)``, called after a motion opens for voting and is
    announced (a federation relays what its central assembly now votes on)."""
    _OPENED.append(listener)
    return listener


def opened(tx: Tx, motion: Motion) -> None:
    for listener in _OPENED:
        listener(tx, motion)


def on_cast(listener: Cast) -> Cast:
    """Register ``listener(tx, motion, person_id, choice)``, called after an open
    (roll-call) vote is recorded (a federation checks it against the mandate)."""
    _CAST.append(listener)
    return listener


def closed(tx: Tx, motion: Motion) -> None:
    for listener in _CLOSED:
        listener(tx, motion)


def cast(tx: Tx, motion: Motion, person_id: int, choice: Any) -> None:
    for listener in _CAST:
        listener(tx, motion, person_id, choice)


def on_weigh(weigher: Weigher) -> Weigher:
    """Register ``weigher(tx, motion, [(person, choice), ...])``, asked at the count of a
    roll-call vote for weighted ballots, or None to count one per voter (a federation
    statute weighs a central assembly's delegations)."""
    _WEIGHERS.append(weigher)
    return weigher


def on_voted_elsewhere(listener: Elsewhere) -> Elsewhere:
    """Register ``listener(tx, motion)``: people whose ballot on this question was cast on
    another motion (a pooled plan vote counts each person once), so nobody reminds them."""
    _ELSEWHERE.append(listener)
    return listener


def voted_elsewhere(tx: Tx, motion: Motion) -> set[int]:
    found: set[int] = set()
    for listener in _ELSEWHERE:
        found |= listener(tx, motion)
    return found


def weigh(tx: Tx, motion: Motion, named: list[tuple[int, Any]]) -> Weighed | None:
    for weigher in _WEIGHERS:
        if (weighed := weigher(tx, motion, named)) is not None:
            return weighed
    return None


def apply(tx: Tx, motion: Motion, passed: bool) -> list[Msg]:
    """Carry out a closed motion; kinds without an effect just stand decided."""
    effect = (_EFFECTS if passed else _UNDONE).get(motion.kind)
    return effect(tx, motion) if effect else []
