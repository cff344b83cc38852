"""Plan variants: defaults that span the trade-offs, every proposal kept, shortfalls explained.

Economies: Cockshott's four-sector example and the generated 100-product
economy (../shared/data/planning/). Every plan is checked against the
model's constraints on the economy it was planned for, and every share,
floor and ceiling against the plan's own arrays.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import Refusal
from core.planning import violations
from core.planning.economy import Economy, cells
from core.planning.importers.cockshott import read_cockshott
from core.planning.plan import Plan
from core.planning.proposals import parse
from core.planning.steering import ROW_TOLERANCE
from core.planning.variants import (
    DEFAULT_GRID,
    Parameters,
    Request,
    SectorChange,
    Setting,
    Variant,
    adjust,
    base_parameters,
    compute,
    default_parameters,
    variants,
)
from core.planning.workplaces import Expansion, Offer

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
PUBLIC = tuple(f"P{i}" for i in range(1, 10))
TIGHT = 1e-9


@pytest.fixture(scope="module")
def example() -> Economy:
    return read_cockshott(DATA / "cockshott-example")


@pytest.fixture(scope="module")
def n100() -> Economy:
    return read_cockshott(DATA / "generated-n100-y5")


@pytest.fixture(scope="module")
def setting() -> Setting:
    return Setting(baseline_hours=40.0, public_products=PUBLIC)


@pytest.fixture(scope="module")
def n100_variants(n100: Economy, setting: Setting) -> list[Variant]:
    base = base_parameters(n100, setting)
    words = ["+20% P5", "P5 +400%", "close P3", "P7 -10%; 35 hours"]
    proposals = [parse(text, n100.products, proposer="Ana").request(base) for text in words]
    return variants(n100, setting, proposals)


def values(economy: Economy) -> np.ndarray:
    """Labour values by a dense solve, independent of the code under test."""
    leontief = np.eye(economy.size) - economy.inputs.toarray()
    return np.linalg.solve(leontief.T, economy.labour)


def investment_share(economy: Economy, plan: Plan) -> np.ndarray:
    product, _ = cells(economy)
    return (plan.accumulation @ values(economy)[product]) / plan.labour_used


def feasible(economy: Economy, variant: Variant) -> Plan:
    """The variant's plan, after checking it against the economy it was planned for."""
    assert variant.plan is not None
    planned = adjust(economy, variant.parameters, variant.setting)
    assert variant.plan.economy_hash == planned.hash
    assert violations(planned, variant.plan).worst <= TIGHT
    return variant.plan


# ---------------------------------------------------------------------------
# Defaults


def test_defaults_span_investment_and_hours(n100: Economy, n100_variants: list[Variant]) -> None:
    defaults = n100_variants[: len(DEFAULT_GRID)]
    assert len(defaults) >= 4
    asked = [(v.parameters.investment, v.parameters.hours) for v in defaults]
    assert asked == [(0.10, 40.0), (0.20, 40.0), (0.30, 40.0), (0.20, 35.0), (0.20, 45.0)]
    for variant in defaults:
        plan = feasible(n100, variant)
        share = investment_share(n100, plan)
        assert np.all(np.abs(share[:-1] - variant.parameters.investment) <= ROW_TOLERANCE)
        assert share[-1] == 0.0  # nothing is accumulated in the last year


def test_more_investment_means_less_consumption_now(
    n100: Economy, n100_variants: list[Variant]
) -> None:
    low, middle, high = n100_variants[:3]
    worth = values(n100)
    first_year = [feasible(n100, v).net_output[0] @ worth for v in (low, middle, high)]
    assert first_year[0] > first_year[1] * 1.05 > first_year[2] * 1.05 * 1.05
    # ... and more means of production standing in the last year
    product, _ = cells(n100)
    built = [
        feasible(n100, v).accumulation[:-1].sum(axis=0) @ worth[product]
        for v in (low, middle, high)
    ]
    assert built[0] < built[1] < built[2]


def test_fewer_hours_mean_less_work_done(n100: Economy, n100_variants: list[Variant]) -> None:
    middle, fewer = n100_variants[1], n100_variants[3]
    assert fewer.parameters.hours == middle.parameters.hours - 5
    assert feasible(n100, fewer).labour_used[0] == pytest.approx(
        n100.labour_supply[0] * 35 / 40, rel=1e-3
    )
    assert (feasible(n100, fewer).labour_used <= n100.labour_supply * 35 / 40 * (1 + TIGHT)).all()


def test_public_share_holds_every_year(n100: Economy, n100_variants: list[Variant]) -> None:
    marked = np.array([name in PUBLIC for name in n100.products])
    shares = {v.parameters.public for v in n100_variants[: len(DEFAULT_GRID)]}
    assert len(shares) == 1  # defaults differ in one parameter at a time
    for variant in n100_variants[: len(DEFAULT_GRID)]:
        plan = feasible(n100, variant)
        public = (plan.net_output @ (values(n100) * marked)) / plan.labour_used
        assert np.all(np.abs(public - variant.parameters.public) <= ROW_TOLERANCE)


def test_provenance_names_the_data_and_parameters(
    n100: Economy, n100_variants: list[Variant]
) -> None:
    for variant in n100_variants:
        record = variant.provenance
        assert record["economy"] == n100.hash
        assert record["parameters"] == variant.parameters.describe()
        assert record["setting"]["public_products"] == list(PUBLIC)
    assert len({v.label for v in n100_variants}) == len(n100_variants)


def test_nothing_is_recommended(n100_variants: list[Variant]) -> None:
    names = {f.name for f in dataclasses.fields(Variant)}
    assert not any("recommend" in name or "rank" in name or "best" in name for name in names)


def test_defaults_without_public_products(example: Economy) -> None:
    params = default_parameters(example)
    assert [p.public for p in params] == [None] * len(DEFAULT_GRID)
    assert all(p.horizon == example.years for p in params)


# ---------------------------------------------------------------------------
# Member proposals


def test_every_proposal_is_kept_in_order(n100_variants: list[Variant]) -> None:
    proposals = n100_variants[len(DEFAULT_GRID) :]
    assert [v.origin for v in proposals] == [
        "+20% P5",
        "P5 +400%",
        "close P3",
        "P7 -10%; 35 hours",
    ]
    assert [v.label for v in proposals] == ["F", "G", "H", "I"]
    assert all(v.proposer == "Ana" for v in proposals)


def test_a_rise_is_met_from_year_two(n100: Economy, n100_variants: list[Variant]) -> None:
    variant = n100_variants[5]
    plan = feasible(n100, variant)
    j = n100.products.index("P5")
    assert np.all(plan.gross_output[1:, j] >= 1.2 * n100.base_output[j] * (1 - ROW_TOLERANCE))
    planned = adjust(n100, variant.parameters, variant.setting)
    assert np.allclose(planned.targets[:, j], 1.2 * n100.targets[:, j])


def test_an_impossible_rise_is_reported_with_what_binds(n100_variants: list[Variant]) -> None:
    variant = n100_variants[6]
    assert variant.plan is None
    short = variant.shortfall
    assert short is not None
    assert (short.product, short.year) == ("P5", 2)
    assert 0 < short.reached < 1
    assert short.binding, "an infeasible proposal must say what binds"
    assert short.binding[0].kind == "capital" and short.binding[0].year in (1, 2)
    assert all(b.weight > 0 for b in short.binding)


def test_the_shortfall_is_the_real_limit(n100: Economy, n100_variants: list[Variant]) -> None:
    """Asking for just under the reported maximum is feasible; just over is not."""
    short = n100_variants[6].shortfall
    assert short is not None
    base = base_parameters(n100, n100_variants[0].setting)
    reachable = short.reached * 5.0  # the proposal asked for 5 x today's output
    for factor, possible in ((reachable * 0.99, True), (reachable * 1.01, False)):
        params = dataclasses.replace(base, changes=(SectorChange("P5", factor),))
        variant, _ = compute(n100, params, n100_variants[0].setting)
        assert variant.feasible is possible, factor


def test_closing_a_sector_stops_it_and_drops_its_target(
    n100: Economy, n100_variants: list[Variant]
) -> None:
    variant = n100_variants[7]
    plan = feasible(n100, variant)
    j = n100.products.index("P3")
    assert np.all(plan.gross_output[:, j] == 0.0)
    assert np.all(adjust(n100, variant.parameters, variant.setting).targets[:, j] == 0.0)


def test_a_cut_holds_the_sector_below_its_ceiling(
    n100: Economy, n100_variants: list[Variant]
) -> None:
    variant = n100_variants[8]
    assert variant.parameters.hours == 35.0
    plan = feasible(n100, variant)
    j = n100.products.index("P7")
    assert np.all(plan.gross_output[:, j] <= 0.9 * n100.base_output[j] * (1 + TIGHT))


def test_closing_coal_stops_every_sector_that_needs_it(example: Economy) -> None:
    base = base_parameters(example)
    proposal = parse("close coal", example.products)
    (variant,) = variants(example, proposals=[proposal.request(base)])[-1:]
    plan = feasible(example, variant)
    assert np.all(plan.gross_output == 0.0)  # iron, corn and bread all use coal


def test_large_economies_plan_first_and_explain_after(
    example: Economy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above LP_FIRST_MAX products the shortfall is found after a planning attempt misses:
    the same shortfall as before planning."""
    params = parse("coal +300%", example.products).apply(base_parameters(example))
    exact, _ = compute(example, params)  # the simplex, before planning
    monkeypatch.setattr("core.planning.variants.LP_FIRST_MAX", 0)
    variant, _ = compute(example, params)
    assert variant.plan is None and variant.shortfall is not None
    assert exact.shortfall is not None
    assert variant.shortfall.product == exact.shortfall.product == "coal"
    assert variant.shortfall.reached == pytest.approx(exact.shortfall.reached, rel=1e-9)
    assert variant.seconds > exact.seconds  # the planning attempt came first


# ---------------------------------------------------------------------------
# Parameters and refusals


def test_hours_scale_the_labour_supply_and_horizon_cuts_years(example: Economy) -> None:
    params = Parameters(hours=30.0, investment=None, public=None, horizon=3)
    planned = adjust(example, params, Setting(baseline_hours=40.0))
    assert planned.years == 3
    assert np.allclose(planned.labour_supply, example.labour_supply[:3] * 0.75)


def test_free_parameters_give_the_certified_harmony_plan(example: Economy) -> None:
    params = Parameters(hours=40.0, investment=None, public=None, horizon=example.years)
    variant, _ = compute(example, params)
    plan = feasible(example, variant)
    assert plan.bound is not None and plan.parameters["method"] == "pdhg"


def test_a_short_horizon_plans_fewer_years(example: Economy) -> None:
    params = Parameters(hours=40.0, investment=0.2, public=None, horizon=2)
    variant, _ = compute(example, params)
    plan = feasible(example, variant)
    assert plan.years == 2
    assert investment_share(example, plan)[0] == pytest.approx(0.2, abs=ROW_TOLERANCE)


@pytest.mark.parametrize(
    ("params", "setting", "says"),
    [
        (Parameters(0.0, 0.2, None, 5), Setting(), "Weekly hours"),
        (Parameters(90.0, 0.2, None, 5), Setting(), "Weekly hours"),
        (Parameters(40.0, 0.2, None, 6), Setting(), "1 to {years} years"),
        (Parameters(40.0, 0.2, None, 0), Setting(), "1 to {years} years"),
        (Parameters(40.0, 1.2, None, 5), Setting(), "share of the work"),
        (Parameters(40.0, 0.6, 0.5, 5), Setting(("bread",)), "something to live on"),
        (Parameters(40.0, 0.2, 0.1, 5), Setting(), "No products are marked"),
        (Parameters(40.0, 0.2, None, 5, (SectorChange("steel", 1.2),)), Setting(), "no sector"),
        (Parameters(40.0, 0.2, None, 5), Setting(public_products=("steel",)), "no sector"),
    ],
)
def test_impossible_parameters_are_refused(
    example: Economy, params: Parameters, setting: Setting, says: str
) -> None:
    with pytest.raises(Refusal) as refused:
        compute(example, params, setting)
    assert says in refused.value.msg.key


def test_requests_without_words_are_defaults(example: Economy) -> None:
    extra = Request(Parameters(38.0, 0.15, None, example.years))
    found = variants(example, proposals=[extra])
    assert found[-1].origin == "" and found[-1].parameters.hours == 38.0
    assert len(found) == len(DEFAULT_GRID) + 1


def test_one_hundred_products_fast_enough_for_a_conversation(
    n100: Economy, setting: Setting
) -> None:
    started = time.perf_counter()
    found = variants(n100, setting)
    assert all(v.feasible for v in found)
    assert time.perf_counter() - started < 10.0  # about 1 s on the project's 2-core machine


# ---------------------------------------------------------------------------
# Workplaces' offers (core.planning.workplaces) as parameters


def test_an_offer_caps_year_one_and_asks_equipment_and_gain(
    n100: Economy, setting: Setting
) -> None:
    product, industry = cells(n100)
    j = n100.products.index("P5")
    k = int(product[industry == j][0])  # something P5 holds as capital
    base_output = float(n100.base_output[j])
    quantity = 0.6 * float(n100.capital_stock[k, j])  # more than the gain alone needs
    offer = Offer(
        "Works",
        "P5",
        output_now=0.5 * base_output,
        capacity=0.45 * base_output,  # it can make less next period: year 1 is capped
        expansions=(Expansion("new line", 0.1 * base_output, ((n100.products[k], quantity),)),),
    )
    params = dataclasses.replace(base_parameters(n100, setting), offers=(offer,))
    variant, _ = compute(n100, params, setting)
    plan = feasible(n100, variant)
    cap = 0.95 * base_output
    assert plan.gross_output[0, j] <= cap * (1 + TIGHT)
    assert np.all(plan.gross_output[1:, j] >= (cap + 0.1 * base_output) * (1 - ROW_TOLERANCE))
    cell = int(np.flatnonzero((product == k) & (industry == j))[0])
    assert plan.accumulation[0, cell] >= quantity * (1 - ROW_TOLERANCE)
    assert variant.provenance["parameters"]["offers"] == [offer.describe()]


def test_an_impossible_expansion_is_explained_after_planning_on_large_economies(
    example: Economy, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = Offer("Bakery", "bread", 0.5, 0.5, (Expansion("huge", 5.0, (("iron", 20.0),)),))
    params = dataclasses.replace(base_parameters(example), offers=(offer,))
    exact, _ = compute(example, params)
    monkeypatch.setattr("core.planning.variants.LP_FIRST_MAX", 0)
    late, _ = compute(example, params)
    for variant in (exact, late):
        assert variant.plan is None and variant.shortfall is not None
        assert (variant.shortfall.kind, variant.shortfall.product) == ("equipment", "iron")
        assert variant.shortfall.industry == "bread" and variant.shortfall.floor == 20.0
    assert late.shortfall.reached == pytest.approx(exact.shortfall.reached, rel=1e-9)
