"""Charts: valid PNGs of a phone's size, showing exactly the plans' figures."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from core.messages import Msg
from core.planning.charts import consumption_chart, hours_chart
from core.planning.economy import Economy
from core.planning.importers.cockshott import read_cockshott
from core.planning.proposals import parse
from core.planning.variants import Variant, base_parameters, variants

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def example() -> Economy:
    return read_cockshott(DATA / "cockshott-example")


@pytest.fixture(scope="module")
def found(example: Economy) -> list[Variant]:
    base = base_parameters(example)
    words = ["bread +50%", "coal +300%"]
    return variants(example, proposals=[parse(w, example.products).request(base) for w in words])


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert png[:8] == PNG
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def values(economy: Economy) -> np.ndarray:
    return np.linalg.solve((np.eye(economy.size) - economy.inputs.toarray()).T, economy.labour)


def test_consumption_paths_are_the_plans(example: Economy, found: list[Variant]) -> None:
    chart = consumption_chart(example, found)
    assert size(chart.png) == (720, 480)
    assert 5_000 < len(chart.png) < 300_000
    worth = values(example)
    now = (example.targets[0] @ worth) / example.labour_supply[0]
    plotted = [v for v in found if v.plan is not None]
    assert list(chart.series) == [v.label for v in plotted]
    for variant in plotted:
        assert variant.plan is not None
        path = 100 * (variant.plan.net_output @ worth) / example.labour_supply / now
        assert chart.series[variant.label] == pytest.approx(tuple(path), rel=1e-9)


def test_hours_are_the_plans(example: Economy, found: list[Variant]) -> None:
    chart = hours_chart(example, found)
    assert size(chart.png) == (720, 480)
    assert 5_000 < len(chart.png) < 300_000
    for variant in found:
        if variant.plan is None:
            assert variant.label not in chart.series
            continue
        worked = 40.0 * variant.plan.labour_used[0] / example.labour_supply[0]
        assert chart.series[variant.label] == pytest.approx((worked,), rel=1e-12)
    assert chart.series["D"][0] == pytest.approx(35.0, rel=1e-3)
    assert chart.series["E"][0] > chart.series["B"][0] > chart.series["D"][0]


def test_a_variant_without_a_plan_is_named_not_drawn(
    example: Economy, found: list[Variant]
) -> None:
    missing = [v.label for v in found if v.plan is None]
    assert missing == ["G"]
    texts: list[str] = []

    def spy(msg: Msg) -> str:
        text = msg.key.format(**msg.params) if msg.params else msg.key
        texts.append(text)
        return text.upper()

    chart = consumption_chart(example, found, render=spy)
    assert "Not possible: G" in texts
    assert chart.title == "CONSUMPTION PER PERSON (NOW = 100)"
    assert "G" not in chart.series
