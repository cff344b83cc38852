"""Paul Cockshott's ``5yearplan`` CSV files, read as his planners read them.

Four files (``flows``, ``cap``, ``dep``, ``labtarg``; the generated economies
call them ``testflow``, ``testcap``, ``testdep``, ``testtarg``; each may be
gzip-compressed as ``.csv.gz``):

- flows: header ``headings,<products>``; one row per product in the header's
  order with the flow of that product into each industry at base output; a
  row ``labour`` (labour each industry uses at base output) and a row
  ``output`` (each industry's base gross output).
- cap: same products: stock of each product each industry holds for its base
  output. It is both the capital coefficient (divided by base output) and the
  stock at the start of year 1, as in ``nyearHarmony.java``.
- dep: same shape: the yearly depreciation rate of each capital cell.
- labtarg: header ``headings,<products>,<labour>``; rows ``year1``, ``year2``
  … with each product's final-consumption target and, last, the labour
  available. (His program takes the column after the products, whatever its
  heading says: the generated files call it ``l``.)

As in his ``csvfilereader``, a cell is a number when it starts with a digit,
and an empty cell counts as 0. Unlike it, anything else where a number is
needed (text, a sign, a stray character) is refused with the file, row and
column, instead of silently counting as 0, and cells are trimmed of spaces.
Zero targets are kept as given: the harmony planner replaces them by 0.02 as
``nyearHarmony.java`` does, the LP criterion leaves them out as
``nyearplan.java`` does.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy, EconomyError

NAMES = {
    "flows": ("flows.csv", "testflow.csv"),
    "cap": ("cap.csv", "testcap.csv"),
    "dep": ("dep.csv", "testdep.csv"),
    "targets": ("labtarg.csv", "testtarg.csv"),
}
_NUMBER = r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?"
NUMBER = re.compile(_NUMBER)
ROW = re.compile(f"{_NUMBER}(?:,{_NUMBER})*")
UNITS = "as in the 5yearplan files: each product in its own unit, labour in its unit"


@dataclass(frozen=True)
class Table:
    """A parsed CSV file: its name for messages, header cells, and rows of cells."""

    name: str
    header: list[str]
    rows: list[list[str]]


def read_cockshott(directory: Path) -> Economy:
    """The economy in ``directory`` (flows/cap/dep/labtarg or their test* names)."""
    paths = {role: find(directory, role) for role in NAMES}
    return read_cockshott_files(paths["flows"], paths["cap"], paths["dep"], paths["targets"])


def find(directory: Path, role: str) -> Path:
    """The file playing ``role`` in ``directory``, plain or gzip-compressed."""
    for name in NAMES[role]:
        for candidate in (directory / name, directory / (name + ".gz")):
            if candidate.is_file():
                return candidate
    raise EconomyError(
        "No {names} file in {directory}.",
        names=" or ".join(NAMES[role]),
        directory=str(directory),
    )


def read_cockshott_files(flows: Path, cap: Path, dep: Path, targets: Path) -> Economy:
    """Build the economy from the four files, or refuse naming file, row and column."""
    flow_table, cap_table, dep_table, target_table = (
        read_table(path) for path in (flows, cap, dep, targets)
    )
    products, flow, labour, output = read_flows(flow_table)
    n = len(products)
    stock = numbers(cap_table, same_products(cap_table, products), products, n)
    rates = numbers(dep_table, same_products(dep_table, products), products, n)
    check_rates(dep_table, rates, products)
    supply, wanted = labour_and_targets(target_table, products)
    return Economy(
        products=tuple(products),
        inputs=sp.csr_matrix(flow / output),
        labour=labour / output,
        capital=sp.csr_matrix(stock / output),
        depreciation=sp.csr_matrix(np.where(stock > 0, rates, 0.0)),
        base_output=output,
        capital_stock=sp.csr_matrix(stock),
        labour_supply=supply,
        targets=wanted,
        units=UNITS,
        source=f"5yearplan CSV files {flows}, {cap}, {dep}, {targets}",
    )


def read_flows(table: Table) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Products, flows at base output, each industry's labour and its base output (above 0)."""
    products = product_names(table)
    n = len(products)
    flow = numbers(table, rows_by_name(table, products, extra=("labour", "output")), products, n)
    labour = numbers(table, [flow_rows_named(table, "labour")], products, n)[0]
    output = numbers(table, [flow_rows_named(table, "output")], products, n)[0]
    for j, value in enumerate(output):
        if value <= 0:
            raise EconomyError(
                "{file} row 'output', column '{column}': base output must be above 0.",
                file=table.name,
                column=products[j],
            )
    return products, flow, labour, output


def read_table(path: Path) -> Table:
    """Header and rows of a CSV file (blank lines skipped, trailing empty cells dropped)."""
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise EconomyError("File {file} does not exist.", file=str(path)) from None
    except (OSError, EOFError, gzip.BadGzipFile):
        raise EconomyError("File {file} cannot be read.", file=str(path)) from None
    except UnicodeDecodeError:
        raise EconomyError("File {file} is not UTF-8 text.", file=str(path)) from None
    if '"' in text:  # quoted fields: let the csv module unquote them
        lines = list(csv.reader(io.StringIO(text)))
    else:
        lines = [line.split(",") for line in text.splitlines()]
    lines = [line for line in lines if any(c.strip() for c in line)]
    if not lines:
        raise EconomyError("File {file} is empty.", file=path.name)
    header = [c.strip() for c in lines[0]]
    while header and not header[-1]:
        header.pop()
    return Table(
        name=path.name, header=header, rows=[[row[0].strip(), *row[1:]] for row in lines[1:]]
    )


def product_names(table: Table) -> list[str]:
    """The products named in the flows header, each once."""
    names = table.header[1:]
    if not names:
        raise EconomyError("{file} has no products in its header.", file=table.name)
    seen: set[str] = set()
    for position, name in enumerate(names, start=2):
        if not name:
            raise EconomyError(
                "{file} header, column {position}: the product has no name.",
                file=table.name,
                position=position,
            )
        if name in seen:
            raise EconomyError(
                "{file} header: product '{name}' appears twice.", file=table.name, name=name
            )
        seen.add(name)
    return names


def rows_by_name(table: Table, products: list[str], extra: tuple[str, ...]) -> list[int]:
    """Row indices of the products, which must come first and in the header's order."""
    for position, name in enumerate(products):
        if position >= len(table.rows):
            raise EconomyError(
                "{file} has no row for product '{name}'.", file=table.name, name=name
            )
        found = table.rows[position][0] if table.rows[position] else ""
        if found != name:
            raise EconomyError(
                "{file} row {row} is '{found}' but column {row} is '{name}': rows and columns "
                "must list the products in the same order.",
                file=table.name,
                row=position + 1,
                found=found,
                name=name,
            )
    for row in table.rows[len(products) :]:
        label = row[0] if row else ""
        if label not in extra:
            raise EconomyError(
                "{file} has an unexpected row '{label}' after the products (expected {extra}).",
                file=table.name,
                label=label,
                extra=", ".join(extra) or "none",
            )
    for label in extra:
        flow_rows_named(table, label)
    return list(range(len(products)))


def flow_rows_named(table: Table, label: str) -> int:
    """Index of the row whose first cell is ``label`` (``labour``, ``output``)."""
    for index, row in enumerate(table.rows):
        if row and row[0] == label:
            return index
    raise EconomyError("{file} has no '{label}' row.", file=table.name, label=label)


def _match_header(table: Table, header: list[str], products: list[str]) -> None:
    """Each product of the flows file must head the same column here."""
    for position, name in enumerate(products):
        found = header[position] if position < len(header) else ""
        if found != name:
            raise EconomyError(
                "{file} header column {column} is '{found}' but the flows file has '{name}'.",
                file=table.name,
                column=position + 2,
                found=found,
                name=name,
            )


def same_products(table: Table, products: list[str]) -> list[int]:
    """Check a cap/dep file lists the flows file's products, across and down."""
    header = table.header[1:]
    _match_header(table, header, products)
    if len(header) > len(products):
        raise EconomyError(
            "{file} header has {count} products, the flows file {n}.",
            file=table.name,
            count=len(header),
            n=len(products),
        )
    return rows_by_name(table, products, extra=())


def numbers(table: Table, rows: list[int], products: list[str], n: int) -> np.ndarray:
    """The n numbers after the label of each given row, checked cell by cell."""
    out = np.zeros((len(rows), n))
    for k, index in enumerate(rows):
        out[k] = row_values(table, table.rows[index], products, n)
    return out


def row_values(table: Table, row: list[str], columns: list[str], n: int) -> np.ndarray:
    """One row's n numbers: one regular-expression pass and one conversion when all is well."""
    values = row[1:]
    while len(values) > n and not values[-1].strip():
        values.pop()
    if len(values) != n:
        raise EconomyError(
            "{file} row '{row}' has {count} values, expected {n}.",
            file=table.name,
            row=row[0],
            count=len(values),
            n=n,
        )
    if ROW.fullmatch(",".join(values)):
        numbers = np.array(values, dtype=np.float64)
        if np.isfinite(numbers).all():
            return numbers
    return np.array([cell(table, row[0], columns[j], v.strip()) for j, v in enumerate(values)])


def cell(table: Table, row: str, column: str, text: str) -> float:
    """A number as 5yearplan reads it: starts with a digit; empty means 0; never negative."""
    if not text:
        return 0.0
    if NUMBER.fullmatch(text):
        value = float(text)
        if np.isfinite(value):
            return value
    if text.startswith("-") and _is_number(text[1:]):
        raise EconomyError(
            "{file} row '{row}', column '{column}': negative value {value}.",
            file=table.name,
            row=row,
            column=column,
            value=text,
        )
    raise EconomyError(
        "{file} row '{row}', column '{column}': '{value}' is not a number.",
        file=table.name,
        row=row,
        column=column,
        value=text,
    )


def _is_number(text: str) -> bool:
    return bool(NUMBER.fullmatch(text))


def check_rates(table: Table, rates: np.ndarray, products: list[str]) -> None:
    """Depreciation rates are fractions of the stock lost per year: at most 1."""
    over = np.argwhere(rates > 1)
    if over.size:
        i, j = (int(v) for v in over[0])
        raise EconomyError(
            "{file} row '{row}', column '{column}': rate {value} is above 1.",
            file=table.name,
            row=products[i],
            column=products[j],
            value=repr(float(rates[i, j])),
        )


def labour_and_targets(table: Table, products: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Labour available and consumption targets, one row per ``yearK`` row."""
    header = table.header[1:]
    n = len(products)
    _match_header(table, header, products)
    if len(header) != n + 1:
        raise EconomyError(
            "{file} header must end with one labour column after the {n} products.",
            file=table.name,
            n=n,
        )
    for row in table.rows:
        if not row[0].startswith("year"):
            raise EconomyError(
                "{file} row '{label}' is not a year (rows are year1, year2, ...).",
                file=table.name,
                label=row[0],
            )
    if not table.rows:
        raise EconomyError("{file} has no year rows.", file=table.name)
    columns = [*products, header[n] or "labour"]
    values = numbers(table, list(range(len(table.rows))), columns, n + 1)
    return values[:, n], values[:, :n]
