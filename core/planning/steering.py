"""Harmony plans steered by an assembly's choices: shares of the work, floors and ceilings.

Why this exists: the harmony criterion decides accumulation by itself, and
scaling the consumption targets barely moves it (above a target, H is a
logarithm, so a scaled target shifts every plan's harmony by the same
constant). An assembly that votes "20% of the work goes into new means of
production" needs that share to hold, so the share becomes a constraint of
the model, as do "sector X at least 20% above now" and "sector X closed".

Shares are measured at labour values λ (hours embodied per unit, λ(I-A) = l):
the labour value of a year's net product, λ·(x - Ax), equals the hours
worked, l·x, so "share of the work" is exact bookkeeping:

    investment  λ·E a_y                      = s · l·x_y   (years with accumulation)
    public      Σ_i φ_i λ_i net_{i,y}        = g · l·x_y   (every year)
    floors      x_{j,y} ≥ f_{j,y};  ceilings x_{j,y} ≤ c_{j,y}
    equipment   a_{c,y} ≥ e_{c,y}   (a workplace's new equipment, built in year y)

φ_i is the part of product i consumed in common (1 for a public service).
The rows are added to the planner's own problem and solved with the same
primal-dual method (``core.planning.pdhg``) and the same exact repair
(``model.repair``); the plan kept is the best repaired one that meets the
rows to ``ROW_TOLERANCE``. When floors (of output or of equipment) cannot
be met, a linear programme (HiGHS) finds the largest fraction θ of them that
can, and its dual prices name what binds.

Two criteria (``CRITERIA``). "harmony" is Cockshott's: Σ_{i,y} H(r_iy), every
product counting the same. "balanced" weighs each product by its part of
today's consumption at labour values, Σ_{i,y} w_i H(r_iy) with
w_i = n·λ_i t_i / Σ_k λ_k t_k (``criterion_weights``): an hour of work is then
worth as much in any product at the same fulfilment, so the plan no longer
starves the products with big targets to overshoot the small ones.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import highspy
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from core.planning.economy import Economy, cells
from core.planning.harmony import ZERO_TARGET, harmony
from core.planning.model import Feasible, Model, build, repair
from core.planning.multiyear import feasible_plan, highs_lp
from core.planning.pdhg import Problem, solve
from core.planning.plan import Plan

Array = np.ndarray[Any, np.dtype[np.float64]]
Index = np.ndarray[Any, np.dtype[np.int64]]
Start = tuple[Array, Array]

CRITERIA = ("harmony", "balanced")
ROW_TOLERANCE = 1e-3  # shares to 0.1 point, floors to 0.1 % (invisible in whole percent)
STALL = 2e-4  # stop when the best harmony rose less than this (relative) over PATIENCE checks
# "balanced" stops at 5e-4: its total is smaller than harmony's (no logarithms of large
# overshoots), and both are sums of the same (weighted) terms, so on the Spanish table this
# is still a smaller absolute rise (0.04 over 300 iterations) than harmony's 2e-4 (0.1).
# Measured on the Spanish defaults: 30% fewer iterations; against runs to 6,000 iterations
# the weighted totals within 0.3%, the summaries' figures within a point (one +182% for +185%).
BALANCED_STALL = 5e-4
PATIENCE = 3
CHECK_EVERY = 100
MAX_ITERATIONS = 6000
PRIMAL_WEIGHT = 4.0
# From a warm start the plan is nearly right and what must move are the prices of the rows
# that changed (another share, other hours), so the dual gets the larger steps. Measured on
# the Spanish variants (five defaults and a proposal): 9,500 iterations instead of 10,700,
# rows met as often, harmony within ±0.3; the dense-table weight (16) needs 2.5 times as many.
WARM_PRIMAL_WEIGHT = 2.0
FEASIBLE_THETA = 1.0 - 1e-7
COLLAPSE = 0.5  # a repaired year keeping less than this part of the iterate's work is not used
BindingKind = Literal[
    "product", "capital", "labour", "investment", "public", "ceiling", "floor", "equipment"
]


@dataclass(frozen=True, eq=False)
class Steering:
    """What an assembly fixes; ``None`` and empty arrays leave the planner free."""

    investment: float | None = None  # share of the work accumulated (years 1..T-1)
    public: float | None = None  # share of the work consumed in common (every year)
    common: Array | None = None  # φ per product: the part of it consumed in common
    floors: Array | None = None  # TxN minimum gross output, 0 where none
    ceilings: Array | None = None  # TxN maximum gross output, inf where none
    equipment: Array | None = None  # (T-1)xcells minimum accumulation (natural units), 0 where none

    @property
    def free(self) -> bool:
        """True when nothing is fixed: the ordinary harmony plan is the answer."""
        return (
            self.investment is None
            and self.public is None
            and self.floors is None
            and self.ceilings is None
            and self.equipment is None
        )

    @property
    def lower(self) -> bool:
        """True when some floor of output or of equipment asks for something."""
        return any(
            limit is not None and bool((limit > 0).any()) for limit in (self.floors, self.equipment)
        )


@dataclass(frozen=True)
class Binding:
    """One constraint that limits an infeasible floor, with its weight (dual price x size)."""

    kind: BindingKind
    year: int  # from 1
    product: str = ""  # the product (its stock, for capital)
    industry: str = ""  # the industry holding the stock (capital)
    weight: float = 0.0


@dataclass(frozen=True)
class Shortfall:
    """Floors that cannot all be met: at most θ of each, the tightest one, and what binds.

    The tightest floor is of output (``kind`` "floor": ``product``'s gross
    output in ``year``) or of equipment (``kind`` "equipment": ``floor`` of
    ``product`` built for ``industry`` in ``year``). ``kept`` is the part of
    that floor held in full when ``shortfall`` was asked to scale only the
    rest (0 otherwise): then θ is the part of the rest that can be had.
    """

    reached: float  # θ: the largest common fraction of every floor that can be met
    product: str  # the floor whose dual price is highest
    year: int
    floor: float  # its amount, in the product's unit
    binding: tuple[Binding, ...]
    kind: BindingKind = "floor"
    industry: str = ""
    kept: float = 0.0

    @property
    def possible(self) -> float:
        """The most of the tightest floor that can be had with the rest (product's unit)."""
        return self.kept + self.reached * (self.floor - self.kept)

    @property
    def short(self) -> float:
        """How much of the asked output cannot be made (0.12 = short by 12 %)."""
        return 1.0 - self.reached

    def describe(self) -> dict[str, Any]:
        """Every field as JSON, for provenance and archives (``from_dict`` reads it back)."""
        return {
            "reached": self.reached,
            "product": self.product,
            "industry": self.industry,
            "kind": self.kind,
            "year": self.year,
            "floor": self.floor,
            "kept": self.kept,
            "binding": [[b.kind, b.year, b.product, b.industry, b.weight] for b in self.binding],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shortfall:
        return cls(
            reached=float(data["reached"]),
            product=str(data["product"]),
            year=int(data["year"]),
            floor=float(data["floor"]),
            binding=tuple(Binding(k, int(y), p, i, float(w)) for k, y, p, i, w in data["binding"]),
            kind=data.get("kind", "floor"),
            industry=str(data.get("industry", "")),
            kept=float(data.get("kept", 0.0)),
        )


@dataclass
class Solved:
    """A steered plan and the solver state to start the next, similar plan from."""

    plan: Plan
    start: Start | None
    met: bool  # False: no plan met the rows to ROW_TOLERANCE; ``plan`` is the closest found


def labour_values(economy: Economy) -> Array:
    """λ with λ(I - A) = l: the hours embodied in one unit of each product."""
    n = economy.size
    leontief = (sp.identity(n, format="csc") - economy.inputs).T.tocsc()
    return np.asarray(spla.splu(leontief).solve(np.asarray(economy.labour)), dtype=np.float64)


def criterion_weights(economy: Economy, values: Array | None = None) -> Array:
    """The "balanced" criterion's weight per product: w_i = n·λ_i t_i / Σ_k λ_k t_k.

    t is the first year's targets and λ the labour values (``values`` if
    given), so w_i is n times product i's share of today's consumption at
    labour values: the weights average 1, and w_i·H(r_i) ≈ n·λ_i(net_i - t_i)/Σλt
    near the target, an hour of consumption counting the same whatever it is
    spent on. A product with nothing asked (or no labour value) gets the
    smallest weight of the others, so that it still counts a little and the
    solver's step for it stays positive; all weights are 1 if none is asked.
    """
    lam = labour_values(economy) if values is None else values
    raw = np.maximum(lam * np.asarray(economy.targets[0], dtype=np.float64), 0.0)
    positive = raw > 0
    if not positive.any():
        return np.ones(economy.size)
    raw = np.where(positive, raw, raw[positive].min())
    return np.asarray(raw * (economy.size / raw.sum()), dtype=np.float64)


def weighted_harmony(fulfilment: Array, weights: Array | None) -> float:
    """Σ_{i,y} w_i H(r_iy) (Cockshott's total harmony when ``weights`` is None)."""
    values = harmony(fulfilment)
    return float(values.sum() if weights is None else (values @ weights).sum())


@dataclass(frozen=True, eq=False)
class Rows:
    """Extra rows on z = (q, b), their right-hand sides, and what each row is."""

    matrix: sp.csr_matrix
    rhs: Array
    kind: tuple[BindingKind, ...]
    year: Index  # from 0
    product: Index  # the product a row is about, -1 for none
    industry: Index  # the industry of an equipment row's cell, -1 for the others


@dataclass
class _Builder:
    """Collects row blocks with their labels."""

    dimension: int
    blocks: list[sp.csr_matrix] = field(default_factory=list)
    rhs: list[Array] = field(default_factory=list)
    kind: list[BindingKind] = field(default_factory=list)
    year: list[Index] = field(default_factory=list)
    product: list[Index] = field(default_factory=list)
    industry: list[Index] = field(default_factory=list)

    def add(
        self,
        rows: sp.csr_matrix,
        rhs: Array,
        kind: BindingKind,
        year: Index,
        product: Index,
        industry: Index | None = None,
    ) -> None:
        self.blocks.append(rows)
        self.rhs.append(rhs)
        self.kind += [kind] * rows.shape[0]
        self.year.append(year)
        self.product.append(product)
        self.industry.append(np.full(rows.shape[0], -1) if industry is None else industry)

    def equal(self, rows: sp.csr_matrix, kind: BindingKind) -> None:
        """rows·z = 0 as the pair rows·z ≤ 0, -rows·z ≤ 0 (the solver takes ≤ rows only)."""
        years = np.arange(rows.shape[0])
        none = np.full(rows.shape[0], -1)
        for sign in (1.0, -1.0):
            self.add(sign * rows, np.zeros(rows.shape[0]), kind, years, none)

    def done(self) -> Rows:
        if not self.blocks:
            empty = np.zeros(0, dtype=np.int64)
            return Rows(sp.csr_matrix((0, self.dimension)), np.zeros(0), (), empty, empty, empty)
        return Rows(
            matrix=sp.vstack(self.blocks, format="csr"),
            rhs=np.concatenate(self.rhs),
            kind=tuple(self.kind),
            year=np.concatenate(self.year).astype(np.int64),
            product=np.concatenate(self.product).astype(np.int64),
            industry=np.concatenate(self.industry).astype(np.int64),
        )


def steer_rows(model: Model, steering: Steering, values: Array, *, floors: bool = True) -> Rows:
    """The extra rows: investment and public shares (as equality pairs), ceilings, floors
    of output and of equipment (``floors=False`` leaves both kinds of floor out)."""
    out = _Builder(model.dimension)
    work = _work_rows(model)
    per_year = 1.0 / model.labour_scale  # rows in hours, divided by the year's labour
    if steering.investment is not None and model.years > 1:
        invest = _investment_rows(model, values) - steering.investment * work[: model.years - 1]
        out.equal((sp.diags(per_year[:-1]) @ invest).tocsr(), "investment")
    if steering.public is not None and steering.common is not None:
        public = _public_rows(model, values * steering.common) - steering.public * work
        out.equal((sp.diags(per_year) @ public).tocsr(), "public")
    if steering.ceilings is not None:
        _bounds(out, model, steering.ceilings, "ceiling")
    if floors and steering.floors is not None:
        _bounds(out, model, steering.floors, "floor")
    if floors and steering.equipment is not None:
        _equipment(out, model, steering.equipment)
    return out.done()


def _work_rows(model: Model) -> sp.csr_matrix:
    """Row y: the hours worked in year y, l·x_y, as a function of z."""
    t, n = model.years, model.size
    per_q = np.asarray(model.economy.labour) * model.output_scale
    rows = np.repeat(np.arange(t), n)
    cols = np.arange(t * n)
    return sp.csr_matrix((np.tile(per_q, t), (rows, cols)), shape=(t, model.dimension))


def _investment_rows(model: Model, values: Array) -> sp.csr_matrix:
    """Row y (y < T): the labour value of what is accumulated in year y, λ·E a_y."""
    t, n, m = model.years, model.size, model.cell_count
    per_b = values[model.cell_product] * model.cell_scale
    rows = np.repeat(np.arange(t - 1), m)
    cols = t * n + np.arange((t - 1) * m)
    return sp.csr_matrix((np.tile(per_b, t - 1), (rows, cols)), shape=(t - 1, model.dimension))


def _public_rows(model: Model, weights: Array) -> sp.csr_matrix:
    """Row y: Σ_i φ_i λ_i net_{i,y} = (φλ)(I-A)x_y - Σ_c (φλ)_k(c) a_{c,y}."""
    t, n, m = model.years, model.size, model.cell_count
    per_x = weights - model.economy.inputs.T @ weights
    per_q = per_x * model.output_scale
    per_b = -weights[model.cell_product] * model.cell_scale
    rows = [np.repeat(np.arange(t), n), np.repeat(np.arange(t - 1), m)]
    cols = [np.arange(t * n), t * n + np.arange((t - 1) * m)]
    vals = [np.tile(per_q, t), np.tile(per_b, t - 1)]
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(t, model.dimension),
    )


def _bounds(out: _Builder, model: Model, limit: Array, kind: BindingKind) -> None:
    """q_{j,y} ≤ ceiling/base, or -q_{j,y} ≤ -floor/base, for every limit that says something."""
    flat = np.asarray(limit, dtype=np.float64).ravel()
    sign = -1.0 if kind == "floor" else 1.0
    active = np.flatnonzero(flat > 0) if kind == "floor" else np.flatnonzero(np.isfinite(flat))
    scale = np.tile(model.output_scale, model.years)[active]
    rows = sp.csr_matrix(
        (np.full(active.size, sign), (np.arange(active.size), active)),
        shape=(active.size, model.dimension),
    )
    out.add(rows, sign * flat[active] / scale, kind, active // model.size, active % model.size)


def _equipment(out: _Builder, model: Model, limit: Array) -> None:
    """-b_{c,y} ≤ -e_{c,y}/(B_c·base_j): at least e of cell c's product built for it in year y."""
    t, n, m = model.years, model.size, model.cell_count
    flat = np.asarray(limit, dtype=np.float64)[: t - 1].ravel()
    active = np.flatnonzero(flat > 0)
    cell = active % m
    rows = sp.csr_matrix(
        (np.full(active.size, -1.0), (np.arange(active.size), t * n + active)),
        shape=(active.size, model.dimension),
    )
    rhs = -flat[active] / model.cell_scale[cell]
    product, industry = model.cell_product[cell], model.cell_industry[cell]
    out.add(rows, rhs, "equipment", active // m, product, industry)


def plan_steered(
    economy: Economy,
    steering: Steering,
    *,
    start: Start | None = None,
    max_iterations: int = MAX_ITERATIONS,
    check_every: int = CHECK_EVERY,
    zero_target: float = ZERO_TARGET,
    criterion: str = "harmony",
) -> Solved:
    """The best plan found by ``criterion`` that meets the steering rows (or the closest one).

    No certified bound: the planner's bound ignores the extra rows (and the
    weights of "balanced"). It stops when the best plan meeting the rows has
    stopped improving (``STALL`` over ``PATIENCE`` checks) or after
    ``max_iterations``. ``plan.harmony`` is always Cockshott's unweighted
    total; under "balanced", ``plan.objective`` is the weighted one.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"unknown criterion {criterion!r}")
    started = time.perf_counter()
    model = build(economy, zero_target)
    values = labour_values(economy)
    weights = criterion_weights(economy, values) if criterion == "balanced" else None
    problem = _problem(model, steer_rows(model, steering, values), weights)
    tracker = _Tracker(model, steering, values, weights)
    fitted = _fit(start, problem)
    weight = PRIMAL_WEIGHT if fitted is None else WARM_PRIMAL_WEIGHT
    primal, dual, iterations = solve(
        problem,
        tracker.check,
        max_iterations=max_iterations,
        check_every=check_every,
        primal_weight=weight,
        start=fitted,
    )
    if tracker.best is None or iterations % check_every:
        tracker.check(iterations, primal, dual)
    settings = {
        "method": "pdhg-steered",
        "check_every": check_every,
        "max_iterations": max_iterations,
        "row_tolerance": ROW_TOLERANCE,
        "stall": tracker.stall,
        "zero_target": zero_target,
        "primal_weight": weight,
    }
    if weights is not None:  # only then, so that harmony plans keep their provenance
        settings["criterion"] = criterion
    plan = _plan(model, tracker, iterations, time.perf_counter() - started, settings)
    return Solved(plan=plan, start=(primal, dual), met=tracker.best is not None)


def _problem(model: Model, extra: Rows, weights: Array | None = None) -> Problem:
    """The planner's rows (fulfilments, capital, labour) with the steering rows below;
    ``weights`` per product, the same every year."""
    fulfilments = model.years * model.size
    matrix = sp.bmat(
        [
            [sp.identity(fulfilments, format="csr"), -model.net],
            [None, model.limits],
            [sp.csr_matrix((extra.matrix.shape[0], fulfilments)), extra.matrix],
        ],
        format="csr",
    )
    rhs = np.r_[np.zeros(fulfilments), model.bounds, extra.rhs]
    tiled = None if weights is None else np.tile(weights, model.years)
    return Problem(matrix=matrix, rhs=rhs, fulfilments=fulfilments, weights=tiled)


def _fit(start: Start | None, problem: Problem) -> Start | None:
    """Reuse a previous solution if its primal has this problem's size; duals padded with 0."""
    if start is None or start[0].shape[0] != problem.matrix.shape[1]:
        return None
    rows = problem.matrix.shape[0]
    base = min(rows, start[1].shape[0])
    dual = np.zeros(rows)
    dual[:base] = start[1][:base]
    return start[0], dual


class _Tracker:
    """Repairs each checked iterate and keeps the best one (by the criterion: weighted
    harmony when ``weights`` are given) that meets the steering rows."""

    def __init__(
        self, model: Model, steering: Steering, values: Array, weights: Array | None = None
    ) -> None:
        self.model = model
        self.steering = steering
        self.values = values
        self.weights = weights
        self.stall = STALL if weights is None else BALANCED_STALL
        self.best: Feasible | None = None
        self.best_value = -np.inf
        self.closest: tuple[float, Feasible] | None = None
        self.last: Feasible | None = None
        self.history: list[float] = []

    def check(self, _: int, primal: Array, __: Array) -> bool:
        fulfilments = self.model.years * self.model.size
        gross, accumulation = self.model.split(primal[fulfilments:])
        if self.steering.ceilings is not None:
            gross = np.minimum(gross, self.steering.ceilings)
        feasible = repair(self.model, gross, accumulation)
        self.last = feasible
        if not self.collapsed(gross, feasible):
            self.consider(feasible)
        self.history.append(self.best_value)
        return self.stalled()

    def consider(self, feasible: Feasible) -> None:
        miss = self.miss(feasible)
        if miss <= ROW_TOLERANCE:
            value = weighted_harmony(feasible.net / self.model.targets, self.weights)
            if value > self.best_value:
                self.best, self.best_value = feasible, value
        elif self.closest is None or miss < self.closest[0]:
            self.closest = (miss, feasible)

    def collapsed(self, gross: Array, feasible: Feasible) -> bool:
        """True when the repair gave up on a year the iterate worked in (it then zeroes it)."""
        labour = np.asarray(self.model.economy.labour)
        before = np.maximum(gross, 0.0) @ labour
        after = feasible.gross @ labour
        return bool(np.any((before > 0) & (after < COLLAPSE * before)))

    def stalled(self) -> bool:
        if self.best is None or len(self.history) <= PATIENCE:
            return False
        before = self.history[-1 - PATIENCE]
        return self.best_value - before <= self.stall * max(1.0, abs(self.best_value))

    def miss(self, plan: Feasible) -> float:
        """The largest breach of a steering row: share points, or relative floor shortfall."""
        return row_miss(self.model.economy, self.steering, self.values, plan)


def row_miss(economy: Economy, steering: Steering, values: Array, plan: Feasible) -> float:
    """How far a plan is from the steering rows (0 when it meets them all)."""
    gross = plan.gross
    work = gross @ np.asarray(economy.labour)
    safe = np.where(work > 0, work, 1.0)
    miss = 0.0
    if steering.investment is not None and economy.years > 1:
        product, _ = cells(economy)
        invest = plan.accumulation[:-1] @ values[product]
        share = np.where(work[:-1] > 0, invest / safe[:-1], steering.investment)
        miss = max(miss, float(np.abs(share - steering.investment).max()))
    if steering.public is not None and steering.common is not None:
        public = plan.net @ (values * steering.common)
        share = np.where(work > 0, public / safe, steering.public)
        miss = max(miss, float(np.abs(share - steering.public).max()))
    if steering.floors is not None:
        asked = steering.floors > 0
        if asked.any():
            ratio = gross[asked] / steering.floors[asked]
            miss = max(miss, float(np.maximum(1.0 - ratio, 0.0).max()))
    if steering.equipment is not None:
        asked = steering.equipment > 0
        if asked.any():
            built = plan.accumulation[: asked.shape[0]][asked]
            ratio = built / steering.equipment[asked]
            miss = max(miss, float(np.maximum(1.0 - ratio, 0.0).max()))
    return miss


def _plan(
    model: Model, tracker: _Tracker, iterations: int, seconds: float, settings: dict[str, Any]
) -> Plan:
    """The best plan meeting the rows, or else the closest one, with a note saying so."""
    notes: tuple[str, ...] = ("steered: shares, floors and ceilings as given; no bound",)
    chosen = tracker.best
    if chosen is None and tracker.closest is not None:
        miss, chosen = tracker.closest
        notes += (f"steering rows met only to {miss:.3g} (best found)",)
    if chosen is None:
        assert tracker.last is not None
        chosen = tracker.last
        notes += ("every repaired plan lost a year's work: the last one is shown",)
    # Without weights this is the plain harmony.
    objective = weighted_harmony(chosen.net / model.targets, tracker.weights)
    weighted = tracker.weights is not None
    if weighted:
        settings = {**settings, "weighted_harmony": objective}
    return feasible_plan(
        model,
        chosen,
        criterion="balanced" if weighted else "harmony",
        objective=objective,
        bound=None,
        iterations=iterations,
        seconds=seconds,
        parameters=settings,
        notes=notes,
    )


# --- When floors cannot be met: how far, and what binds ----------------------------------------


def shortfall(
    economy: Economy,
    steering: Steering,
    zero_target: float = ZERO_TARGET,
    *,
    keep: Array | None = None,
) -> Shortfall | None:
    """None when every floor can be met together with the rest; else how far and why.

    Maximises θ ≤ 1 subject to x ≥ θ·floor, a ≥ θ·equipment and every other
    row; the rows with a dual price are what binds, weighed by price times
    size (the part of θ each accounts for). ``keep`` (TxN, at most the
    floors) is a part of the output floors held in full, so that θ measures
    only the rest: a workplace's expansion asks its sector for today's output
    plus a gain, and "at most 30% of the gain" says more than "at most 99.4%
    of the whole". If what is kept cannot be met by itself, θ scales it too.
    """
    if not steering.lower:
        return None
    model = build(economy, zero_target)
    values = labour_values(economy)
    others = steer_rows(model, steering, values, floors=False)
    lower = Steering(floors=steering.floors, equipment=steering.equipment)
    floors = steer_rows(model, lower, values)
    kept = _kept(model, floors, keep)
    try:
        matrix, upper, column = _theta_lp(model, others, floors, kept)
        theta, duals = _max_theta(matrix, upper)
    except RuntimeError:  # what is kept is out of reach by itself: scale everything
        kept = np.zeros_like(kept)
        matrix, upper, column = _theta_lp(model, others, floors, kept)
        theta, duals = _max_theta(matrix, upper)
    if theta >= FEASIBLE_THETA:
        return None
    return _explain(model, theta, np.abs(duals), upper, others, floors, column, kept)


def _kept(model: Model, floors: Rows, keep: Array | None) -> Array:
    """For each floor row, the part of its right-hand side held in full (scaled like it)."""
    kept = np.zeros(floors.rhs.size)
    if keep is None:
        return kept
    output = np.array([k == "floor" for k in floors.kind], dtype=bool)
    year, product = floors.year[output], floors.product[output]
    held = np.asarray(keep, dtype=np.float64)[year, product] / model.output_scale[product]
    kept[output] = np.clip(held, 0.0, -floors.rhs[output])
    return kept


def _theta_lp(
    model: Model, others: Rows, floors: Rows, kept: Array
) -> tuple[sp.csc_matrix, Array, Array]:
    """Rows [-net; limits; others; floors] on (z, θ): θ·(floor - kept)/base - q ≤ -kept/base
    for each output floor, θ·equipment/scale - b ≤ 0 for each equipment floor.
    Returns the matrix, the right-hand sides and the floors' θ coefficients."""
    t, n = model.years, model.size
    body = sp.vstack([-model.net, model.limits, others.matrix, floors.matrix], format="csr")
    scaled = -floors.rhs - kept  # floors.rhs = -floor/base
    column = np.zeros(body.shape[0])
    column[body.shape[0] - floors.rhs.size :] = scaled
    upper = np.r_[np.zeros(t * n), model.bounds, others.rhs, -kept]
    matrix = sp.hstack([body, sp.csr_matrix(column[:, None])], format="csc")
    return matrix, upper, scaled


def _max_theta(matrix: sp.csc_matrix, upper: Array) -> tuple[float, Array]:
    """max θ ∈ [0, 1] subject to matrix·(z, θ) ≤ upper, z ≥ 0, with HiGHS; (θ, row duals).

    HiGHS's simplex: 0.05 s on 100 products, 20-30 s on 1,000 (its PDLP and
    interior point were no faster on this programme, and less exact).
    """
    columns = matrix.shape[1]
    cost = np.r_[np.zeros(columns - 1), -1.0]
    col_upper = np.r_[np.full(columns - 1, highspy.kHighsInf), 1.0]
    values, duals, _ = highs_lp(matrix, upper, cost, col_upper)
    return float(values[-1]), duals


def _explain(
    model: Model,
    theta: float,
    duals: Array,
    upper: Array,
    others: Rows,
    floors: Rows,
    scaled: Array,
    kept: Array,
) -> Shortfall:
    """The floor with the highest dual price, and the other rows that bind, by weight."""
    kind, year, product, industry, size = _labels(model, upper, others, floors, scaled)
    weight = duals * size
    first_floor = weight.size - floors.rhs.size
    tight = first_floor + int(np.argmax(weight[first_floor:]))
    rest = weight[:first_floor]
    order = np.argsort(-rest, kind="stable")
    top = rest[order[0]] if order.size else 0.0
    names = model.economy.products
    binding = tuple(
        Binding(
            kind=kind[r],
            year=int(year[r]) + 1,
            product=names[product[r]] if product[r] >= 0 else "",
            industry=names[industry[r]] if industry[r] >= 0 else "",
            weight=float(rest[r]),
        )
        for r in order[:BINDING_SHOWN]
        if rest[r] > BINDING_SHARE * top
    )
    r = tight - first_floor
    unit = _unit(model, floors, r)
    return Shortfall(
        reached=max(theta, 0.0),
        product=names[floors.product[r]],
        year=int(floors.year[r]) + 1,
        floor=float(-floors.rhs[r] * unit),
        binding=binding,
        kind=floors.kind[r],
        industry=names[floors.industry[r]] if floors.industry[r] >= 0 else "",
        kept=float(kept[r] * unit),
    )


BINDING_SHOWN = 3
BINDING_SHARE = 1e-3  # a row binds when its weight is at least this part of the largest


def _unit(model: Model, rows: Rows, r: int) -> float:
    """What one unit of row r's right-hand side is in natural units."""
    if rows.kind[r] == "equipment":
        cell = (model.cell_product == rows.product[r]) & (model.cell_industry == rows.industry[r])
        return float(model.cell_scale[np.flatnonzero(cell)[0]])
    return float(model.output_scale[rows.product[r]])


def _labels(
    model: Model, upper: Array, others: Rows, floors: Rows, scaled: Array
) -> tuple[list[BindingKind], Index, Index, Index, Array]:
    """For every row of the θ programme: kind, year, product, industry and its size.

    Size turns a dual price into an elasticity (the part of θ the row accounts
    for): the right-hand side for capacity, labour and ceilings, θ's
    coefficient for floors; 1 for the share rows (in units of the year's
    labour) and for a product's balance (in units of its target).
    """
    t, n, m = model.years, model.size, model.cell_count
    cell = np.arange(t * m) % m
    product_kind: list[BindingKind] = ["product"]
    capital_kind: list[BindingKind] = ["capital"]
    labour_kind: list[BindingKind] = ["labour"]
    kind = product_kind * (t * n) + capital_kind * (t * m) + labour_kind * t
    kind += [*others.kind, *floors.kind]
    year = np.concatenate(
        [np.arange(t * n) // n, np.arange(t * m) // m, np.arange(t), others.year, floors.year]
    )
    own = [np.arange(t * n) % n, model.cell_product[cell], np.full(t, -1)]
    product = np.concatenate([*own, others.product, floors.product])
    industry = np.concatenate(
        [
            np.full(t * n, -1),
            model.cell_industry[cell],
            np.full(t, -1),
            others.industry,
            floors.industry,
        ]
    )
    shares = np.array([k in ("investment", "public") for k in others.kind], dtype=bool)
    other_size = np.where(shares, 1.0, np.abs(others.rhs))
    limits = np.abs(upper[t * n : t * n + t * m + t])
    size = np.concatenate([np.ones(t * n), limits, other_size, np.abs(scaled)])
    return kind, year.astype(np.int64), product.astype(np.int64), industry.astype(np.int64), size
