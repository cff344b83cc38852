"""An economy's technical data, checked once and fingerprinted.

Every figure the plan factory reports names the hash of the data it came
from, so two people comparing plans can tell at a glance whether they started
from the same numbers. The data are frozen after the checks: a plan computed
from an ``Economy`` can never be silently computed from something else.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from core.errors import Refusal

Vector = np.ndarray[Any, np.dtype[np.float64]]
Index = np.ndarray[Any, np.dtype[np.int64]]
HASH_VERSION = b"konsilo-economy-1"


class EconomyError(Refusal):
    """Data an economy cannot be built from; the message names where (file, row, column)."""


@dataclass(frozen=True, eq=False)
class Economy:
    """Products, technology, capital, labour and targets over ``years`` years.

    Matrices are indexed [product i, industry j] and given per unit of the
    industry's gross output: ``inputs[i, j]`` of product i is used up to make
    one unit of j, ``capital[i, j]`` of product i must stand in industry j as
    stock for each unit of j made per year. ``capital_stock`` is what stands
    at the start of year 1 (absolute amounts); ``depreciation`` is the yearly
    rate of each capital cell, stored on ``capital``'s pattern. A target of 0
    means "nothing asked"; the planners say how they treat it.
    """

    products: tuple[str, ...]
    inputs: sp.csr_matrix
    labour: Vector
    capital: sp.csr_matrix
    depreciation: sp.csr_matrix
    base_output: Vector
    capital_stock: sp.csr_matrix
    labour_supply: Vector
    targets: np.ndarray[Any, np.dtype[np.float64]]
    units: str = ""
    source: str = ""
    hash: str = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.products)
        put = object.__setattr__
        put(self, "products", tuple(self.products))
        put(self, "inputs", _square(self.inputs, n, "input coefficients"))
        put(self, "capital", _square(self.capital, n, "capital coefficients"))
        put(self, "capital_stock", _square(self.capital_stock, n, "capital stock"))
        put(self, "depreciation", _on_pattern(self.depreciation, self.capital, n))
        put(self, "labour", _vector(self.labour, n, "labour per unit"))
        put(self, "base_output", _vector(self.base_output, n, "base output"))
        put(self, "labour_supply", _frozen(np.asarray(self.labour_supply, dtype=np.float64)))
        put(self, "targets", _frozen(np.atleast_2d(np.asarray(self.targets, dtype=np.float64))))
        self.validate()
        put(self, "hash", _fingerprint(self))

    @property
    def size(self) -> int:
        """Number of products (and industries: one industry per product)."""
        return len(self.products)

    @property
    def years(self) -> int:
        """Number of years the targets and the labour supply cover."""
        return int(self.labour_supply.shape[0])

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits of the hash, enough to tell datasets apart on a phone."""
        return self.hash[:12]

    def validate(self) -> None:
        """Refuse data no plan can be made from, naming the product at fault."""
        _check_names(self.products)
        n, years = self.size, self.years
        if self.labour_supply.ndim != 1 or years == 0:
            raise EconomyError("The economy has no years: give at least one year's labour supply.")
        if self.targets.shape != (years, n):
            raise EconomyError(
                "Targets are {rows}x{cols}, expected {years} years x {n} products.",
                rows=self.targets.shape[0],
                cols=self.targets.shape[1],
                years=years,
                n=n,
            )
        for what, matrix in (
            ("input coefficients", self.inputs),
            ("capital coefficients", self.capital),
            ("capital stock", self.capital_stock),
            ("depreciation", self.depreciation),
        ):
            _check_cells(what, matrix, self.products)
        _check_at_most_one(self.depreciation, self.products)
        for what, vector in (
            ("labour per unit", self.labour),
            ("base output", self.base_output),
        ):
            _check_vector(what, vector, self.products)
        _check_vector("labour supply", self.labour_supply, _year_names(years))
        for y in range(years):
            _check_vector(f"year {y + 1} targets", self.targets[y], self.products)
        _check_bounded(self)
        check_productive(self.inputs, self.products)


def check_productive(inputs: sp.csr_matrix, products: tuple[str, ...]) -> None:
    """Refuse input coefficients that cannot yield a surplus (spectral radius ≥ 1).

    Accepts only with a certificate: ``surplus_certificate`` must find a
    number below 1 that provably bounds the spectral radius. The radius itself
    is computed, more expensively, only to word a refusal.
    """
    if not products or surplus_certificate(inputs) < 1.0:
        return
    radius = spectral_radius(inputs)
    if radius < 1.0 - 1e-9:
        raise EconomyError(
            "The economy cannot be shown to produce a surplus: the spectral radius of its "
            "input coefficients is about {radius}, too close to 1 to confirm.",
            radius=f"{radius:.6g}",
        )
    raise EconomyError(
        "The economy cannot produce a surplus: the spectral radius of its input "
        "coefficients is {radius} (it must be below 1).",
        radius=f"{radius:.4g}",
    )


def surplus_certificate(inputs: sp.csr_matrix) -> float:
    """A proven upper bound on the spectral radius of a non-negative A, or inf if none is found.

    Perron-Frobenius (the Collatz-Wielandt bound): for every x > 0,
    rho(A) ≤ maxᵢ (Ax)ᵢ / xᵢ. The largest column or row sum is that bound for
    x = 1 (or for Aᵀ), and settles most economies in O(nnz). Otherwise the x
    to try is the solution of (I - A)x = 1: when rho(A) < 1 it is x = Σ Aᵏ1 ≥ 1,
    and then (Ax)ᵢ/xᵢ = 1 - 1/xᵢ < 1, so the bound proves what the solve
    suggests. The solve needs no accuracy to be trusted, only to succeed:
    whatever x comes back is checked, with a margin for the rounding of the
    sums (all terms are non-negative, so it is below (k + 4)·ε relative for
    rows or columns of k entries). BiCGSTAB solves it in O(nnz) per iteration; a sparse
    LU is the fallback for up to ``CERTIFY_LU_MAX`` products.
    """
    n = inputs.shape[0]
    if n == 0:
        return 0.0
    matrix = sp.csr_matrix(inputs)
    per_line = max(
        int(np.diff(matrix.indptr).max(initial=0)), int(np.bincount(matrix.indices).max(initial=0))
    )
    margin = 1.0 + (per_line + 4) * float(np.finfo(np.float64).eps)
    sums = margin * min(
        float(np.asarray(matrix.sum(axis=0)).max()), float(np.asarray(matrix.sum(axis=1)).max())
    )
    if sums < 1.0:
        return sums
    leontief = (sp.identity(n, format="csr") - matrix).tocsr()
    ones = np.ones(n)
    best = float("inf")
    for solver in (_solve_krylov, _solve_lu):
        x = solver(leontief, ones)
        if x is None or not np.all(np.isfinite(x)) or not np.all(x > 0):
            continue
        ratio = float(np.max((matrix @ x) / x)) * margin
        best = min(best, ratio)
        if best < 1.0:
            break
    return best


CERTIFY_LU_MAX = 3000  # products up to which a failed iterative certificate is retried by LU


def _solve_krylov(leontief: sp.csr_matrix, rhs: Vector) -> Vector | None:
    x, info = spla.bicgstab(leontief, rhs, rtol=1e-10, atol=0.0, maxiter=2000)
    return np.asarray(x, dtype=np.float64) if info == 0 else None


def _solve_lu(leontief: sp.csr_matrix, rhs: Vector) -> Vector | None:
    if leontief.shape[0] > CERTIFY_LU_MAX:
        return None
    try:
        return np.asarray(spla.splu(leontief.tocsc()).solve(rhs), dtype=np.float64)
    except RuntimeError:  # exactly singular
        return None


def spectral_radius(matrix: sp.csr_matrix) -> float:
    """Largest eigenvalue modulus: LAPACK up to 1,000 products, ARPACK above (for messages)."""
    n = matrix.shape[0]
    if n > 1000:
        try:
            values = spla.eigs(
                matrix.astype(np.float64),
                k=1,
                which="LM",
                return_eigenvectors=False,
                maxiter=20 * n,
                tol=1e-8,
            )
            return float(np.abs(values).max())
        except (spla.ArpackNoConvergence, spla.ArpackError):
            return _power_lower_bound(matrix)
    return float(np.abs(np.linalg.eigvals(matrix.toarray())).max()) if n else 0.0


def _power_lower_bound(matrix: sp.csr_matrix, rounds: int = 2000) -> float:
    """Collatz-Wielandt lower bound minᵢ ((A + I)x)ᵢ/xᵢ - 1 ≤ rho(A) after power steps on A + I."""
    x = np.ones(matrix.shape[0])
    low = 0.0
    for _ in range(rounds):
        y = matrix @ x + x
        low = max(low, float(np.min(y / x)) - 1.0)
        x = y / float(y.max())
        if not np.all(x > 0):
            break
    return low


def cells(economy: Economy) -> tuple[Index, Index]:
    """(product row, industry column) of every capital cell, in ``capital``'s CSR order."""
    capital = economy.capital
    rows: Index = np.repeat(np.arange(capital.shape[0], dtype=np.int64), np.diff(capital.indptr))
    return rows, capital.indices.astype(np.int64)


def cell_stocks(economy: Economy) -> Vector:
    """The initial stock of every capital cell, in ``cells`` order."""
    product, industry = cells(economy)
    if product.size == 0:
        return np.zeros(0)
    return np.asarray(economy.capital_stock[product, industry], dtype=np.float64).ravel()


def _square(matrix: Any, n: int, what: str) -> sp.csr_matrix:
    """Canonical CSR copy: float64, duplicates summed, indices sorted, zeros dropped, frozen."""
    csr = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    if csr.shape != (n, n):
        raise EconomyError(
            "The {what} matrix is {rows}x{cols}, expected {n}x{n} (a row and column per product).",
            what=what,
            rows=csr.shape[0],
            cols=csr.shape[1],
            n=n,
        )
    csr.sum_duplicates()
    csr.eliminate_zeros()
    csr.sort_indices()
    return _frozen_csr(csr)


def _on_pattern(rates: Any, capital: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Depreciation rates at exactly the capital cells (explicit zeros kept)."""
    given = sp.csr_matrix(rates, dtype=np.float64)
    if given.shape != (n, n):
        raise EconomyError(
            "The {what} matrix is {rows}x{cols}, expected {n}x{n} (a row and column per product).",
            what="depreciation",
            rows=given.shape[0],
            cols=given.shape[1],
            n=n,
        )
    rows = np.repeat(np.arange(n), np.diff(capital.indptr))
    values = np.asarray(given[rows, capital.indices]).ravel() if capital.nnz else np.zeros(0)
    aligned = sp.csr_matrix(
        (values, capital.indices.copy(), capital.indptr.copy()), shape=(n, n), dtype=np.float64
    )
    return _frozen_csr(aligned)


def _vector(values: Any, n: int, what: str) -> Vector:
    vector = np.asarray(values, dtype=np.float64)
    if vector.shape != (n,):
        raise EconomyError(
            "The {what} has {count} entries, expected {n} (one per product).",
            what=what,
            count=vector.size,
            n=n,
        )
    return _frozen(vector)


def _frozen(array: np.ndarray[Any, Any]) -> Vector:
    copy: Vector = np.array(array, dtype=np.float64, copy=True)
    copy.flags.writeable = False
    return copy


def _frozen_csr(csr: sp.csr_matrix) -> sp.csr_matrix:
    for part in (csr.data, csr.indices, csr.indptr):
        part.flags.writeable = False
    return csr


def _check_names(products: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for position, name in enumerate(products, start=1):
        if not isinstance(name, str) or not name.strip():
            raise EconomyError("Product {position} has no name.", position=position)
        if name in seen:
            raise EconomyError("Product '{name}' appears twice.", name=name)
        seen.add(name)


def _check_cells(what: str, matrix: sp.csr_matrix, products: tuple[str, ...]) -> None:
    bad = ~np.isfinite(matrix.data) | (matrix.data < 0)
    if not bad.any():
        return
    k = int(np.argmax(bad))
    row = int(np.searchsorted(matrix.indptr, k, side="right") - 1)
    raise EconomyError(
        "{what}: row '{row}', column '{column}': {value} is not a non-negative number.",
        what=what.capitalize(),
        row=products[row],
        column=products[int(matrix.indices[k])],
        value=repr(float(matrix.data[k])),
    )


def _check_at_most_one(depreciation: sp.csr_matrix, products: tuple[str, ...]) -> None:
    over = depreciation.data > 1
    if over.any():
        k = int(np.argmax(over))
        row = int(np.searchsorted(depreciation.indptr, k, side="right") - 1)
        raise EconomyError(
            "Depreciation: row '{row}', column '{column}': rate {value} is above 1.",
            row=products[row],
            column=products[int(depreciation.indices[k])],
            value=repr(float(depreciation.data[k])),
        )


def _check_vector(what: str, vector: Vector, names: Iterable[str]) -> None:
    bad = ~np.isfinite(vector) | (vector < 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise EconomyError(
            "{what} of '{name}': {value} is not a non-negative number.",
            what=what.capitalize(),
            name=list(names)[k],
            value=repr(float(vector[k])),
        )


def _check_bounded(economy: Economy) -> None:
    """Refuse an industry that needs neither labour nor capital: its output would be unlimited."""
    has_capital = np.zeros(economy.size, dtype=bool)
    has_capital[economy.capital.indices] = True
    free = (economy.labour <= 0) & ~has_capital
    if free.any():
        raise EconomyError(
            "Industry '{name}' needs neither labour nor capital, so its output would be unlimited.",
            name=economy.products[int(np.argmax(free))],
        )


def _year_names(years: int) -> list[str]:
    return [f"year{y + 1}" for y in range(years)]


def _fingerprint(economy: Economy) -> str:
    """sha256 over names, units and every number, in a fixed byte layout."""
    digest = hashlib.sha256(HASH_VERSION)

    def chunk(tag: str, payload: bytes) -> None:
        digest.update(struct.pack("<Q", len(tag)) + tag.encode())
        digest.update(struct.pack("<Q", len(payload)) + payload)

    chunk("products", "\x00".join(economy.products).encode("utf-8"))
    chunk("units", economy.units.encode("utf-8"))
    for tag, matrix in (
        ("inputs", economy.inputs),
        ("capital", economy.capital),
        ("depreciation", economy.depreciation),
        ("capital_stock", economy.capital_stock),
    ):
        chunk(tag + ".indptr", matrix.indptr.astype("<i8").tobytes())
        chunk(tag + ".indices", matrix.indices.astype("<i8").tobytes())
        chunk(tag + ".data", matrix.data.astype("<f8").tobytes())
    for tag, array in (
        ("labour", economy.labour),
        ("base_output", economy.base_output),
        ("labour_supply", economy.labour_supply),
        ("targets", economy.targets),
    ):
        chunk(tag + ".shape", np.asarray(array.shape, dtype="<i8").tobytes())
        chunk(tag, np.ascontiguousarray(array, dtype="<f8").tobytes())
    return digest.hexdigest()
