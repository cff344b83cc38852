"""INE's Spanish supply and use tables (``cne_tod_YY_en.xlsx``) as a plannable economy.

What is read, found by each sheet's title rather than its name:

- the supply table at basic prices (Table 1): output of each product by each
  industry, and imports by product;
- the use table at basic prices (Table 3): intermediate use and final uses
  (households, NPISH, government, gross fixed capital formation, inventories,
  exports), and the industries' output as a check;
- the use table at purchasers' prices (Table 2), for its labour rows only:
  full-time equivalents (total, employees and self-employed), in thousands.

In 2015 all three are at 64 products and 63 industries. From 2016 on, Tables 1
and 2 are at 110 products and 81 industries while Table 3 stays at 64 (plus
imputed rents as a product and industry of their own), so the supply table and
the labour row are added up to Table 3's classification: each detailed item
goes to the Table 3 item whose CPA or NACE divisions cover its own, as the
two correspondence sheets (Tables 6 and 7) give them. Every sum is checked
against what Table 3 publishes; a workbook laid out differently is refused
naming the sheet, cell, row and column.

The symmetric table comes from ``core.planning.symmetric`` (Eurostat model B).
Turning it into an ``Economy`` needs figures the tables do not hold; each is
an explicit ``Assumptions`` field, written into the economy's ``source``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import scipy.sparse as sp
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from core.planning.economy import Economy, EconomyError
from core.planning.symmetric import (
    Imports,
    Matrix,
    SupplyUse,
    SymmetricTable,
    Vector,
    industry_technology,
    read_table,
    write_table,
)

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "spain-2019.csv"
SHIPPED_DIGITS = 8  # significant digits: the published cells have 0.1 million euro precision
VALUE_UNIT = "million euros at basic prices, current prices of the table's year"
FTE_UNIT = "thousand full-time equivalents"
FINAL = {
    "households": "final consumption expenditure by households",
    "npish": "final consumption expenditure by non-profit",
    "government": "final consumption expenditure by public administration",
    "gfcf": "gross fix",
    "inventories": "changes in inventories",
    "exports": "total exports",
}
CONSUMPTION = ("households", "npish", "government")
# Rows below the products that end the product block.
BELOW = {
    "total",
    "total uses at basic prices",
    "total uses at purchasers prices",
    "cif/fob adjustments",
    "taxes less subsidies on products",
}
EN_DASH, RIGHT_QUOTE = "\u2013", "\u2019"  # in INE's codes ('05 to 09') and titles
OUTPUT_TOLERANCE = 1e-4  # relative; the output row is rounded to whole millions


@dataclass(frozen=True)
class Assumptions:
    """What the tables do not say, stated as parameters and shown with every result.

    - ``hours_per_fte``: hours worked in a year by one full-time equivalent.
    - ``capital_output_ratio``: stock each industry holds per unit of yearly
      output, the same for all, made of products in the shares of the table's
      gross fixed capital formation (the tables hold no capital stocks).
    - ``capital_min_share``: products under this share of gross fixed capital
      formation are left out of that mix (the rest renormalised), so the
      capital matrix holds the few dozen goods that matter, not every trace.
    - ``depreciation``: share of every stock worn out per year.
    - ``years``: how many years the targets and labour supply cover.
    - ``target_growth``: yearly growth of the targets; year 1 is the table's
      final consumption (households, NPISH, government).
    - ``labour_growth``: yearly growth of the labour supply; year 1 is the
      table's full-time equivalents times ``hours_per_fte``.
    """

    hours_per_fte: float = 1700.0
    capital_output_ratio: float = 1.5
    capital_min_share: float = 0.005
    depreciation: float = 0.05
    years: int = 5
    target_growth: float = 0.02
    labour_growth: float = 0.0

    def __post_init__(self) -> None:
        checks = (
            ("hours_per_fte", 0 < self.hours_per_fte <= 8784),
            ("capital_output_ratio", 0 < self.capital_output_ratio < 100),
            ("capital_min_share", 0 <= self.capital_min_share < 0.5),
            ("depreciation", 0 <= self.depreciation <= 1),
            ("years", isinstance(self.years, int) and 1 <= self.years <= 100),
            ("target_growth", -1 < self.target_growth < 10),
            ("labour_growth", -1 < self.labour_growth < 10),
        )
        for name, ok in checks:
            if not ok:
                raise EconomyError(
                    "Assumption {name} = {value} is out of range.",
                    name=name,
                    value=repr(getattr(self, name)),
                )

    def describe(self) -> str:
        """One line, ``name=value`` pairs, for provenance."""
        return ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))


def read_ine(
    path: Path, assumptions: Assumptions | None = None, imports: Imports = "domestic"
) -> Economy:
    """The economy of one INE workbook under the given assumptions."""
    return economy_from_table(read_ine_table(path, imports), assumptions or Assumptions())


def spain(assumptions: Assumptions | None = None) -> Economy:
    """Spain 2019 from the compact table shipped with Konsilo (no workbook needed)."""
    table = read_table(SHIPPED)
    shipped = replace(table, source=f"{SHIPPED.name}, derived from {table.source}")
    return economy_from_table(shipped, assumptions or Assumptions())


def derive(workbook: Path) -> str:
    """The text of the shipped file, from INE's workbook (scripts/derive_spain.py writes it)."""
    table = read_ine_table(workbook, "domestic")
    title = (
        f"Spain {_year(workbook)}, symmetric product-by-product input-output table "
        "(domestic flows), derived by scripts/derive_spain.py"
    )
    return write_table(table, title, digits=SHIPPED_DIGITS)


def _year(workbook: Path) -> str:
    match = re.search(r"cne_tod_(\d\d)", workbook.name)
    return f"20{match.group(1)}" if match else workbook.stem


def read_ine_table(path: Path, imports: Imports = "domestic") -> SymmetricTable:
    """The symmetric product-by-product table of one INE workbook."""
    return industry_technology(read_supply_use(path), imports)


def economy_from_table(table: SymmetricTable, assumptions: Assumptions) -> Economy:
    """Coefficients from the table, and the labelled assumptions for what it lacks."""
    if table.labour_unit != FTE_UNIT:
        raise EconomyError(
            "The table's labour is in '{unit}', expected '{expected}'.",
            unit=table.labour_unit,
            expected=FTE_UNIT,
        )
    a = assumptions
    output = table.output
    hours = table.labour * 1000.0 * a.hours_per_fte
    capital = np.outer(_capital_mix(table, a), np.full(len(output), a.capital_output_ratio))
    growth = np.arange(a.years, dtype=np.float64)
    consumption = np.clip(table.final_use(*CONSUMPTION), 0.0, None)
    capital_sparse = sp.csr_matrix(capital)
    return Economy(
        products=table.products,
        inputs=sp.csr_matrix(table.flows / output),
        labour=hours / output,
        capital=capital_sparse,
        depreciation=capital_sparse.sign() * a.depreciation,
        base_output=output,
        capital_stock=sp.csr_matrix(capital * output),
        labour_supply=hours.sum() * (1.0 + a.labour_growth) ** growth,
        targets=np.outer((1.0 + a.target_growth) ** growth, consumption),
        units=f"products: {table.value_unit}; labour: hours",
        source=f"{table.source}; assumptions: {a.describe()}; " + ASSUMPTION_NOTE,
    )


def _capital_mix(table: SymmetricTable, assumptions: Assumptions) -> Vector:
    """Shares of gross fixed capital formation, without the products under the minimum share."""
    mix = np.clip(table.final_use("gfcf"), 0.0, None)
    if mix.sum() <= 0:
        raise EconomyError("The table has no gross fixed capital formation to compose capital.")
    mix = np.where(mix >= assumptions.capital_min_share * mix.sum(), mix, 0.0)
    return np.asarray(mix / mix.sum())


ASSUMPTION_NOTE = (
    "capital, depreciation, targets and labour supply are assumptions, not data: "
    "capital stock = capital_output_ratio x output in the mix of gross fixed capital "
    "formation (products under capital_min_share of it left out); targets = final "
    "consumption (households, NPISH, government) growing by target_growth; labour = "
    "full-time equivalents x hours_per_fte"
)


# --- Reading the workbook ------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One worksheet's values (0-based rows and columns) and its name for messages."""

    name: str
    rows: list[tuple[Any, ...]]

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else ()
        return row[c] if c < len(row) else None

    def text(self, r: int, c: int) -> str:
        """The cell's text with whitespace collapsed ('' for numbers and empty cells)."""
        value = self.value(r, c)
        return " ".join(value.split()) if isinstance(value, str) else ""

    def key(self, r: int, c: int) -> str:
        """The cell's text for matching: lower case, no apostrophes (purchaser's, purchasers')."""
        return _lower(self.text(r, c))

    def cell(self, r: int, c: int) -> str:
        return f"{get_column_letter(c + 1)}{r + 1}"


@dataclass(frozen=True)
class Grid:
    """Where a table's products (rows) and industries (columns) sit in a sheet."""

    sheet: Sheet
    header: int
    label_col: int
    product_rows: tuple[int, ...]
    products: tuple[str, ...]
    industry_cols: tuple[int, ...]
    industries: tuple[str, ...]

    def column(self, starts: str) -> int:
        """The column after the industries whose heading starts with ``starts``."""
        last = self.industry_cols[-1]
        for c in range(last + 1, len(self.sheet.rows[self.header])):
            if self.sheet.key(self.header, c).startswith(starts):
                return c
        raise EconomyError(
            "Sheet '{sheet}', row {row}: no column headed '{label}' after the industries.",
            sheet=self.sheet.name,
            row=self.header + 1,
            label=starts,
        )

    def row(self, label: str, after: int | None = None) -> int:
        """The first row below the products (or below ``after``) labelled ``label``."""
        start = (after if after is not None else self.product_rows[-1]) + 1
        for r in range(start, len(self.sheet.rows)):
            if self.sheet.key(r, self.label_col) == label:
                return r
        raise EconomyError(
            "Sheet '{sheet}': no row labelled '{label}' in column {column} below row {row}.",
            sheet=self.sheet.name,
            label=label,
            column=get_column_letter(self.label_col + 1),
            row=start,
        )

    def numbers(self, rows: Sequence[int], cols: Sequence[int], what: str) -> Matrix:
        """The cells at rows x cols (a blank cell is 0), or a refusal naming the cell."""
        out = np.zeros((len(rows), len(cols)))
        for a, r in enumerate(rows):
            for b, c in enumerate(cols):
                out[a, b] = self.number(r, c, what)
        return out

    def number(self, r: int, c: int, what: str) -> float:
        value = self.sheet.value(r, c)
        if value is None:  # INE leaves some cells blank where nothing is recorded
            return 0.0
        if isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value):
            return float(value)
        raise EconomyError(
            "Sheet '{sheet}', cell {cell} ({what}, row '{row}', column '{column}'): "
            "{value} is not a number.",
            sheet=self.sheet.name,
            cell=self.sheet.cell(r, c),
            what=what,
            row=self.label(r),
            column=self.heading(c),
            value=repr(value),
        )

    def nonnegative(
        self, matrix: Matrix, rows: Sequence[int], cols: Sequence[int], what: str
    ) -> None:
        """Refuse a negative figure where none can be (outputs, inputs, imports, labour)."""
        bad = np.argwhere(matrix < 0)
        if bad.size:
            a, b = (int(v) for v in bad[0])
            r, c = rows[a], cols[b]
            raise EconomyError(
                "Sheet '{sheet}', cell {cell} ({what}, row '{row}', column '{column}'): "
                "{value} is negative.",
                sheet=self.sheet.name,
                cell=self.sheet.cell(r, c),
                what=what,
                row=self.label(r),
                column=self.heading(c),
                value=repr(float(matrix[a, b])),
            )

    def label(self, r: int) -> str:
        return _short(self.sheet.text(r, self.label_col))

    def heading(self, c: int) -> str:
        return _short(self.sheet.text(self.header, c))


def read_supply_use(path: Path) -> SupplyUse:
    """Supply, use, imports and labour from one workbook, on Table 3's classification."""
    book = _load(path)
    supply = _grid(_sheet(book, path, ("supply table at basic prices",)), "total output")
    use = _grid(
        _sheet(book, path, ("use table at basic prices",)), "total intermediate consumption"
    )
    purchasers = _grid(
        _sheet(book, path, ("use table at purchasers prices",)), "total intermediate consumption"
    )
    products, industries = _maps(book, path, supply, use)
    made = _supply_numbers(supply)
    imports = _imports(supply)
    labour = _labour(purchasers)
    labour_map = _labour_map(purchasers, supply, use, industries)
    tables = SupplyUse(
        products=use.products,
        industries=use.industries,
        supply=products @ made @ industries.T,
        use=_use_numbers(use),
        final=_final(use),
        final_names=tuple(FINAL),
        imports=products @ imports,
        labour=labour_map @ labour,
        value_unit=VALUE_UNIT,
        labour_unit=FTE_UNIT,
        source=(
            f"INE supply and use tables, {path.name} (sha256 {_sha256(path)[:16]}; "
            f"supply table at basic prices "
            f"{supply.sheet.name} on {use.sheet.name}'s {len(use.products)} products and "
            f"{len(use.industries)} industries, use table at basic prices {use.sheet.name}, "
            f"full-time equivalents from {purchasers.sheet.name})"
        ),
    )
    _check_outputs(use, tables.supply)
    return tables


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> list[Sheet]:
    """Every sheet's values; a file that is not a readable workbook is refused."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise EconomyError("File {file} does not exist.", file=str(path)) from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException):
        raise EconomyError(
            "File {file} is not a readable Excel workbook.", file=str(path)
        ) from None
    try:
        return [Sheet(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]
    finally:
        book.close()


TITLE = re.compile(r"^table\s*\d+\s*\.\s*(\S.*)$")


def _title(sheet: Sheet) -> str:
    """The description after 'Table N.' in the sheet's first rows ('' if none)."""
    for r in range(min(10, len(sheet.rows))):
        for c in range(len(sheet.rows[r])):
            match = TITLE.match(sheet.key(r, c))
            if match:
                return match.group(1)
    return ""


def _sheet(book: list[Sheet], path: Path, starts: tuple[str, ...], has: str = "") -> Sheet:
    """The sheet whose title starts with one of ``starts`` (current prices) and mentions ``has``."""
    for sheet in book:
        title = _title(sheet)
        if title.startswith(starts) and "previous year" not in title and has in title:
            return sheet
    raise EconomyError(
        "{file} has no sheet titled '{title}'.",
        file=path.name,
        title=" ".join(filter(None, (starts[0], has))),
    )


def _grid(sheet: Sheet, last: str) -> Grid:
    """Find the heading row (it holds ``last`` after the industries) and the product rows."""
    for r in range(min(40, len(sheet.rows))):
        ends = [c for c in range(len(sheet.rows[r])) if sheet.key(r, c) == last]
        if ends:
            return _grid_at(sheet, r, ends[0])
    raise EconomyError(
        "Sheet '{sheet}': no heading '{label}' in its first 40 rows (the layout has changed).",
        sheet=sheet.name,
        label=last,
    )


def _grid_at(sheet: Sheet, header: int, end: int) -> Grid:
    heads = [c for c in range(end) if sheet.text(header, c)]
    if not heads:
        raise EconomyError(
            "Sheet '{sheet}', row {row}: no industries before the totals.",
            sheet=sheet.name,
            row=header + 1,
        )
    cols = tuple(c for c in heads if not _of_which(sheet.text(header, c)))
    label_col, first = _label_column(sheet, header, heads[0])
    rows: list[int] = []
    for r in range(first, len(sheet.rows)):
        label = sheet.text(r, label_col)
        if not label or _lower(label) in BELOW:
            break
        if not _of_which(label):
            rows.append(r)
    if not rows:
        raise EconomyError("Sheet '{sheet}': no product rows found.", sheet=sheet.name)
    return Grid(
        sheet=sheet,
        header=header,
        label_col=label_col,
        product_rows=tuple(rows),
        products=tuple(_product_name(sheet.text(r, label_col)) for r in rows),
        industry_cols=cols,
        industries=tuple(sheet.text(header, c) for c in cols),
    )


def _label_column(sheet: Sheet, header: int, first_industry: int) -> tuple[int, int]:
    """(column, row) of the first product label: text left of the industries, below the heading."""
    for r in range(header + 1, min(header + 6, len(sheet.rows))):
        for c in range(first_industry):
            if sheet.text(r, c):
                return c, r
    raise EconomyError(
        "Sheet '{sheet}': no product labels left of column {column} below row {row}.",
        sheet=sheet.name,
        column=get_column_letter(first_industry + 1),
        row=header + 1,
    )


def _supply_numbers(supply: Grid) -> Matrix:
    made = supply.numbers(supply.product_rows, supply.industry_cols, "supply")
    supply.nonnegative(made, supply.product_rows, supply.industry_cols, "supply")
    return made


def _imports(supply: Grid) -> Vector:
    col = (supply.column("total imports"),)
    imports = supply.numbers(supply.product_rows, col, "imports")
    supply.nonnegative(imports, supply.product_rows, col, "imports")
    return np.asarray(imports[:, 0])


def _use_numbers(use: Grid) -> Matrix:
    used = use.numbers(use.product_rows, use.industry_cols, "intermediate use")
    use.nonnegative(used, use.product_rows, use.industry_cols, "intermediate use")
    return used


def _final(use: Grid) -> Matrix:
    cols = [use.column(starts) for starts in FINAL.values()]
    final = use.numbers(use.product_rows, cols, "final use")
    non_negative = [use.column(FINAL[name]) for name in ("households", "government", "exports")]
    use.nonnegative(
        use.numbers(use.product_rows, non_negative, "final use"),
        use.product_rows,
        non_negative,
        "final use",
    )
    return final


def _labour(purchasers: Grid) -> Vector:
    """Full-time equivalents (thousands), total, by the sheet's industries."""
    block = purchasers.row("full-time equivalents")
    total = purchasers.row("total", after=block)
    cols = purchasers.industry_cols
    labour = purchasers.numbers((total,), cols, "full-time equivalents")
    purchasers.nonnegative(labour, (total,), cols, "full-time equivalents")
    return np.asarray(labour[0])


def _check_outputs(use: Grid, supply: Matrix) -> None:
    """The supply table's industry totals must be the use table's published output."""
    row = use.row("output at basic prices")
    published = use.numbers((row,), use.industry_cols, "output")[0]
    made = supply.sum(axis=0)
    for k, c in enumerate(use.industry_cols):
        if abs(made[k] - published[k]) > max(1.0, OUTPUT_TOLERANCE * published[k]):
            raise EconomyError(
                "Sheet '{sheet}', cell {cell} (output of '{industry}'): {published} is "
                "published, but the supply table adds up to {made}.",
                sheet=use.sheet.name,
                cell=use.sheet.cell(row, c),
                industry=use.heading(c),
                published=f"{published[k]:.1f}",
                made=f"{made[k]:.1f}",
            )


# --- One classification: Table 1 and Table 2 added up to Table 3's -----------------------


def _maps(book: list[Sheet], path: Path, supply: Grid, use: Grid) -> tuple[Matrix, Matrix]:
    """0/1 matrices taking supply's products and industries to use's (identity if the same)."""
    if _same(supply.products, use.products) and _same(supply.industries, use.industries):
        return np.eye(len(use.products)), np.eye(len(use.industries))
    if len(supply.products) == len(use.products):
        _mismatch(supply, use)
    detailed = _correspondence(_sheet(book, path, ("correspondence",), "1 and 2"))
    grouped = _correspondence(_sheet(book, path, ("correspondence",), "3, 4 and 5"))
    product_map = _map(detailed, grouped, "products", len(supply.products), len(use.products))
    industry_map = _map(
        detailed, grouped, "industries", len(supply.industries), len(use.industries)
    )
    return product_map, industry_map


def _labour_map(purchasers: Grid, supply: Grid, use: Grid, industries: Matrix) -> Matrix:
    """Table 2's industries are either Table 3's or Table 1's (then added up like them)."""
    if _same(purchasers.industries, use.industries):
        return np.eye(len(use.industries))
    if _same(purchasers.industries, supply.industries):
        return industries
    raise EconomyError(
        "Sheet '{sheet}', row {row}: its {count} industries are neither those of sheet "
        "'{use}' nor those of sheet '{supply}'.",
        sheet=purchasers.sheet.name,
        row=purchasers.header + 1,
        count=len(purchasers.industries),
        use=use.sheet.name,
        supply=supply.sheet.name,
    )


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(_key(x) == _key(y) for x, y in zip(a, b, strict=True))


def _mismatch(supply: Grid, use: Grid) -> None:
    """Same number of products but different labels: name the first that differs."""
    for k, (a, b) in enumerate(zip(supply.products, use.products, strict=True)):
        if _key(a) != _key(b):
            raise EconomyError(
                "Sheet '{supply}' row {row} is '{a}' but sheet '{use}' row {other} is '{b}': "
                "the tables must list the same products in the same order.",
                supply=supply.sheet.name,
                row=supply.product_rows[k] + 1,
                a=_short(a),
                use=use.sheet.name,
                other=use.product_rows[k] + 1,
                b=_short(b),
            )
    for k, (a, b) in enumerate(zip(supply.industries, use.industries, strict=False)):
        if _key(a) != _key(b):
            raise EconomyError(
                "Sheet '{supply}' column {column} is '{a}' but sheet '{use}' column {other} is "
                "'{b}': the tables must list the same industries in the same order.",
                supply=supply.sheet.name,
                column=get_column_letter(supply.industry_cols[k] + 1),
                a=_short(a),
                use=use.sheet.name,
                other=get_column_letter(use.industry_cols[k] + 1),
                b=_short(b),
            )
    raise EconomyError(
        "Sheet '{supply}' has {n} industries but sheet '{use}' has {m}.",
        supply=supply.sheet.name,
        n=len(supply.industries),
        use=use.sheet.name,
        m=len(use.industries),
    )


@dataclass(frozen=True)
class Entry:
    """One line of a correspondence sheet: a product or industry and its CPA/NACE divisions."""

    label: str
    code: str
    divisions: frozenset[int]
    row: int


@dataclass(frozen=True)
class Correspondence:
    sheet: Sheet
    products: tuple[Entry, ...]
    industries: tuple[Entry, ...]


def _correspondence(sheet: Sheet) -> Correspondence:
    """The product and industry lists of a correspondence sheet, with their codes."""
    for r in range(min(20, len(sheet.rows))):
        heads = {sheet.key(r, c): c for c in range(len(sheet.rows[r]))}
        if {"products", "cpa 2008", "industries", "nace rev. 2"} <= heads.keys():
            return Correspondence(
                sheet=sheet,
                products=_entries(sheet, r, heads["products"], heads["cpa 2008"]),
                industries=_entries(sheet, r, heads["industries"], heads["nace rev. 2"]),
            )
    raise EconomyError(
        "Sheet '{sheet}': no heading row with Products, CPA 2008, Industries, NACE rev. 2.",
        sheet=sheet.name,
    )


def _entries(sheet: Sheet, header: int, label_col: int, code_col: int) -> tuple[Entry, ...]:
    entries = []
    for r in range(header + 1, len(sheet.rows)):
        label, code = sheet.text(r, label_col), _code(sheet.value(r, code_col))
        if label and code:
            entries.append(Entry(label, code, _divisions(sheet, r, code_col, code), r))
    return tuple(entries)


def _code(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}".zfill(2) if value < 10 else f"{value:g}"
    return " ".join(value.split()) if isinstance(value, str) else ""


def _divisions(sheet: Sheet, r: int, c: int, code: str) -> frozenset[int]:
    """The two-digit divisions a code covers: '10.2-10.3;10.6' is {10}, '37-39' {37, 38, 39}."""
    found: set[int] = set()
    for part in re.split(r"[;+]", code.replace(EN_DASH, "-")):
        ends = [digits[0] for digits in map(re.compile(r"\d+").findall, part.split("-")) if digits]
        if ends:
            found.update(range(int(ends[0][:2]), int(ends[-1][:2]) + 1))
    if not found:
        raise EconomyError(
            "Sheet '{sheet}', cell {cell}: '{code}' is not a CPA or NACE code.",
            sheet=sheet.name,
            cell=sheet.cell(r, c),
            code=code,
        )
    return frozenset(found)


def _map(detailed: Correspondence, grouped: Correspondence, kind: str, n: int, m: int) -> Matrix:
    """Row j, column i is 1 when detailed item i belongs to grouped item j."""
    small: tuple[Entry, ...] = getattr(detailed, kind)
    large: tuple[Entry, ...] = getattr(grouped, kind)
    for corr, entries, count in ((detailed, small, n), (grouped, large, m)):
        if len(entries) != count:
            raise EconomyError(
                "Sheet '{sheet}' lists {found} {kind}, but the table it describes has {count}.",
                sheet=corr.sheet.name,
                found=len(entries),
                kind=kind,
                count=count,
            )
    out = np.zeros((m, n))
    for i, entry in enumerate(small):
        out[_group(detailed.sheet, entry, large, grouped.sheet), i] = 1.0
    for j in np.flatnonzero(out.sum(axis=1) == 0):
        entry = large[int(j)]
        raise EconomyError(
            "Sheet '{sheet}', row {row}: no item of sheet '{other}' falls in '{label}' ({code}).",
            sheet=grouped.sheet.name,
            row=entry.row + 1,
            other=detailed.sheet.name,
            label=_short(entry.label),
            code=entry.code,
        )
    return out


def _group(sheet: Sheet, entry: Entry, large: tuple[Entry, ...], other: Sheet) -> int:
    """The grouped item covering the entry's divisions; between equals, the closest label."""
    fits = [j for j, g in enumerate(large) if entry.divisions <= g.divisions]
    if not fits:
        raise EconomyError(
            "Sheet '{sheet}', row {row}: '{label}' ({code}) falls in no item of sheet '{other}'.",
            sheet=sheet.name,
            row=entry.row + 1,
            label=_short(entry.label),
            code=entry.code,
            other=other.name,
        )
    return max(fits, key=lambda j: _likeness(entry.label, large[j].label))


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _key(a), _key(b)).ratio()


# --- Text ----------------------------------------------------------------------------------


def _lower(text: str) -> str:
    return text.lower().replace("'", "").replace(RIGHT_QUOTE, "")


def _product_name(label: str) -> str:
    """A product label without INE's leading number ('12 .Basic pharmaceutical ...')."""
    return re.sub(r"^\d+\s*\.\s*", "", label).strip()


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _product_name(label).lower()).strip()


def _of_which(label: str) -> bool:
    return label.lower().startswith("of which")


def _short(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
