"""Random economies of the shape Paul Cockshott's ``testeconomy`` generator makes, at any size.

Why: his published planner figures for large economies (10,000 products:
139 s, 9.5 GB, total harmony -57,322) were measured on economies from his
random generator (``plancode/planning/testeconomy.java`` in ``5yearplan``),
and only the 100- and 1,000-product ones are shipped. To compare at other
sizes the plan factory draws economies from the same distribution, with a
seed so every figure can be reproduced. ``docs/planning.md`` says what is
drawn and how it matches his; a test compares the statistics with his
1,000-product economy.

What is drawn, for n products P0 … P(n-1) and T years (our own code, his
rules):

- each (product i, industry j) cell is *touched* with probability
  min(n, ⌈log2 n + 5⌉)/n, so about log2 n + 5 cells per row;
- a touched cell gets three fair random bits b0, b1, b2: a flow of
  1 + 2·b1 units when b0 is set, a capital stock of b0 + 2 + 4·b2 units
  (2, 3, 6 or 7) when b1 is set; so about half the touched cells carry a
  flow, half a stock, and a flow of 3 always comes with a stock;
- depreciation is 0.07 on every cell;
- each industry's labour at base output is a whole number from 1 to 9;
  year 1's labour supply is their sum, and each later year's is the previous
  one times 1.02, rounded down;
- a product's *use* u_i is 1 + its flows + 0.07·its stocks (the row sums);
  its base gross output is (1.8 + U)·⌊u_i⌋ with U uniform in [0, 1); its
  target in year y (from 0) is 0.01 + 0.75·u_i·1.01^y.

Coefficients follow from base output as in his reader: inputs = flows /
output, capital = stocks / output (column-wise, by industry), labour per
unit = labour / output, and the stocks are also what stands in year 1.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy

DEPRECIATION = 0.07
TARGET_SHARE = 0.75  # targets are this share of a product's use ...
TARGET_EXTRA = 0.01  # ... plus this
TARGET_GROWTH = 1.01  # per year
LABOUR_GROWTH = 1.02  # per year, rounded down to whole units
OUTPUT_LOW = 1.8  # base output is (OUTPUT_LOW + U[0, 1)) times the product's use, rounded down

Vector = np.ndarray[Any, np.dtype[np.float64]]


def touched_share(n: int) -> float:
    """Probability that a cell is touched: his ``nextInt(n) < log2(n) + 5``."""
    if n <= 0:
        return 0.0
    return min(n, math.ceil(math.log2(n) + 5)) / n


def generate(n: int, years: int = 5, seed: int = 0) -> Economy:
    """A random economy of n products over ``years`` years; the same seed gives the same hash."""
    if n < 1 or years < 1:
        raise ValueError("a generated economy needs at least one product and one year")
    rng = np.random.default_rng(seed)
    touched = int(rng.binomial(n * n, touched_share(n)))
    flat = rng.choice(n * n, size=touched, replace=False)
    flat.sort()
    row, col = np.divmod(flat, n)
    bits = rng.integers(0, 8, touched)
    has_flow, has_stock = (bits & 1) == 1, (bits & 2) == 2
    flow_amount = (1 + 2 * ((bits >> 1) & 1)).astype(np.float64)
    stock_amount = (bits & 7).astype(np.float64)
    labour = rng.integers(1, 10, n).astype(np.float64)
    use = (
        1.0
        + np.bincount(row[has_flow], weights=flow_amount[has_flow], minlength=n)
        + DEPRECIATION * np.bincount(row[has_stock], weights=stock_amount[has_stock], minlength=n)
    )
    output = (OUTPUT_LOW + rng.random(n)) * np.floor(use)
    flows = _matrix(row[has_flow], col[has_flow], flow_amount[has_flow], n)
    stocks = _matrix(row[has_stock], col[has_stock], stock_amount[has_stock], n)
    per_unit = sp.diags(1.0 / output)
    capital = (stocks @ per_unit).tocsr()
    growth = TARGET_GROWTH ** np.arange(years)
    supply = [float(labour.sum())]
    for _ in range(years - 1):
        supply.append(float(math.floor(supply[-1] * LABOUR_GROWTH)))
    depreciation = capital.copy()
    depreciation.data[:] = DEPRECIATION
    return Economy(
        products=tuple(f"P{i}" for i in range(n)),
        inputs=(flows @ per_unit).tocsr(),
        labour=labour / output,
        capital=capital,
        depreciation=depreciation,
        base_output=output,
        capital_stock=stocks,
        labour_supply=np.array(supply),
        targets=np.asarray(
            TARGET_EXTRA + TARGET_SHARE * growth[:, None] * use[None, :], np.float64
        ),
        units="generated: each product in its own unit, labour in its unit",
        source=f"generated economy of the shape of Cockshott's testeconomy: "
        f"n={n}, years={years}, seed={seed}",
    )


def _matrix(row: Any, col: Any, values: Vector, n: int) -> sp.csr_matrix:
    return sp.csr_matrix((values, (row, col)), shape=(n, n))


def write_cockshott(economy: Economy, directory: Path) -> list[Path]:
    """Write an economy as Cockshott's four CSV files (testflow, testcap, testdep, testtarg).

    So his planners can be run on exactly the economy Konsilo planned, and
    Konsilo's own reader reads it back. His layout is dense (n² cells per
    file), so this is for a few thousand products at most. His files give
    capital as one matrix that is both the coefficient (divided by output)
    and the stock in year 1, so an economy whose stocks are not capital
    coefficient times base output cannot be written; nor can one without a
    labour supply for some year (none here).
    """
    output = economy.base_output
    stock = economy.capital @ sp.diags(output)
    if abs(stock - economy.capital_stock).max() > 1e-12 * max(1.0, float(abs(stock).max())):
        raise ValueError("the stocks are not capital coefficient x base output")
    directory.mkdir(parents=True, exist_ok=True)
    names = list(economy.products)
    flows = (economy.inputs @ sp.diags(output)).toarray()
    written = []

    def table(name: str, header: list[str], rows: list[list[str]]) -> None:
        path = directory / name
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["headings", *header])
            writer.writerows(rows)
        written.append(path)

    def matrix_rows(values: Any) -> list[list[str]]:
        return [[names[i], *(_num(v) for v in values[i])] for i in range(len(names))]

    labour = economy.labour * output
    table(
        "testflow.csv",
        names,
        [*matrix_rows(flows), ["labour", *map(_num, labour)], ["output", *map(_num, output)]],
    )
    table("testcap.csv", names, matrix_rows(stock.toarray()))
    table("testdep.csv", names, matrix_rows(economy.depreciation.toarray()))
    table(
        "testtarg.csv",
        [*names, "labour"],
        [
            [f"year{y + 1}", *map(_num, economy.targets[y]), _num(economy.labour_supply[y])]
            for y in range(economy.years)
        ],
    )
    return written


def _num(value: float) -> str:
    """Shortest text that reads back as the same float (his reader needs a leading digit)."""
    return repr(float(value))
