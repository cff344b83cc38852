"""Five-line summaries whose every figure is the plan's, and "why" naming the parameter.

Each figure is recomputed here from the plan's arrays and the raw economy
(labour values by a dense solve), independently of the code under test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.i18n import render
from core.i18n.build import marked
from core.messages import Msg
from core.planning.economy import Economy, cell_stocks, cells
from core.planning.importers.cockshott import read_cockshott
from core.planning.proposals import parse
from core.planning.summaries import MAX_LINES, Summary, summarize, why
from core.planning.variants import Setting, Variant, base_parameters, variants

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
ROOT = Path(__file__).resolve().parents[3]
PUBLIC = tuple(f"P{i}" for i in range(1, 10))
OWN = "P5"


@pytest.fixture(scope="module")
def n100() -> Economy:
    return read_cockshott(DATA / "generated-n100-y5")


@pytest.fixture(scope="module")
def found(n100: Economy) -> list[Variant]:
    setting = Setting(public_products=PUBLIC)
    base = base_parameters(n100, setting)
    words = ["+20% P5", "P5 +400%"]
    return variants(n100, setting, [parse(w, n100.products).request(base) for w in words])


@pytest.fixture(scope="module")
def example_found() -> tuple[Economy, list[Variant]]:
    economy = read_cockshott(DATA / "cockshott-example")
    base = base_parameters(economy)
    words = ["close coal", "coal +300%"]
    found = variants(economy, proposals=[parse(w, economy.products).request(base) for w in words])
    return economy, found


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    """Every msgid the extractor finds in the plan factory's modules."""
    found: set[str] = set()
    for path in (ROOT / "core" / "planning").glob("*.py"):
        found |= {text for _, text in marked(path.read_text(encoding="utf-8"))}
    return found


def values(economy: Economy) -> np.ndarray:
    leontief = np.eye(economy.size) - economy.inputs.toarray()
    return np.linalg.solve(leontief.T, economy.labour)


def percent(x: float) -> int:
    return round(100 * x)


def all_msgs(msg: Msg) -> list[Msg]:
    return [msg, *(m for p in msg.params.values() if isinstance(p, Msg) for m in all_msgs(p))]


def check_renders(summary_lines: tuple[Msg, ...], msgids: set[str]) -> list[str]:
    """Every key is extractable for translation; English renders with no placeholder left."""
    texts = []
    for line in summary_lines:
        for msg in all_msgs(line):
            assert msg.key in msgids, msg.key
        text = render(line, "en")
        assert "{" not in text and "recommend" not in text.lower()
        texts.append(text)
    return texts


def by_key(summary: Summary, fragment: str) -> tuple[Msg, dict[str, Any]]:
    for line, numbers in zip(summary.lines, summary.numbers, strict=True):
        if fragment in line.key:
            return line, numbers
    raise AssertionError(f"no line with {fragment!r}")


# ---------------------------------------------------------------------------


def test_at_most_five_lines_all_translatable(
    n100: Economy, found: list[Variant], msgids: set[str]
) -> None:
    for variant in found:
        summary = summarize(n100, variant, workplace=OWN)
        assert 1 <= len(summary.lines) <= MAX_LINES
        assert len(summary.numbers) == len(summary.lines)
        check_renders((summary.title, *summary.lines), msgids)
        assert summary.economy_hash == n100.hash
        assert summary.parameters == variant.parameters.describe()


def test_figures_are_the_plans(n100: Economy, found: list[Variant]) -> None:
    worth = values(n100)
    people = n100.labour_supply
    now = (n100.targets[0] @ worth) / people[0]
    for variant in found:
        plan = variant.plan
        if plan is None:
            continue
        summary = summarize(n100, variant, workplace=OWN)
        line, numbers = by_key(summary, "Consumption per person in year 1")
        consumption = (plan.net_output @ worth) / people
        assert numbers["change"] == pytest.approx(consumption[0] / now - 1, rel=1e-9)
        assert line.params["change"] == percent(consumption[0] / now - 1)

        line, numbers = by_key(summary, "Work:")
        hours = 40.0 * plan.labour_used[0] / people[0]
        assert numbers["hours"] == pytest.approx(hours, rel=1e-12)
        assert line.params["hours"] == round(hours, 1)

        line, numbers = by_key(summary, "Investment")
        product, _ = cells(n100)
        invest = (plan.accumulation[0] @ worth[product]) / plan.labour_used[0]
        public = plan.net_output[0] @ (worth * np.isin(n100.products, PUBLIC)) / plan.labour_used[0]
        assert numbers["investment"] == pytest.approx(invest, rel=1e-9)
        assert numbers["public"] == pytest.approx(public, rel=1e-9)
        assert line.params["investment"] == round(100 * invest, 1)
        stock = cell_stocks(n100)
        for year in range(plan.years - 1):
            stock = (1 - n100.depreciation.data) * stock + plan.accumulation[year]
        capital = (stock @ worth[product]) / (cell_stocks(n100) @ worth[product]) - 1
        assert numbers["capital"] == pytest.approx(capital, rel=1e-9)

        line, numbers = by_key(summary, "a year (to year")
        growth = (consumption[3] / consumption[0]) ** (1 / 3) - 1  # years 1 to 4 of 5
        assert numbers["growth"] == pytest.approx(growth, rel=1e-9, abs=1e-12)
        assert line.params["year"] == 4

        line, numbers = by_key(summary, "Output in year")
        j = n100.products.index(OWN)
        # Year 4, the last with investment (year 5 builds nothing for after the plan).
        assert line.params["year"] == 4
        change = plan.gross_output[3] / n100.base_output - 1
        assert line.params["workplace"] == OWN
        assert line.params["change"] == percent(change[j])
        others = np.delete(change, j)
        assert numbers["low_change"] == pytest.approx(others.min())
        assert numbers["high_change"] == pytest.approx(others.max())
        assert numbers["by_sector"][OWN] == pytest.approx(change[j])


def test_the_defaults_read_differently(n100: Economy, found: list[Variant]) -> None:
    first_year = [
        by_key(summarize(n100, v), "Consumption per person in year 1")[1]["change"]
        for v in found[:3]
    ]
    assert first_year[0] > first_year[1] > first_year[2]  # 10, 20, 30% investment


def test_an_impossible_proposal_says_what_binds(
    n100: Economy, found: list[Variant], msgids: set[str]
) -> None:
    variant = found[-1]
    assert variant.shortfall is not None
    summary = summarize(n100, variant)
    first = summary.lines[0]
    assert first.key.startswith("Not possible:")
    assert (first.params["product"], first.params["year"]) == ("P5", 2)
    assert first.params["asked"] == 400
    assert first.params["short"] == round(100 * variant.shortfall.short, 1)
    assert first.params["possible"] == percent(5 * variant.shortfall.reached - 1)
    assert len(summary.lines) == 1 + len(variant.shortfall.binding)
    assert all(line.key.startswith("Binds:") for line in summary.lines[1:])
    texts = check_renders(summary.lines, msgids)
    assert "capacity of" in " ".join(texts)
    assert summary.title.params["text"] == "P5 +400%"


def test_a_closed_economy_reads_plainly(
    example_found: tuple[Economy, list[Variant]], msgids: set[str]
) -> None:
    economy, found = example_found
    closed = found[-2]
    texts = check_renders(summarize(economy, closed).lines, msgids)
    assert texts[0] == "Output in year 4 vs now: every sector -100%"
    assert texts[2] == "Consumption per person in year 1: -100% on now"
    assert texts[4] == "No consumption in year 1 to grow from"


def test_the_example_shortfall_in_words(
    example_found: tuple[Economy, list[Variant]], msgids: set[str]
) -> None:
    economy, found = example_found
    texts = check_renders(summarize(economy, found[-1]).lines, msgids)
    assert texts[0].startswith("Not possible: coal short by ")
    assert any(t.startswith("Binds: capacity of coal (its stock of") for t in texts)


def test_a_workplace_not_in_the_data_is_refused(n100: Economy, found: list[Variant]) -> None:
    from core.errors import Refusal

    with pytest.raises(Refusal):
        summarize(n100, found[0], workplace="P500x")


# ---------------------------------------------------------------------------
# Why


def test_why_names_investment(n100: Economy, found: list[Variant], msgids: set[str]) -> None:
    a, b = found[0], found[1]
    explained = why(n100, a, b)
    texts = check_renders(explained.lines, msgids)
    assert texts[0] == "B puts 10 points more of the work into investment than A"
    assert texts[1].startswith("That is why consumption per person in B is ")
    assert " lower in year 1" in texts[1]
    change = explained.numbers["consumption_change"]
    worth = values(n100)
    assert a.plan is not None and b.plan is not None
    expected = (b.plan.net_output[0] @ worth) / (a.plan.net_output[0] @ worth) - 1
    assert change == pytest.approx(expected, rel=1e-9)
    assert explained.lines[1].params["percent"] == abs(percent(expected))
    assert explained.numbers["differences"] == [{"parameter": "investment", "a": 0.1, "b": 0.2}]


def test_why_names_hours(n100: Economy, found: list[Variant], msgids: set[str]) -> None:
    texts = check_renders(why(n100, found[1], found[3]).lines, msgids)
    assert texts[0] == "D has 5 h less work a week than B"
    assert texts[1].startswith("That is why consumption per person in D is ")
    assert "lower" in texts[1]
    texts = check_renders(why(n100, found[1], found[4]).lines, msgids)
    assert texts[0] == "E has 5 h more work a week than B"


def test_why_with_several_differences_says_together(
    n100: Economy, found: list[Variant], msgids: set[str]
) -> None:
    texts = check_renders(why(n100, found[2], found[3]).lines, msgids)
    assert texts[0] == "D has 5 h less work a week than C"
    assert texts[1] == "D puts 10 points less of the work into investment than C"
    assert texts[2].startswith(("Together", "Consumption per person in year 1 is about the same"))


def test_why_names_a_proposal_and_a_missing_plan(
    n100: Economy, found: list[Variant], msgids: set[str]
) -> None:
    texts = check_renders(why(n100, found[1], found[5]).lines, msgids)
    assert texts[0] == "F also: P5 +20%"
    texts = check_renders(why(n100, found[1], found[6]).lines, msgids)
    assert texts[0] == "G also: P5 +400%"
    assert texts[-1] == "G is not possible, so it has no consumption to compare"


def test_why_the_same(n100: Economy, found: list[Variant], msgids: set[str]) -> None:
    texts = check_renders(why(n100, found[1], found[1]).lines, msgids)
    assert texts[0] == "B and B have the same parameters"
    assert len(texts) == 2
