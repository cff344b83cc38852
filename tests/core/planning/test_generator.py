"""Generated economies: reproducible, and of the same shape as Cockshott's generated ones.

His generator (``testeconomy.java`` in ``5yearplan``) is random without a
seed, so no file can be reproduced exactly; what must match is the shape:
which cells are used, what values they hold, how output, targets and the
labour supply follow from them. His 1,000-product economy in
../shared/data/planning is the reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from core.planning import plan_harmony, violations
from core.planning.economy import Economy, spectral_radius
from core.planning.generator import generate, touched_share, write_cockshott
from core.planning.importers.cockshott import read_cockshott

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"


def shape(economy: Economy) -> dict[str, Any]:
    """What his generator fixes, read back from an economy as his files would give it."""
    output = economy.base_output
    flows = (economy.inputs @ sp.diags(output)).tocsr()
    stocks = economy.capital_stock.tocsr()
    n = economy.size
    use = (
        1.0 + np.asarray(flows.sum(axis=1)).ravel() + 0.07 * np.asarray(stocks.sum(axis=1)).ravel()
    )
    growth = 1.01 ** np.arange(economy.years)
    threes = flows.copy()
    threes.data = np.isclose(threes.data, 3.0).astype(np.float64)
    return {
        "flow density": flows.nnz / n**2,
        "capital density": stocks.nnz / n**2,
        "touched": (abs(flows) + abs(stocks)).nnz / n**2,
        "flow values": set(np.round(flows.data, 9).tolist()),
        "capital values": set(np.round(stocks.data, 9).tolist()),
        "flows of 3 share": float(np.mean(np.isclose(flows.data, 3.0))),
        "3 comes with capital": threes.multiply(stocks > 0).sum() == threes.sum(),
        "depreciation": set(np.round(economy.depreciation.data, 12).tolist()),
        "labour at base": set(np.round(economy.labour * output, 9).tolist()),
        "output over use": (
            float((output / np.floor(use)).min()),
            float((output / np.floor(use)).max()),
        ),
        "target error": float(
            np.abs(economy.targets - (0.01 + 0.75 * growth[:, None] * use[None, :])).max()
            / economy.targets.max()
        ),
        "labour supply": economy.labour_supply.tolist(),
        "labour at base total": float((economy.labour * output).sum()),
    }


@pytest.fixture(scope="module")
def his() -> dict[str, Any]:
    return shape(read_cockshott(DATA / "generated-n1000-y5"))


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    return shape(generate(1000, seed=1))


def test_the_same_seed_gives_the_same_economy() -> None:
    assert generate(300, seed=4).hash == generate(300, seed=4).hash
    assert generate(300, seed=4).hash != generate(300, seed=5).hash
    assert "seed=4" in generate(300, seed=4).source


def test_cells_are_as_dense_as_his(his: dict[str, Any], ours: dict[str, Any]) -> None:
    expected = touched_share(1000)  # ⌈log2(1000) + 5⌉ / 1000 = 0.015
    assert expected == pytest.approx(0.015)
    for stats in (his, ours):
        assert stats["touched"] == pytest.approx(0.75 * expected, rel=0.05)  # 3 of 4 bit pairs
        assert stats["flow density"] == pytest.approx(0.5 * expected, rel=0.05)
        assert stats["capital density"] == pytest.approx(0.5 * expected, rel=0.05)


def test_cells_hold_the_values_his_do(his: dict[str, Any], ours: dict[str, Any]) -> None:
    for stats in (his, ours):
        assert stats["flow values"] == {1.0, 3.0}
        assert stats["capital values"] == {2.0, 3.0, 6.0, 7.0}
        assert stats["flows of 3 share"] == pytest.approx(0.5, abs=0.03)
        assert stats["3 comes with capital"]
        assert stats["depreciation"] == {0.07}
        assert stats["labour at base"] == set(range(1, 10))


def test_output_targets_and_labour_follow_his_rules(
    his: dict[str, Any], ours: dict[str, Any]
) -> None:
    for stats in (his, ours):
        low, high = stats["output over use"]
        assert 1.8 <= low < 1.81 and 2.79 < high < 2.8
        assert stats["target error"] < 1e-6  # his are float32 sums
        supply = stats["labour supply"]
        assert supply[0] == stats["labour at base total"]
        assert supply[1:] == [float(int(s * 1.02)) for s in supply[:-1]]


def test_a_generated_economy_can_produce_a_surplus() -> None:
    economy = generate(400, seed=2)
    assert spectral_radius(economy.inputs) < 1
    # but not trivially: some industry uses more than its output's worth of inputs
    assert float(np.asarray(economy.inputs.sum(axis=0)).max()) > 1


def test_a_generated_economy_plans_feasibly() -> None:
    economy = generate(150, years=3, seed=6)
    plan = plan_harmony(economy)
    assert violations(economy, plan).worst <= 1e-9
    assert plan.bound is not None and plan.harmony <= plan.bound
    assert plan.bound - plan.harmony <= 1e-3 * plan.harmony


def test_written_as_his_files_it_reads_back(tmp_path: Path) -> None:
    economy = generate(120, seed=8)
    write_cockshott(economy, tmp_path)
    again = read_cockshott(tmp_path)
    assert again.products == economy.products
    for ours, theirs in [
        (economy.inputs, again.inputs),
        (economy.capital, again.capital),
        (economy.capital_stock, again.capital_stock),
    ]:
        assert (ours != 0).toarray().tolist() == (theirs != 0).toarray().tolist()
        assert abs(ours - theirs).max() <= 1e-15 * abs(ours).max()
    np.testing.assert_allclose(again.labour, economy.labour, rtol=1e-15)
    np.testing.assert_array_equal(again.targets, economy.targets)
    np.testing.assert_array_equal(again.labour_supply, economy.labour_supply)
    np.testing.assert_array_equal(again.depreciation.data, economy.depreciation.data)


def test_nothing_to_generate() -> None:
    with pytest.raises(ValueError, match="at least one product"):
        generate(0)
