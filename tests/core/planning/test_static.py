"""Static analysis: gross outputs, labour values and hours for a final demand.

Checked against a dense solve on Cockshott's four-sector example, against the
Spanish table's own output, and on a large sparse economy where LU would fill
in; impossible demands are refused naming the product.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from core.planning.economy import Economy, EconomyError
from core.planning.importers.cockshott import read_cockshott
from core.planning.importers.ine import spain
from core.planning.static import (
    DIRECT_MAX,
    gross_output,
    hours_needed,
    labour_values,
    solve,
)
from core.planning.symmetric import read_table

EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning" / "cockshott-example"


@pytest.fixture(scope="module")
def example() -> Economy:
    return read_cockshott(EXAMPLE)


def test_gross_output_matches_a_dense_solve(example: Economy) -> None:
    demand = example.targets[0]
    result = gross_output(example, demand, label="year 1 targets")
    leontief = np.eye(4) - example.inputs.toarray()
    np.testing.assert_allclose(result.output, np.linalg.solve(leontief, demand), rtol=1e-12)
    # bread needs corn, corn needs coal, coal needs coal: 2 bread take 2.22 corn
    assert result.output[2] == pytest.approx(2.0 * 1.0 / 0.9)
    assert result.hours == pytest.approx(example.labour @ result.output)
    assert result.solver == "splu"
    assert result.economy_hash == example.hash
    assert result.parameters == {"economy": example.hash[:12], "demand": result.demand_hash[:12]}
    assert result.label == "year 1 targets"


def test_labour_values_embody_all_the_hours(example: Economy) -> None:
    values = labour_values(example)
    a = example.inputs.toarray()
    np.testing.assert_allclose(values.values, example.labour + a.T @ values.values, rtol=1e-12)
    for demand in (example.targets[0], np.array([1.0, 0.0, 0.0, 3.0])):
        assert values.values @ demand == pytest.approx(hours_needed(example, demand))
    assert values.of(example, "bread") == pytest.approx(values.values[3])
    assert values.economy_hash == example.hash


def test_a_demand_by_name_leaves_the_others_at_zero(example: Economy) -> None:
    by_name = gross_output(example, {"bread": 2.0})
    by_vector = gross_output(example, [0.0, 0.0, 0.0, 2.0])
    np.testing.assert_array_equal(by_name.output, by_vector.output)
    assert by_name.demand_hash == by_vector.demand_hash
    assert gross_output(example, {"bread": 3.0}).demand_hash != by_name.demand_hash


@pytest.mark.parametrize(
    ("demand", "message"),
    [
        ([1.0, 2.0], "The demand has 2 entries, expected 4 (one per product)."),
        ([1.0, 2.0, float("nan"), 0.0], "Demand for 'corn': nan is not a number."),
        ({"steel": 1.0}, "There is no product 'steel' in this economy."),
        ({"bread": "lots"}, "Demand for 'bread': 'lots' is not a number."),
        (
            [0.0, 0.0, -5.0, 2.0],
            "This demand is impossible: 'corn' would need a gross output of -3.33333",
        ),
    ],
)
def test_impossible_or_malformed_demands_are_refused(
    example: Economy, demand: object, message: str
) -> None:
    with pytest.raises(EconomyError) as refused:
        gross_output(example, demand)
    assert str(refused.value).startswith(message)


def test_a_negative_demand_is_fine_while_no_output_goes_negative(example: Economy) -> None:
    # net imports of corn smaller than what bread needs: corn output still positive
    result = gross_output(example, [0.0, 0.0, -1.0, 2.0])
    assert result.output.min() >= 0
    assert result.output[2] == pytest.approx((2.0 - 1.0) / 0.9)


def test_a_singular_matrix_is_refused() -> None:
    with pytest.raises(EconomyError, match="I - A is singular: the economy cannot produce"):
        solve(sp.csr_matrix(np.array([[0.5, 0.0], [0.0, 1.0]])), np.ones(2), names=("a", "b"))
    with pytest.raises(EconomyError, match="the input matrix is 2x3"):
        solve(sp.csr_matrix(np.zeros((2, 3))), np.ones(2))


def test_the_spanish_table_reproduces_its_own_output() -> None:
    economy = spain()
    table = read_table(Path(__file__).resolve().parents[3] / "core/planning/data/spain-2019.csv")
    result = gross_output(economy, table.final_use())
    np.testing.assert_allclose(result.output, table.output, rtol=1e-6)
    # consumption alone takes less than all the hours worked; everything takes all of them
    consumption = table.final_use("households", "npish", "government")
    assert 0.4 < hours_needed(economy, consumption) / economy.labour_supply[0] < 0.9
    assert result.hours == pytest.approx(economy.labour_supply[0], rel=1e-6)


def test_a_large_sparse_economy_is_solved_iteratively_and_exactly() -> None:
    n, per = 20_000, 10
    rng = np.random.default_rng(7)
    rows = rng.integers(0, n, n * per)
    cols = np.repeat(np.arange(n), per)
    a = sp.csr_matrix((rng.uniform(0, 1, n * per), (rows, cols)), shape=(n, n))
    a = sp.csr_matrix(a @ sp.diags(0.7 / np.asarray(a.sum(axis=0)).ravel()))
    y = rng.uniform(0, 1, n)
    assert n > DIRECT_MAX
    x, solver = solve(a, y)
    assert solver == "bicgstab"
    assert np.linalg.norm(x - a @ x - y) <= 1e-10 * np.linalg.norm(y)
    v, _ = solve(a, y, transpose=True)
    assert np.linalg.norm(v - a.T @ v - y) <= 1e-10 * np.linalg.norm(y)
    # v·y' = y·x' for any pair: the transposed solve is the same system
    assert v @ y == pytest.approx(y @ x, rel=1e-9)
