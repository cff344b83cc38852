"""Plan variants: the parameters an assembly votes on, and the plans they give.

A variant is a set of parameters (weekly hours, the shares of the work that
go to investment and to public services, the horizon, and changes to named
sectors), the plan computed from them, or the report of why no plan can meet
them, and its provenance (the data's hash and the parameters). The factory
offers a few default variants that span the trade-offs, adds every member
proposal, ranks none and drops none. How the parameters enter the model is
in docs/planning-variants.md; in short:

- hours scale the labour supply: hours / ``Setting.baseline_hours``;
- the investment and public shares are exact constraints on the shares of
  the year's work (at labour values) that is accumulated, and that is
  consumed as products marked public (``core.planning.steering``);
- "close X" holds X's output at 0 and drops its consumption target;
  "X +20%" asks at least 1.2 x today's output of X from year 2 and raises
  its target by 20%; "X -10%" holds X at 0.9 x today's output or less and
  lowers its target by 10%;
- workplaces' offers (``core.planning.workplaces``) cap their sectors' year-1
  output at what they say they can make, ask the equipment of each expansion
  built in year 1 and its gain made from year 2 (docs/planning-workplaces.md);
- ``Setting.criterion`` "balanced" weighs each product's harmony by its part
  of today's consumption (``steering.criterion_weights``) instead of
  Cockshott's equal weights (docs/planning-variants.md, "A balanced criterion").
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import Refusal
from core.planning.economy import Economy
from core.planning.multiyear import plan_harmony
from core.planning.plan import Plan
from core.planning.steering import (
    CRITERIA,
    Shortfall,
    Start,
    Steering,
    labour_values,
    plan_steered,
    shortfall,
)

if TYPE_CHECKING:
    from core.planning.workplaces import Offer

Array = np.ndarray[Any, np.dtype[np.float64]]

BASELINE_HOURS = 40.0
MAX_HOURS = 80.0
FLOOR_FROM_YEAR = 2  # year 1 runs on the capital standing now, so a rise is asked from year 2
LP_FIRST_MAX = 300  # up to this many products, floors are checked by LP before planning
# The default variants: (investment share, hours above or below the baseline).
DEFAULT_GRID: tuple[tuple[float, float], ...] = (
    (0.10, 0.0),
    (0.20, 0.0),
    (0.30, 0.0),
    (0.20, -5.0),
    (0.20, 5.0),
)
MIDDLE = 1  # the default variant member proposals amend unless they name another


@dataclass(frozen=True)
class Setting:
    """What the data do not say and an assembly states once, for all its variants.

    ``baseline_hours``: the weekly hours per person the data's labour supply
    stands for. ``public_products``: the products consumed in common (health,
    education, public transport...); the public share counts their net output.
    ``criterion``: what the plans maximise, "harmony" (Cockshott's total
    harmony, every product alike) or "balanced" (harmony weighted by each
    product's part of today's consumption; ``steering.criterion_weights``).
    """

    baseline_hours: float = BASELINE_HOURS
    public_products: tuple[str, ...] = ()
    criterion: str = "harmony"

    def describe(self) -> dict[str, Any]:
        """Plain values; the criterion only when it is not the default, so that the
        provenance (and hashes) of harmony variants stay what they were."""
        out: dict[str, Any] = {
            "baseline_hours": self.baseline_hours,
            "public_products": list(self.public_products),
        }
        if self.criterion != "harmony":
            out["criterion"] = self.criterion
        return out


@dataclass(frozen=True)
class SectorChange:
    """A change to one sector: factor 0 closes it, above 1 raises it, below 1 lowers it."""

    product: str
    factor: float

    @property
    def closes(self) -> bool:
        return self.factor == 0.0

    def describe(self) -> str:
        if self.closes:
            return f"close {self.product}"
        return f"{self.product} {round(100 * (self.factor - 1)):+d}%"


@dataclass(frozen=True)
class Parameters:
    """What an assembly votes on. A share of None leaves it to the planner."""

    hours: float  # weekly hours of work per person
    investment: float | None  # share of each year's work accumulated (all years but the last)
    public: float | None  # share of each year's work consumed as public products
    horizon: int  # years planned
    changes: tuple[SectorChange, ...] = ()
    offers: tuple[Offer, ...] = ()  # workplaces' possibilities (core.planning.workplaces)

    @property
    def private(self) -> float | None:
        """The share left for private consumption (in the years with investment)."""
        if self.investment is None:
            return None
        return 1.0 - self.investment - (self.public or 0.0)

    def describe(self) -> dict[str, Any]:
        """Plain values for provenance: what anyone needs to recompute the variant.

        Offers appear only when there are some, so variants without them keep
        the provenance (and hashes) they had before offers existed.
        """
        out: dict[str, Any] = {
            "hours": self.hours,
            "investment": self.investment,
            "public": self.public,
            "horizon": self.horizon,
            "changes": [c.describe() for c in self.changes],
        }
        if self.offers:
            out["offers"] = [offer.describe() for offer in self.offers]
        return out


@dataclass(frozen=True, eq=False)
class Variant:
    """One variant: its parameters, its plan or why there is none, and where it came from."""

    label: str
    parameters: Parameters
    setting: Setting
    economy_hash: str  # the data the variant was computed from
    plan: Plan | None  # None when the parameters cannot be met
    shortfall: Shortfall | None  # why not, when there is no plan
    origin: str = ""  # "" for a default variant, else the member's own words
    proposer: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def feasible(self) -> bool:
        return self.plan is not None

    @property
    def provenance(self) -> dict[str, Any]:
        """Everything a figure of this variant depends on."""
        return {
            "economy": self.economy_hash,
            "parameters": self.parameters.describe(),
            "setting": self.setting.describe(),
            "plan_economy": self.plan.economy_hash if self.plan else None,
            "solver": dict(self.plan.parameters) if self.plan else None,
        }


def check(economy: Economy, parameters: Parameters, setting: Setting) -> None:
    """Refuse parameters no plan can be made from, saying which and why."""
    if setting.criterion not in CRITERIA:
        raise Refusal(
            "There is no plan criterion called '{criterion}'; there are: {known}.",
            criterion=setting.criterion,
            known=", ".join(CRITERIA),
        )
    if not 0 < parameters.hours <= MAX_HOURS:
        raise Refusal(
            "Weekly hours must be above 0 and at most {most}, not {hours}.",
            most=MAX_HOURS,
            hours=parameters.hours,
        )
    if not 1 <= parameters.horizon <= economy.years:
        raise Refusal(
            "The plan can cover 1 to {years} years (the data's), not {horizon}.",
            years=economy.years,
            horizon=parameters.horizon,
        )
    _check_shares(parameters, setting)
    known = set(economy.products)
    for name in [c.product for c in parameters.changes] + list(setting.public_products):
        if name not in known:
            raise Refusal("There is no sector called '{name}' in these data.", name=name)
    for change in parameters.changes:
        if change.factor < 0:
            raise Refusal("A sector cannot produce less than nothing: {name}.", name=change.product)
    if parameters.offers:
        from core.planning.workplaces import check_offers  # it imports this module

        check_offers(economy, parameters.offers, parameters.horizon)


def _check_shares(parameters: Parameters, setting: Setting) -> None:
    for share in (parameters.investment, parameters.public):
        if share is not None and not 0 <= share < 1:
            raise Refusal(
                "A share of the work must be from 0% to below 100%, not {share}%.",
                share=round(100 * share, 1),
            )
    if (parameters.investment or 0.0) + (parameters.public or 0.0) >= 1:
        raise Refusal("Investment and public services together must leave something to live on.")
    if parameters.public is not None and not setting.public_products:
        raise Refusal("No products are marked as public services, so there is no public share.")


def adjust(economy: Economy, parameters: Parameters, setting: Setting) -> Economy:
    """The economy the variant plans: labour scaled by hours, years cut, targets changed."""
    years = parameters.horizon
    targets = np.array(economy.targets[:years], dtype=np.float64)
    index = {name: i for i, name in enumerate(economy.products)}
    for change in parameters.changes:
        targets[:, index[change.product]] *= change.factor
    return dataclasses.replace(
        economy,
        labour_supply=economy.labour_supply[:years] * (parameters.hours / setting.baseline_hours),
        targets=targets,
    )


def common_shares(economy: Economy, setting: Setting) -> Array:
    """φ: 1 for each product marked public, 0 for the rest."""
    marked = set(setting.public_products)
    return np.array([1.0 if name in marked else 0.0 for name in economy.products])


def steering_for(economy: Economy, parameters: Parameters, setting: Setting) -> Steering:
    """The rows the parameters add to the plan (``economy`` already adjusted)."""
    t, n = economy.years, economy.size
    index = {name: i for i, name in enumerate(economy.products)}
    floors = np.zeros((t, n))
    ceilings = np.full((t, n), np.inf)
    for change in parameters.changes:
        j = index[change.product]
        level = change.factor * economy.base_output[j]
        if change.factor > 1:
            floors[min(FLOOR_FROM_YEAR, t) - 1 :, j] = level
        elif change.factor < 1:
            ceilings[:, j] = level
    equipment = None
    if parameters.offers:
        from core.planning.workplaces import offer_limits  # it imports this module

        equipment = offer_limits(economy, parameters.offers, floors, ceilings)
    return Steering(
        investment=parameters.investment,
        public=parameters.public,
        common=common_shares(economy, setting) if parameters.public is not None else None,
        floors=floors if floors.any() else None,
        ceilings=ceilings if np.isfinite(ceilings).any() else None,
        equipment=equipment if equipment is not None and equipment.any() else None,
    )


def compute(
    economy: Economy,
    parameters: Parameters,
    setting: Setting | None = None,
    *,
    label: str = "",
    origin: str = "",
    proposer: str = "",
    start: Start | None = None,
) -> tuple[Variant, Start | None]:
    """One variant, and the solver state to warm-start a similar one from."""
    setting = setting or Setting()
    started = time.perf_counter()
    check(economy, parameters, setting)
    planned = adjust(economy, parameters, setting)
    steering = steering_for(planned, parameters, setting)
    plan, short, state, notes = _solve(planned, steering, start, setting.criterion)
    variant = Variant(
        label=label,
        parameters=parameters,
        setting=setting,
        economy_hash=economy.hash,
        plan=plan,
        shortfall=short,
        origin=origin,
        proposer=proposer,
        seconds=time.perf_counter() - started,
        notes=notes,
    )
    return variant, state


def _solve(
    economy: Economy, steering: Steering, start: Start | None, criterion: str = "harmony"
) -> tuple[Plan | None, Shortfall | None, Start | None, tuple[str, ...]]:
    """Plan, or explain why not: floors (of output or equipment) are checked by LP first
    on small economies, after a planning attempt that misses them on large ones (where
    the LP is slow). With nothing steered, Cockshott's criterion gets ``plan_harmony``
    and its certified bound; "balanced" goes through ``plan_steered`` (no bound)."""
    if steering.free and criterion == "harmony":
        return plan_harmony(economy), None, None, ()
    floors = steering.lower
    if floors and economy.size <= LP_FIRST_MAX:
        short = shortfall(economy, steering)
        if short is not None:
            return None, short, start, ()
    solved = plan_steered(economy, steering, start=start, criterion=criterion)
    if solved.met:
        return solved.plan, None, solved.start, ()
    short = shortfall(economy, steering) if floors else None
    if short is not None:
        return None, short, start, ()
    return solved.plan, None, solved.start, ("rows met only approximately",)


def default_parameters(economy: Economy, setting: Setting | None = None) -> list[Parameters]:
    """The default variants: investment 10, 20 and 30%, and 20% with 5 h less and more.

    With public products marked, all keep today's public share of the work
    (``public_share_now``). Keeping it the same lets "why" put each
    difference down to one parameter.
    """
    setting = setting or Setting()
    public = public_share_now(economy, setting)
    return [
        Parameters(
            hours=setting.baseline_hours + extra_hours,
            investment=investment,
            public=public,
            horizon=economy.years,
        )
        for investment, extra_hours in DEFAULT_GRID
    ]


def public_share_now(economy: Economy, setting: Setting) -> float | None:
    """Today's share of the work that public products' net output takes; None if none marked.

    Net output today is (I - A)·base output, and its labour value is the
    hours worked today, so this is the public share as the parameter defines
    it, measured on what is made now (which the capital standing now fits).
    """
    if not setting.public_products:
        return None
    values = labour_values(economy)
    base = np.asarray(economy.base_output)
    net = base - economy.inputs @ base
    work = float(economy.labour @ base)
    public = float((net * values) @ common_shares(economy, setting))
    return public / work if work > 0 else 0.0


def labels() -> Iterable[str]:
    """A, B, … Z, then A2, B2, …: short names for a ballot."""
    round_ = 1
    while True:
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            yield letter if round_ == 1 else f"{letter}{round_}"
        round_ += 1


@dataclass(frozen=True)
class Request:
    """A variant to compute: its parameters and, for a member's proposal, their words."""

    parameters: Parameters
    origin: str = ""
    proposer: str = ""


def compute_all(
    economy: Economy, requests: Sequence[Request], setting: Setting | None = None
) -> list[Variant]:
    """Every requested variant, in order, each labelled; warm starts carried between them."""
    setting = setting or Setting()
    out: list[Variant] = []
    state: Start | None = None
    for label, request in zip(labels(), requests, strict=False):
        variant, next_state = compute(
            economy,
            request.parameters,
            setting,
            label=label,
            origin=request.origin,
            proposer=request.proposer,
            start=state,
        )
        state = next_state or state
        out.append(variant)
    return out


def variants(
    economy: Economy,
    setting: Setting | None = None,
    proposals: Sequence[Request] = (),
) -> list[Variant]:
    """The default variants, then every member proposal: none ranked, none dropped."""
    setting = setting or Setting()
    defaults = [Request(p) for p in default_parameters(economy, setting)]
    return compute_all(economy, [*defaults, *proposals], setting)


def base_parameters(economy: Economy, setting: Setting | None = None) -> Parameters:
    """What a member proposal amends when it names no variant: the middle default."""
    return default_parameters(economy, setting)[MIDDLE]
