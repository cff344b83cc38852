"""Static input-output analysis: what a final demand takes, in output and in hours.

Gross output x for a final demand y solves (I - A) x = y; labour values v
(hours embodied in one unit of each product, directly and through all its
inputs) solve (I - A)ᵀ v = l; the hours a demand takes are l·x = v·y. Both
are sparse solves, never an explicit inverse: the inverse of a sparse A is
dense (n² numbers), the solve is not.

Small and moderately sized tables are solved by sparse LU (``splu``). A
random sparse matrix of many thousand products fills in badly under LU (5,000
products with ten inputs each take seconds, 100,000 do not finish), while an
economy that can produce a surplus (spectral radius of A below 1) makes
I - A well conditioned for Krylov methods, so large ones are solved with
BiCGSTAB to a residual of 1e-12 relative, checked, with LU as the fallback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from core.planning.economy import Economy, EconomyError

Vector = np.ndarray[Any, np.dtype[np.float64]]
DIRECT_MAX = 2000  # products up to which LU is used directly
RESIDUAL = 1e-12  # relative residual the iterative solve must reach
NEGATIVE = 1e-9  # relative: below -NEGATIVE * max|x| an output is really negative


@dataclass(frozen=True, eq=False)
class GrossOutput:
    """What a final demand needs: each product's gross output and the hours in total."""

    economy_hash: str
    demand_hash: str  # sha256 of the demand vector's float64 bytes, to tell demands apart
    label: str
    demand: Vector
    output: Vector
    hours: float  # in the economy's labour unit
    solver: str

    @property
    def parameters(self) -> dict[str, str]:
        return {"economy": self.economy_hash[:12], "demand": self.demand_hash[:12]}


@dataclass(frozen=True, eq=False)
class LabourValues:
    """Hours embodied in one unit of each product, directly and through its inputs."""

    economy_hash: str
    values: Vector
    solver: str

    def of(self, economy: Economy, product: str) -> float:
        """The labour value of one named product."""
        return float(self.values[_index(economy, product)])


def gross_output(
    economy: Economy, demand: Mapping[str, float] | Any, label: str = ""
) -> GrossOutput:
    """Gross outputs and total hours for a final demand (a vector or {product: amount}).

    A negative entry in the demand (a net import, a drawn-down stock) is allowed
    as long as every gross output stays non-negative; otherwise the demand is
    impossible and the product that would need a negative output is named.
    """
    y = demand_vector(economy, demand)
    x, solver = solve(economy.inputs, y, names=economy.products)
    worst = int(np.argmin(x))
    if x[worst] < -NEGATIVE * max(1.0, float(np.abs(x).max())):
        raise EconomyError(
            "This demand is impossible: '{product}' would need a gross output of {value} "
            "(negative); other products' demand must draw on it less.",
            product=economy.products[worst],
            value=f"{x[worst]:.6g}",
        )
    x = np.clip(x, 0.0, None)
    return GrossOutput(
        economy_hash=economy.hash,
        demand_hash=hashlib.sha256(y.astype("<f8").tobytes()).hexdigest(),
        label=label,
        demand=y,
        output=x,
        hours=float(economy.labour @ x),
        solver=solver,
    )


def labour_values(economy: Economy) -> LabourValues:
    """Labour values: v = l + Aᵀ v, hours per unit of each product."""
    v, solver = solve(economy.inputs, economy.labour, names=economy.products, transpose=True)
    return LabourValues(economy_hash=economy.hash, values=np.clip(v, 0.0, None), solver=solver)


def hours_needed(economy: Economy, demand: Mapping[str, float] | Any) -> float:
    """Total hours a final demand takes (l·x); the same as labour values times demand."""
    return gross_output(economy, demand).hours


def demand_vector(economy: Economy, demand: Mapping[str, float] | Any) -> Vector:
    """A demand as one finite number per product; a mapping may name only some products."""
    if isinstance(demand, Mapping):
        y = np.zeros(economy.size)
        for name, amount in demand.items():
            y[_index(economy, name)] = _amount(name, amount)
        return y
    y = np.asarray(demand, dtype=np.float64)
    if y.shape != (economy.size,):
        raise EconomyError(
            "The demand has {count} entries, expected {n} (one per product).",
            count=y.size,
            n=economy.size,
        )
    bad = ~np.isfinite(y)
    if bad.any():
        k = int(np.argmax(bad))
        raise EconomyError(
            "Demand for '{product}': {value} is not a number.",
            product=economy.products[k],
            value=repr(float(y[k])),
        )
    return y


def solve(
    inputs: sp.csr_matrix, rhs: Vector, names: tuple[str, ...] = (), transpose: bool = False
) -> tuple[Vector, str]:
    """Solve (I - A) x = rhs, or (I - A)ᵀ x = rhs; returns x and the solver used."""
    n = inputs.shape[0]
    if inputs.shape != (n, n) or rhs.shape != (n,):
        raise EconomyError(
            "Cannot solve: the input matrix is {rows}x{cols} and the right-hand side has "
            "{count} entries.",
            rows=inputs.shape[0],
            cols=inputs.shape[1],
            count=rhs.size,
        )
    if n == 0:
        return np.zeros(0), "none"
    leontief = sp.identity(n, format="csr") - sp.csr_matrix(inputs)
    if transpose:
        leontief = leontief.T
    if n > DIRECT_MAX:
        x = _iterative(leontief.tocsr(), rhs)
        if x is not None:
            return x, "bicgstab"
    return _direct(leontief.tocsc(), rhs, names), "splu"


def _iterative(matrix: sp.csr_matrix, rhs: Vector) -> Vector | None:
    """BiCGSTAB to a checked relative residual; None if it does not get there."""
    scale = float(np.linalg.norm(rhs))
    if scale == 0:
        return np.zeros_like(rhs)
    x, info = spla.bicgstab(matrix, rhs, rtol=RESIDUAL, atol=0.0, maxiter=10 * matrix.shape[0])
    residual = float(np.linalg.norm(matrix @ x - rhs))
    if info != 0 or not np.all(np.isfinite(x)) or residual > 10 * RESIDUAL * scale:
        return None
    return np.asarray(x, dtype=np.float64)


def _direct(matrix: sp.csc_matrix, rhs: Vector, names: tuple[str, ...]) -> Vector:
    try:
        x = spla.splu(matrix).solve(rhs)
    except RuntimeError:  # "Factor is exactly singular"
        raise EconomyError(
            "I - A is singular: the economy cannot produce a surplus, and no gross output "
            "meets this demand."
        ) from None
    bad = ~np.isfinite(x)
    if bad.any():
        k = int(np.argmax(bad))
        raise EconomyError(
            "I - A is nearly singular: no finite output of '{product}' meets this demand.",
            product=names[k] if k < len(names) else str(k + 1),
        )
    return np.asarray(x, dtype=np.float64)


def _index(economy: Economy, product: str) -> int:
    try:
        return economy.products.index(product)
    except ValueError:
        raise EconomyError(
            "There is no product '{product}' in this economy.", product=product
        ) from None


def _amount(name: str, amount: Any) -> float:
    try:
        value = float(amount)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value):
        raise EconomyError(
            "Demand for '{product}': {value} is not a number.", product=name, value=repr(amount)
        )
    return value
