"""What a plan variant means for a person, in at most five lines for a phone.

Every figure is computed from the variant's plan arrays and the data it came
from (``Figures``), and each summary keeps the economy's hash, the
parameters and the unrounded numbers behind each line, so anyone can trace a
line back to the plan. Lines are ``Msg`` objects: the transport renders them
in the reader's language.

Conventions (docs/planning-variants.md): "now" is the data's base year:
output now is ``base_output``; consumption now is the first year's targets.
Quantities of different products are added at labour values (hours per
unit). People: the data's labour supply is read as people times
``Setting.baseline_hours``, so per-person figures divide by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.messages import N_, Msg
from core.planning.economy import Economy, cell_stocks, cells
from core.planning.proposals import resolve
from core.planning.steering import Binding, Shortfall, labour_values
from core.planning.variants import Parameters, SectorChange, Variant, common_shares

Array = np.ndarray[Any, np.dtype[np.float64]]
MAX_LINES = 5
NAME_LIMIT = 24  # characters of a sector's name shown on a phone
IDLE_HOURS = 0.5  # weekly hours per person offered but not needed before a line says so
SAME_PERCENT = 0.5  # consumption differences below this (percent) count as "about the same"
EXPANSIONS_SHOWN = 2  # a workplace's expansions named on its output line


@dataclass(frozen=True, eq=False)
class Figures:
    """The numbers behind a summary, each from the plan's arrays (year index 0 = year 1)."""

    economy_hash: str
    parameters: dict[str, Any]
    output_change: Array  # years x products: gross output / base output - 1
    hours: Array  # weekly hours worked per person, each year
    offered: float  # weekly hours per person the variant offers
    consumption: Array  # consumption per person each year, now = 1 (labour values)
    investment: Array  # share of each year's work accumulated
    public: Array | None  # share of each year's work consumed as public products
    capital: float  # means of production standing in the last year vs now, - 1
    growth: float | None  # yearly growth of consumption per person, year 1 to ``growth_to``
    growth_to: int

    @property
    def years(self) -> int:
        return int(self.hours.shape[0])


@dataclass(frozen=True)
class Summary:
    """A variant for a phone: a title, at most five lines, and the numbers behind each line."""

    label: str
    title: Msg
    lines: tuple[Msg, ...]
    numbers: tuple[dict[str, Any], ...]  # one per line: the unrounded figures it shows
    economy_hash: str
    parameters: dict[str, Any]


def figures(economy: Economy, variant: Variant) -> Figures:
    """Compute a feasible variant's figures from its plan and the data it came from."""
    plan = variant.plan
    if plan is None:
        raise ValueError(f"variant {variant.label} has no plan")
    if economy.hash != variant.economy_hash:
        raise ValueError("the variant was computed from other data")
    years = plan.years
    values = labour_values(economy)
    people = economy.labour_supply[:years]
    work = plan.labour_used
    safe_work = np.where(work > 0, work, 1.0)
    product, _ = cells(economy)
    consumption = (plan.net_output @ values) / people
    now = float(economy.targets[0] @ values) / float(people[0])
    parameters = variant.parameters
    public = None
    if parameters.public is not None:
        weights = values * common_shares(economy, variant.setting)
        public = (plan.net_output @ weights) / safe_work
    growth, growth_to = _growth(consumption)
    base = np.where(economy.base_output > 0, economy.base_output, 1.0)
    return Figures(
        economy_hash=economy.hash,
        parameters=parameters.describe(),
        output_change=plan.gross_output / base - 1.0,
        hours=variant.setting.baseline_hours * work / people,
        offered=parameters.hours,
        consumption=consumption / now if now > 0 else np.full(years, np.nan),
        investment=(plan.accumulation @ values[product]) / safe_work,
        public=public,
        capital=_capital_change(economy, plan.accumulation, values),
        growth=growth,
        growth_to=growth_to,
    )


def _growth(consumption: Array) -> tuple[float | None, int]:
    """Mean yearly growth from year 1 to the last year with investment (T-1), or T if T ≤ 2.

    The last year of a plan accumulates nothing (it would serve no year of
    the plan), so its consumption jumps by the investment share; counting it
    would flatter the variants that invest most.
    """
    years = consumption.shape[0]
    last = years - 1 if years >= 3 else years
    if last < 2 or consumption[0] <= 0:
        return None, last
    return float((consumption[last - 1] / consumption[0]) ** (1.0 / (last - 1)) - 1.0), last


def _capital_change(economy: Economy, accumulation: Array, values: Array) -> float:
    """Labour value of the stocks standing in the plan's last year over today's, - 1."""
    product, _ = cells(economy)
    stock = cell_stocks(economy)
    now = float(stock @ values[product])
    keep = 1.0 - economy.depreciation.data
    for year in range(accumulation.shape[0] - 1):
        stock = keep * stock + accumulation[year]
    return float(stock @ values[product]) / now - 1.0 if now > 0 else 0.0


def summarize(economy: Economy, variant: Variant, workplace: str | None = None) -> Summary:
    """The five lines: output, hours, consumption now, public and investment, growth after.

    ``workplace`` is a sector's name, or the name of a workplace with an offer
    in the variant (then its sector is meant, and the line names that
    workplace's expansions the variant includes; for a sector, those of all
    its workplaces).
    """
    title = _title(variant)
    if variant.plan is None:
        assert variant.shortfall is not None
        lines, numbers = _not_possible(variant.shortfall, variant.parameters)
    else:
        found = figures(economy, variant)
        own, expansions = _own(economy, variant.parameters, workplace)
        parts = [
            _output_line(found, economy.products, own, expansions),
            _hours_line(found),
            _consumption_line(found),
            _shares_line(found),
            _growth_line(found),
        ]
        lines = tuple(msg for msg, _ in parts)
        numbers = tuple(figure for _, figure in parts)
    return Summary(
        label=variant.label,
        title=title,
        lines=lines[:MAX_LINES],
        numbers=numbers[:MAX_LINES],
        economy_hash=variant.economy_hash,
        parameters=variant.parameters.describe(),
    )


Line = tuple[Msg, dict[str, Any]]


def _title(variant: Variant) -> Msg:
    if variant.parameters.offers and variant.origin:
        return Msg.of(
            N_("Variant {label}, from the workplaces' offers: {text}"),
            label=variant.label,
            text=variant.origin,
        )
    if variant.origin:
        return Msg.of(
            N_("Variant {label}, proposed: {text}"), label=variant.label, text=variant.origin
        )
    p = variant.parameters
    if p.investment is None:
        return Msg.of(
            N_("Variant {label}: {hours:g} h a week, investment left to the plan"),
            label=variant.label,
            hours=p.hours,
        )
    return Msg.of(
        N_("Variant {label}: {hours:g} h a week, investment {investment:g}%"),
        label=variant.label,
        hours=p.hours,
        investment=_points(p.investment),
    )


def _own(
    economy: Economy, parameters: Parameters, workplace: str | None
) -> tuple[str | None, tuple[str, ...]]:
    """The sector a reader works in, and the expansions of theirs the variant includes."""
    if not workplace:
        return None, ()
    wanted = " ".join(workplace.casefold().split())
    for offer in parameters.offers:
        if " ".join(offer.workplace.casefold().split()) == wanted:
            return offer.sector, tuple(e.label for e in offer.expansions)
    own = resolve(workplace, economy.products)
    labels = (e.label for o in parameters.offers if o.sector == own for e in o.expansions)
    return own, tuple(labels)


def _listed(labels: tuple[str, ...]) -> str:
    """Members' own words for a phone: the first two, then "…"."""
    shown = ", ".join(labels[:EXPANSIONS_SHOWN])
    return shown + ("…" if len(labels) > EXPANSIONS_SHOWN else "")


def _output_line(
    found: Figures, products: tuple[str, ...], own: str | None, expansions: tuple[str, ...] = ()
) -> Line:
    """(a) Output against now in the plan's last year with investment (``growth_to``; the
    very last year builds nothing for after the plan, so the makers of machines and
    buildings fall then, an artefact of the horizon): the range over sectors, and one's
    workplace (with its expansions in this variant, if it offered any)."""
    year = found.growth_to
    change = found.output_change[year - 1]
    others = np.array([name != own for name in products])
    low, high = _extremes(change, others)
    numbers: dict[str, Any] = {
        "year": year,
        "low": products[low],
        "low_change": float(change[low]),
        "high": products[high],
        "high_change": float(change[high]),
        "by_sector": dict(zip(products, change.tolist(), strict=True)),
    }
    params = {
        "year": year,
        "low": _short(products[low]),
        "low_change": _percent(change[low]),
        "high": _short(products[high]),
        "high_change": _percent(change[high]),
    }
    if own is not None and expansions:
        mine = float(change[products.index(own)])
        numbers.update(workplace=own, change=mine, expansions=list(expansions))
        key = N_(
            "Output in year {year} vs now: {workplace} {change:+d}% with {expansions}; "
            "others from {low} {low_change:+d}% to {high} {high_change:+d}%"
        )
        return Msg.of(
            key,
            workplace=_short(own),
            change=_percent(mine),
            expansions=_listed(expansions),
            **params,
        ), numbers
    if own is not None:
        mine = float(change[products.index(own)])
        numbers.update(workplace=own, change=mine)
        key = N_(
            "Output in year {year} vs now: {workplace} {change:+d}%; "
            "others from {low} {low_change:+d}% to {high} {high_change:+d}%"
        )
        return Msg.of(key, workplace=_short(own), change=_percent(mine), **params), numbers
    if params["low_change"] == params["high_change"]:
        key = N_("Output in year {year} vs now: every sector {low_change:+d}%")
        return Msg.of(key, year=year, low_change=params["low_change"]), numbers
    key = N_(
        "Output in year {year} vs now: from {low} {low_change:+d}% to {high} {high_change:+d}%"
    )
    return Msg.of(key, **params), numbers


def _extremes(change: Array, among: Any) -> tuple[int, int]:
    """Index of the lowest and highest change among the chosen sectors (all if none chosen)."""
    pool = np.flatnonzero(among) if np.any(among) else np.arange(change.shape[0])
    return int(pool[np.argmin(change[pool])]), int(pool[np.argmax(change[pool])])


def _hours_line(found: Figures) -> Line:
    """(b) Weekly hours per person worked in year 1, and the offered hours when fewer are needed."""
    worked = float(found.hours[0])
    numbers = {"hours": worked, "offered": found.offered}
    if worked < found.offered - IDLE_HOURS:
        key = N_("Work: {hours:g} h a week per person in year 1 ({offered:g} h offered)")
        return Msg.of(key, hours=round(worked, 1), offered=found.offered), numbers
    return Msg.of(N_("Work: {hours:g} h a week per person"), hours=round(worked, 1)), numbers


def _consumption_line(found: Figures) -> Line:
    """(c) Consumption per person in year 1 against now."""
    change = float(found.consumption[0]) - 1.0
    msg = Msg.of(
        N_("Consumption per person in year 1: {change:+d}% on now"), change=_percent(change)
    )
    return msg, {"change": change, "consumption": found.consumption.tolist()}


def _shares_line(found: Figures) -> Line:
    """(d) Shares of year 1's work for investment and public services; capital at the end."""
    investment = float(found.investment[0])
    numbers: dict[str, Any] = {
        "investment": investment,
        "capital": found.capital,
        "year": found.years,
    }
    params = {
        "investment": _points(investment),
        "year": found.years,
        "capital": _percent(found.capital),
    }
    if found.public is None:
        key = N_(
            "Investment: {investment:g}% of the work; "
            "means of production in year {year}: {capital:+d}% on now"
        )
        return Msg.of(key, **params), numbers
    public = float(found.public[0])
    numbers["public"] = public
    key = N_(
        "Investment {investment:g}%, public services {public:g}% of the work; "
        "means of production in year {year}: {capital:+d}%"
    )
    return Msg.of(key, public=_points(public), **params), numbers


def _growth_line(found: Figures) -> Line:
    """(e) Yearly growth of consumption per person after year 1."""
    if found.growth is None and found.growth_to < 2:
        return Msg.of(N_("A one- or two-year plan: no yearly growth to show")), {"growth": None}
    if found.growth is None:
        return Msg.of(N_("No consumption in year 1 to grow from")), {"growth": None}
    msg = Msg.of(
        N_("After year 1, consumption per person {growth:+.1f}% a year (to year {year})"),
        growth=round(100 * found.growth, 1) + 0.0,  # + 0.0: no "-0.0"
        year=found.growth_to,
    )
    return msg, {"growth": found.growth, "year": found.growth_to}


def _not_possible(
    short: Shortfall, parameters: Parameters
) -> tuple[tuple[Msg, ...], tuple[dict[str, Any], ...]]:
    """Why a variant has no plan: which floor falls short, by how much, and what binds."""
    asked = _asked(parameters.changes, short.product)
    first = Msg.of(
        N_(
            "Not possible: {product} short by {short:g}% in year {year} "
            "(asked {asked:+d}% on now, at most {possible:+d}%)"
        ),
        product=_short(short.product),
        short=round(100 * short.short, 1),
        year=short.year,
        asked=_percent(asked - 1.0),
        possible=_percent(short.reached * asked - 1.0),
    )
    numbers: list[dict[str, Any]] = [
        {
            "reached": short.reached,
            "product": short.product,
            "year": short.year,
            "floor": short.floor,
        }
    ]
    lines = [first]
    for binding in short.binding[: MAX_LINES - 1]:
        lines.append(binding_msg(binding))
        numbers.append({"kind": binding.kind, "year": binding.year, "weight": binding.weight})
    return tuple(lines), tuple(numbers)


def _asked(changes: tuple[SectorChange, ...], product: str) -> float:
    return next((c.factor for c in changes if c.product == product), 1.0)


def binding_msg(binding: Binding) -> Msg:
    """One binding constraint in words."""
    year, product, industry = binding.year, _short(binding.product), _short(binding.industry)
    if binding.kind == "capital":
        key = N_("Binds: capacity of {industry} (its stock of {product}) in year {year}")
        return Msg.of(key, industry=industry, product=product, year=year)
    if binding.kind == "labour":
        return Msg.of(N_("Binds: the hours of work available in year {year}"), year=year)
    if binding.kind == "product":
        return Msg.of(
            N_("Binds: all of {product} is used up in year {year}"), product=product, year=year
        )
    if binding.kind == "investment":
        return Msg.of(N_("Binds: the investment share in year {year}"), year=year)
    if binding.kind == "public":
        return Msg.of(N_("Binds: the public services share in year {year}"), year=year)
    if binding.kind == "ceiling":
        return Msg.of(
            N_("Binds: the limit on {product} in year {year}"), product=product, year=year
        )
    return Msg.of(
        N_("Binds: the rise asked of {product} in year {year}"), product=product, year=year
    )


def _percent(fraction: float) -> int:
    return round(100 * float(fraction))


def _points(share: float) -> float:
    """A share as percent, to one decimal (the :g format drops a trailing .0)."""
    return round(100 * float(share), 1)


def _short(name: str) -> str:
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


# --- Why two variants differ -------------------------------------------------------------------


@dataclass(frozen=True)
class Why:
    """What differs between two variants, which parameter causes it, and the numbers."""

    lines: tuple[Msg, ...]
    numbers: dict[str, Any]
    economy_hash: str


def why(economy: Economy, a: Variant, b: Variant) -> Why:
    """Explain b against a: each parameter that differs, then what it does to consumption."""
    causes = _differences(a, b)
    lines = [msg for msg, _ in causes][: MAX_LINES - 1]
    numbers: dict[str, Any] = {"a": a.provenance, "b": b.provenance}
    numbers["differences"] = [detail for _, detail in causes]
    if not causes:
        lines.append(Msg.of(N_("{a} and {b} have the same parameters"), a=a.label, b=b.label))
    effect = _effect(economy, a, b, len(causes))
    if effect is not None:
        lines.append(effect[0])
        numbers.update(effect[1])
    return Why(lines=tuple(lines[:MAX_LINES]), numbers=numbers, economy_hash=economy.hash)


def _differences(a: Variant, b: Variant) -> list[Line]:
    pa, pb = a.parameters, b.parameters
    out: list[Line] = []
    if pa.hours != pb.hours:
        out.append(_hours_difference(a.label, b.label, pb.hours - pa.hours))
    for which in ("investment", "public"):
        share_a, share_b = getattr(pa, which), getattr(pb, which)
        if share_a != share_b:
            out.append(_share_difference(a.label, b.label, which, share_a, share_b))
    if pa.horizon != pb.horizon:
        msg = Msg.of(
            N_("{b} plans {years} years, {a} {other}"),
            a=a.label,
            b=b.label,
            years=pb.horizon,
            other=pa.horizon,
        )
        out.append((msg, {"parameter": "horizon", "a": pa.horizon, "b": pb.horizon}))
    for owner, mine, theirs in ((b.label, pb, pa), (a.label, pa, pb)):
        for change in mine.changes:
            if change not in theirs.changes:
                msg = Msg.of(N_("{label} also: {change}"), label=owner, change=change_msg(change))
                out.append((msg, {"parameter": "change", "variant": owner, "change": change}))
    return out + _offer_differences(a, b)


def _offer_differences(a: Variant, b: Variant) -> list[Line]:
    """Workplaces' expansions in one variant and not the other; capacities stated differently."""
    pa, pb = a.parameters, b.parameters
    out: list[Line] = []
    for owner, mine, theirs in ((b.label, pb, pa), (a.label, pa, pb)):
        others = _expansions(theirs)
        for workplace, label in _expansions(mine):
            if (workplace, label) not in others:
                msg = Msg.of(
                    N_("{label} also: {change}"), label=owner, change=f"{workplace}: {label}"
                )
                detail = {"parameter": "expansion", "variant": owner, "workplace": workplace}
                out.append((msg, {**detail, "expansion": label}))
    if _capacities(pa) != _capacities(pb):
        msg = Msg.of(
            N_("{a} and {b} start from different workplace capacities"), a=a.label, b=b.label
        )
        out.append((msg, {"parameter": "capacities"}))
    return out


def _expansions(parameters: Parameters) -> list[tuple[str, str]]:
    return [(o.workplace, e.label) for o in parameters.offers for e in o.expansions]


def _capacities(parameters: Parameters) -> set[tuple[str, str, float, float]]:
    return {(o.workplace, o.sector, o.output_now, o.capacity) for o in parameters.offers}


def _hours_difference(a: str, b: str, diff: float) -> Line:
    key = (
        N_("{b} has {hours:g} h more work a week than {a}")
        if diff > 0
        else N_("{b} has {hours:g} h less work a week than {a}")
    )
    return Msg.of(key, a=a, b=b, hours=abs(diff)), {"parameter": "hours", "difference": diff}


def _share_difference(
    a: str, b: str, which: str, share_a: float | None, share_b: float | None
) -> Line:
    detail = {"parameter": which, "a": share_a, "b": share_b}
    if share_a is None or share_b is None:
        fixed, label, other = (share_b, b, a) if share_a is None else (share_a, a, b)
        key = (
            N_("{label} fixes investment at {share:g}% of the work; {other} leaves it to the plan")
            if which == "investment"
            else N_("{label} fixes public services at {share:g}% of the work; {other} does not")
        )
        return Msg.of(key, label=label, other=other, share=_points(fixed or 0.0)), detail
    diff = share_b - share_a
    keys = {
        ("investment", True): N_(
            "{b} puts {points:g} points more of the work into investment than {a}"
        ),
        ("investment", False): N_(
            "{b} puts {points:g} points less of the work into investment than {a}"
        ),
        ("public", True): N_(
            "{b} puts {points:g} points more of the work into public services than {a}"
        ),
        ("public", False): N_(
            "{b} puts {points:g} points less of the work into public services than {a}"
        ),
    }
    return Msg.of(keys[(which, diff > 0)], a=a, b=b, points=_points(abs(diff))), detail


def change_msg(change: SectorChange) -> Msg:
    """A sector change in words: "close coal", "bread +20%"."""
    if change.closes:
        return Msg.of(N_("close {name}"), name=_short(change.product))
    return Msg.of(
        N_("{name} {percent:+d}%"), name=_short(change.product), percent=_percent(change.factor - 1)
    )


def _effect(economy: Economy, a: Variant, b: Variant, causes: int) -> Line | None:
    """What the differences do to consumption per person: in year 1 and its growth after."""
    if a.plan is None or b.plan is None:
        missing = b if b.plan is None else a
        return Msg.of(
            N_("{label} is not possible, so it has no consumption to compare"), label=missing.label
        ), {}
    fa, fb = figures(economy, a), figures(economy, b)
    change = float(fb.consumption[0] / fa.consumption[0] - 1.0)
    growth = None if fa.growth is None or fb.growth is None else fb.growth - fa.growth
    numbers = {"consumption_change": change, "growth_change": growth}
    if abs(100 * change) < SAME_PERCENT:
        key = N_("Consumption per person in year 1 is about the same in {b} as in {a}")
        return Msg.of(key, a=a.label, b=b.label), numbers
    direction = Msg.of(N_("higher")) if change > 0 else Msg.of(N_("lower"))
    params = {"a": a.label, "b": b.label, "percent": abs(_percent(change)), "direction": direction}
    if growth is not None and abs(100 * growth) >= 0.05:
        speed = Msg.of(N_("faster")) if growth > 0 else Msg.of(N_("slower"))
        key = (
            N_(
                "That is why consumption per person in {b} is {percent}% {direction} in year 1 "
                "and grows {growth:.1f} points a year {speed}"
            )
            if causes == 1
            else N_(
                "Together, consumption per person in {b} is {percent}% {direction} in year 1 "
                "and grows {growth:.1f} points a year {speed}"
            )
        )
        return Msg.of(key, growth=abs(100 * growth), speed=speed, **params), numbers
    key = (
        N_("That is why consumption per person in {b} is {percent}% {direction} in year 1")
        if causes == 1
        else N_("Together, consumption per person in {b} is {percent}% {direction} in year 1")
    )
    return Msg.of(key, **params), numbers
