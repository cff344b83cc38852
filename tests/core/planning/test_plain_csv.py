"""The plain CSV layout: the documented example reads, economies round-trip, bad files refused.

The example is taken from docs/planning-data.md itself, so the documentation
cannot drift from what the importer accepts. Each bad case is that example
with one thing broken; the refusal must name the file, the line and the
column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from core.planning.economy import EconomyError
from core.planning.importers.cockshott import read_cockshott
from core.planning.importers.ine import spain
from core.planning.importers.plain_csv import read_plain_csv, write_plain_csv

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT.parent / "shared" / "data" / "planning" / "cockshott-example"
DOC_BLOCK = re.compile(r"`(\w+\.csv)`:\n\n```csv\n(.*?)```", re.DOTALL)


def documented() -> dict[str, str]:
    """The example files as docs/planning-data.md shows them."""
    text = (ROOT / "docs" / "planning-data.md").read_text(encoding="utf-8")
    return dict(DOC_BLOCK.findall(text))


def bakery(directory: Path, **changes: str | None) -> Path:
    """Write the documented example, with whole files replaced (or removed with None)."""
    files = {**documented(), **changes}
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_the_documented_example_reads(tmp_path: Path) -> None:
    assert set(documented()) == {
        "products.csv",
        "inputs.csv",
        "capital.csv",
        "stocks.csv",
        "plan.csv",
        "targets.csv",
    }
    economy = read_plain_csv(bakery(tmp_path / "bakery"))
    grain, flour, bread, ovens = range(4)
    assert economy.products == ("grain", "flour", "bread", "ovens")
    assert economy.inputs[grain, flour] == 1.25
    assert economy.inputs[flour, bread] == 0.75
    assert economy.capital[ovens, bread] == 0.01
    assert economy.depreciation[ovens, bread] == 0.1
    assert economy.capital_stock[ovens, bread] == 12  # stocks.csv, not 0.01 x 1000
    assert economy.labour.tolist() == [2, 1.5, 4, 300]
    assert economy.labour_supply.tolist() == [20000, 20000]
    assert economy.targets.tolist() == [[0, 0, 900, 2], [0, 0, 950, 0]]
    assert "bread: t" in economy.units and "labour: hours" in economy.units


def test_without_stocks_the_base_output_sets_them(tmp_path: Path) -> None:
    economy = read_plain_csv(bakery(tmp_path / "b", **{"stocks.csv": None}))
    assert economy.capital_stock[3, 2] == pytest.approx(0.01 * 1000)


def test_without_capital_every_industry_needs_labour(tmp_path: Path) -> None:
    economy = read_plain_csv(bakery(tmp_path / "b", **{"stocks.csv": None, "capital.csv": None}))
    assert economy.capital.nnz == 0


@pytest.mark.parametrize("source", ["cockshott", "spain"])
def test_an_economy_round_trips_exactly(tmp_path: Path, source: str) -> None:
    economy = read_cockshott(EXAMPLE) if source == "cockshott" else spain()
    write_plain_csv(economy, tmp_path / "one", units={economy.products[0]: "t"})
    again = read_plain_csv(tmp_path / "one")
    for part in ("inputs", "capital", "depreciation", "capital_stock"):
        assert (getattr(again, part) != getattr(economy, part)).nnz == 0, part
    for part in ("labour", "base_output", "labour_supply", "targets"):
        np.testing.assert_array_equal(getattr(again, part), getattr(economy, part))
    write_plain_csv(again, tmp_path / "two", units={economy.products[0]: "t"})
    for name in ("products.csv", "inputs.csv", "capital.csv", "targets.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert read_plain_csv(tmp_path / "two").hash == again.hash


def _refusal(tmp_path: Path, **changes: str | None) -> str:
    with pytest.raises(EconomyError) as refused:
        read_plain_csv(bakery(tmp_path / "bad", **changes))
    return str(refused.value)


PRODUCTS = "product,unit,base_output,labour,labour_unit\n"
INPUTS = "product,used_by,amount,unit\n"
PLAN = "year,labour_available,labour_unit\n"
TARGETS = "year,product,amount,unit\n"
CAPITAL = "product,used_by,amount,unit,depreciation\n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (  # malformed CSV: text after a closing quote
            {"inputs.csv": INPUTS + 'grain,"flour"x,1.25,t per t\n'},
            "inputs.csv line 2: malformed CSV",
        ),
        (
            {"inputs.csv": INPUTS + "grain,flour,1.25,t per t,extra\n"},
            "inputs.csv line 2 has 5 cells but the header has 4.",
        ),
        (
            {"inputs.csv": "product,user,amount,unit\ngrain,flour,1.25,t per t\n"},
            "inputs.csv line 1: no column 'used_by'",
        ),
        ({"plan.csv": None}, "has no plan.csv."),
        ({"targets.csv": "\n\n"}, "targets.csv is empty: it needs a header row."),
        (
            {"inputs.csv": INPUTS + "grain,flour,1;25,t per t\n"},
            "inputs.csv line 2, column 'amount': '1;25' is not a number.",
        ),
        (
            {"inputs.csv": INPUTS + "grain,flour,-1.25,t per t\n"},
            "inputs.csv line 2, column 'amount': -1.25 must be at least 0.",
        ),
        (
            {"products.csv": PRODUCTS + "grain,t,0,2,hours\n"},
            "products.csv line 2, column 'base_output': 0 must be above 0.",
        ),
        (  # unit mismatch: kilograms where tonnes are declared
            {"inputs.csv": INPUTS + "\ngrain,flour,1250,kg per t\n"},
            "inputs.csv line 3, column 'unit': 'kg per t' does not match: grain is in 't' "
            "and flour in 't', so the unit is 't per t'.",
        ),
        (
            {"capital.csv": CAPITAL + "ovens,bread,0.01,units,0.1\n"},
            "capital.csv line 2, column 'unit': 'units' does not match",
        ),
        (
            {"targets.csv": TARGETS + "2026,bread,900,kg\n"},
            "targets.csv line 2, column 'unit': 'kg' does not match: bread is in 't'",
        ),
        (
            {"plan.csv": PLAN + "2026,20000,hours\n2027,2500,FTE days\n"},
            "plan.csv line 3, column 'labour_unit': 'FTE days' does not match products.csv's "
            "'hours'",
        ),
        (
            {"products.csv": documented()["products.csv"] + "salt,t,5,1,minutes\n"},
            "products.csv line 6, column 'labour_unit': 'minutes' differs from 'hours' on line 2",
        ),
        (  # a missing sector
            {"inputs.csv": INPUTS + "grain,flour,1.25,t per t\nyeast,bread,0.01,t per t\n"},
            "inputs.csv line 3, column 'product': 'yeast' is not a product in products.csv.",
        ),
        (
            {"targets.csv": TARGETS + "2026,cake,10,t\n"},
            "targets.csv line 2, column 'product': 'cake' is not a product in products.csv.",
        ),
        (
            {"products.csv": documented()["products.csv"] + "bread,t,5,1,hours\n"},
            "products.csv line 6, column 'product': 'bread' is listed twice.",
        ),
        (
            {"inputs.csv": INPUTS + "grain,flour,1.25,t per t\ngrain,flour,1.2,t per t\n"},
            "inputs.csv line 3, column 'used_by': grain in flour is already given on line 2.",
        ),
        (
            {"targets.csv": TARGETS + "2028,bread,900,t\n"},
            "targets.csv line 2, column 'year': 2028 is not a year in plan.csv.",
        ),
        (
            {"plan.csv": PLAN + "2026,20000,hours\n2028,20000,hours\n"},
            "plan.csv line 3, column 'year': 2028 should be 2027: years follow each other.",
        ),
        (
            {"capital.csv": CAPITAL + "ovens,bread,0.01,units per t,1.5\n"},
            "capital.csv line 2, column 'depreciation': 1.5 is above 1",
        ),
        (
            {"stocks.csv": "product,used_by,amount,unit\novens,flour,3,units\n"},
            "stocks.csv line 2, column 'used_by': capital.csv has no ovens for flour.",
        ),
        (  # an impossible target
            {"targets.csv": TARGETS + "2026,bread,-900,t\n"},
            "targets.csv line 2, column 'amount': -900 must be at least 0.",
        ),
        (
            {"products.csv": PRODUCTS + "grain,t,1000,,hours\n"},
            "products.csv line 2, column 'labour': is empty.",
        ),
    ],
)
def test_bad_files_are_refused_naming_file_line_and_column(
    tmp_path: Path, changes: dict[str, str | None], message: str
) -> None:
    assert message in _refusal(tmp_path, **changes)


def test_an_economy_without_a_surplus_is_refused(tmp_path: Path) -> None:
    inputs = INPUTS + "grain,grain,0.5,t per t\ngrain,flour,1.25,t per t\nflour,grain,1,t per t\n"
    message = _refusal(tmp_path, **{"inputs.csv": inputs})
    assert message.startswith("inputs.csv: The economy cannot produce a surplus: the spectral")
    assert "is 1.396 (it must be below 1)" in message


def test_an_industry_with_neither_labour_nor_capital_is_refused(tmp_path: Path) -> None:
    products = documented()["products.csv"].replace("grain,t,1000,2,hours", "grain,t,1000,0,hours")
    message = _refusal(tmp_path, **{"products.csv": products})
    assert "Industry 'grain' needs neither labour nor capital" in message
