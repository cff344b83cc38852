"""Workplaces' offers: what each can make next period, and the expansions it proposes.

An assembly states its workplace's productive possibilities for the next
period in plain words (English or Spanish, ``parse_offer``):

    printing; now 120; capacity 150; expand two new presses: +40 with 2.5 machinery
    imprenta; ahora 120; capacidad 150; ampliar dos prensas nuevas: +40 con 2,5 maquinaria

The factory regroups the offers by sector, finds which expansions cannot be
had even alone, which pairs cannot be had together, and which take a
noticeable part of other sectors' output (``assess``); then it builds
variants from groups of expansions that fit together (``requests``), so that
neither side of a conflict is dropped. It decides nothing: every expansion
is in a variant or reported with what stands in its way.

How an offer enters the model (``offer_limits``; docs/planning-workplaces.md):

- capacity: the sector's year-1 gross output is at most its output now,
  less what the reporting workplaces make now, plus what they say they can
  make (the part of the sector nobody reported for makes what it makes now);
- an expansion's equipment: at least that much of each product is built into
  the sector's capital cell in year 1 (a floor on accumulation);
- an expansion's gain: from year 2 the sector makes at least its output now
  (or its year-1 capacity, if lower) plus the gains of its expansions.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from core.errors import Refusal
from core.messages import N_, Msg
from core.planning import variants
from core.planning.economy import Economy, cells
from core.planning.proposals import resolve
from core.planning.static import gross_output
from core.planning.steering import Shortfall, shortfall
from core.planning.summaries import binding_msg
from core.planning.variants import (
    FLOOR_FROM_YEAR,
    Parameters,
    Request,
    Setting,
    adjust,
    check,
    steering_for,
)

Array = np.ndarray[Any, np.dtype[np.float64]]
Ref = tuple[int, int]  # (offer, expansion): an expansion by its place in the offers

MAX_EXPANSIONS = 10  # per offer
MAX_EQUIPMENT = 10  # products per expansion
LABEL_LIMIT = 80  # characters of an expansion's name
WORKPLACE_LIMIT = 200
MAX_GROUPS = 3  # variants built from expansions that fit together
PAIRS_MAX = 12  # expansions possible alone above which pairs are not checked one by one
HIT_SHARE = 0.01  # a sector is "hit" when an expansion's equipment takes this part of its output
HITS_SHOWN = 3
MAX_LINES = 8
NAME_LIMIT = 24  # characters of a sector's name in a line
ORIGIN_LIMIT = 200
OVER = 1e-9  # relative rounding allowed when offers add up to a sector's whole output

NUMBER = r"(?P<num>[-\u2212+]?\s*\d+(?:[.,]\d+)?)"
NOW = re.compile(
    rf"^(?:output now|producing now|makes now|now|today|currently|ahora|hoy|actualmente|"
    rf"produccion actual|produce ahora)\s*:?\s*{NUMBER}$"
)
CAPACITY = re.compile(
    rf"^(?:capacity|could make|can make|capacidad|puede hacer|podria hacer)\s*:?\s*{NUMBER}$"
)
EXPAND_WORD = r"(?:expand|expansion|ampliar|ampliaci[oó]n|ampl[ií]a)"
EXPAND_HEAD = re.compile(rf"^{EXPAND_WORD}\b", re.IGNORECASE)
EXPAND = re.compile(
    rf"^{EXPAND_WORD}\s*:?\s+(?P<label>.+?)\s*(?::\s*|\s+(?=[-\u2212+]))"
    rf"(?P<gain>[-\u2212+]?\s*\d+(?:[.,]\d+)?)\s+(?:with|con)\s+(?P<items>.+)$",
    re.IGNORECASE,
)
# Items start with a number; commas inside a number ("2,5") are decimal commas.
ITEM_SPLIT = re.compile(
    r"\s*(?:(?<!\d),|,(?=\s)|\s(?:and|y)\s|\s\+\s)\s*(?=[-\u2212]?\d)", re.IGNORECASE
)
ITEM = re.compile(
    rf"^{NUMBER}\s*(?:x\s+|units?\s+of\s+|unidades\s+de\s+)?(?P<name>\D.*)$", re.IGNORECASE
)
EXAMPLE = N_("printing; now 120; capacity 150; expand two new presses: +40 with 2.5 machinery")


@dataclass(frozen=True)
class Expansion:
    """A new piece of a workplace: its own words, the output it adds, the equipment it needs."""

    label: str  # the workplace's own words, e.g. "two new presses"
    gain: float  # extra output a year of its sector's product, from year 2, in the product's unit
    equipment: tuple[tuple[str, float], ...]  # (product, quantity in its unit), built in year 1

    def describe(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "gain": self.gain,
            "equipment": [[name, quantity] for name, quantity in self.equipment],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Expansion:
        return cls(
            label=str(data["label"]),
            gain=float(data["gain"]),
            equipment=tuple((str(n), float(q)) for n, q in data["equipment"]),
        )


@dataclass(frozen=True)
class Offer:
    """What one workplace can make next period, and the expansions it proposes."""

    workplace: str  # the assembly's name
    sector: str  # the product the workplace makes, exact name in the data
    output_now: float  # what it makes now a year (product's unit)
    capacity: float  # what it could make next period without new equipment
    expansions: tuple[Expansion, ...] = ()

    def describe(self) -> dict[str, Any]:
        """Plain values for storage and provenance (``from_dict`` reads them back)."""
        return {
            "workplace": self.workplace,
            "sector": self.sector,
            "output_now": self.output_now,
            "capacity": self.capacity,
            "expansions": [e.describe() for e in self.expansions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Offer:
        return cls(
            workplace=str(data["workplace"]),
            sector=str(data["sector"]),
            output_now=float(data["output_now"]),
            capacity=float(data["capacity"]),
            expansions=tuple(Expansion.from_dict(e) for e in data.get("expansions", ())),
        )


# --- Reading an offer --------------------------------------------------------------------------


def parse_offer(
    text: str,
    workplace: str,
    products: Sequence[str],
    aliases: Mapping[str, str] | None = None,
) -> Offer:
    """Read an offer in plain words; refuse, saying what to add or what was not understood."""
    aliases = aliases or {}
    segments = [s for s in re.split(r"\s*(?:;|\n)\s*", text.strip()) if s]
    if not segments:
        raise Refusal("The offer is empty. For example: {example}", example=Msg(EXAMPLE))
    first = segments[0]
    if _numbers_segment(first) or EXPAND_HEAD.match(first):
        raise Refusal(
            "Start the offer with the sector the workplace works in. For example: {example}",
            example=Msg(EXAMPLE),
        )
    sector = find_product(first, products, aliases)
    now: float | None = None
    capacity: float | None = None
    expansions: list[Expansion] = []
    for segment in segments[1:]:
        folded = _fold(segment)
        said_now, said_capacity = NOW.match(folded), CAPACITY.match(folded)
        if said_now or said_capacity:
            if (said_now and now is not None) or (said_capacity and capacity is not None):
                raise Refusal("The offer says this twice: '{text}'. Say it once.", text=segment)
            if said_now:
                now = _number(said_now["num"])
            elif said_capacity:
                capacity = _number(said_capacity["num"])
        elif EXPAND_HEAD.match(segment):
            expansions.append(_expansion(segment, products, aliases))
        else:
            raise Refusal(
                "I cannot read '{text}' in the offer. For example: {example}",
                text=segment,
                example=Msg(EXAMPLE),
            )
    if now is None:
        raise Refusal(
            "Add what the workplace makes now in a year, as in 'now 120'. For example: {example}",
            example=Msg(EXAMPLE),
        )
    if capacity is None:
        raise Refusal(
            "Add what the workplace could make next period without new equipment, as in "
            "'capacity 150'. For example: {example}",
            example=Msg(EXAMPLE),
        )
    offer = Offer(workplace, sector, now, capacity, tuple(expansions))
    validate(offer)
    return offer


def _numbers_segment(segment: str) -> bool:
    folded = _fold(segment)
    return bool(NOW.match(folded) or CAPACITY.match(folded))


def _expansion(segment: str, products: Sequence[str], aliases: Mapping[str, str]) -> Expansion:
    match = EXPAND.match(segment.strip())
    if match is None:
        raise Refusal(
            "I cannot read the expansion '{text}'. Write what it adds a year and the "
            "equipment it needs, as in: expand two new presses: +40 with 2.5 machinery",
            text=segment,
        )
    equipment: dict[str, float] = {}
    items = [i for i in ITEM_SPLIT.split(match["items"].strip()) if i]
    if len(items) > MAX_EQUIPMENT:
        raise Refusal(
            "An expansion can name at most {most} kinds of equipment, not {count}.",
            most=MAX_EQUIPMENT,
            count=len(items),
        )
    for item in items:
        read = ITEM.match(item.strip())
        if read is None:
            raise Refusal(
                "I cannot read '{text}' as equipment: write a quantity and a product, "
                "as in '2.5 machinery'.",
                text=item,
            )
        name = find_product(read["name"], products, aliases)
        equipment[name] = equipment.get(name, 0.0) + _number(read["num"])
    return Expansion(match["label"].strip(), _number(match["gain"]), tuple(equipment.items()))


def find_product(
    name: str, products: Sequence[str], aliases: Mapping[str, str] | None = None
) -> str:
    """``proposals.resolve``, except that among several names containing the words, the
    only one starting with them is taken ("machinery": "Machinery and equipment n.e.c.",
    not "Repair … of machinery")."""
    try:
        return resolve(name, products, aliases)
    except Refusal:
        key = _words(name)
        leading = sorted({p for p in products if key and _words(p).startswith(key)})
        if len(leading) == 1:
            return leading[0]
        raise


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(" ", "").replace(",", "."))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(plain.split())


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _fold(text)))


# --- Checking offers ---------------------------------------------------------------------------


def validate(offer: Offer) -> None:
    """Refuse what no data can make sense of: negative or missing numbers, too much, no name."""
    if not offer.workplace.strip() or len(offer.workplace) > WORKPLACE_LIMIT:
        raise Refusal(
            "An offer needs the workplace's name (at most {most} characters).",
            most=WORKPLACE_LIMIT,
        )
    for value in (offer.output_now, offer.capacity):
        _amount(value, offer.sector)
    if len(offer.expansions) > MAX_EXPANSIONS:
        raise Refusal(
            "An offer can propose at most {most} expansions, not {count}.",
            most=MAX_EXPANSIONS,
            count=len(offer.expansions),
        )
    labels = [e.label.strip() for e in offer.expansions]
    for expansion, label in zip(offer.expansions, labels, strict=True):
        if not label or len(label) > LABEL_LIMIT:
            raise Refusal(
                "Name each expansion in at most {most} characters, like 'two new presses'.",
                most=LABEL_LIMIT,
            )
        if labels.count(label) > 1:
            raise Refusal("Two expansions are both called '{label}'.", label=label)
        _amount(expansion.gain, offer.sector)
        if not expansion.equipment:
            raise Refusal(
                "Say what equipment '{label}' needs, as in 'with 2.5 machinery'.", label=label
            )
        if len(expansion.equipment) > MAX_EQUIPMENT:
            raise Refusal(
                "An expansion can name at most {most} kinds of equipment, not {count}.",
                most=MAX_EQUIPMENT,
                count=len(expansion.equipment),
            )
        for product, quantity in expansion.equipment:
            _amount(quantity, product)
            if quantity == 0:
                raise Refusal("'{label}' asks for no {product}.", label=label, product=product)


def _amount(value: float, product: str) -> None:
    if not math.isfinite(value):
        raise Refusal("'{value}' is not a number ({product}).", value=value, product=product)
    if value < 0:
        raise Refusal(
            "Amounts in an offer cannot be negative: {value} ({product}).",
            value=value,
            product=product,
        )


def check_offer(economy: Economy, offer: Offer) -> None:
    """Refuse an offer these data cannot plan, naming what is wrong."""
    validate(offer)
    index = {name: i for i, name in enumerate(economy.products)}
    if offer.sector not in index:
        raise Refusal("There is no sector called '{name}' in these data.", name=offer.sector)
    s = index[offer.sector]
    base = float(economy.base_output[s])
    if offer.output_now > base * (1 + OVER):
        raise Refusal(
            "{workplace} says it makes {now:g} of {sector} now, more than the whole sector "
            "makes in these data ({base:g}).",
            workplace=offer.workplace,
            now=offer.output_now,
            sector=offer.sector,
            base=base,
        )
    uses = _equipment_of(economy)[s]
    for expansion in offer.expansions:
        for product, _ in expansion.equipment:
            if product not in index:
                raise Refusal("There is no sector called '{name}' in these data.", name=product)
            if index[product] in uses:
                continue
            if not uses:
                raise Refusal(
                    "{sector} uses no equipment in these data, so '{label}' cannot be planned.",
                    sector=offer.sector,
                    label=expansion.label,
                )
            raise Refusal(
                "{sector} does not use {product} as equipment in these data. It uses: {uses}.",
                sector=offer.sector,
                product=product,
                uses="; ".join(economy.products[k] for k in sorted(uses)),
            )


def check_offers(economy: Economy, offers: Sequence[Offer], horizon: int) -> None:
    """Each offer, and together: one offer per workplace, no sector over its whole output,
    and a plan long enough for an expansion to work (built in year 1, working in year 2)."""
    seen: set[str] = set()
    for offer in offers:
        check_offer(economy, offer)
        if _fold(offer.workplace) in seen:
            raise Refusal("{workplace} has two offers; keep one.", workplace=offer.workplace)
        seen.add(_fold(offer.workplace))
    index = {name: i for i, name in enumerate(economy.products)}
    for sector, members in _by_sector(offers).items():
        now = sum(o.output_now for o in members)
        base = float(economy.base_output[index[sector]])
        if now > base * (1 + OVER):
            raise Refusal(
                "The workplaces of {sector} say they make {now:g} together, more than the "
                "whole sector makes in these data ({base:g}).",
                sector=sector,
                now=now,
                base=base,
            )
    if horizon < FLOOR_FROM_YEAR and any(o.expansions for o in offers):
        raise Refusal(
            "An expansion needs a plan of at least 2 years: its equipment is built in year 1 "
            "and works from year 2."
        )


def _equipment_of(economy: Economy) -> dict[int, set[int]]:
    """For each industry, the products it holds as capital in these data."""
    product, industry = cells(economy)
    out: dict[int, set[int]] = {j: set() for j in range(economy.size)}
    for k, j in zip(product.tolist(), industry.tolist(), strict=True):
        out[j].add(k)
    return out


def _by_sector(offers: Sequence[Offer]) -> dict[str, list[Offer]]:
    out: dict[str, list[Offer]] = {}
    for offer in offers:
        out.setdefault(offer.sector, []).append(offer)
    return out


# --- Offers as rows of the model ---------------------------------------------------------------


def offer_limits(
    economy: Economy,
    offers: Sequence[Offer],
    floors: Array,
    ceilings: Array,
    *,
    gains: bool = True,
) -> Array:
    """Put the offers' ceilings and floors into ``floors`` and ``ceilings`` (TxN, in place,
    merged by min and max with what is there); return the equipment floors, (T-1) x cells.

    ``gains=False`` leaves the gains out: the floor of a sector with expansions is then
    what it makes without them (the part ``shortfall`` holds in full).
    """
    t = economy.years
    index = {name: i for i, name in enumerate(economy.products)}
    product, industry = cells(economy)
    cell = {(int(k), int(j)): c for c, (k, j) in enumerate(zip(product, industry, strict=True))}
    equipment = np.zeros((max(t - 1, 0), product.size))
    for sector, members in _by_sector(offers).items():
        s = index[sector]
        base = float(economy.base_output[s])
        limit = sector_capacity(base, members)
        ceilings[0, s] = min(ceilings[0, s], limit)
        expansions = [e for o in members for e in o.expansions]
        if not expansions or t < FLOOR_FROM_YEAR:
            continue
        level = min(base, limit) + (sum(e.gain for e in expansions) if gains else 0.0)
        floors[FLOOR_FROM_YEAR - 1 :, s] = np.maximum(floors[FLOOR_FROM_YEAR - 1 :, s], level)
        for expansion in expansions:
            for name, quantity in expansion.equipment:
                equipment[0, cell[(index[name], s)]] += quantity
    return equipment


def sector_capacity(base: float, offers: Sequence[Offer]) -> float:
    """Year 1's ceiling: what nobody reported for makes what it makes now, the rest its capacity."""
    return max(base - sum(o.output_now for o in offers), 0.0) + sum(o.capacity for o in offers)


# --- Assessing offers together -----------------------------------------------------------------


@dataclass(frozen=True)
class SectorOffers:
    """The offers of one sector, added up."""

    sector: str
    workplaces: tuple[str, ...]
    output_now: float  # what they make now, together
    capacity: float  # what they can make next period, together
    base_output: float  # what the whole sector makes now (the data's)
    ceiling: float  # the sector's year-1 ceiling these offers set
    expansions: tuple[Ref, ...]

    @property
    def covered(self) -> float:
        """The part of the sector's output now that the offers report for."""
        return self.output_now / self.base_output if self.base_output > 0 else 0.0


@dataclass(frozen=True)
class Conflict:
    """Two expansions each possible alone, not together."""

    first: Ref
    second: Ref
    shortfall: Shortfall


@dataclass(frozen=True)
class Hit:
    """Gross output of another sector an expansion's equipment takes (static, (I - A)⁻¹·e)."""

    sector: str
    output: float  # in the sector's unit
    share: float  # of the sector's output now


@dataclass(frozen=True, eq=False)
class Assessment:
    """The offers regrouped, what cannot be had alone or together, and the groups that fit.

    ``alone[ref]`` is None for an expansion possible alone, its shortfall
    otherwise; an expansion missing from ``alone`` was not checked (large
    economies). Every expansion is in a group, or impossible alone, or in
    ``left_out`` (conflicts beyond ``MAX_GROUPS`` variants): none is dropped.
    """

    economy_hash: str
    parameters: Parameters  # the base, without offers
    setting: Setting
    offers: tuple[Offer, ...]
    sectors: tuple[SectorOffers, ...]
    alone: dict[Ref, Shortfall | None]
    conflicts: tuple[Conflict, ...]
    hits: dict[Ref, tuple[Hit, ...]]
    groups: tuple[tuple[Ref, ...], ...]
    left_out: tuple[Ref, ...]
    base_shortfall: Shortfall | None  # when the capacities alone do not fit the base
    checked: bool  # expansions checked alone (economies up to LP_FIRST_MAX products)
    pairs_checked: bool
    seconds: float

    @property
    def refs(self) -> tuple[Ref, ...]:
        """Every expansion, in the order offered."""
        return tuple((i, j) for i, o in enumerate(self.offers) for j in range(len(o.expansions)))

    def expansion(self, ref: Ref) -> tuple[Offer, Expansion]:
        offer = self.offers[ref[0]]
        return offer, offer.expansions[ref[1]]

    def name(self, ref: Ref) -> str:
        """ "Printing Co-op: two new presses": the workplace's name and its own words."""
        offer, expansion = self.expansion(ref)
        return f"{offer.workplace}: {expansion.label}"

    @property
    def impossible(self) -> tuple[Ref, ...]:
        return tuple(r for r in self.refs if self.alone.get(r) is not None)

    def lines(self, limit: int | None = MAX_LINES) -> list[Msg]:
        """Phone-sized: the sectors, what cannot be had alone or together (with what binds),
        what is in no variant, other sectors hit. Past ``limit``, a last line says how many
        more there are (``limit=None`` gives all)."""
        out: list[Msg] = []
        if self.base_shortfall is not None:
            out.append(
                Msg.of(
                    N_("Even without expansions the base variant is not possible: {short}"),
                    short=shortfall_msg(self.base_shortfall),
                )
            )
        out += [_sector_line(self, group) for group in self.sectors]
        for ref in self.impossible:
            short = self.alone[ref]
            assert short is not None
            out.append(_impossible_line(self.name(ref), short))
        out += [_conflict_line(self, c) for c in self.conflicts]
        if self.left_out:
            out.append(
                Msg.of(
                    N_("In none of the {count} variants (each conflicts with them): {names}"),
                    count=len(self.groups),
                    names="; ".join(self.name(r) for r in self.left_out),
                )
            )
        if not self.checked:
            out.append(
                Msg.of(
                    N_(
                        "Too many sectors to check expansions one by one: one variant holds "
                        "them all and says what binds if they do not fit."
                    )
                )
            )
        elif not self.pairs_checked:
            out.append(
                Msg.of(
                    N_(
                        "Over {count} expansions: pairs were not checked one by one; "
                        "the variants hold those that fit together."
                    ),
                    count=PAIRS_MAX,
                )
            )
        out += [_hits_line(self.name(r), hits) for r, hits in self.hits.items() if hits]
        if limit is not None and len(out) > limit:
            more = len(out) - (limit - 1)
            out = out[: limit - 1]
            out.append(Msg.of(N_("…and {count} more lines in the full assessment"), count=more))
        return out

    def describe(self) -> dict[str, Any]:
        """Plain values: everything each line comes from, for storage and provenance."""
        return {
            "economy": self.economy_hash,
            "parameters": self.parameters.describe(),
            "setting": self.setting.describe(),
            "offers": [o.describe() for o in self.offers],
            "sectors": [
                {
                    "sector": g.sector,
                    "workplaces": list(g.workplaces),
                    "output_now": g.output_now,
                    "capacity": g.capacity,
                    "base_output": g.base_output,
                    "ceiling": g.ceiling,
                    "expansions": [list(r) for r in g.expansions],
                }
                for g in self.sectors
            ],
            "expansions": [
                {
                    "ref": list(r),
                    "name": self.name(r),
                    "checked": r in self.alone,
                    "alone": _shortfall_json(self.alone.get(r)),
                    "hits": [[h.sector, h.output, h.share] for h in self.hits.get(r, ())],
                }
                for r in self.refs
            ],
            "conflicts": [
                [list(c.first), list(c.second), _shortfall_json(c.shortfall)]
                for c in self.conflicts
            ],
            "groups": [[list(r) for r in g] for g in self.groups],
            "left_out": [list(r) for r in self.left_out],
            "base_shortfall": _shortfall_json(self.base_shortfall),
            "checked": self.checked,
            "pairs_checked": self.pairs_checked,
        }


def assess(
    economy: Economy, offers: Sequence[Offer], parameters: Parameters, setting: Setting
) -> Assessment:
    """Regroup the offers, check each expansion alone and in pairs, and group those that fit.

    Checks use the θ programme (``steering.shortfall``) on ``parameters``
    (usually the middle default) with every offer's capacity: up to
    ``LP_FIRST_MAX`` products each expansion alone, then each pair of those
    possible alone (up to ``PAIRS_MAX`` of them), then greedy groups. Larger
    economies make one group of every expansion, unchecked (the LP takes tens
    of seconds there); its variant says what binds if they do not fit.
    """
    started = time.perf_counter()
    offers = tuple(offers)
    plain = replace(parameters, offers=())
    check(economy, replace(plain, offers=offers), setting)
    planned = adjust(economy, plain, setting)
    refs = [(i, j) for i, o in enumerate(offers) for j in range(len(o.expansions))]
    trial = _Trial(planned, plain, setting, offers)
    checked = economy.size <= variants.LP_FIRST_MAX
    base_shortfall = trial.test(()) if checked else None
    alone: dict[Ref, Shortfall | None] = {r: trial.test((r,)) for r in refs} if checked else {}
    possible = [r for r in refs if alone.get(r) is None]
    if checked:
        trial.fits(possible)  # if all fit together, the groups and pairs below need no LP
        groups, left_out = _groups(possible, trial.fits)
    else:
        groups, left_out = [tuple(refs)], []
    pairs_checked = checked and len(possible) <= PAIRS_MAX
    conflicts: list[Conflict] = []
    if pairs_checked:  # pairs inside a group fit without another programme
        for a, first in enumerate(possible):
            for second in possible[a + 1 :]:
                short = trial.test((first, second))
                if short is not None:
                    conflicts.append(Conflict(first, second, short))
    return Assessment(
        economy_hash=economy.hash,
        parameters=plain,
        setting=setting,
        offers=offers,
        sectors=_regroup(economy, offers),
        alone=alone,
        conflicts=tuple(conflicts),
        hits={r: _hits(economy, offers, r) for r in refs},
        groups=tuple(groups),
        left_out=tuple(left_out),
        base_shortfall=base_shortfall,
        checked=checked,
        pairs_checked=pairs_checked,
        seconds=time.perf_counter() - started,
    )


class _Trial:
    """The θ programme for the base with some of the expansions, each group solved once."""

    def __init__(
        self, planned: Economy, plain: Parameters, setting: Setting, offers: tuple[Offer, ...]
    ) -> None:
        self.planned, self.plain, self.setting, self.offers = planned, plain, setting, offers
        self.found: dict[frozenset[Ref], Shortfall | None] = {}

    def test(self, group: Sequence[Ref]) -> Shortfall | None:
        """None if the group fits the base, else its shortfall."""
        key = frozenset(group)
        if key in self.found:
            return self.found[key]
        if any(short is None and key <= known for known, short in self.found.items()):
            return None  # part of a group that fits: fewer floors never make it harder
        params = replace(self.plain, offers=restrict(self.offers, group))
        steering = steering_for(self.planned, params, self.setting)
        self.found[key] = shortfall(self.planned, steering, keep=self._keep(params))
        return self.found[key]

    def fits(self, group: Sequence[Ref]) -> bool:
        key = frozenset(group)
        if any(short is not None and known <= key for known, short in self.found.items()):
            return False  # holds a group that does not fit
        return self.test(group) is None

    def _keep(self, params: Parameters) -> Array:
        """The floors without the gains: the base's own, and today's output (or the year-1
        capacity) of each sector with expansions, held in full while θ scales the rest."""
        steering = steering_for(self.planned, replace(params, offers=()), self.setting)
        t, n = self.planned.years, self.planned.size
        floors = np.zeros((t, n)) if steering.floors is None else steering.floors.copy()
        ceilings = np.full((t, n), np.inf)
        offer_limits(self.planned, params.offers, floors, ceilings, gains=False)
        return floors


def restrict(offers: Sequence[Offer], group: Sequence[Ref]) -> tuple[Offer, ...]:
    """Every offer with its capacity, keeping only the expansions in ``group``."""
    chosen = set(group)
    return tuple(
        replace(o, expansions=tuple(e for j, e in enumerate(o.expansions) if (i, j) in chosen))
        for i, o in enumerate(offers)
    )


def _groups(
    possible: list[Ref], fits: Callable[[Sequence[Ref]], bool]
) -> tuple[list[tuple[Ref, ...]], list[Ref]]:
    """Greedy groups in the order offered; each next group starts from those left out so far,
    so neither side of a conflict is dropped. At most ``MAX_GROUPS``; returns those in none."""
    groups: list[tuple[Ref, ...]] = []
    left = list(possible)
    while len(groups) < MAX_GROUPS and (left or not groups):
        group: list[Ref] = []
        for ref in [*left, *(r for r in possible if r not in left)]:
            if ref not in group and fits([*group, ref]):
                group.append(ref)
        groups.append(tuple(sorted(group)))
        left = [r for r in possible if not any(r in g for g in groups)]
    return groups, left


def _regroup(economy: Economy, offers: tuple[Offer, ...]) -> tuple[SectorOffers, ...]:
    index = {name: i for i, name in enumerate(economy.products)}
    out = []
    for sector, members in _by_sector(offers).items():
        base = float(economy.base_output[index[sector]])
        expansions = tuple(
            (i, j)
            for i, o in enumerate(offers)
            if o.sector == sector
            for j in range(len(o.expansions))
        )
        out.append(
            SectorOffers(
                sector=sector,
                workplaces=tuple(o.workplace for o in members),
                output_now=sum(o.output_now for o in members),
                capacity=sum(o.capacity for o in members),
                base_output=base,
                ceiling=sector_capacity(base, members),
                expansions=expansions,
            )
        )
    return tuple(out)


def _hits(economy: Economy, offers: tuple[Offer, ...], ref: Ref) -> tuple[Hit, ...]:
    """Sectors other than the expansion's own whose output its equipment takes ≥ HIT_SHARE
    of, directly and through their inputs: (I - A)⁻¹·equipment, largest first."""
    offer = offers[ref[0]]
    expansion = offer.expansions[ref[1]]
    needed = gross_output(economy, dict(expansion.equipment)).output
    base = np.asarray(economy.base_output)
    share = np.divide(needed, base, out=np.zeros_like(needed), where=base > 0)
    share[economy.products.index(offer.sector)] = 0.0
    order = [int(k) for k in np.argsort(-share, kind="stable")[:HITS_SHOWN]]
    return tuple(
        Hit(economy.products[k], float(needed[k]), float(share[k]))
        for k in order
        if share[k] >= HIT_SHARE
    )


def requests(assessment: Assessment, base: Parameters) -> list[Request]:
    """One variant per group of expansions that fit together, each with every offer's
    capacity; one with the capacities alone when no expansion fits (or none was offered)."""
    out = []
    for group in assessment.groups:
        offers = restrict(assessment.offers, group)
        out.append(Request(replace(base, offers=offers), origin=_origin(assessment, group)))
    return out


def _origin(assessment: Assessment, group: tuple[Ref, ...]) -> str:
    """The group in the workplaces' own words, "Printing Co-op: two new presses; Bakery: oven"
    (only the workplaces' names when no expansion fits); the title says it is from offers."""
    if not group:
        text = ", ".join(dict.fromkeys(o.workplace for o in assessment.offers))
    else:
        by_workplace: dict[str, list[str]] = {}
        for ref in group:
            offer, expansion = assessment.expansion(ref)
            by_workplace.setdefault(offer.workplace, []).append(expansion.label)
        parts = [f"{w}: {', '.join(labels)}" for w, labels in by_workplace.items()]
        text = "; ".join(parts)
    return text if len(text) <= ORIGIN_LIMIT else text[: ORIGIN_LIMIT - 1].rstrip() + "…"


# --- Lines -------------------------------------------------------------------------------------


def _sector_line(assessment: Assessment, group: SectorOffers) -> Msg:
    return Msg.of(
        N_(
            "{sector}: {workplaces}: now {now:g} ({share:g}% of the sector), "
            "next period up to {capacity:g}; expansions: {count}"
        ),
        sector=_short(group.sector),
        workplaces=", ".join(group.workplaces),
        now=_round(group.output_now),
        share=round(100 * group.covered, 1),
        capacity=_round(group.capacity),
        count=len(group.expansions),
    )


def shortfall_msg(short: Shortfall) -> Msg:
    """How far a shortfall is, in its own units: the gain or the equipment that can be had."""
    asked = short.floor - short.kept
    if short.kind == "floor" and short.kept == 0:  # the whole floor was scaled
        return Msg.of(
            N_("{product} at most {possible:g} of the {asked:g} asked in year {year}"),
            product=_short(short.product),
            possible=_round(short.reached * asked),
            asked=_round(asked),
            year=short.year,
        )
    if short.kind == "equipment":
        return Msg.of(
            N_("at most {possible:g} of the {asked:g} {product} asked for {sector} in year {year}"),
            possible=_round(short.reached * asked),
            asked=_round(asked),
            product=_short(short.product),
            sector=_short(short.industry),
            year=short.year,
        )
    return Msg.of(
        N_("{product} at most +{possible:g} of the +{asked:g} asked in year {year}"),
        product=_short(short.product),
        possible=_round(short.reached * asked),
        asked=_round(asked),
        year=short.year,
    )


def _impossible_line(name: str, short: Shortfall) -> Msg:
    if short.binding:
        return Msg.of(
            N_("Not possible even alone: {expansion}; {short}. {binds}"),
            expansion=name,
            short=shortfall_msg(short),
            binds=binding_msg(short.binding[0]),
        )
    return Msg.of(
        N_("Not possible even alone: {expansion}; {short}."),
        expansion=name,
        short=shortfall_msg(short),
    )


def _conflict_line(assessment: Assessment, conflict: Conflict) -> Msg:
    short = conflict.shortfall
    params = {
        "first": assessment.name(conflict.first),
        "second": assessment.name(conflict.second),
        "short": shortfall_msg(short),
    }
    if short.binding:
        key = N_("Not together: {first} and {second}; {short}. {binds}")
        return Msg.of(key, binds=binding_msg(short.binding[0]), **params)
    return Msg.of(N_("Not together: {first} and {second}; {short}."), **params)


def _hits_line(name: str, hits: tuple[Hit, ...]) -> Msg:
    shown = "; ".join(f"{_short(h.sector)} {round(100 * h.share, 1):g}%" for h in hits)
    return Msg.of(
        N_("{expansion}: its equipment takes this much of other sectors' output: {hits}"),
        expansion=name,
        hits=shown,
    )


def _short(name: str) -> str:
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


def _round(value: float) -> float:
    """Three significant digits (whole numbers stay whole), enough for a phone; never "-0"."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    digits = 2 - math.floor(math.log10(abs(value)))
    return round(value, max(digits, 0)) + 0.0


def _shortfall_json(short: Shortfall | None) -> dict[str, Any] | None:
    return None if short is None else short.describe()
