"""Archives: an economy and its variants read back exactly, a damaged one refused."""

from __future__ import annotations

import numpy as np
import pytest

from core.planning import archive
from core.planning.importers.ine import spain
from core.planning.variants import Parameters, Request, SectorChange, Setting, compute_all
from core.planning.workplaces import parse_offer

SETTING = Setting(public_products=("Education services", "Human health services"))
OFFER = "printing; now 300; capacity 330; expand two new presses: +60 with 40 machinery"


def test_an_economy_reads_back_with_the_same_hash() -> None:
    economy = spain()
    again = archive.economy_from(archive.economy_bytes(economy))
    assert again.hash == economy.hash
    assert again.products == economy.products
    assert np.array_equal(again.inputs.toarray(), economy.inputs.toarray())


def test_a_damaged_archive_is_refused() -> None:
    data = bytearray(archive.economy_bytes(spain()))
    data[len(data) // 2] ^= 0xFF
    with pytest.raises(archive.ArchiveError):
        archive.economy_from(bytes(data))


def test_variants_read_back_exactly_plans_shortfalls_and_offers() -> None:
    economy = spain()
    offer = parse_offer(OFFER, "Print shop", economy.products)
    base = Parameters(hours=40.0, investment=0.2, public=None, horizon=3)
    impossible = SectorChange("Education services", 50.0)  # fifty times today's education
    requests = [
        Request(base),
        Request(Parameters(40.0, 0.2, None, 3, changes=(impossible,)), origin="x50 education"),
        Request(Parameters(40.0, 0.2, None, 3, offers=(offer,)), origin="Print shop"),
    ]
    computed = compute_all(economy, requests, SETTING)
    assert computed[1].plan is None and computed[1].shortfall is not None
    for variant in computed:
        again = archive.variant_from(archive.variant_bytes(variant))
        assert again.parameters == variant.parameters
        assert again.setting == variant.setting
        assert (again.origin, again.label, again.notes) == (
            variant.origin,
            variant.label,
            variant.notes,
        )
        assert again.shortfall == variant.shortfall
        if variant.plan is not None:
            assert again.plan is not None
            assert np.array_equal(again.plan.gross_output, variant.plan.gross_output)
            assert np.array_equal(again.plan.accumulation, variant.plan.accumulation)
            assert again.plan.harmony == variant.plan.harmony
