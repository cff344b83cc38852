"""Multi-year plans: the harmony plan (first-order method) and the LP criterion (HiGHS).

``plan_harmony`` maximises Cockshott's total harmony with the primal-dual
hybrid gradient method of ``core.planning.pdhg``. Every ``check_every``
iterations the current iterate is repaired into an exactly feasible plan
(``model.repair``) and the current prices into a certified upper bound
(``model.harmony_bound``); it stops when the best plan is within
``tolerance`` of the best bound. The answer is therefore always feasible, and
its distance from the optimum is known, whatever the iteration count.
A plan keeps the solver's last point, so a variant of the same economy can
start from it (``start=``), and a time limit stops at the next check.

``plan_maximin`` solves Cockshott's n-year linear programme (maximise the sum
over years of each year's lowest fulfilment), as ``nyearplan.java`` writes it,
with HiGHS. It is offered to compare with published figures; it is slow
beyond a few hundred products.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy
from core.planning.harmony import ZERO_TARGET, harmony
from core.planning.model import Feasible, Model, build, harmony_bound, repair
from core.planning.pdhg import Problem, solve
from core.planning.plan import Plan

Array = np.ndarray[Any, np.dtype[np.float64]]

TOLERANCE = 1e-3
CHECK_EVERY = 100
MAX_ITERATIONS = 100_000
PRIMAL_WEIGHT = 4.0
DENSE_PRIMAL_WEIGHT = 16.0
DENSE_INPUTS = 20  # inputs per industry from which a table counts as dense


@dataclass
class _Best:
    """The best feasible plan and the lowest bound seen so far."""

    harmony: float = -np.inf
    plan: Feasible | None = None
    bound: float = np.inf


def plan_harmony(
    economy: Economy,
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    check_every: int = CHECK_EVERY,
    zero_target: float = ZERO_TARGET,
    primal_weight: float | None = None,
    start: Plan | None = None,
    time_limit: float | None = None,
) -> Plan:
    """The feasible plan of (nearly) greatest total harmony.

    Stops once (bound - harmony) ≤ tolerance·max(1, |harmony|), after
    ``max_iterations``, or at the first check after ``time_limit`` seconds;
    whichever comes first, the plan is feasible and ``plan.bound`` says how
    much better any plan could be. ``start`` is a plan of an economy with
    the same products and capital cells (another variant, say): the solver
    starts from where that one ended, which usually saves most iterations.
    ``primal_weight`` balances the solver's primal and dual steps; by
    default it is chosen from the density of the input table.
    """
    started = time.perf_counter()
    weight = default_primal_weight(economy) if primal_weight is None else primal_weight
    model = build(economy, zero_target)
    fulfilments = model.years * model.size
    best = _Best()

    def check(_: int, primal: Array, dual: Array) -> bool:
        _consider(model, best, primal[fulfilments:], dual)
        if time_limit is not None and time.perf_counter() - started >= time_limit:
            return True
        return best.bound - best.harmony <= tolerance * max(1.0, abs(best.harmony))

    problem = _harmony_problem(model)
    primal, dual, iterations = solve(
        problem,
        check,
        max_iterations=max_iterations,
        check_every=check_every,
        primal_weight=weight,
        start=_warm_start(model, start),
    )
    if iterations % check_every:
        _consider(model, best, primal[fulfilments:], dual)
    assert best.plan is not None
    parameters: dict[str, Any] = {
        "method": "pdhg",
        "tolerance": tolerance,
        "max_iterations": max_iterations,
        "check_every": check_every,
        "zero_target": zero_target,
        "primal_weight": weight,
    }
    if time_limit is not None:
        parameters["time_limit"] = time_limit
    if start is not None:
        parameters["warm_start"] = start.economy_hash
    return feasible_plan(
        model,
        best.plan,
        criterion="harmony",
        objective=best.harmony,
        bound=best.bound if np.isfinite(best.bound) else None,
        iterations=iterations,
        seconds=time.perf_counter() - started,
        parameters=parameters,
        state=(primal, dual),
    )


def default_primal_weight(economy: Economy) -> float:
    """The solver's primal weight: larger for dense input tables and for many products.

    Measured, not derived (iterations to a 1e-3 gap): on the generated
    economies 4 is best at 100 to 3,000 products, while at 10,000 a weight of
    16 needs 1,500 iterations where 4 needs 5,100; on the dense Spanish table
    (about 60 inputs per industry) 16 needs a quarter of what 4 needs.
    """
    per_industry = economy.inputs.nnz / max(1, economy.size)
    if per_industry >= DENSE_INPUTS:
        return DENSE_PRIMAL_WEIGHT
    grown = PRIMAL_WEIGHT * (economy.size / 1000) ** 0.6
    return float(min(max(grown, PRIMAL_WEIGHT), DENSE_PRIMAL_WEIGHT))


def _warm_start(model: Model, plan: Plan | None) -> tuple[Array, Array] | None:
    """The solver's last point for ``plan``, if it fits this model (same sizes)."""
    if plan is None or plan.state is None:
        return None
    primal, dual = plan.state
    problem_rows = model.years * model.size + model.limits.shape[0]
    if primal.shape != (model.years * model.size + model.dimension,):
        return None
    if dual.shape != (problem_rows,):
        return None
    return primal, dual


def _harmony_problem(model: Model) -> Problem:
    """Rows r - net·z ≤ 0 (fulfilment no more than what is made), then the limits."""
    fulfilments = model.years * model.size
    matrix = sp.bmat(
        [[sp.identity(fulfilments, format="csr"), -model.net], [None, model.limits]], format="csr"
    )
    rhs = np.r_[np.zeros(fulfilments), model.bounds]
    return Problem(matrix=matrix, rhs=rhs, fulfilments=fulfilments)


def _consider(model: Model, best: _Best, z: Array, dual: Array) -> None:
    """Repair the iterate into a feasible plan and the prices into a bound; keep the best."""
    fulfilments = model.years * model.size
    capital_rows = model.years * model.cell_count
    gross, accumulation = model.split(z)
    feasible = repair(model, gross, accumulation)
    value = float(harmony(feasible.net / model.targets).sum())
    if value > best.harmony:
        best.harmony, best.plan = value, feasible
    bound = harmony_bound(
        model,
        dual[:fulfilments],
        dual[fulfilments : fulfilments + capital_rows],
        dual[fulfilments + capital_rows :],
    )
    best.bound = min(best.bound, bound)


def plan_maximin(economy: Economy, *, zero_target: float = ZERO_TARGET) -> Plan:
    """Maximise Σ over years of the year's lowest fulfilment, as Cockshott's nyearplan LP does.

    Products with a zero target are left out of the minimum (nyearplan writes
    no target row for them) but must still have a non-negative net output.
    """
    started = time.perf_counter()
    model = build(economy, zero_target)
    t, n = model.years, model.size
    dim = model.dimension
    asked = (economy.targets > 0).ravel()
    rows = np.flatnonzero(asked)
    fulfil = sp.csr_matrix((np.ones(rows.size), (rows, rows // n)), shape=(t * n, t))
    matrix = sp.bmat(
        [[-model.net, fulfil], [model.limits, sp.csr_matrix((model.limits.shape[0], t))]],
        format="csc",
    )
    upper = np.r_[np.zeros(t * n), model.bounds]
    cost = np.r_[np.zeros(dim), -np.ones(t)]
    solution, objective = _highs(matrix, upper, cost)
    gross, accumulation = model.split(solution[:dim])
    feasible = repair(model, gross, accumulation)
    ratios = np.where(economy.targets > 0, feasible.net / model.targets, np.inf)
    achieved = float(np.where(np.isfinite(ratios.min(axis=1)), ratios.min(axis=1), 0.0).sum())
    return feasible_plan(
        model,
        feasible,
        criterion="maximin",
        objective=achieved,
        bound=-objective,
        iterations=0,
        seconds=time.perf_counter() - started,
        parameters={"method": "highs", "zero_target": zero_target},
    )


def _highs(matrix: sp.csc_matrix, upper: Array, cost: Array) -> tuple[Array, float]:
    """min cost·v s.t. matrix·v ≤ upper, v ≥ 0, with HiGHS; returns (v, optimal value)."""
    values, _, objective = highs_lp(matrix, upper, cost)
    return values, objective


def highs_lp(
    matrix: sp.csc_matrix, upper: Array, cost: Array, col_upper: Array | None = None
) -> tuple[Array, Array, float]:
    """min cost·v s.t. matrix·v ≤ upper, 0 ≤ v ≤ col_upper (default unbounded), with
    HiGHS; returns (v, row duals, optimal value). Raises if HiGHS finds no optimum."""
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = matrix.shape[1]
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(matrix.shape[1])
    lp.col_upper_ = np.full(matrix.shape[1], inf) if col_upper is None else col_upper
    lp.row_lower_ = np.full(matrix.shape[0], -inf)
    lp.row_upper_ = upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(highs.getModelStatus())}")
    solution = highs.getSolution()
    return (
        np.array(solution.col_value, dtype=np.float64),
        np.array(solution.row_dual, dtype=np.float64),
        float(highs.getInfo().objective_function_value),
    )


def feasible_plan(
    model: Model,
    feasible: Feasible,
    *,
    criterion: str,
    objective: float,
    bound: float | None,
    iterations: int,
    seconds: float,
    parameters: dict[str, Any],
    state: tuple[Array, Array] | None = None,
    notes: tuple[str, ...] = (),
) -> Plan:
    """A ``Plan`` from an exactly feasible solution: its arrays, Cockshott's harmony of
    them, and the solver's figures (every planner here reports plans this way)."""
    economy = model.economy
    fulfilment = feasible.net / model.targets
    return Plan(
        criterion=criterion,
        economy_hash=economy.hash,
        parameters=parameters,
        gross_output=feasible.gross,
        net_output=feasible.net,
        accumulation=feasible.accumulation,
        labour_used=feasible.gross @ economy.labour,
        fulfilment=fulfilment,
        harmony=float(harmony(fulfilment).sum()),
        objective=objective,
        bound=bound,
        iterations=iterations,
        seconds=seconds,
        notes=notes,
        state=state,
    )
