"""Cockshott's harmony: how well a net output meets its target.

H(r) for the fulfilment r = net output / target is (r-1) - (r-1)²/2 below
the target and ln r above it (Paul Cockshott, ``Harmony.java`` in
``5yearplan``: ``scale = (net - target)/target``). Shortfalls are penalised
more steeply than surpluses are rewarded, and H is smooth and concave, with
H(1) = 0, H'(1) = 1 and H''(1) = -1 on both sides. The plan maximises the sum
of H over products and years.

Besides H and H' this module gives the two closed forms the planner's
first-order method needs: the proximal step and the concave conjugate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, np.dtype[np.float64]]

# nyearHarmony.java replaces a zero target by 1 - Harmonizer.capacitytarget (0.98).
ZERO_TARGET = 1 - 0.98


def harmony(r: Any) -> Array:
    """H(r), elementwise; defined for every real r (below 0 the quadratic continues)."""
    r = np.asarray(r, dtype=np.float64)
    below = r - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r < 1.0, below - 0.5 * below * below, np.log(np.where(r < 1.0, 1.0, r)))


def harmony_derivative(r: Any) -> Array:
    """H'(r): 2 - r below the target, 1/r above it."""
    r = np.asarray(r, dtype=np.float64)
    return np.where(r < 1.0, 2.0 - r, 1.0 / np.where(r < 1.0, 1.0, r))


def effective_targets(targets: Any, zero_target: float = ZERO_TARGET) -> Array:
    """Targets with each 0 replaced as Cockshott's harmony planner does (by 0.02)."""
    targets = np.asarray(targets, dtype=np.float64)
    return np.where(targets == 0.0, zero_target, targets)


def total_harmony(net: Any, targets: Any, zero_target: float = ZERO_TARGET) -> float:
    """Σ H(net/target) over all products and years."""
    return float(harmony(np.asarray(net) / effective_targets(targets, zero_target)).sum())


def harmony_prox(v: Array, step: Array) -> Array:
    """argmax over r ≥ 0 of H(r) - (r - v)²/(2·step), elementwise.

    Below 1 the stationarity condition 2 - r = (r - v)/step is linear, above 1
    it is the quadratic r² - v·r - step = 0; H is concave, so the clipped
    root is the maximiser.
    """
    low = (v + 2.0 * step) / (1.0 + step)
    high = 0.5 * (v + np.sqrt(v * v + 4.0 * step))
    return np.maximum(np.where(low < 1.0, low, high), 0.0)


def fulfilment_at_price(price: Array) -> Array:
    """The r ≥ 0 that maximises H(r) - price·r: where H'(r) = price (0 if price ≥ 2)."""
    price = np.asarray(price, dtype=np.float64)
    safe = np.where(price > 0, price, 1.0)
    return np.where(price <= 1.0, 1.0 / safe, np.maximum(2.0 - price, 0.0))


def harmony_conjugate(price: Array) -> Array:
    """max over r ≥ 0 of H(r) - price·r, for price > 0 (the dual bound's per-product term)."""
    r = fulfilment_at_price(price)
    return harmony(r) - price * r
