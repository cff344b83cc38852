"""Multi-year plans: harmony as Cockshott defines it, feasible plans, certified optimality.

Reference figures (../shared/data/planning/README.md): Cockshott's harmony
planner reaches a total harmony of 137.1 on the 100-product economy; the
optimum of his n-year LP is 8.79729913 on the four-sector example and
8.29869674 on the 100-product economy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.planning import plan_harmony, plan_maximin, violations
from core.planning.economy import Economy
from core.planning.harmony import (
    ZERO_TARGET,
    effective_targets,
    fulfilment_at_price,
    harmony,
    harmony_conjugate,
    harmony_derivative,
    harmony_prox,
    total_harmony,
)
from core.planning.importers.cockshott import read_cockshott
from core.planning.model import build, repair
from core.planning.plan import Plan

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
TIGHT = 1e-9  # every constraint holds to this relative tolerance


@pytest.fixture(scope="module")
def example() -> Economy:
    return read_cockshott(DATA / "cockshott-example")


@pytest.fixture(scope="module")
def n100() -> Economy:
    return read_cockshott(DATA / "generated-n100-y5")


@pytest.fixture(scope="module")
def n100_plan(n100: Economy) -> Plan:
    return plan_harmony(n100)


# ---------------------------------------------------------------------------
# The harmony function


def cockshott_h(target: float, net: float) -> float:
    """Harmony.H(target, netoutput), transcribed from Harmony.java."""
    scale = (net - target) / target
    return scale - scale * scale * 0.5 if scale < 0 else float(np.log(scale + 1))


def test_harmony_values() -> None:
    assert harmony([1.0, 0.5, 0.0, np.e, 2.0]).tolist() == pytest.approx(
        [0.0, -0.625, -1.5, 1.0, np.log(2.0)]
    )
    assert harmony(-1.0) == pytest.approx(-4.0)  # the quadratic goes on below 0


def test_harmony_is_cockshotts() -> None:
    rng = np.random.default_rng(5)
    targets = rng.uniform(0.1, 20, 200)
    nets = targets * rng.uniform(-0.5, 4, 200)
    ours = harmony(nets / targets)
    assert ours.tolist() == pytest.approx(
        [cockshott_h(t, x) for t, x in zip(targets, nets, strict=True)]
    )
    assert total_harmony(nets, targets) == pytest.approx(float(ours.sum()))


def test_harmony_derivative_is_smooth_at_the_target() -> None:
    assert harmony_derivative([0.0, 0.5, 1.0, 2.0, 4.0]).tolist() == [2.0, 1.5, 1.0, 0.5, 0.25]
    r = np.linspace(0.2, 3.0, 57)
    step = 1e-6
    numeric = (harmony(r + step) - harmony(r - step)) / (2 * step)
    assert np.allclose(harmony_derivative(r), numeric, atol=1e-6)


def test_zero_targets_count_as_two_hundredths() -> None:
    assert effective_targets([[0.0, 3.0]]).tolist() == [[ZERO_TARGET, 3.0]]
    assert pytest.approx(0.02) == ZERO_TARGET


def test_prox_and_conjugate_maximise_what_they_claim() -> None:
    grid = np.linspace(0.0, 12.0, 240_001)
    h = harmony(grid)
    for v, step in [(0.3, 0.5), (1.7, 0.1), (-2.0, 1.0), (5.0, 3.0)]:
        best = grid[np.argmax(h - (grid - v) ** 2 / (2 * step))]
        assert harmony_prox(np.array([v]), np.array([step]))[0] == pytest.approx(best, abs=1e-4)
    for price in [0.2, 1.0, 1.5, 2.5]:
        best = grid[np.argmax(h - price * grid)]
        assert fulfilment_at_price(np.array([price]))[0] == pytest.approx(best, abs=1e-4)
        assert harmony_conjugate(np.array([price]))[0] == pytest.approx(
            float((h - price * grid).max()), abs=1e-8
        )


# ---------------------------------------------------------------------------
# Harmony plans


def test_example_plan_is_feasible_and_certified(example: Economy) -> None:
    plan = plan_harmony(example, tolerance=1e-5)
    assert violations(example, plan).worst <= TIGHT
    assert plan.bound is not None
    assert plan.bound >= plan.harmony
    assert plan.bound - plan.harmony <= 1e-5 * plan.harmony
    assert plan.harmony == pytest.approx(46.6776, abs=1e-3)
    assert plan.economy_hash == example.hash
    assert plan.parameters["tolerance"] == 1e-5
    assert plan.parameters["zero_target"] == ZERO_TARGET


def test_n100_plan_beats_cockshotts_harmony_planner(n100: Economy, n100_plan: Plan) -> None:
    assert violations(n100, n100_plan).worst <= TIGHT
    assert n100_plan.harmony >= 137.1
    assert n100_plan.bound is not None
    assert n100_plan.harmony >= n100_plan.bound - 1e-3 * n100_plan.harmony
    assert n100_plan.harmony == pytest.approx(290.669, abs=0.3)


def test_plan_arrays_agree_with_each_other(n100: Economy, n100_plan: Plan) -> None:
    t, n = n100.years, n100.size
    assert n100_plan.gross_output.shape == n100_plan.net_output.shape == (t, n)
    assert n100_plan.accumulation.shape == (t, n100.capital.nnz)
    assert not n100_plan.accumulation[-1].any()  # nothing is accumulated for after the plan
    assert n100_plan.labour_used.tolist() == pytest.approx(
        (n100_plan.gross_output @ n100.labour).tolist()
    )
    assert np.allclose(n100_plan.fulfilment, n100_plan.net_output / n100.targets)
    assert n100_plan.harmony == pytest.approx(total_harmony(n100_plan.net_output, n100.targets))
    assert (n100_plan.minimum_fulfilment(n100) <= n100_plan.mean_fulfilment(n100)).all()


def test_the_bound_holds_for_any_feasible_plan(example: Economy, n100: Economy) -> None:
    """The LP-criterion plan is feasible too, so its harmony can be no higher."""
    for economy in (example, n100):
        plan = plan_harmony(economy)
        other = plan_maximin(economy)
        assert plan.bound is not None
        assert other.harmony <= plan.bound
        assert other.harmony <= plan.harmony


def test_a_tighter_tolerance_gives_a_better_or_equal_plan(n100: Economy) -> None:
    loose = plan_harmony(n100, tolerance=1e-2)
    tight = plan_harmony(n100, tolerance=1e-5)
    assert tight.harmony >= loose.harmony - 1e-9
    assert tight.iterations > loose.iterations
    assert tight.bound is not None and loose.bound is not None
    assert tight.bound - tight.harmony <= 1e-5 * tight.harmony


def test_an_iteration_limit_still_gives_a_feasible_plan(n100: Economy) -> None:
    plan = plan_harmony(n100, max_iterations=30, check_every=100)
    assert plan.iterations == 30
    assert violations(n100, plan).worst <= TIGHT
    assert plan.harmony > 0


# ---------------------------------------------------------------------------
# The LP criterion


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("cockshott-example", 8.79729913), ("generated-n100-y5", 8.29869674)],
)
def test_lp_criterion_matches_the_reference(name: str, optimum: float) -> None:
    economy = read_cockshott(DATA / name)
    plan = plan_maximin(economy)
    assert plan.criterion == "maximin"
    assert plan.objective == pytest.approx(optimum, rel=1e-6)
    assert violations(economy, plan).worst <= TIGHT
    assert plan.minimum_fulfilment(economy).sum() == pytest.approx(plan.objective)


def test_lp_criterion_leaves_zero_targets_out(example: Economy) -> None:
    plan = plan_maximin(example)
    assert plan.minimum_fulfilment(example)[0] == pytest.approx(0.5)  # the README's year 1
    corn = example.products.index("corn")
    assert (plan.net_output[:, corn] >= 0).all()


# ---------------------------------------------------------------------------
# Repair: any approximate plan becomes an exactly feasible one


def test_repair_makes_an_overambitious_plan_feasible(n100: Economy) -> None:
    model = build(n100, ZERO_TARGET)
    rng = np.random.default_rng(1)
    t, m = n100.years, n100.capital.nnz
    gross = np.tile(n100.base_output, (t, 1)) * rng.uniform(0.5, 3.0, (t, n100.size))
    accumulation = rng.uniform(-1.0, 20.0, (t, m))  # negative, and far more than is made
    fixed = repair(model, gross, accumulation)
    plan = Plan(
        criterion="test",
        economy_hash=n100.hash,
        parameters={},
        gross_output=fixed.gross,
        net_output=fixed.net,
        accumulation=fixed.accumulation,
        labour_used=fixed.gross @ n100.labour,
        fulfilment=fixed.net / n100.targets,
        harmony=0.0,
        objective=0.0,
    )
    assert violations(n100, plan).worst <= TIGHT
    assert fixed.gross.sum() > 0


def test_repair_spares_short_products_that_use_each_other() -> None:
    """Ore and coal each run short and each is an input of the other; steel uses both.

    Cutting steel alone covers both shortages. Cutting every user (ore, coal
    and steel alike) left both as short as before, pass after pass, until the
    repair gave up on the year.
    """
    economy = ore_coal_steel([[0.0, 0.6, 0.5], [0.6, 0.0, 0.5], [0.0, 0.0, 0.0]])
    fixed = repair(build(economy, ZERO_TARGET), np.ones((1, 3)), np.zeros((1, 0)))
    assert (fixed.net >= 0).all()
    assert fixed.gross[0].tolist() == pytest.approx([1.0, 1.0, 0.8])
    assert fixed.net[0].tolist() == pytest.approx([0.0, 0.0, 0.8], abs=1e-12)


def test_repair_cuts_a_short_user_when_it_is_the_only_one() -> None:
    """Ore is used only by coal, and coal runs short too: coal must still be cut for ore."""
    economy = ore_coal_steel([[0.0, 0.5, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, 0.0]])
    gross = np.array([[1.0, 2.2, 4.6]])  # ore short by 0.1, coal short by 0.1
    fixed = repair(build(economy, ZERO_TARGET), gross, np.zeros((1, 0)))
    assert (fixed.net >= 0).all()
    assert fixed.gross[0].tolist() == pytest.approx([1.0, 2.0, 4.0])


def ore_coal_steel(inputs: list[list[float]]) -> Economy:
    """One year, no capital, labour to spare: only the balance of products binds."""
    return Economy(
        products=("ore", "coal", "steel"),
        inputs=np.array(inputs),
        labour=np.ones(3),
        capital=np.zeros((3, 3)),
        depreciation=np.zeros((3, 3)),
        base_output=np.ones(3),
        capital_stock=np.zeros((3, 3)),
        labour_supply=np.array([10.0]),
        targets=np.ones((1, 3)),
    )


# ---------------------------------------------------------------------------
# Small economies solved by hand


def two_products(years: int, capital: np.ndarray) -> Economy:
    return Economy(
        products=("grain", "tools"),
        inputs=np.array([[0.1, 0.2], [0.3, 0.0]]),
        labour=np.array([1.0, 2.0]),
        capital=capital,
        depreciation=np.full((2, 2), 0.1),
        base_output=np.array([10.0, 5.0]),
        capital_stock=capital * np.array([10.0, 5.0]),
        labour_supply=np.full(years, 20.0),
        targets=np.full((years, 2), 3.0),
    )


def test_one_year_without_capital_matches_a_search_along_the_labour_line() -> None:
    """With labour the only limit, the best plan spends it all: search that line finely."""
    economy = two_products(1, np.zeros((2, 2)))
    plan = plan_harmony(economy, tolerance=1e-7)
    assert violations(economy, plan).worst <= TIGHT
    share = np.linspace(0.0, 1.0, 200_001)
    gross = np.stack([share * 20.0, (1 - share) * 20.0 / 2.0])
    net = gross - np.array([[0.1, 0.2], [0.3, 0.0]]) @ gross
    ok = (net >= 0).all(axis=0)
    best = float(harmony(net[:, ok] / 3.0).sum(axis=0).max())
    assert plan.harmony == pytest.approx(best, abs=1e-6)
    assert plan.bound is not None and plan.bound >= best - 1e-9


@pytest.mark.parametrize("years", [1, 3])
def test_capital_limits_hold_over_one_or_more_years(years: int) -> None:
    economy = two_products(years, np.array([[1.0, 0.0], [0.0, 0.5]]))
    plan = plan_harmony(economy, tolerance=1e-6)
    assert violations(economy, plan).worst <= TIGHT
    assert plan.bound is not None
    assert plan.harmony <= plan.bound <= plan.harmony + 1e-6 * max(1.0, abs(plan.harmony))
    assert plan.gross_output[0, 0] <= 10.0 * (1 + TIGHT)  # year 1: grain's stock allows 10


# ---------------------------------------------------------------------------
# Warm starts, time limits, the solver's primal weight


def _with(economy: Economy, labour: float = 1.0, targets: float = 1.0) -> Economy:
    """A variant: the same technology with more or less labour, higher or lower targets."""
    return Economy(
        products=economy.products,
        inputs=economy.inputs,
        labour=economy.labour,
        capital=economy.capital,
        depreciation=economy.depreciation,
        base_output=economy.base_output,
        capital_stock=economy.capital_stock,
        labour_supply=economy.labour_supply * labour,
        targets=economy.targets * targets,
    )


def test_a_variant_started_from_a_plan_needs_fewer_iterations(
    n100: Economy, n100_plan: Plan
) -> None:
    variant = _with(n100, labour=0.95, targets=1.05)
    cold = plan_harmony(variant)
    warm = plan_harmony(variant, start=n100_plan)
    assert warm.iterations < cold.iterations
    assert violations(variant, warm).worst <= TIGHT
    assert warm.bound is not None and warm.bound - warm.harmony <= 1e-3 * warm.harmony
    assert warm.harmony == pytest.approx(cold.harmony, rel=2e-3)
    assert warm.parameters["warm_start"] == n100_plan.economy_hash


def test_a_start_of_another_shape_is_ignored(example: Economy, n100_plan: Plan) -> None:
    plan = plan_harmony(example, start=n100_plan)
    assert violations(example, plan).worst <= TIGHT
    assert plan.harmony == pytest.approx(46.6776, abs=0.05)


def test_a_time_limit_stops_at_the_next_check_with_a_feasible_plan(n100: Economy) -> None:
    plan = plan_harmony(n100, time_limit=0.0, check_every=50)
    assert plan.iterations == 50
    assert violations(n100, plan).worst <= TIGHT
    assert plan.bound is not None and plan.bound >= plan.harmony
    assert plan.parameters["time_limit"] == 0.0


def test_dense_tables_get_a_larger_primal_weight(example: Economy, n100: Economy) -> None:
    from core.planning.importers.ine import spain
    from core.planning.multiyear import DENSE_PRIMAL_WEIGHT, PRIMAL_WEIGHT, default_primal_weight

    assert default_primal_weight(n100) == PRIMAL_WEIGHT
    assert default_primal_weight(spain()) == DENSE_PRIMAL_WEIGHT
    assert plan_harmony(example, max_iterations=100).parameters["primal_weight"] == (
        default_primal_weight(example)
    )


def test_any_prices_give_a_bound_no_plan_beats() -> None:
    """The bound is a theorem, not an estimate: random prices, rents and wages, repaired,
    never fall below the harmony of a feasible plan, also with an industry without capital."""
    from core.planning.generator import generate
    from core.planning.model import harmony_bound

    base = generate(60, years=3, seed=12)
    capital = base.capital.tolil()
    capital[:, 7] = 0.0  # industry P7 now works with labour alone
    capital = capital.tocsr()
    capital.eliminate_zeros()
    stock = base.capital_stock.tolil()
    stock[:, 7] = 0.0
    economy = Economy(
        products=base.products,
        inputs=base.inputs,
        labour=base.labour,
        capital=capital,
        depreciation=base.depreciation.multiply(capital > 0).tocsr(),
        base_output=base.base_output,
        capital_stock=stock.tocsr(),
        labour_supply=base.labour_supply,
        targets=base.targets,
    )
    best = plan_harmony(economy, tolerance=1e-6)
    assert violations(economy, best).worst <= TIGHT
    assert best.bound is not None and best.bound - best.harmony <= 1e-6 * best.harmony
    model = build(economy, ZERO_TARGET)
    t, n, m = economy.years, economy.size, model.cell_count
    rng = np.random.default_rng(2)
    finite = 0
    for _ in range(30):
        scale = 10.0 ** rng.uniform(-3, 1)
        bound = harmony_bound(
            model,
            rng.uniform(0, 2, t * n) * scale,
            rng.uniform(0, 1, t * m) * scale,
            rng.uniform(0, 1, t) * scale,
        )
        assert bound >= best.harmony - 1e-9 * abs(best.harmony)
        finite += int(np.isfinite(bound))
    assert finite > 0
