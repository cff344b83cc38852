"""Supply and use tables turned into a symmetric product-by-product table.

National accounts publish a supply table (which industry makes which product)
and a use table (which product each industry uses up), at the level of
industries. A plan needs one technology per product. Eurostat's *Manual of
Supply, Use and Input-Output Tables* (2008, ch. 11) names four ways across;
this module implements its **model B, product-by-product under the industry
technology assumption**: every industry has one input structure whatever it
makes, and a product is made with the mix of its producers' structures,
weighted by their shares of its output (market shares). Model A (product
technology) is closer to engineering reality but yields negative coefficients
wherever an industry's secondary products are made differently from the
industry that makes them mainly, and those need ad hoc repairs; model B is
non-negative by construction, needs no square tables, and keeps every
product's total use.

With ``U`` the use table (products x industries), ``S`` the supply table
(products x industries), ``g`` the industries' outputs and ``q`` the
products' outputs, the flows are ``Z = U diag(1/g) Sᵀ`` and the coefficients
``A = Z diag(1/q)``; labour by product is ``L diag(1/g) Sᵀ``.

Imports: ``domestic`` (the default) removes imports from every use of a
product in proportion to that use (the import proportionality assumption, the
manual's usual fallback when no imports use table exists), so the flows are
domestic products only and the rows add up to domestic output. ``total``
keeps every input whatever its origin, as if it were made at home with the
domestic technology, and adds a negative ``imports`` final-use column so the
rows still add up to domestic output.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.planning.economy import EconomyError

Matrix = np.ndarray[Any, np.dtype[np.float64]]
Vector = np.ndarray[Any, np.dtype[np.float64]]
Imports = Literal["domestic", "total"]
MODEL = "Eurostat model B: product-by-product, industry technology assumption"
# Published figures are rounded (0.1 million euros per cell): balances hold to this.
BALANCE_TOLERANCE = 1e-3


@dataclass(frozen=True, eq=False)
class SupplyUse:
    """A supply and a use table on the same products and industries, at basic prices."""

    products: tuple[str, ...]
    industries: tuple[str, ...]
    supply: Matrix  # products x industries: output of each product by each industry
    use: Matrix  # products x industries: intermediate use, domestic and imported
    final: Matrix  # products x final-use categories, domestic and imported
    final_names: tuple[str, ...]
    imports: Vector  # by product
    labour: Vector  # by industry, in labour_unit
    value_unit: str
    labour_unit: str
    source: str


@dataclass(frozen=True, eq=False)
class SymmetricTable:
    """Product-by-product flows, final uses, output and labour, in one value unit."""

    products: tuple[str, ...]
    flows: Matrix  # product i used up in making product j
    final: Matrix  # products x final-use categories
    final_names: tuple[str, ...]
    output: Vector
    labour: Vector  # by product, in labour_unit
    value_unit: str
    labour_unit: str
    source: str

    def final_use(self, *names: str) -> Vector:
        """The sum of the named final-use columns (all of them when none are named)."""
        wanted = names or self.final_names
        for name in wanted:
            if name not in self.final_names:
                raise EconomyError(
                    "The table has no final-use column '{name}' (it has {names}).",
                    name=name,
                    names=", ".join(self.final_names),
                )
        picks = [self.final_names.index(name) for name in wanted]
        return np.asarray(self.final[:, picks].sum(axis=1), dtype=np.float64)

    def balance(self) -> Vector:
        """Each product's flows plus final uses minus its output: zero for a balanced table."""
        return np.asarray(self.flows.sum(axis=1) + self.final.sum(axis=1) - self.output)


def industry_technology(tables: SupplyUse, imports: Imports = "domestic") -> SymmetricTable:
    """Model B: the symmetric table, or a refusal naming the product or industry at fault."""
    _check_shapes(tables)
    supply, use, final = tables.supply, tables.use, tables.final
    made = supply.sum(axis=0)
    _check_idle_industries(tables, made)
    _check_balances(tables)
    active = made > 0
    final_names = tables.final_names
    if imports == "domestic":
        kept = 1.0 - _import_shares(tables)
        use, final = use * kept[:, None], final * kept[:, None]
    elif imports == "total":
        final = np.column_stack([final, -tables.imports])
        final_names = (*final_names, "imports")
    else:
        raise EconomyError("Imports must be 'domestic' or 'total', not '{value}'.", value=imports)
    spread = supply[:, active].T / made[active][:, None]  # industry x product
    flows = use[:, active] @ spread
    labour = tables.labour[active] @ spread
    output = supply.sum(axis=1)
    keep = _products_kept(tables, output, use, final)
    dropped = [name for name, k in zip(tables.products, keep, strict=True) if not k]
    note = f"; dropped for having no output and no use: {', '.join(dropped)}" if dropped else ""
    return SymmetricTable(
        products=tuple(p for p, k in zip(tables.products, keep, strict=True) if k),
        flows=flows[np.ix_(keep, keep)],
        final=final[keep],
        final_names=final_names,
        output=output[keep],
        labour=labour[keep],
        value_unit=tables.value_unit,
        labour_unit=tables.labour_unit,
        source=f"{tables.source}; {MODEL}; imports: {imports}{note}",
    )


def _check_shapes(tables: SupplyUse) -> None:
    shape = (len(tables.products), len(tables.industries))
    for what, matrix in (("supply", tables.supply), ("use", tables.use)):
        if matrix.shape != shape:
            raise EconomyError(
                "The {what} table is {rows}x{cols}, expected {n} products x {m} industries.",
                what=what,
                rows=matrix.shape[0],
                cols=matrix.shape[1],
                n=shape[0],
                m=shape[1],
            )
    if tables.final.shape != (shape[0], len(tables.final_names)):
        raise EconomyError("The final uses do not have one row per product.")
    if tables.imports.shape != (shape[0],) or tables.labour.shape != (shape[1],):
        raise EconomyError("Imports need one figure per product and labour one per industry.")
    for what, matrix, labels in (
        ("supply", tables.supply, tables.industries),
        ("use", tables.use, tables.industries),
        ("imports", tables.imports[:, None], ("imports",)),
        ("labour", tables.labour[None, :], tables.industries),
    ):
        _check_cells(what, matrix, tables.products if what != "labour" else ("labour",), labels)
    if not np.isfinite(tables.final).all():
        i, j = (int(v) for v in np.argwhere(~np.isfinite(tables.final))[0])
        raise EconomyError(
            "Final uses, row '{row}', column '{column}': not a number.",
            row=tables.products[i],
            column=tables.final_names[j],
        )


def _check_cells(what: str, matrix: Matrix, rows: tuple[str, ...], cols: tuple[str, ...]) -> None:
    bad = ~np.isfinite(matrix) | (matrix < 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise EconomyError(
            "{what} table, row '{row}', column '{column}': {value} is not a non-negative number.",
            what=what.capitalize(),
            row=rows[i],
            column=cols[j],
            value=repr(float(matrix[i, j])),
        )


def _check_idle_industries(tables: SupplyUse, made: Vector) -> None:
    """An industry that makes nothing may use nothing: its inputs could go nowhere."""
    for k in np.flatnonzero(made <= 0):
        if tables.use[:, k].any() or tables.labour[k] > 0:
            raise EconomyError(
                "Industry '{name}' makes nothing in the supply table but uses inputs or labour.",
                name=tables.industries[int(k)],
            )


def _check_balances(tables: SupplyUse) -> None:
    """Each product's uses must equal its output plus imports (within the rounding)."""
    used = tables.use.sum(axis=1) + tables.final.sum(axis=1)
    supplied = tables.supply.sum(axis=1) + tables.imports
    gap = np.abs(used - supplied)
    worst = int(np.argmax(gap - BALANCE_TOLERANCE * np.maximum(supplied, 1.0)))
    if gap[worst] > BALANCE_TOLERANCE * max(float(supplied[worst]), 1.0):
        raise EconomyError(
            "Product '{name}': uses add up to {used} but output and imports to {supplied}.",
            name=tables.products[worst],
            used=f"{used[worst]:.1f}",
            supplied=f"{supplied[worst]:.1f}",
        )


def _import_shares(tables: SupplyUse) -> Vector:
    """The imported share of every use of each product (imports over total use)."""
    used = tables.use.sum(axis=1) + tables.final.sum(axis=1)
    shares = np.divide(tables.imports, used, out=np.zeros_like(used), where=used > 0)
    return np.asarray(np.clip(shares, 0.0, 1.0))


def _products_kept(tables: SupplyUse, output: Vector, use: Matrix, final: Matrix) -> Any:
    """Products with output; one without output is dropped only if nothing uses it."""
    for i in np.flatnonzero(output <= 0):
        if np.abs(use[i]).sum() + np.abs(final[i]).sum() > BALANCE_TOLERANCE:
            raise EconomyError(
                "Product '{name}' is used but not made at home: no technology can make it "
                "(read the table with imports 'domestic').",
                name=tables.products[int(i)],
            )
    return output > 0


# --- The table as one CSV file -------------------------------------------------------------

META = ("title", "source", "values", "labour")


def write_table(table: SymmetricTable, title: str, digits: int = 10) -> str:
    """The table as CSV text: ``#`` lines of provenance, then one row per product and labour.

    Deterministic (fixed significant ``digits``), so the same data always give
    the same bytes and the same content hash.
    """
    out = io.StringIO()
    for key, value in zip(
        META, (title, table.source, table.value_unit, table.labour_unit), strict=True
    ):
        out.write(f"# {key}: {' '.join(value.split())}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["product", *table.products, *table.final_names, "output"])

    def number(value: float) -> str:
        text = f"{value:.{digits}g}"
        return "0" if text == "-0" else text

    for i, name in enumerate(table.products):
        row = [*table.flows[i], *table.final[i], table.output[i]]
        writer.writerow([name, *(number(float(v)) for v in row)])
    writer.writerow(["labour", *(number(float(v)) for v in table.labour)])
    return out.getvalue()


def read_table(path: Path) -> SymmetricTable:
    """A table written by ``write_table``; refusals name the file, line and column."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        raise EconomyError("File {file} cannot be read as UTF-8 text.", file=str(path)) from None
    meta: dict[str, str] = {}
    for line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
    for key in META:
        if key not in meta:
            raise EconomyError("{file} has no '# {key}:' line.", file=path.name, key=key)
    numbered = [(k, line) for k, line in enumerate(lines, 1) if not line.startswith("#")]
    rows = list(csv.reader(line for _, line in numbered))
    if not rows:
        raise EconomyError("{file} has no header row.", file=path.name)
    table = _Rows(path.name, rows[0], rows[1:], [k for k, _ in numbered][1:])
    return table.parse(meta)


@dataclass(frozen=True)
class _Rows:
    """The CSV rows of a table file, with their line numbers for messages."""

    file: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def parse(self, meta: dict[str, str]) -> SymmetricTable:
        labels = [row[0] if row else "" for row in self.rows]
        if "labour" not in labels or self.header[-1:] != ["output"]:
            raise EconomyError(
                "{file}: the header must end with 'output' and the rows with a 'labour' row.",
                file=self.file,
            )
        n = labels.index("labour")
        products = tuple(self.header[1 : n + 1])
        for i, label in enumerate(labels[:n]):
            if label != products[i]:
                raise EconomyError(
                    "{file} line {line}: row '{found}' but column {column} is '{name}': rows "
                    "and columns must list the products in the same order.",
                    file=self.file,
                    line=self.lines[i],
                    found=label,
                    column=i + 2,
                    name=products[i],
                )
        width = len(self.header) - 1
        values = np.array([self.numbers(i, width) for i in range(n)], dtype=np.float64)
        labour = self.numbers(n, n)
        return SymmetricTable(
            products=products,
            flows=values[:, :n],
            final=values[:, n:-1],
            final_names=tuple(self.header[n + 1 : -1]),
            output=values[:, -1],
            labour=np.asarray(labour, dtype=np.float64),
            value_unit=meta["values"],
            labour_unit=meta["labour"],
            source=meta["source"],
        )

    def numbers(self, i: int, width: int) -> list[float]:
        """The first ``width`` numbers of row i (after its label); trailing cells must be empty."""
        cells = self.rows[i][1:]
        if len(cells) < width or any(c.strip() for c in cells[width:]):
            raise EconomyError(
                "{file} line {line} has {count} values, expected {width}.",
                file=self.file,
                line=self.lines[i],
                count=len([c for c in cells if c.strip()]),
                width=width,
            )
        values = []
        for j, text in enumerate(cells[:width]):
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            if not np.isfinite(value):
                raise EconomyError(
                    "{file} line {line}, column '{column}': '{value}' is not a number.",
                    file=self.file,
                    line=self.lines[i],
                    column=self.header[j + 1],
                    value=text,
                )
            values.append(value)
        return values
