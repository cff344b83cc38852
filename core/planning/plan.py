"""A computed plan, how to check it, and how to write it for anyone to check.

A ``Plan`` carries, for every year, what each industry makes (gross output),
what is left for consumption (net output), what is added to each capital
cell, and the hours worked; with the total harmony, the bound that certifies
how far from the best it can be, and the hash of the economy and the
parameters it came from, so every figure can be traced.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.planning.economy import Economy, cell_stocks, cells
from core.planning.harmony import effective_targets

Array = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, eq=False)
class Plan:
    """One plan over the economy's years (arrays are year x product or year x cell)."""

    criterion: str  # "harmony" (Cockshott's), "balanced" (value-weighted harmony) or "maximin"
    economy_hash: str
    parameters: Mapping[str, Any]
    gross_output: Array
    net_output: Array
    accumulation: Array  # year x capital cell, cells in Economy.capital's CSR order
    labour_used: Array
    fulfilment: Array  # net output / target (zero targets replaced by the criterion's rule)
    harmony: float
    # the criterion's value: harmony, the weighted harmony ("balanced"), or Σ over years of the
    # minimum fulfilment ("maximin"); ``harmony`` is always Cockshott's unweighted total
    objective: float
    bound: float | None = None  # upper bound on the objective over all feasible plans
    iterations: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    # the solver's last primal and dual points, to start a similar plan from (``start=``)
    state: tuple[Array, Array] | None = field(default=None, repr=False)

    @property
    def years(self) -> int:
        return int(self.gross_output.shape[0])

    @property
    def gap(self) -> float | None:
        """How far the objective may be from the best plan's (bound - objective), if known."""
        return None if self.bound is None else self.bound - self.objective

    def minimum_fulfilment(self, economy: Economy) -> Array:
        """Each year's lowest fulfilment over the products that have a target."""
        asked = economy.targets > 0
        ratios = np.where(asked, self.fulfilment, np.inf)
        return np.asarray(np.where(asked.any(axis=1), ratios.min(axis=1), np.nan))

    def mean_fulfilment(self, economy: Economy) -> Array:
        """Each year's mean fulfilment over the products that have a target."""
        asked = economy.targets > 0
        total = np.where(asked, self.fulfilment, 0.0).sum(axis=1)
        return np.asarray(total / np.maximum(asked.sum(axis=1), 1))


@dataclass(frozen=True)
class Violations:
    """Largest relative breach of each family of constraints (0 when all hold)."""

    balance: float  # net output ≠ gross - productive consumption - accumulation
    negative: float  # a negative gross output, net output or accumulation
    capital: float  # a cell needs more stock than it has
    labour: float  # a year works more hours than it has

    @property
    def worst(self) -> float:
        return max(self.balance, self.negative, self.capital, self.labour)


def violations(economy: Economy, plan: Plan) -> Violations:
    """Check a plan against the model's constraints, relative to the quantities involved."""
    product, industry = cells(economy)
    x, a, net = plan.gross_output, plan.accumulation, plan.net_output
    t = plan.years
    balance = 0.0
    capital = 0.0
    labour = 0.0
    stock = cell_stocks(economy)
    keep = 1.0 - economy.depreciation.data
    for y in range(t):
        used = economy.inputs @ x[y]
        acc = np.bincount(product, weights=a[y], minlength=economy.size)
        scale = np.maximum(np.abs(x[y]) + np.abs(used) + acc, 1e-300)
        balance = max(balance, float((np.abs(x[y] - used - acc - net[y]) / scale).max(initial=0)))
        if y > 0:
            stock = keep * stock + a[y - 1]
        need = economy.capital.data * x[y][industry]
        over = (need - stock) / np.maximum(stock, 1e-300)
        capital = max(capital, float(np.maximum(over, 0.0).max(initial=0)))
        hours = float(economy.labour @ x[y])
        supply = float(economy.labour_supply[y])
        labour = max(labour, max(hours - supply, 0.0) / max(supply, 1e-300))
    negative = max(
        float(np.maximum(-x, 0).max(initial=0)),
        float(np.maximum(-a, 0).max(initial=0)),
        float(np.maximum(-net, 0).max(initial=0)),
    )
    if t and a[t - 1].any():
        negative = max(negative, float(np.abs(a[t - 1]).max()))  # nothing to accumulate for
    return Violations(balance=balance, negative=negative, capital=capital, labour=labour)


PLAN_README = """\
Plan written by Konsilo's plan factory.

economy hash: {hash}
economy source: {source}
criterion: {criterion}
total harmony: {harmony!r}
objective: {objective!r}
upper bound on the objective: {bound}
parameters: {parameters}

Files (years are numbered from 1; amounts in the economy's own units: {units}):
- products.csv: year, product, gross_output, net_output, target, fulfilment.
  gross_output is what the industry of that product makes in the year; net_output =
  gross_output - productive consumption (sum over industries j of input coefficient
  [product, j] * gross_output of j) - accumulation of that product (all cells, the year).
  fulfilment = net_output / target, where a target of 0 counts as {zero_target!r}.
- accumulation.csv: year, product, industry, amount: product added in that year to the
  capital stock the industry holds of it; it stands from the next year on.
- labour.csv: year, labour_used, labour_available.

The constraints, for every year y and capital cell (product k, industry j):
  net_output >= 0, gross_output >= 0, amount >= 0;
  capital[k, j] * gross_output[j, y] <= stock[k, j, y], where
    stock[k, j, 1] = initial stock, and
    stock[k, j, y + 1] = (1 - depreciation[k, j]) * stock[k, j, y] + amount[k, j, y];
  sum over j of labour[j] * gross_output[j, y] <= labour_available[y].
Coefficients are per unit of the industry's gross output. From Cockshott's 5yearplan
files: input coefficient[i, j] = flows[i, j] / output[j], capital[k, j] = cap[k, j] /
output[j], initial stock = cap[k, j], labour[j] = flows row labour[j] / output[j].
Total harmony = sum over years and products of H(fulfilment), where
  H(r) = (r - 1) - (r - 1)^2 / 2 for r < 1 and ln r for r >= 1.
"""


def write_plan(plan: Plan, economy: Economy, directory: Path) -> list[Path]:
    """Write the plan as plain CSV files (and a README) that need no Konsilo code to check."""
    directory.mkdir(parents=True, exist_ok=True)
    names = economy.products
    product, industry = cells(economy)
    targets = effective_targets(economy.targets, float(plan.parameters.get("zero_target", 0.02)))
    written = [directory / "README.txt"]
    written[0].write_text(
        PLAN_README.format(
            hash=economy.hash,
            source=economy.source,
            criterion=plan.criterion,
            harmony=plan.harmony,
            objective=plan.objective,
            bound="none computed" if plan.bound is None else repr(plan.bound),
            parameters=dict(plan.parameters),
            units=economy.units or "as given",
            zero_target=float(plan.parameters.get("zero_target", 0.02)),
        ),
        encoding="utf-8",
    )
    rows = (
        [
            y + 1,
            names[i],
            _num(plan.gross_output[y, i]),
            _num(plan.net_output[y, i]),
            _num(economy.targets[y, i]),
            _num(plan.net_output[y, i] / targets[y, i]),
        ]
        for y in range(plan.years)
        for i in range(economy.size)
    )
    written.append(
        _write(
            directory / "products.csv",
            ["year", "product", "gross_output", "net_output", "target", "fulfilment"],
            rows,
        )
    )
    rows = (
        [y + 1, names[k], names[j], _num(plan.accumulation[y, c])]
        for y in range(plan.years)
        for c, (k, j) in enumerate(zip(product.tolist(), industry.tolist(), strict=True))
    )
    written.append(
        _write(directory / "accumulation.csv", ["year", "product", "industry", "amount"], rows)
    )
    rows = (
        [y + 1, _num(plan.labour_used[y]), _num(economy.labour_supply[y])]
        for y in range(plan.years)
    )
    written.append(
        _write(directory / "labour.csv", ["year", "labour_used", "labour_available"], rows)
    )
    return written


def _write(path: Path, header: list[str], rows: Any) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _num(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value))
