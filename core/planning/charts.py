"""Charts of plan variants side by side, as PNG bytes small enough for a phone.

Matplotlib's object interface with the Agg canvas is used directly (no
``pyplot``): nothing global is touched, so charts can be drawn from any
thread and no display is needed. Each chart returns, beside the PNG, the
series it actually drew, read back from the figure's artists, so a test (or
a doubtful member) can check the picture shows the plans' own figures.
Texts are ``Msg`` keys rendered by the caller's ``render`` (English by default).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.i18n import render as render_msg
from core.messages import N_, Msg
from core.planning.economy import Economy
from core.planning.summaries import figures
from core.planning.variants import Variant

Render = Callable[[Msg], str]
SIZE = (4.8, 3.2)  # inches: 720 x 480 pixels at DPI
DPI = 150
FONT = 8


@dataclass(frozen=True)
class Chart:
    """A PNG and the numbers drawn in it, by variant label."""

    png: bytes
    series: dict[str, tuple[float, ...]]
    title: str


def english(msg: Msg) -> str:
    return render_msg(msg, "en")


def consumption_chart(
    economy: Economy, variants: Sequence[Variant], render: Render = english
) -> Chart:
    """Consumption per person over the years, now = 100, one line per feasible variant."""
    figure, axes = _figure()
    for variant in variants:
        if variant.plan is None:
            continue
        path = 100.0 * figures(economy, variant).consumption
        axes.plot(range(1, path.shape[0] + 1), path, marker="o", markersize=3, label=variant.label)
    axes.axhline(100.0, color="grey", linewidth=0.6, linestyle=":")
    axes.set_xlabel(render(Msg.of(N_("Year"))), fontsize=FONT)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    title = render(Msg.of(N_("Consumption per person (now = 100)")))
    _finish(figure, axes, title, _missing(variants, render))
    series = {
        str(line.get_label()): tuple(np.asarray(line.get_ydata(), dtype=np.float64).tolist())
        for line in axes.get_lines()
        if not str(line.get_label()).startswith("_")
    }
    return Chart(png=_png(figure), series=series, title=title)


def hours_chart(economy: Economy, variants: Sequence[Variant], render: Render = english) -> Chart:
    """Weekly hours of work per person in year 1, one bar per feasible variant."""
    figure, axes = _figure()
    feasible = [v for v in variants if v.plan is not None]
    hours = [float(figures(economy, v).hours[0]) for v in feasible]
    bars = axes.bar([v.label for v in feasible], hours, color="#4c72b0")
    axes.bar_label(bars, fmt="%.1f", fontsize=FONT)
    axes.set_ylim(0, 1.15 * max(hours, default=1.0) or 1.0)
    axes.set_xlabel(render(Msg.of(N_("Variant"))), fontsize=FONT)
    title = render(Msg.of(N_("Hours of work a week per person, year 1")))
    _finish(figure, axes, title, _missing(variants, render), legend=False)
    series: dict[str, tuple[float, ...]] = {
        v.label: (float(bar.get_height()),) for v, bar in zip(feasible, bars.patches, strict=True)
    }
    return Chart(png=_png(figure), series=series, title=title)


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _missing(variants: Sequence[Variant], render: Render) -> str:
    """A note naming the variants that have no plan, so none vanishes from a chart unsaid."""
    labels = [v.label for v in variants if v.plan is None]
    if not labels:
        return ""
    return render(Msg.of(N_("Not possible: {labels}"), labels=", ".join(labels)))


def _finish(figure: Figure, axes: Axes, title: str, note: str, legend: bool = True) -> None:
    axes.set_title(title, fontsize=FONT + 1)
    axes.tick_params(labelsize=FONT)
    axes.grid(alpha=0.3)
    if legend:
        axes.legend(fontsize=FONT, ncols=2)
    if note:
        figure.text(0.01, 0.01, note, fontsize=FONT - 1, color="#a33")
    figure.tight_layout()


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
