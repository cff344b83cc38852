"""INE's supply and use tables read as published, and the shipped table derived from them.

The workbooks live in ../shared/data/io-tables/spain-ine. The published
totals asserted here were read off the sheets (cell named in each comment);
the bad-input cases use a small workbook laid out like INE's 2015 file, with
one thing broken each time, and the real 2019 file for one broken cell.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import Refusal
from core.planning.economy import EconomyError, spectral_radius
from core.planning.importers import ine
from core.planning.importers.ine import Assumptions, read_ine, read_ine_table, read_supply_use
from core.planning.static import gross_output, labour_values
from core.planning.symmetric import SupplyUse, industry_technology, read_table

ROOT = Path(__file__).resolve().parents[3]
INE = ROOT.parent / "shared" / "data" / "io-tables" / "spain-ine"


def workbook(year: int) -> Path:
    return INE / f"cne_tod_{year % 100:02d}_en.xlsx"


@functools.cache
def supply_use(year: int) -> SupplyUse:
    """Each workbook read once per test session (the tables are frozen)."""
    return read_supply_use(workbook(year))


# Published totals: output (Table 3, 'Output at basic prices' x 'Total intermediate
# consumption' column), intermediate consumption ('Total uses at basic prices' row, same
# column), imports (Table 1, 'Total' row x 'Total imports' column), full-time equivalents
# (Table 2, 'Full-time equivalents / Total' row, total column).
PUBLISHED = {
    2015: (2_021_394.0, 1_020_675.7, 319_972.0, 16_937.49),
    2019: (2_241_847.0, 1_088_632.5, 381_506.0, 18_490.2),
}


@pytest.mark.parametrize("year", [2015, 2019])
def test_the_tables_add_up_to_the_published_totals(year: int) -> None:
    tables = supply_use(year)
    output, intermediate, imports, fte = PUBLISHED[year]
    assert tables.supply.sum() == pytest.approx(output, abs=0.5)
    assert tables.use.sum() == pytest.approx(intermediate, abs=0.5)
    assert tables.imports.sum() == pytest.approx(imports, abs=0.5)
    assert tables.labour.sum() == pytest.approx(fte, abs=0.01)


def test_2015_is_read_at_64_products_and_63_industries() -> None:
    tables = supply_use(2015)
    assert (len(tables.products), len(tables.industries)) == (64, 63)
    assert tables.products[0] == "Products of agriculture, hunting and related services"
    assert not any(p.lower().startswith("of which") for p in tables.products)
    # Table 3, cell D9: agriculture used by agriculture
    assert tables.use[0, 0] == pytest.approx(2507.2)


@pytest.mark.parametrize("year", [2016, 2017, 2018, 2019])
def test_2016_to_2019_add_table_1_up_to_table_3s_level(year: int) -> None:
    tables = supply_use(year)
    # Table 3's 64 products and industries, with imputed rents on their own: 65 x 65
    assert (len(tables.products), len(tables.industries)) == (65, 65)
    assert "Imputed rents of owner-occupied dwellings" in tables.products
    # the detailed supply table, added up, is each industry's published output (checked
    # inside too); here: it is all there and each product is made by someone
    assert tables.supply.sum(axis=1)[:-1].min() > 0


def test_2019_maps_imputed_rents_apart_from_real_estate() -> None:
    tables = supply_use(2019)
    rents = tables.products.index("Imputed rents of owner-occupied dwellings")
    estate = tables.products.index("Real estate services")
    assert tables.supply[rents].sum() == pytest.approx(93_907.0)  # Table 1, product 84
    assert tables.supply[rents, rents] == pytest.approx(93_907.0)  # made by its own industry
    # Table 3, cell CB53: total use of real estate services = its output plus imports
    assert tables.supply[estate].sum() + tables.imports[estate] == pytest.approx(71_413.1, abs=0.5)
    assert tables.labour[rents] == 0.0


@pytest.mark.parametrize("year", [2015, 2016, 2017, 2018, 2019])
@pytest.mark.parametrize("imports", ["domestic", "total"])
def test_the_symmetric_table_balances_and_validates(year: int, imports: str) -> None:
    tables = supply_use(year)
    table = industry_technology(tables, imports)  # type: ignore[arg-type]
    assert len(table.products) == (63 if year == 2015 else 64)  # extraterritorial dropped
    assert table.flows.shape == (len(table.products),) * 2
    assert table.flows.min() >= 0
    assert np.abs(table.balance()).max() <= 1e-9 * table.output.max()
    assert table.output.sum() == pytest.approx(tables.supply.sum(), rel=1e-12)
    assert table.labour.sum() == pytest.approx(tables.labour.sum(), rel=1e-12)
    if imports == "domestic":
        # intermediate and final uses lose exactly the imports
        kept = table.flows.sum() + table.final.sum()
        assert kept == pytest.approx(tables.use.sum() + tables.final.sum() - tables.imports.sum())
    economy = ine.economy_from_table(table, Assumptions())
    assert economy.size == len(table.products)
    assert spectral_radius(economy.inputs) < 1


def test_gross_output_for_the_tables_final_demand_is_the_tables_output() -> None:
    for imports in ("domestic", "total"):
        table = industry_technology(supply_use(2019), imports)  # type: ignore[arg-type]
        economy = ine.economy_from_table(table, Assumptions())
        result = gross_output(economy, table.final_use())
        np.testing.assert_allclose(result.output, table.output, rtol=1e-6)


def test_labour_in_hours_follows_the_stated_hours_per_fte() -> None:
    table = industry_technology(supply_use(2019))
    for hours in (1700.0, 1600.0):
        economy = ine.economy_from_table(table, Assumptions(hours_per_fte=hours))
        total = economy.labour @ economy.base_output
        assert total == pytest.approx(18_490.2 * 1000 * hours, rel=1e-9)
        assert economy.labour_supply[0] == pytest.approx(total)
        assert f"hours_per_fte={hours!r}" in economy.source
    values = labour_values(ine.economy_from_table(table, Assumptions()))
    # hours embodied in what final demand takes = all hours worked
    assert values.values @ table.final_use() == pytest.approx(18_490.2 * 1000 * 1700, rel=1e-9)


def test_assumptions_are_labelled_and_change_the_hash() -> None:
    table = industry_technology(supply_use(2019))
    base = ine.economy_from_table(table, Assumptions())
    again = ine.economy_from_table(read_ine_table(workbook(2019)), Assumptions())
    assert again.hash == base.hash
    for changed in (
        Assumptions(capital_output_ratio=2.0),
        Assumptions(depreciation=0.08),
        Assumptions(target_growth=0.0),
        Assumptions(years=3),
    ):
        assert ine.economy_from_table(table, changed).hash != base.hash
    assert "assumptions, not data" in base.source
    assert "Eurostat model B" in base.source
    assert "imports: domestic" in base.source
    # year 1's targets are the table's final consumption; they grow by target_growth
    consumption = table.final_use("households", "npish", "government")
    np.testing.assert_allclose(base.targets[0], consumption)
    np.testing.assert_allclose(base.targets[1], consumption * 1.02)
    # capital: 1.5 x output in every industry, made of the main capital goods
    stock = np.asarray(base.capital.sum(axis=0)).ravel()
    np.testing.assert_allclose(stock, 1.5)
    construction = table.products.index("Constructions and construction works")
    assert base.capital[construction, 0] > 0.5 * 1.5
    with pytest.raises(EconomyError, match="hours_per_fte"):
        Assumptions(hours_per_fte=0)


def test_the_shipped_file_is_what_the_importer_derives_from_the_workbook() -> None:
    derived = ine.derive(workbook(2019)).encode("utf-8")
    shipped = ine.SHIPPED.read_bytes()
    assert hashlib.sha256(derived).hexdigest() == hashlib.sha256(shipped).hexdigest()
    assert len(shipped) < 64_000


def test_the_derive_script_checks_the_shipped_file() -> None:
    script = ROOT / "scripts" / "derive_spain.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("same:")


def test_spain_loads_from_the_shipped_file_alone() -> None:
    economy = ine.spain()
    table = read_table(ine.SHIPPED)
    assert economy.size == 64
    assert economy.hash == ine.spain().hash
    assert economy.source.startswith("spain-2019.csv, derived from INE")
    result = gross_output(economy, table.final_use())
    np.testing.assert_allclose(result.output, table.output, rtol=1e-6)
    direct = read_ine(workbook(2019))
    np.testing.assert_allclose(economy.inputs.toarray(), direct.inputs.toarray(), atol=1e-7)


# --- Bad workbooks -------------------------------------------------------------------------

PRODUCTS = ("Grain", "Machines", "Services")
INDUSTRIES = ("Farming", "Engineering", "Service activities")
SUPPLY = [[90, 5, 0], [10, 80, 0], [0, 0, 50]]
USE = [[10, 20, 5], [15, 5, 10], [5, 10, 5]]
IMPORTS = [10, 5, 0]
# households, npish, government, gfcf, inventories, exports: rows balance to output + imports
FINAL = [[40, 0, 5, 10, 5, 10], [30, 2, 3, 20, 0, 10], [10, 0, 15, 0, -1, 6]]
FTE = [1.0, 2.0, 0.5]
FINAL_HEADS = (
    "Total final consumption expenditure",
    "Final consumption expenditure by households",
    "Final consumption expenditure by non-profit institution serving households (NPISH)",
    "Final consumption expenditure by Public Administration",
    "Gross capital formation",
    "Gross fix capital formation",
    " Changes in inventories and acquisitions less disposals of valuables",
    " Total exports",
    "Final uses",
    "Total use",
)


def _table_sheet(book: Workbook, name: str, title: str, last: str) -> Worksheet:
    sheet = book.create_sheet(name)
    sheet["B2"] = "Annual Spanish National Accounts. Base 2010"
    sheet["B4"] = title
    sheet["B5"] = "Unit: million euros"
    for j, industry in enumerate(INDUSTRIES):
        sheet.cell(6, 4 + j, industry)
        sheet.cell(7, 4 + j, j + 1)
    sheet.cell(6, 4 + len(INDUSTRIES), last)
    for i, product in enumerate(PRODUCTS):
        sheet.cell(9 + i, 2, product)
        sheet.cell(9 + i, 3, i + 1)
    return sheet


def _mini(path: Path, edit: Callable[[Workbook], None] | None = None) -> Path:
    """A three-product workbook laid out like INE's 2015 file, balanced, then ``edit``-ed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    n = len(PRODUCTS)
    supply = _table_sheet(
        book,
        "Table1",
        "Table 1.  Supply table at basic prices, including a transformation at purchaser's "
        "prices. Current prices",
        "Total output",
    )
    supply.cell(6, 8, "Total imports  (1)")
    for i in range(n):
        for j in range(n):
            supply.cell(9 + i, 4 + j, SUPPLY[i][j])
        supply.cell(9 + i, 7, sum(SUPPLY[i]))
        supply.cell(9 + i, 8, IMPORTS[i])
    supply.cell(12, 2, "CIF/FOB adjustments")
    purchasers = _table_sheet(
        book,
        "Table2",
        "Table 2.  Use table at purchaser's prices. Current prices",
        "Total intermediate consumption",
    )
    purchasers.cell(12, 2, "Total uses at purchaser's prices")
    purchasers.cell(14, 2, "Full-time equivalents")
    purchasers.cell(15, 2, "Total")
    purchasers.cell(16, 2, "Employees")
    for j in range(n):
        purchasers.cell(15, 4 + j, FTE[j])
    use = _table_sheet(
        book,
        "Table3",
        "Table 3. Use table at basic prices. Current prices",
        "Total intermediate consumption",
    )
    for k, head in enumerate(FINAL_HEADS):
        use.cell(6, 8 + k, head)
    picks = (9, 10, 11, 13, 14, 15)  # the six final columns the importer reads
    for i in range(n):
        for j in range(n):
            use.cell(9 + i, 4 + j, USE[i][j])
        for k, col in enumerate(picks):
            use.cell(9 + i, col, FINAL[i][k])
    use.cell(12, 2, "Total uses at basic prices")
    use.cell(14, 2, "Output at basic prices")
    for j in range(n):
        use.cell(14, 4 + j, sum(SUPPLY[i][j] for i in range(n)))
    if edit:
        edit(book)
    book.save(path)
    return path


def test_the_small_workbook_reads_as_built(tmp_path: Path) -> None:
    tables = read_supply_use(_mini(tmp_path / "ok.xlsx"))
    assert tables.products == PRODUCTS
    assert tables.industries == INDUSTRIES
    np.testing.assert_array_equal(tables.supply, SUPPLY)
    np.testing.assert_array_equal(tables.final, FINAL)
    economy = read_ine(tmp_path / "ok.xlsx")
    assert economy.products == PRODUCTS


def _set(sheet: str, cell: str, value: object) -> Callable[[Workbook], None]:
    def edit(book: Workbook) -> None:
        book[sheet][cell] = value

    return edit


def _drop(sheet: str) -> Callable[[Workbook], None]:
    def edit(book: Workbook) -> None:
        book.remove(book[sheet])

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop("Table3"), "has no sheet titled 'use table at basic prices'"),
        (
            _set("Table3", "G6", "Intermediate consumption"),
            "Sheet 'Table3': no heading 'total intermediate consumption'",
        ),
        (
            _set("Table3", "E10", "n/a"),
            "Sheet 'Table3', cell E10 (intermediate use, row 'Machines', column 'Engineering'): "
            "'n/a' is not a number",
        ),
        (
            _set("Table1", "D9", -90),
            "Sheet 'Table1', cell D9 (supply, row 'Grain', column 'Farming'): -90.0 is negative",
        ),
        (
            _set("Table2", "E15", -2),
            "Sheet 'Table2', cell E15 (full-time equivalents, row 'Total', column 'Engineering')",
        ),
        (
            _set("Table3", "D14", 150),
            "Sheet 'Table3', cell D14 (output of 'Farming'): 150.0 is published, but the "
            "supply table adds up to 100.0",
        ),
        (
            _set("Table1", "B10", "Tools"),
            "Sheet 'Table1' row 10 is 'Tools' but sheet 'Table3' row 10 is 'Machines'",
        ),
        (
            _set("Table1", "E6", "Mechanics"),
            "Sheet 'Table1' column E is 'Mechanics' but sheet 'Table3' column E is 'Engineering'",
        ),
        (
            _set("Table3", "I6", "Households"),
            "no column headed 'final consumption expenditure by h",
        ),
        (_set("Table2", "B14", "FTE"), "Sheet 'Table2': no row labelled 'full-time equivalents'"),
        (
            _set("Table3", "D10", 115),
            "Product 'Machines': uses add up to 195.0 but output and imports to 95.0",
        ),
        (
            _set("Table3", "O9", -10),
            "Sheet 'Table3', cell O9 (final use, row 'Grain', column 'Total exports')",
        ),
    ],
)
def test_a_bad_workbook_is_refused_naming_sheet_row_and_column(
    tmp_path: Path, edit: Callable[[Workbook], None], message: str
) -> None:
    path = _mini(tmp_path / "bad.xlsx", edit)
    with pytest.raises(EconomyError) as refused:
        read_ine(path)
    assert message in str(refused.value)
    assert isinstance(refused.value, Refusal)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cne_tod_19_en.xlsx"
    path.write_text("product,amount\n", encoding="utf-8")
    with pytest.raises(EconomyError, match="is not a readable Excel workbook"):
        read_ine(path)
    with pytest.raises(EconomyError, match="does not exist"):
        read_ine(tmp_path / "missing.xlsx")


def test_a_non_numeric_cell_in_the_real_2019_workbook(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(workbook(2019))
    book["Table3"]["D13"] = "x"
    book.save(tmp_path / "cne_tod_19_en.xlsx")
    with pytest.raises(EconomyError) as refused:
        read_ine(tmp_path / "cne_tod_19_en.xlsx")
    assert str(refused.value) == (
        "Sheet 'Table3', cell D13 (intermediate use, row '4. Mining and quarrying', "
        "column 'Forestry and logging'): 'x' is not a number."
    )


def test_an_economy_that_cannot_produce_a_surplus_is_refused() -> None:
    # one industry using 1.5 of its own product per unit: only possible with imports
    tables = SupplyUse(
        products=("steel",),
        industries=("steelworks",),
        supply=np.array([[100.0]]),
        use=np.array([[150.0]]),
        final=np.array([[0.0, 0.0, 0.0, 10.0, 0.0, 0.0]]),
        final_names=tuple(ine.FINAL),
        imports=np.array([60.0]),
        labour=np.array([1.0]),
        value_unit="million euros",
        labour_unit=ine.FTE_UNIT,
        source="test",
    )
    table = industry_technology(tables, "total")
    with pytest.raises(EconomyError, match=r"spectral radius of its input coefficients is 1\.5 "):
        ine.economy_from_table(table, Assumptions())
    # with imports taken out, the domestic part is productive
    domestic = industry_technology(tables, "domestic")
    assert ine.economy_from_table(domestic, Assumptions()).inputs[0, 0] == pytest.approx(0.9375)


def test_tables_of_different_shapes_are_refused() -> None:
    good = supply_use(2015)
    bad = SupplyUse(**{**good.__dict__, "use": good.use[:, :-1]})
    with pytest.raises(EconomyError, match="The use table is 64x62, expected 64 products x 63"):
        industry_technology(bad)


def test_a_broken_table_file_is_refused_naming_line_and_column(tmp_path: Path) -> None:
    lines = ine.SHIPPED.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[4]
    assert header.startswith("product,")
    row = lines[5].split(",")
    row[-1] = "lots\n"
    broken = tmp_path / "spain.csv"
    broken.write_text("".join([*lines[:5], ",".join(row), *lines[6:]]), encoding="utf-8")
    with pytest.raises(EconomyError, match=r"spain\.csv line 6, column 'output': 'lots' is not"):
        read_table(broken)
    broken.write_text("".join(lines[1:]), encoding="utf-8")
    with pytest.raises(EconomyError, match=r"spain\.csv has no '# title:' line"):
        read_table(broken)
