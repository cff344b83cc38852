"""The plan files the bench writes hold up to the model, checked without Konsilo's code.

The planner's plan is written with the bench's writer; this file then reads
only those CSV files and Cockshott's raw input files, with its own few lines
of CSV reading, and checks every constraint of the model: input balance,
capital (with depreciation and accumulation), labour, non-negativity; then
recomputes the total harmony.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from core.planning import plan_harmony, write_plan
from core.planning.generator import generate, write_cockshott
from core.planning.importers.cockshott import read_cockshott

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
TOLERANCE = 1e-9  # relative
COCKSHOTT_HARMONY = {"generated-n100-y5": 137.1, "generated-n1000-y5": 1331.6}


@pytest.mark.parametrize("name", ["generated-n100-y5", "generated-n1000-y5"])
def test_written_plan_meets_every_constraint(tmp_path: Path, name: str) -> None:
    economy = read_cockshott(DATA / name)
    plan = plan_harmony(economy)
    write_plan(plan, economy, tmp_path)
    recomputed = check(tmp_path, DATA / name)
    assert recomputed == pytest.approx(plan.harmony, rel=1e-12)
    assert recomputed > COCKSHOTT_HARMONY[name]
    stated = reported_harmony(tmp_path / "README.txt")
    assert recomputed == pytest.approx(stated, rel=1e-12)


def test_a_generated_economy_and_its_plan_check_out(tmp_path: Path) -> None:
    """A generated economy, written as Cockshott's files, and its plan pass the same checker."""
    economy = generate(300, seed=9)
    write_cockshott(economy, tmp_path / "economy")
    plan = plan_harmony(economy)
    write_plan(plan, economy, tmp_path / "plan")
    recomputed = check(tmp_path / "plan", tmp_path / "economy")
    assert recomputed == pytest.approx(plan.harmony, rel=1e-9)


def test_a_broken_plan_is_caught(tmp_path: Path) -> None:
    """The checker is not a rubber stamp: one unit too much somewhere and it fails."""
    economy = read_cockshott(DATA / "generated-n100-y5")
    write_plan(plan_harmony(economy), economy, tmp_path)
    products = tmp_path / "products.csv"
    rows = list(csv.reader(products.read_text().splitlines()))
    rows[1][2] = repr(float(rows[1][2]) * 1.01)  # year 1, first product: 1% more gross output
    with products.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(AssertionError):
        check(tmp_path, DATA / "generated-n100-y5")


# ---------------------------------------------------------------------------
# An independent checker: raw Cockshott files + plan CSV files, nothing else.


def read_raw(path: Path) -> tuple[list[str], dict[str, np.ndarray]]:
    """Header names and label -> numbers; a cell is a number if it starts with a digit."""
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode()
    lines = [line.split(",") for line in text.splitlines() if line.strip()]
    header = [c.strip() for c in lines[0][1:]]
    width = len(header)
    table = {
        line[0].strip(): np.array(
            [float(c) if c.strip()[:1].isdigit() else 0.0 for c in line[1 : width + 1]]
        )
        for line in lines[1:]
    }
    return header, table


def raw_file(directory: Path, *names: str) -> Path:
    for name in names:
        for path in (directory / name, directory / (name + ".gz")):
            if path.exists():
                return path
    raise FileNotFoundError(names)


def check(plan_dir: Path, raw_dir: Path) -> float:
    """Assert every constraint; return the total harmony recomputed from the files."""
    products, flows = read_raw(raw_file(raw_dir, "flows.csv", "testflow.csv"))
    _, cap = read_raw(raw_file(raw_dir, "cap.csv", "testcap.csv"))
    _, dep = read_raw(raw_file(raw_dir, "dep.csv", "testdep.csv"))
    _, targ = read_raw(raw_file(raw_dir, "labtarg.csv", "testtarg.csv"))
    n = len(products)
    output, labour = flows["output"], flows["labour"]
    input_coefficient = np.array([flows[p] for p in products]) / output
    stock_needed = np.array([cap[p] for p in products]) / output
    initial = np.array([cap[p] for p in products])
    depreciation = np.array([dep[p] for p in products])
    years = sorted((k for k in targ if k.startswith("year")), key=lambda k: int(k[4:]))
    targets = np.array([targ[y][:n] for y in years])
    available = np.array([targ[y][n] for y in years])
    index = {p: i for i, p in enumerate(products)}
    t = len(years)

    gross, net, target = np.full((t, n), np.nan), np.full((t, n), np.nan), np.zeros((t, n))
    for row in csv.DictReader((plan_dir / "products.csv").read_text().splitlines()):
        y, i = int(row["year"]) - 1, index[row["product"]]
        gross[y, i], net[y, i] = float(row["gross_output"]), float(row["net_output"])
        target[y, i] = float(row["target"])
    assert not np.isnan(gross).any() and not np.isnan(net).any(), "a product-year is missing"
    assert (target == targets).all(), "targets differ from the input file"

    added: dict[tuple[int, int], np.ndarray] = defaultdict(lambda: np.zeros(t))
    for row in csv.DictReader((plan_dir / "accumulation.csv").read_text().splitlines()):
        k, j = index[row["product"]], index[row["industry"]]
        assert initial[k, j] > 0, "accumulation into a cell that holds no capital"
        added[k, j][int(row["year"]) - 1] += float(row["amount"])
    assert len(added) == int((initial > 0).sum()), "a capital cell is missing"

    labour_rows = csv.DictReader((plan_dir / "labour.csv").read_text().splitlines())
    hours = {int(r["year"]) - 1: r for r in labour_rows}

    # non-negativity
    assert (gross >= 0).all() and (net >= 0).all()
    assert all((a >= 0).all() and a[-1] == 0 for a in added.values())
    # input balance: net = gross - productive consumption - accumulation
    accumulated = np.zeros((t, n))
    for (k, _), amounts in added.items():
        accumulated[:, k] += amounts
    for y in range(t):
        used = input_coefficient @ gross[y]
        scale = gross[y] + used + accumulated[y]
        assert np.all(np.abs(gross[y] - used - accumulated[y] - net[y]) <= TOLERANCE * scale)
    # capital: each cell's stock, depreciated and topped up, covers what the industry needs
    for (k, j), amounts in added.items():
        stock = initial[k, j]
        for y in range(t):
            if y:
                stock = (1 - depreciation[k, j]) * stock + amounts[y - 1]
            assert stock_needed[k, j] * gross[y, j] <= stock * (1 + TOLERANCE)
    # labour
    for y in range(t):
        worked = float(labour / output @ gross[y])
        assert worked <= available[y] * (1 + TOLERANCE)
        assert float(hours[y]["labour_used"]) == pytest.approx(worked, rel=TOLERANCE)
        assert float(hours[y]["labour_available"]) == available[y]
    # total harmony, a zero target counting as 0.02 as in Cockshott's harmony planner
    r = net / np.where(targets == 0, 1 - 0.98, targets)
    h = np.where(r < 1, (r - 1) - (r - 1) ** 2 / 2, np.log(np.maximum(r, 1)))
    return float(h.sum())


def reported_harmony(readme: Path) -> float:
    for line in readme.read_text().splitlines():
        if line.startswith("total harmony:"):
            return float(line.split(":", 1)[1])
    raise AssertionError("no total harmony in README.txt")
