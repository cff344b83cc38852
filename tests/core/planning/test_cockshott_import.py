"""Cockshott's 5yearplan files read as his planners read them; bad files refused clearly.

The originals live in ../shared/data/planning (see its README). Every bad
file is a copy of the four-sector example with one thing broken, and the
refusal must say which file, row and column, and build nothing.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from core.errors import Refusal
from core.planning.economy import Economy, EconomyError, check_productive, surplus_certificate
from core.planning.importers.cockshott import read_cockshott

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
EXAMPLE = DATA / "cockshott-example"
N100 = DATA / "generated-n100-y5"
N1000 = DATA / "generated-n1000-y5"


def test_the_four_sector_example() -> None:
    economy = read_cockshott(EXAMPLE)
    assert economy.products == ("iron", "coal", "corn", "bread")
    assert (economy.size, economy.years) == (4, 5)
    iron, coal, corn, bread = range(4)
    # flows are per base output: coal used by iron is 2 for an output of 10
    assert economy.inputs[coal, iron] == pytest.approx(0.2)
    assert economy.inputs[corn, bread] == pytest.approx(1.0)
    assert economy.labour[iron] == pytest.approx(0.3 / 10)
    assert economy.base_output.tolist() == [10, 6, 10, 1]
    # cap.csv is both the stock at the start and, per unit of base output, the coefficient
    assert economy.capital_stock[iron, coal] == 7
    assert economy.capital[iron, coal] == pytest.approx(7 / 6)
    assert economy.depreciation[coal, iron] == pytest.approx(0.5)
    assert economy.depreciation[iron, bread] == pytest.approx(0.06)
    assert economy.labour_supply.tolist() == [3.0, 3.01, 3.02, 3.03, 3.07]
    assert economy.targets[3].tolist() == [0.1, 3.1, 0.0, 2.1]  # a zero target stays 0


def test_depreciation_lives_on_the_capital_cells_only() -> None:
    economy = read_cockshott(EXAMPLE)
    # dep.csv gives corn/corn 0.5 and bread/* 0; only cells with a stock are kept
    assert economy.depreciation.nnz == economy.capital.nnz == 9
    assert (economy.depreciation.indices == economy.capital.indices).all()


def test_the_generated_economies() -> None:
    n100 = read_cockshott(N100)
    assert (n100.size, n100.years) == (100, 5)
    assert n100.products[:3] == ("P0", "P1", "P2")
    assert n100.labour_supply.tolist() == [522, 532, 542, 552, 563]  # the column headed "l"
    assert np.allclose(n100.depreciation.data, 0.07)  # dense in the file, 0.07 everywhere
    assert n100.targets[0, 0] == pytest.approx(14.927498111724853)
    assert n100.base_output[0] == pytest.approx(52.82336081090864)
    n1000 = read_cockshott(N1000)
    assert (n1000.size, n1000.years) == (1000, 5)
    assert n1000.labour_supply.tolist() == [4979, 5078, 5179, 5282, 5387]
    assert 7000 < n1000.capital.nnz < 8000  # about 1% of the cells


def test_the_hash_is_stable_and_follows_the_numbers(tmp_path: Path) -> None:
    first, second = read_cockshott(EXAMPLE), read_cockshott(EXAMPLE)
    assert first.hash == second.hash
    assert len(first.hash) == 64 and first.short_hash == first.hash[:12]
    copy = _copy_example(tmp_path)
    assert read_cockshott(copy).hash == first.hash  # same numbers elsewhere: same hash
    _edit(copy / "labtarg.csv", "year1,0.1,3,", "year1,0.1,3.0001,")
    assert read_cockshott(copy).hash != first.hash


def test_gzip_files_are_read_like_plain_ones(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    for path in list(copy.iterdir()):
        (copy / (path.name + ".gz")).write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    assert read_cockshott(copy).hash == read_cockshott(EXAMPLE).hash


def test_spaces_quotes_and_empty_cells(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    _edit(copy / "flows.csv", "iron,0.1,0,0,0", 'iron, 0.1 ,,"0",0')
    economy = read_cockshott(copy)
    assert economy.hash == read_cockshott(EXAMPLE).hash


# ---------------------------------------------------------------------------
# Bad files: each refusal names the file, the row and the column.


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "flows.csv",
            "coal,2,1,0.04,0.2",
            "coal,2,1,0.04",
            "flows.csv row 'coal' has 3 values, expected 4.",
        ),
        (
            "flows.csv",
            "coal,2,1,0.04,0.2",
            "coal,2,1,0.04,0.2,7",
            "flows.csv row 'coal' has 5 values, expected 4.",
        ),
        (
            "flows.csv",
            "coal,2,1,0.04,0.2",
            "coal,2,lots,0.04,0.2",
            "flows.csv row 'coal', column 'coal': 'lots' is not a number.",
        ),
        (
            "flows.csv",
            "coal,2,1,0.04,0.2",
            "coal,-2,1,0.04,0.2",
            "flows.csv row 'coal', column 'iron': negative value -2.",
        ),
        (
            "cap.csv",
            "corn,0,0,1,0",
            "corn,0,0,.5,0",
            "cap.csv row 'corn', column 'corn': '.5' is not a number.",
        ),
        (
            "dep.csv",
            "coal,0.5,0.5,0.5,0.5",
            "coal,1.5,0.5,0.5,0.5",
            "dep.csv row 'coal', column 'iron': rate 1.5 is above 1.",
        ),
        (
            "labtarg.csv",
            "year2,0.1,3,0.00,2.010000,3.010000",
            "year2,0.1,3,0.00,2.010000,n/a",
            "labtarg.csv row 'year2', column 'labour': 'n/a' is not a number.",
        ),
        (
            "flows.csv",
            "output,10,6,10,1",
            "output,10,6,0,1",
            "flows.csv row 'output', column 'corn': base output must be above 0.",
        ),
        (
            "flows.csv",
            "output,10,6,10,1",
            "outputs,10,6,10,1",
            "flows.csv has an unexpected row 'outputs' after the products "
            "(expected labour, output).",
        ),
        (
            "flows.csv",
            "labour,0.3,1,2,0.1\n",
            "",
            "flows.csv has no 'labour' row.",
        ),
        (
            "flows.csv",
            "output,10,6,10,1",
            "",
            "flows.csv has no 'output' row.",
        ),
        (
            "cap.csv",
            "headings,iron,coal,corn,bread",
            "headings,iron,coal,maize,bread",
            "cap.csv header column 4 is 'maize' but the flows file has 'corn'.",
        ),
        (
            "dep.csv",
            "headings,iron,coal,corn,bread",
            "headings,iron,coal,corn,bread,salt",
            "dep.csv header has 5 products, the flows file 4.",
        ),
        (
            "labtarg.csv",
            "headings,iron,coal,corn,bread,labour",
            "headings,iron,coal,corn,bread",
            "labtarg.csv header must end with one labour column after the 4 products.",
        ),
        (
            "flows.csv",
            "corn,0,0,1,1\nbread,0,0,0,0",
            "bread,0,0,0,0\ncorn,0,0,1,1",
            "flows.csv row 3 is 'bread' but column 3 is 'corn': rows and columns must list "
            "the products in the same order.",
        ),
        (
            "cap.csv",
            "bread,0,0,0,0",
            "",
            "cap.csv has no row for product 'bread'.",
        ),
        (
            "flows.csv",
            "headings,iron,coal,corn,bread",
            "headings,iron,coal,iron,bread",
            "flows.csv header: product 'iron' appears twice.",
        ),
        (
            "labtarg.csv",
            "year3,",
            "total,",
            "labtarg.csv row 'total' is not a year (rows are year1, year2, ...).",
        ),
    ],
)
def test_a_bad_cell_row_or_header_is_named(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    copy = _copy_example(tmp_path)
    _edit(copy / file, old, new)
    assert _refusal(copy) == message


def test_no_years(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    (copy / "labtarg.csv").write_text("headings,iron,coal,corn,bread,labour\n")
    assert _refusal(copy) == "labtarg.csv has no year rows."


def test_a_missing_file(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    (copy / "cap.csv").unlink()
    assert _refusal(copy) == f"No cap.csv or testcap.csv file in {copy}."


def test_an_empty_or_unreadable_file(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    (copy / "dep.csv").write_text("\n \n")
    assert _refusal(copy) == "File dep.csv is empty."
    (copy / "dep.csv").unlink()
    (copy / "dep.csv.gz").write_bytes(b"not gzip at all")
    assert _refusal(copy) == f"File {copy / 'dep.csv.gz'} cannot be read."
    (copy / "dep.csv.gz").write_bytes(gzip.compress("héllo".encode("latin-1")))
    assert _refusal(copy) == f"File {copy / 'dep.csv.gz'} is not UTF-8 text."


def test_an_economy_that_cannot_produce_a_surplus(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    # coal now eats more coal than it makes: 7 of an output of 6
    _edit(copy / "flows.csv", "coal,2,1,0.04,0.2", "coal,2,7,0.04,0.2")
    assert _refusal(copy) == (
        "The economy cannot produce a surplus: the spectral radius of its input "
        "coefficients is 1.167 (it must be below 1)."
    )


def test_a_refusal_is_a_message_key_with_parameters(tmp_path: Path) -> None:
    copy = _copy_example(tmp_path)
    _edit(copy / "flows.csv", "coal,2,1,0.04,0.2", "coal,-2,1,0.04,0.2")
    with pytest.raises(EconomyError) as caught:
        read_cockshott(copy)
    assert isinstance(caught.value, Refusal)
    assert caught.value.msg.key == "{file} row '{row}', column '{column}': negative value {value}."
    assert caught.value.msg.params == {
        "file": "flows.csv",
        "row": "coal",
        "column": "iron",
        "value": "-2",
    }


# ---------------------------------------------------------------------------
# The Economy's own checks, for data that come from elsewhere than files.


def _economy(**change: object) -> Economy:
    base = read_cockshott(EXAMPLE)
    fields = {
        "products": base.products,
        "inputs": base.inputs,
        "labour": base.labour,
        "capital": base.capital,
        "depreciation": base.depreciation,
        "base_output": base.base_output,
        "capital_stock": base.capital_stock,
        "labour_supply": base.labour_supply,
        "targets": base.targets,
    }
    fields.update(change)
    return Economy(**fields)  # type: ignore[arg-type]


def test_the_economy_is_frozen() -> None:
    economy = _economy()
    with pytest.raises(ValueError, match="read-only"):
        economy.labour[0] = 9.0
    with pytest.raises(ValueError, match="read-only"):
        economy.inputs.data[0] = 9.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"products": ("iron", "coal", "coal", "bread")}, "Product 'coal' appears twice."),
        (
            {"inputs": sp.csr_matrix(np.ones((3, 3)))},
            "The input coefficients matrix is 3x3, expected 4x4 (a row and column per product).",
        ),
        (
            {"capital": sp.csr_matrix(np.diag([1.0, np.nan, 1.0, 1.0]))},
            "Capital coefficients: row 'coal', column 'coal': nan is not a non-negative number.",
        ),
        (
            {"labour": np.array([0.1, -0.2, 0.1, 0.1])},
            "Labour per unit of 'coal': -0.2 is not a non-negative number.",
        ),
        (
            {"labour_supply": np.zeros(0), "targets": np.zeros((0, 4))},
            "The economy has no years: give at least one year's labour supply.",
        ),
        (
            {"targets": np.ones((4, 4))},
            "Targets are 4x4, expected 5 years x 4 products.",
        ),
        (
            {"labour": np.array([0.1, 0.1, 0.1, 0.0]), "capital": sp.csr_matrix((4, 4))},
            "Industry 'bread' needs neither labour nor capital, so its output would be unlimited.",
        ),
    ],
)
def test_the_economy_refuses_unplannable_data(change: dict[str, object], message: str) -> None:
    with pytest.raises(EconomyError) as caught:
        _economy(**change)
    assert str(caught.value) == message


def _copy_example(tmp_path: Path) -> Path:
    copy = tmp_path / "economy"
    shutil.copytree(EXAMPLE, copy)
    for path in copy.iterdir():
        path.chmod(0o644)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _refusal(directory: Path) -> str:
    with pytest.raises(EconomyError) as caught:
        read_cockshott(directory)
    return str(caught.value)


# ---------------------------------------------------------------------------
# Can the economy produce a surplus? A proof that scales, or a refusal that says why.


def _two_products(inputs: np.ndarray) -> Economy:
    return Economy(
        products=("grain", "tools"),
        inputs=inputs,
        labour=np.array([1.0, 1.0]),
        capital=sp.csr_matrix((2, 2)),
        depreciation=sp.csr_matrix((2, 2)),
        base_output=np.array([1.0, 1.0]),
        capital_stock=sp.csr_matrix((2, 2)),
        labour_supply=np.array([1.0]),
        targets=np.array([[0.1, 0.1]]),
    )


def test_a_column_above_one_is_no_reason_to_refuse() -> None:
    """Tools take 1.5 grain each, grain 0.1 tools: no column or row sums below 1, radius 0.39."""
    inputs = np.array([[0.0, 1.5], [0.1, 0.0]])
    radius = float(np.sqrt(0.15))
    certificate = surplus_certificate(sp.csr_matrix(inputs))
    assert radius <= certificate < 1
    assert _two_products(inputs).size == 2
    with pytest.raises(EconomyError, match=r"spectral radius of its input coefficients is 1\.05 "):
        _two_products(np.array([[0.0, 1.5], [0.735, 0.0]]))


def test_the_certificate_bounds_the_radius_from_above() -> None:
    rng = np.random.default_rng(11)
    for case in range(40):
        n = int(rng.integers(3, 60))
        matrix = sp.random(n, n, density=0.15, random_state=rng, format="csr")
        radius = float(np.abs(np.linalg.eigvals(matrix.toarray())).max())
        if radius == 0:
            continue
        target = rng.uniform(0.2, 1.3)
        matrix = matrix * (target / radius)
        certificate = surplus_certificate(matrix)
        assert certificate >= target * (1 - 1e-9), case
        if target < 0.99:
            assert certificate < 1, case


def test_a_large_economy_is_checked_without_a_factorisation() -> None:
    """20,000 products: accepted when it can produce a surplus, refused with its radius if not."""
    n, per = 20_000, 10
    rng = np.random.default_rng(3)
    rows = rng.integers(0, n, n * per)
    cols = np.repeat(np.arange(n), per)
    matrix = sp.csr_matrix((rng.uniform(0.1, 1.0, n * per), (rows, cols)), shape=(n, n))
    column_sums = np.asarray(matrix.sum(axis=0)).ravel()
    uneven = rng.uniform(0.3, 1.4, n)  # some industries use more than they make ...
    productive = sp.csr_matrix(matrix @ sp.diags(uneven / column_sums))
    assert float(np.asarray(productive.sum(axis=0)).max()) > 1
    assert surplus_certificate(productive) < 1  # ... yet the whole can produce a surplus
    names = tuple(f"p{i}" for i in range(n))
    check_productive(productive, names)
    too_much = sp.csr_matrix(matrix @ sp.diags(1.2 / column_sums))  # every column sums to 1.2
    with pytest.raises(EconomyError, match=r"coefficients is 1\.2 \(it must be below 1\)"):
        check_productive(too_much, names)


def test_when_no_proof_is_found_the_refusal_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.planning.economy as economy_module

    monkeypatch.setattr(economy_module, "_solve_krylov", lambda matrix, rhs: None)
    monkeypatch.setattr(economy_module, "_solve_lu", lambda matrix, rhs: None)
    with pytest.raises(EconomyError) as caught:
        _two_products(np.array([[0.0, 1.5], [0.1, 0.0]]))
    assert str(caught.value) == (
        "The economy cannot be shown to produce a surplus: the spectral radius of its input "
        "coefficients is about 0.387298, too close to 1 to confirm."
    )
