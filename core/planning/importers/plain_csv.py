"""A plain CSV layout for an economy, so a federation can bring its own data.

A directory of small long-format files, one fact per row, every quantity with
its unit (docs/planning-data.md has the full description and an example):

- ``products.csv``: product, unit, base_output, labour, labour_unit
- ``inputs.csv``: product, used_by, amount, unit (``<product unit> per <used_by unit>``)
- ``capital.csv`` (optional): product, used_by, amount, unit, depreciation
- ``stocks.csv`` (optional): product, used_by, amount, unit (``<product unit>``)
- ``plan.csv``: year, labour_available, labour_unit
- ``targets.csv``: year, product, amount, unit (``<product unit>``)

Long format because a spreadsheet user can add one input without touching a
matrix, and because a unit per row lets the importer catch the commonest
mistake in economic data, a figure given in the wrong unit. Every refusal
names the file, the line and the column; nothing is returned unless the whole
economy is valid.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy, EconomyError, cells, check_productive

COLUMNS = {
    "products.csv": ("product", "unit", "base_output", "labour", "labour_unit"),
    "inputs.csv": ("product", "used_by", "amount", "unit"),
    "capital.csv": ("product", "used_by", "amount", "unit", "depreciation"),
    "stocks.csv": ("product", "used_by", "amount", "unit"),
    "plan.csv": ("year", "labour_available", "labour_unit"),
    "targets.csv": ("year", "product", "amount", "unit"),
}
OPTIONAL = ("capital.csv", "stocks.csv")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
YEAR = re.compile(r"\d{1,4}")


@dataclass(frozen=True)
class Row:
    """One data row: its file and line for messages, and its cells by column name."""

    file: str
    line: int
    cells: Mapping[str, str]

    def text(self, column: str) -> str:
        value = " ".join(self.cells.get(column, "").split())
        if not value:
            raise self.error(column, "is empty")
        return value

    def number(self, column: str, positive: bool = False) -> float:
        text = self.text(column)
        value = float(text) if NUMBER.fullmatch(text) else float("nan")
        if not np.isfinite(value):
            raise self.error(column, f"'{text}' is not a number")
        if value < 0 or (positive and value == 0):
            raise self.error(column, f"{text} must be {'above' if positive else 'at least'} 0")
        return value

    def error(self, column: str, problem: str) -> EconomyError:
        return EconomyError(
            "{file} line {line}, column '{column}': {problem}.",
            file=self.file,
            line=self.line,
            column=column,
            problem=problem,
        )


@dataclass(frozen=True)
class Units:
    """Each product's unit and the one labour unit, to check every row's stated unit."""

    of: Mapping[str, str]
    labour: str

    def check(self, row: Row, expected: str, why: str) -> None:
        found = row.text("unit")
        if found != expected:
            raise row.error("unit", f"'{found}' does not match: {why}, so the unit is '{expected}'")

    def per(self, row: Row, product: str, used_by: str) -> None:
        """An amount of ``product`` per unit of ``used_by``'s output."""
        a, b = self.of[product], self.of[used_by]
        why = f"{product} is in '{a}' and {used_by} in '{b}'"
        self.check(row, f"{a} per {b}", why)

    def describe(self) -> str:
        listed = "; ".join(f"{name}: {unit}" for name, unit in self.of.items())
        return f"each product in its own unit ({listed}); labour: {self.labour}"


def read_plain_csv(directory: Path) -> Economy:
    """The economy in ``directory``, or a refusal naming file, line and column."""
    tables = {name: _read(directory, name) for name in COLUMNS}
    products, units, base, labour = _products(tables["products.csv"] or [])
    index = {name: k for k, name in enumerate(products)}
    n = len(products)
    inputs = _matrix(tables["inputs.csv"] or [], index, units, n)
    capital, depreciation = _capital(tables["capital.csv"] or [], index, units, n)
    years, supply = _plan(tables["plan.csv"] or [], units)
    targets = _targets(tables["targets.csv"] or [], index, units, years)
    stocks = _stocks(tables["stocks.csv"], capital, index, units, base)
    try:
        check_productive(sp.csr_matrix(inputs), products)
    except EconomyError as error:
        raise EconomyError("inputs.csv: {problem}", problem=str(error)) from None
    try:
        return Economy(
            products=products,
            inputs=inputs,
            labour=labour,
            capital=capital,
            depreciation=depreciation,
            base_output=base,
            capital_stock=stocks,
            labour_supply=supply,
            targets=targets,
            units=units.describe(),
            source=f"plain CSV economy in {directory}",
        )
    except EconomyError as error:
        raise EconomyError(
            "{directory}: {problem}", directory=str(directory), problem=str(error)
        ) from None


def _read(directory: Path, name: str) -> list[Row] | None:
    """The file's rows checked against its header; None for a missing optional file."""
    path = directory / name
    if not path.is_file():
        if name in OPTIONAL:
            return None
        raise EconomyError("{directory} has no {file}.", directory=str(directory), file=name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise EconomyError("{file} cannot be read as UTF-8 text.", file=name) from None
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise EconomyError(
            "{file} line {line}: malformed CSV ({problem}).",
            file=name,
            line=reader.line_num,
            problem=str(error),
        ) from None
    lines = [(k, row) for k, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        raise EconomyError("{file} is empty: it needs a header row.", file=name)
    return _rows(name, lines)


def _rows(name: str, lines: list[tuple[int, list[str]]]) -> list[Row]:
    header = [cell.strip() for cell in lines[0][1]]
    for column in COLUMNS[name]:
        if column not in header:
            raise EconomyError(
                "{file} line {line}: no column '{column}' (the header must hold {columns}).",
                file=name,
                line=lines[0][0],
                column=column,
                columns=", ".join(COLUMNS[name]),
            )
    rows = []
    for line, values in lines[1:]:
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            raise EconomyError(
                "{file} line {line} has {count} cells but the header has {width}.",
                file=name,
                line=line,
                count=len(values),
                width=len(header),
            )
        rows.append(Row(name, line, dict(zip(header, values, strict=False))))
    return rows


def _products(rows: list[Row]) -> tuple[tuple[str, ...], Units, np.ndarray, np.ndarray]:
    if not rows:
        raise EconomyError("products.csv lists no products.")
    names: list[str] = []
    units: dict[str, str] = {}
    labour_unit = rows[0].text("labour_unit")
    for row in rows:
        name = row.text("product")
        if name in units:
            raise row.error("product", f"'{name}' is listed twice")
        if row.text("labour_unit") != labour_unit:
            raise row.error(
                "labour_unit",
                f"'{row.text('labour_unit')}' differs from '{labour_unit}' on line "
                f"{rows[0].line}: labour has one unit",
            )
        names.append(name)
        units[name] = row.text("unit")
    base = np.array([row.number("base_output", positive=True) for row in rows])
    labour = np.array([row.number("labour") for row in rows])
    return tuple(names), Units(units, labour_unit), base, labour


def _product(row: Row, column: str, index: Mapping[str, int]) -> str:
    name = row.text(column)
    if name not in index:
        raise row.error(column, f"'{name}' is not a product in products.csv")
    return name


def _cells(rows: list[Row], index: Mapping[str, int]) -> dict[tuple[int, int], Row]:
    """Rows by (product, used_by), each pair at most once."""
    seen: dict[tuple[int, int], Row] = {}
    for row in rows:
        product, used_by = _product(row, "product", index), _product(row, "used_by", index)
        key = (index[product], index[used_by])
        if key in seen:
            raise row.error(
                "used_by", f"{product} in {used_by} is already given on line {seen[key].line}"
            )
        seen[key] = row
    return seen


def _matrix(rows: list[Row], index: Mapping[str, int], units: Units, n: int) -> sp.csr_matrix:
    out = sp.lil_matrix((n, n))
    names = list(index)
    for (i, j), row in _cells(rows, index).items():
        units.per(row, names[i], names[j])
        out[i, j] = row.number("amount")
    return out.tocsr()


def _capital(
    rows: list[Row], index: Mapping[str, int], units: Units, n: int
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    coefficients, rates = sp.lil_matrix((n, n)), sp.lil_matrix((n, n))
    names = list(index)
    for (i, j), row in _cells(rows, index).items():
        units.per(row, names[i], names[j])
        amount, rate = row.number("amount"), row.number("depreciation")
        if rate > 1:
            raise row.error("depreciation", f"{rate:g} is above 1 (it is a share per year)")
        if amount > 0:
            coefficients[i, j], rates[i, j] = amount, rate
    return coefficients.tocsr(), rates.tocsr()


def _stocks(
    rows: list[Row] | None,
    capital: sp.csr_matrix,
    index: Mapping[str, int],
    units: Units,
    base: np.ndarray,
) -> sp.csr_matrix:
    """Stocks at the start of year 1: as given, else what the base output needs."""
    stocks = sp.csr_matrix(capital.multiply(base[None, :]))
    if rows is None:
        return stocks
    given = stocks.tolil()
    names = list(index)
    for (i, j), row in _cells(rows, index).items():
        units.check(row, units.of[names[i]], f"a stock of {names[i]} is in its own unit")
        if capital[i, j] == 0:
            raise row.error("used_by", f"capital.csv has no {names[i]} for {names[j]}")
        given[i, j] = row.number("amount")
    return given.tocsr()


def _plan(rows: list[Row], units: Units) -> tuple[dict[int, int], np.ndarray]:
    """Year number -> position (years must follow each other), and the labour available."""
    if not rows:
        raise EconomyError("plan.csv lists no years.")
    years: dict[int, int] = {}
    supply = []
    for row in rows:
        year = _year(row)
        expected = _year(rows[0]) + len(years)
        if year != expected:
            raise row.error("year", f"{year} should be {expected}: years follow each other")
        unit = row.text("labour_unit")
        if unit != units.labour:
            raise row.error(
                "labour_unit", f"'{unit}' does not match products.csv's '{units.labour}'"
            )
        years[year] = len(years)
        supply.append(row.number("labour_available"))
    return years, np.array(supply)


def _year(row: Row) -> int:
    text = row.text("year")
    if not YEAR.fullmatch(text):
        raise row.error("year", f"'{text}' is not a year number")
    return int(text)


def _targets(
    rows: list[Row], index: Mapping[str, int], units: Units, years: Mapping[int, int]
) -> np.ndarray:
    targets = np.zeros((len(years), len(index)))
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        year = _year(row)
        if year not in years:
            raise row.error("year", f"{year} is not a year in plan.csv")
        product = _product(row, "product", index)
        key = (years[year], index[product])
        if key in seen:
            raise row.error("product", f"{product} in {year} is already given on line {seen[key]}")
        units.check(row, units.of[product], f"{product} is in '{units.of[product]}'")
        seen[key] = row.line
        targets[key] = row.number("amount")
    return targets


# --- Writing -------------------------------------------------------------------------------


def write_plain_csv(
    economy: Economy,
    directory: Path,
    units: Mapping[str, str] | None = None,
    labour_unit: str = "hours",
    first_year: int = 1,
) -> None:
    """Write ``economy`` in this layout (``units`` per product, 'unit' when not given)."""
    of = {name: (units or {}).get(name, "unit") for name in economy.products}
    names = economy.products
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "products.csv": [
            [name, of[name], _g(economy.base_output[k]), _g(economy.labour[k]), labour_unit]
            for k, name in enumerate(names)
        ],
        "inputs.csv": _long(economy.inputs, names, of),
        "capital.csv": [
            [*row, _g(rate)]
            for row, rate in zip(
                _long(economy.capital, names, of), economy.depreciation.data, strict=True
            )
        ],
        "stocks.csv": _stock_rows(economy, of),
        "plan.csv": [
            [str(first_year + y), _g(hours), labour_unit]
            for y, hours in enumerate(economy.labour_supply)
        ],
        "targets.csv": [
            [str(first_year + y), name, _g(economy.targets[y, k]), of[name]]
            for y in range(economy.years)
            for k, name in enumerate(names)
            if economy.targets[y, k] != 0
        ],
    }
    for name, rows in files.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS[name])
        writer.writerows(rows)
        (directory / name).write_text(out.getvalue(), encoding="utf-8")


def _long(matrix: sp.csr_matrix, names: tuple[str, ...], of: Mapping[str, str]) -> list[list[str]]:
    coo = matrix.tocoo()
    order = np.lexsort((coo.col, coo.row))
    return [
        [names[i], names[j], _g(v), f"{of[names[i]]} per {of[names[j]]}"]
        for i, j, v in zip(coo.row[order], coo.col[order], coo.data[order], strict=True)
    ]


def _stock_rows(economy: Economy, of: Mapping[str, str]) -> list[list[str]]:
    rows, cols = cells(economy)
    stock = economy.capital_stock
    return [
        [economy.products[i], economy.products[j], _g(stock[i, j]), of[economy.products[i]]]
        for i, j in zip(rows, cols, strict=True)
    ]


def _g(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value))
