"""Time every tally on 100,000 random ballots: ``python bench/tally.py``.

Ballots are generated first and handed over as plain Python lists, the way the
store will hand them over, so the timings include validation and conversion.
Target: all tallies together under 1 s.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

# Run as a script from anywhere: the repo root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.motions.tally import (
    Outcome,
    count_approval,
    count_schulze,
    count_single,
    count_yesno,
)

N_BALLOTS = 100_000
N_OPTIONS = 6
SEED = 20240101


def _timed(label: str, count: Callable[[], Outcome]) -> float:
    """Run one count, print its wall time, return it."""
    start = time.perf_counter()
    count()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.3f} s")
    return elapsed


def main() -> None:
    """Generate the ballots, then time each method on them."""
    rng = np.random.default_rng(SEED)
    words = np.array(["yes", "no", "abstain"])
    yesno = words[rng.choice(3, size=N_BALLOTS, p=[0.5, 0.35, 0.15])].tolist()
    single = rng.integers(0, N_OPTIONS, size=N_BALLOTS).tolist()
    approve = rng.random((N_BALLOTS, N_OPTIONS)) < 0.4
    approval = [set(np.flatnonzero(row).tolist()) for row in approve]
    orders = rng.permuted(np.tile(np.arange(N_OPTIONS), (N_BALLOTS, 1)), axis=1)
    lengths = rng.integers(1, N_OPTIONS + 1, size=N_BALLOTS)  # partial rankings too
    rankings = [row[:k] for row, k in zip(orders.tolist(), lengths.tolist(), strict=True)]

    n = f"{N_BALLOTS} ballots"
    total = 0.0
    total += _timed(f"yesno {n}", lambda: count_yesno(yesno, "simple", N_BALLOTS))
    total += _timed(
        f"single {N_OPTIONS} options {n}",
        lambda: count_single(N_OPTIONS, single, "simple", N_BALLOTS, seed="bench"),
    )
    total += _timed(
        f"approval {N_OPTIONS} options {n}",
        lambda: count_approval(N_OPTIONS, approval, "simple", N_BALLOTS, seed="bench"),
    )
    total += _timed(
        f"schulze {N_OPTIONS} options {n}",
        lambda: count_schulze(N_OPTIONS, rankings, "simple", N_BALLOTS, seed="bench"),
    )
    print(f"all tallies: {total:.3f} s")


if __name__ == "__main__":
    main()
