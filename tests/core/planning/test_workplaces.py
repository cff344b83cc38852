"""Workplaces' offers: read from plain words, checked, assessed together, turned into variants.

Economies: Cockshott's four-sector example (bread holds iron and coal as
capital, corn holds iron, coal and corn) for the checks that must bind, and
the shipped Spanish table for words against real sector names and for plans.
Every plan is checked against the rows the offers set, on the plan's arrays.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import Refusal
from core.i18n import render
from core.i18n.build import marked
from core.planning import violations
from core.planning.economy import Economy, cells
from core.planning.importers.cockshott import read_cockshott
from core.planning.importers.ine import spain
from core.planning.plan import Plan
from core.planning.steering import ROW_TOLERANCE
from core.planning.summaries import summarize, why
from core.planning.variants import (
    Parameters,
    Setting,
    Variant,
    adjust,
    base_parameters,
    compute,
    compute_all,
)
from core.planning.workplaces import (
    MAX_GROUPS,
    Assessment,
    Expansion,
    Offer,
    assess,
    check_offer,
    parse_offer,
    requests,
)

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "planning"
ROOT = Path(__file__).resolve().parents[3]
SPANISH = {"hierro": "iron", "carbón": "coal", "maíz": "corn", "pan": "bread"}
PRINTING = "Printing and recording services"
MACHINERY = "Machinery and equipment n.e.c."
ELECTRICAL = "Electrical equipment"
FOOD = "Food products; beverages; tobacco products"
PUBLIC = (
    "Education services",
    "Human health services",
    "Public administration and defence services; compulsory social security services",
    "Residential care services; social work services without accommodation",
)
TIGHT = 1e-9


@pytest.fixture(scope="module")
def example() -> Economy:
    return read_cockshott(DATA / "cockshott-example")


@pytest.fixture(scope="module")
def spanish() -> Economy:
    return spain()


@pytest.fixture(scope="module")
def spanish_setting() -> Setting:
    return Setting(baseline_hours=37.5, public_products=PUBLIC)


def bakery(example: Economy, expansions: str) -> Offer:
    return parse_offer(f"bread; now 0.5; capacity 0.5; {expansions}", "Bakery", example.products)


def refused(call: object, *args: object) -> Refusal:
    assert callable(call)
    with pytest.raises(Refusal) as caught:
        call(*args)
    return caught.value


def english(assessment: Assessment) -> list[str]:
    return [render(line, "en") for line in assessment.lines(None)]


# ---------------------------------------------------------------------------
# Plain words


def test_an_offer_in_english(spanish: Economy) -> None:
    offer = parse_offer(
        "printing; now 120; capacity 150; "
        "expand two new presses: +40 with 2.5 machinery, 1 electrical equipment\n"
        "Expand bindery +10 with 0.5 machinery and 0.2 electrical equipment",
        "Printing Co-op",
        spanish.products,
    )
    assert offer == Offer(
        workplace="Printing Co-op",
        sector=PRINTING,
        output_now=120.0,
        capacity=150.0,
        expansions=(
            Expansion("two new presses", 40.0, ((MACHINERY, 2.5), (ELECTRICAL, 1.0))),
            Expansion("bindery", 10.0, ((MACHINERY, 0.5), (ELECTRICAL, 0.2))),
        ),
    )
    check_offer(spanish, offer)


def test_an_offer_in_spanish_with_decimal_commas(example: Economy) -> None:
    offer = parse_offer(
        "Pan; Ahora 0,5; capacidad 0,75; ampliar dos hornos nuevos: +0,3 con 2,5 hierro, "
        "0,1 carbón; Ampliación segundo obrador: +0,2 con 1,5 de hierro y 0,05 carbón",
        "Panadería La Espiga",
        example.products,
        SPANISH,
    )
    assert (offer.sector, offer.output_now, offer.capacity) == ("bread", 0.5, 0.75)
    assert offer.expansions == (
        Expansion("dos hornos nuevos", 0.3, (("iron", 2.5), ("coal", 0.1))),
        Expansion("segundo obrador", 0.2, (("iron", 1.5), ("coal", 0.05))),
    )


def test_an_offer_round_trips_through_plain_values(example: Economy) -> None:
    offer = bakery(example, "expand oven: +0.2 with 1 iron, 0.1 coal")
    assert Offer.from_dict(offer.describe()) == offer
    params = dataclasses.replace(base_parameters(example), offers=(offer,))
    assert params.describe()["offers"] == [offer.describe()]
    assert "offers" not in base_parameters(example).describe()  # old provenance unchanged


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("brad; now 1; capacity 1", "Did you mean"),
        ("now 1; capacity 1", "Start the offer with the sector"),
        ("bread; capacity 1", "Add what the workplace makes now"),
        ("bread; now 1", "Add what the workplace could make next period"),
        ("bread; now -1; capacity 1", "cannot be negative"),
        ("bread; now 1; capacity 1; expand oven: -0.2 with 1 iron", "cannot be negative"),
        ("bread; now 1; capacity 1; expand oven: +0.2", "I cannot read the expansion"),
        ("bread; now 1; now 2; capacity 1", "says this twice"),
        ("bread; now 1; capacity 1; more bread please", "I cannot read '{text}' in the offer"),
        ("bread; now 1; capacity 1; expand oven: +1 with 1 steel", "no sector called"),
        ("", "The offer is empty"),
    ],
)
def test_words_that_make_no_offer_are_refused(example: Economy, text: str, says: str) -> None:
    refusal = refused(parse_offer, text, "Bakery", example.products)
    assert says in refusal.msg.key
    assert len(render(refusal.msg, "en")) < 200  # short enough for a chat


def test_an_unknown_sector_is_refused_with_the_closest_names(example: Economy) -> None:
    refusal = refused(parse_offer, "brad; now 1; capacity 1", "Bakery", example.products)
    assert refusal.msg.params == {"name": "brad", "options": "bread"}


def test_limits_on_expansions_and_their_names(example: Economy) -> None:
    many = "; ".join(f"expand oven {i}: +0.1 with 0.1 iron" for i in range(11))
    assert "at most {most} expansions" in refused(bakery, example, many).msg.key
    long = "expand " + "a very long name " * 6 + ": +0.1 with 0.1 iron"
    assert "at most {most} characters" in refused(bakery, example, long).msg.key
    same = "expand oven: +0.1 with 0.1 iron; expand oven: +0.2 with 0.1 iron"
    assert "both called" in refused(bakery, example, same).msg.key


# ---------------------------------------------------------------------------
# Checks against the data


def test_equipment_the_sector_does_not_hold_is_refused_naming_what_it_does(
    example: Economy,
) -> None:
    offer = bakery(example, "expand silo: +0.2 with 1 corn")  # words fine: corn is a product
    refusal = refused(check_offer, example, offer)
    assert refusal.msg.key == (
        "{sector} does not use {product} as equipment in these data. It uses: {uses}."
    )
    assert refusal.msg.params == {"sector": "bread", "product": "corn", "uses": "iron; coal"}


def test_more_than_the_whole_sector_makes_is_refused(example: Economy) -> None:
    offer = parse_offer("bread; now 1.5; capacity 2", "Bakery", example.products)
    refusal = refused(check_offer, example, offer)
    assert "more than the whole sector" in refusal.msg.key
    assert refusal.msg.params["base"] == 1.0
    half = parse_offer("bread; now 0.6; capacity 0.6", "Bakery", example.products)
    other = dataclasses.replace(half, workplace="Other bakery")
    params = dataclasses.replace(base_parameters(example), offers=(half, other))
    together = refused(compute, example, params)
    assert "say they make {now:g} together" in together.msg.key
    assert together.msg.params["now"] == pytest.approx(1.2)


def test_bad_offers_in_parameters_are_refused_before_anything_is_computed(
    example: Economy,
) -> None:
    good = bakery(example, "expand oven: +0.2 with 1 iron")
    bad = dataclasses.replace(good, capacity=-1.0)
    params = dataclasses.replace(base_parameters(example), offers=(bad,))
    assert "cannot be negative" in refused(compute, example, params).msg.key
    assert "cannot be negative" in refused(assess, example, [bad], params, Setting()).msg.key
    twice = dataclasses.replace(base_parameters(example), offers=(good, good))
    assert "has two offers" in refused(compute, example, twice).msg.key
    short = Parameters(40.0, 0.2, None, 1, offers=(good,))
    assert "at least 2 years" in refused(compute, example, short).msg.key
    assert good.capacity == 0.5  # nothing was changed on the way


# ---------------------------------------------------------------------------
# Assessment


@pytest.fixture(scope="module")
def conflicted(example: Economy) -> Assessment:
    """Ovens A and B each fit alone, not together; "small" fits with both; "huge" never."""
    offers = [
        bakery(
            example,
            "expand oven A: +0.2 with 5 iron; expand oven B: +0.2 with 5 iron; "
            "expand small: +0.1 with 0.5 coal; expand huge: +5 with 20 iron",
        )
    ]
    return assess(example, offers, base_parameters(example), Setting())


def test_a_pair_possible_alone_but_not_together_is_named_with_what_binds(
    conflicted: Assessment,
) -> None:
    (conflict,) = conflicted.conflicts
    names = (conflicted.name(conflict.first), conflicted.name(conflict.second))
    assert names == ("Bakery: oven A", "Bakery: oven B")
    short = conflict.shortfall
    where = (short.kind, short.product, short.industry, short.year)
    assert where == ("equipment", "iron", "bread", 1)
    assert 0.5 < short.reached < 1  # each needs 5 iron: alone fine, 10 together too much
    assert short.binding and short.binding[0].kind == "investment"
    line = next(t for t in english(conflicted) if t.startswith("Not together"))
    assert "oven A" in line and "oven B" in line and "Binds: the investment share" in line


def test_an_impossible_expansion_says_how_far_short(
    example: Economy, conflicted: Assessment
) -> None:
    huge = (0, 3)
    short = conflicted.alone[huge]
    assert short is not None and short.kind == "equipment" and short.floor == 20.0
    line = next(t for t in english(conflicted) if t.startswith("Not possible even alone"))
    assert "Bakery: huge" in line
    assert f"at most {short.possible:.3g} of the 20 iron asked for bread in year 1" in line
    assert all(huge not in group for group in conflicted.groups)
    # the figure is the real limit: a little less of the whole expansion fits, a little more not
    base = base_parameters(example)
    for factor, fits in ((0.99, True), (1.01, False)):
        scaled = (
            f"expand huge: +{5 * short.reached * factor} with {20 * short.reached * factor} iron"
        )
        again = assess(example, [bakery(example, scaled)], base, Setting())
        assert (again.alone[(0, 0)] is None) is fits, factor


def test_groups_keep_both_sides_of_a_conflict(conflicted: Assessment) -> None:
    oven_a, oven_b, small = (0, 0), (0, 1), (0, 2)
    assert conflicted.groups == ((oven_a, small), (oven_b, small))
    assert conflicted.left_out == ()
    origins = [r.origin for r in requests(conflicted, conflicted.parameters)]
    assert origins == ["Bakery: oven A, small", "Bakery: oven B, small"]


def test_every_expansion_is_in_a_variant_or_reported(example: Economy) -> None:
    """Four ovens that exclude each other: three variants, the fourth named as in none."""
    ovens = "; ".join(f"expand oven {i}: +0.1 with 5 iron" for i in "ABCD")
    found = assess(example, [bakery(example, ovens)], base_parameters(example), Setting())
    assert len(found.conflicts) == 6
    assert found.groups == (((0, 0),), ((0, 1),), ((0, 2),))
    assert len(found.groups) == MAX_GROUPS and found.left_out == ((0, 3),)
    lines = english(found)
    assert any("In none of the 3 variants" in t and "oven D" in t for t in lines)
    assert len(found.lines()) <= 8
    assert "more lines" in render(found.lines()[-1], "en")


def test_other_sectors_hit_by_the_equipment(example: Economy, conflicted: Assessment) -> None:
    """(I - A)⁻¹·equipment by a dense solve, as a share of each other sector's output now."""
    leontief = np.eye(example.size) - example.inputs.toarray()
    needed = np.linalg.solve(leontief, np.array([5.0, 0.0, 0.0, 0.0]))  # oven A: 5 iron
    hits = conflicted.hits[(0, 0)]
    assert [h.sector for h in hits] == ["iron", "coal"]  # largest first; bread itself left out
    for hit in hits:
        k = example.products.index(hit.sector)
        assert hit.share == pytest.approx(needed[k] / example.base_output[k])
    assert [h.sector for h in conflicted.hits[(0, 2)]] == ["coal"]  # 0.5 coal: no iron at all
    assert any(t.startswith("Bakery: oven A: its equipment takes") for t in english(conflicted))


def test_sectors_regrouped(spanish: Economy) -> None:
    offers = [
        parse_offer("printing; now 1000; capacity 1100", "Printing Co-op", spanish.products),
        parse_offer("printing; now 500; capacity 450", "Print Shop", spanish.products),
        parse_offer("food products; now 80; capacity 90", "Bakery", spanish.products),
    ]
    found = assess(spanish, offers, base_parameters(spanish), Setting())
    printing = found.sectors[0]
    assert printing.workplaces == ("Printing Co-op", "Print Shop")
    assert (printing.output_now, printing.capacity) == (1500.0, 1550.0)
    base = spanish.base_output[spanish.products.index(PRINTING)]
    assert printing.covered == pytest.approx(1500.0 / base)
    assert printing.ceiling == pytest.approx(base + 50.0)
    assert found.groups == ((),)  # no expansions: one variant with the capacities
    text = english(found)[0]
    assert "Printing Co-op, Print Shop" in text and "now 1500" in text and "up to 1550" in text


def test_large_economies_make_one_unchecked_group(
    example: Economy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.planning.variants.LP_FIRST_MAX", 0)
    found = assess(
        example,
        [bakery(example, "expand oven A: +0.2 with 5 iron; expand oven B: +0.2 with 5 iron")],
        base_parameters(example),
        Setting(),
    )
    assert not found.checked and found.alone == {} and found.conflicts == ()
    assert found.groups == (((0, 0), (0, 1)),)
    assert any("Too many sectors to check" in t for t in english(found))


def test_every_line_is_translatable_and_rendered(conflicted: Assessment) -> None:
    keys = set()
    for path in (ROOT / "core" / "planning").glob("*.py"):
        keys |= {text for _, text in marked(path.read_text(encoding="utf-8"))}
    for line in conflicted.lines(None):
        stack = [line]
        while stack:
            msg = stack.pop()
            assert msg.key in keys, msg.key
            stack += [p for p in msg.params.values() if hasattr(p, "key")]
        assert "{" not in render(line, "en")


# ---------------------------------------------------------------------------
# Variants from the groups


@pytest.fixture(scope="module")
def printing_variants(
    spanish: Economy, spanish_setting: Setting
) -> tuple[Assessment, list[Variant]]:
    base = base_parameters(spanish, spanish_setting)
    offers = [
        parse_offer(
            "printing; now 1200; capacity 1000; "
            "expand two new presses: +400 with 250 machinery, 50 electrical equipment; "
            "expand bindery: +100 with 60 machinery",
            "Printing Co-op",
            spanish.products,
        ),
        parse_offer(
            "food products; now 5000; capacity 5200; expand new oven: +2000 with 800 machinery",
            "Bakery",
            spanish.products,
        ),
    ]
    found = assess(spanish, offers, base, spanish_setting)
    return found, compute_all(spanish, requests(found, base), spanish_setting)


def feasible(economy: Economy, variant: Variant) -> Plan:
    assert variant.plan is not None
    planned = adjust(economy, variant.parameters, variant.setting)
    assert violations(planned, variant.plan).worst <= TIGHT
    return variant.plan


def test_variants_meet_capacity_equipment_and_gains(
    spanish: Economy, printing_variants: tuple[Assessment, list[Variant]]
) -> None:
    found, built = printing_variants
    assert found.groups == (((0, 0), (0, 1), (1, 0)),)
    (variant,) = built
    assert variant.origin == ("Printing Co-op: two new presses, bindery; Bakery: new oven")
    plan = feasible(spanish, variant)
    products = spanish.products
    printing, food = products.index(PRINTING), products.index(FOOD)
    base = spanish.base_output
    # capacity: printing's year 1 at most its output now, less 1200, plus 1000
    ceiling = base[printing] - 200.0
    assert plan.gross_output[0, printing] <= ceiling * (1 + TIGHT)
    # gains: from year 2 at least the year-1 capacity (or output now if lower) plus the gains
    for sector, level in ((printing, ceiling + 500.0), (food, base[food] + 2000.0)):
        assert np.all(plan.gross_output[1:, sector] >= level * (1 - ROW_TOLERANCE))
    # equipment: year 1 accumulation into each (product, sector) cell at least what was asked
    product, industry = cells(spanish)
    built_in = {
        (products[k], products[j]): c
        for c, (k, j) in enumerate(zip(product, industry, strict=True))
    }
    asked = {
        (MACHINERY, PRINTING): 310.0,
        (ELECTRICAL, PRINTING): 50.0,
        (MACHINERY, FOOD): 800.0,
    }
    for cell, quantity in asked.items():
        assert plan.accumulation[0, built_in[cell]] >= quantity * (1 - ROW_TOLERANCE)


def test_the_workplace_reads_its_expansions_on_its_line(
    spanish: Economy, printing_variants: tuple[Assessment, list[Variant]]
) -> None:
    _, (variant,) = printing_variants
    mine = summarize(spanish, variant, workplace="Printing Co-op")
    text = render(mine.lines[0], "en")
    assert "two new presses, bindery" in text
    assert mine.numbers[0]["expansions"] == ["two new presses", "bindery"]
    year = mine.numbers[0]["year"]  # the last year with investment
    assert year == variant.parameters.horizon - 1
    change = variant.plan.gross_output[year - 1, spanish.products.index(PRINTING)]  # type: ignore[union-attr]
    base = spanish.base_output[spanish.products.index(PRINTING)]
    assert f"Printing and recording… {round(100 * (change / base - 1)):+d}%" in text
    by_sector = render(summarize(spanish, variant, workplace="food products").lines[0], "en")
    assert "with new oven" in by_sector


def test_why_names_the_expansions_one_variant_has(conflicted: Assessment, example: Economy) -> None:
    a, b = compute_all(example, requests(conflicted, conflicted.parameters))
    said = [render(line, "en") for line in why(example, a, b).lines]
    assert "B also: Bakery: oven B" in said and "A also: Bakery: oven A" in said


def test_assessing_the_spanish_table_is_quick(spanish: Economy, spanish_setting: Setting) -> None:
    texts = {
        "Printing Co-op": "printing; now 1200; capacity 1300; expand presses: +400 with 250 "
        "machinery; expand bindery: +100 with 60 machinery",
        "Bakery": "food products; now 5000; capacity 5200; expand oven: +2000 with 800 machinery",
        "Steelworks": "basic metals; now 3000; capacity 3000; expand furnace: +3000 with 2000 "
        "machinery; expand mill: +1500 with 1500 machinery",
        "Solar": "electricity; now 2000; capacity 2100; expand panels: +4000 with 6000 "
        "electrical equipment",
    }
    offers = [parse_offer(t, w, spanish.products) for w, t in texts.items()]
    started = time.perf_counter()
    found = assess(spanish, offers, base_parameters(spanish, spanish_setting), spanish_setting)
    assert time.perf_counter() - started < 10.0  # 0.5-2 s on the project's 2-core machine
    assert len(found.refs) == 6 and found.impossible == ()
