"""Member proposals read from plain words, in English and Spanish; unknown sectors refused."""

from __future__ import annotations

import pytest

from core.errors import Refusal
from core.planning.proposals import (
    Proposal,
    SetHorizon,
    SetHours,
    SetShare,
    parse,
    resolve,
)
from core.planning.variants import Parameters, SectorChange

PRODUCTS = ("iron", "coal", "corn", "bread")
SPANISH = {"hierro": "iron", "carbón": "coal", "maíz": "corn", "pan": "bread"}
LONG = (
    "Land transport services and transport services via pipelines",
    "Water transport services",
    "Air transport services",
    "Wood and of products of wood and cork, except furniture",
    "Education services",
    "Human health services",
)
BASE = Parameters(hours=40.0, investment=0.2, public=None, horizon=5)


def edits(text: str, products: tuple[str, ...] = PRODUCTS) -> tuple[object, ...]:
    return parse(text, products, SPANISH).edits


@pytest.mark.parametrize(
    "text",
    [
        "close coal",
        "Close the coal sector",
        "shut down coal",
        "cerrar el sector del carbón",
        "Cerrar carbon",
        "cierre del carbón",
    ],
)
def test_closing_a_sector(text: str) -> None:
    assert edits(text) == (SectorChange("coal", 0.0),)


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("+20% bread", 1.2),
        ("bread +20%", 1.2),
        ("Bread + 20 %", 1.2),
        ("20% more bread", 1.2),
        ("increase bread by 20%", 1.2),
        ("un 20% más de pan", 1.2),
        ("aumentar el pan un 20%", 1.2),
        ("pan +12,5%", 1.125),
        ("bread -10%", 0.9),
        ("bread \u221210%", 0.9),
        ("-10% bread", 0.9),
        ("10% less bread", 0.9),
        ("cut bread by 10%", 0.9),
        ("reducir pan un 10%", 0.9),
        ("un 10% menos de pan", 0.9),
    ],
)
def test_raising_and_lowering_a_sector(text: str, factor: float) -> None:
    (change,) = edits(text)
    assert isinstance(change, SectorChange)
    assert change.product == "bread"
    assert change.factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("35 hours", SetHours(35.0)),
        ("35 h a week", SetHours(35.0)),
        ("work 32 hours per week", SetHours(32.0)),
        ("35 horas semanales", SetHours(35.0)),
        ("jornada de 37,5 horas", SetHours(37.5)),
        ("a 30-hour week", SetHours(30.0)),
        ("investment 25%", SetShare("investment", 0.25)),
        ("invest 25% of the work", SetShare("investment", 0.25)),
        ("inversión 25%", SetShare("investment", 0.25)),
        ("public services 15%", SetShare("public", 0.15)),
        ("servicios públicos 15%", SetShare("public", 0.15)),
        ("3 years", SetHorizon(3)),
        ("plan de 3 años", SetHorizon(3)),
    ],
)
def test_parameters_in_words(text: str, edit: object) -> None:
    assert edits(text) == (edit,)


def test_several_wishes_in_one_proposal() -> None:
    assert edits("close coal; 35 hours") == (SectorChange("coal", 0.0), SetHours(35.0))
    assert edits("35 hours, investment 25% and bread +10%") == (
        SetHours(35.0),
        SetShare("investment", 0.25),
        SectorChange("bread", 1.1),
    )
    assert edits("35 horas y cerrar el carbón") == (SetHours(35.0), SectorChange("coal", 0.0))


def test_names_holding_commas_and_and() -> None:
    (change,) = edits("+10% wood and of products of wood and cork, except furniture", LONG)
    assert change == SectorChange(LONG[3], 1.1)


def test_a_name_is_found_by_its_words() -> None:
    assert resolve("land transport", LONG) == LONG[0]
    assert resolve("AIR transport", LONG) == LONG[2]
    assert resolve("health", LONG) == LONG[5]
    assert resolve("educ", LONG) == LONG[4]


def test_a_name_fitting_several_sectors_is_refused_with_them() -> None:
    with pytest.raises(Refusal) as refused:
        resolve("transport", LONG)
    assert refused.value.msg.key == "'{name}' fits several sectors: {options}. Which one?"
    options = refused.value.msg.params["options"]
    assert LONG[0] in options and LONG[1] in options and LONG[2] in options


def test_an_unknown_sector_is_refused_with_close_matches() -> None:
    with pytest.raises(Refusal) as refused:
        parse("close brad", PRODUCTS)
    assert refused.value.msg.key == "There is no sector called '{name}'. Did you mean: {options}?"
    assert refused.value.msg.params == {"name": "brad", "options": "bread"}


def test_an_unknown_sector_with_nothing_close() -> None:
    with pytest.raises(Refusal) as refused:
        parse("+20% spaceships", PRODUCTS)
    assert refused.value.msg.key == "There is no sector called '{name}' in these data."


def test_words_that_are_no_proposal_are_refused_with_examples() -> None:
    for text in ("make everyone happy", "35 apples", "investment is good"):
        with pytest.raises(Refusal) as refused:
            parse(text, PRODUCTS)
        assert "For example" in refused.value.msg.key
    with pytest.raises(Refusal):
        parse("  ;  ", PRODUCTS)


def test_a_fall_beyond_everything_is_refused() -> None:
    with pytest.raises(Refusal) as refused:
        parse("bread -150%", PRODUCTS)
    assert "more than 100%" in refused.value.msg.key


def test_a_proposal_amends_its_base_and_keeps_the_rest() -> None:
    proposal = parse("close coal; 35 hours; bread +10%; bread +30%", PRODUCTS, proposer="Ana")
    params = proposal.apply(BASE)
    assert params.hours == 35.0
    assert params.investment == BASE.investment and params.horizon == BASE.horizon
    assert params.changes == (SectorChange("coal", 0.0), SectorChange("bread", 1.3))
    request = proposal.request(BASE)
    assert request.parameters == params
    assert (request.origin, request.proposer) == (proposal.text, "Ana")


def test_shares_and_horizon_amend_the_base() -> None:
    params = Proposal("x", (SetShare("public", 0.1), SetHorizon(2))).apply(BASE)
    assert (params.public, params.horizon, params.investment) == (0.1, 2, 0.2)
