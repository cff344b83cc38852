"""The plan factory from the chats: proposals, computing a set, why, charts, revised data.

The federation of tests/core/test_federation_weights.py (Press shop, Forge,
Mill; delegates Bo, Eve and Gus in the central chat) plans from the shipped
Spanish table unless a test installs a dataset of its own.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from core.context import Place
from core.planning import archive
from core.planning.economy import Economy
from core.planning.importers.ine import spain
from core.planning.importers.plain_csv import write_plain_csv
from core.plans import datasets
from core.store.tables import plan_proposals, plan_variants
from tests.chat import Chat, refused
from tests.core.test_federation import GROUPS, MILL, PRESS, decide, drain, in_tx
from tests.core.test_federation_weights import GROWN, central_rule, grown

CHATS = (*GROUPS.values(), "central")


def computed(chat: Chat, title: str = "Plan 2027") -> str:
    """Bo computes a set in the central chat; his reply."""
    reply = chat.say("Bo", f"/plan compute {title}", group="central")
    assert re.match(r"Variant set \d+: \d+ variants computed in [\d.]+ s\.", reply), reply
    return reply


def variant_count(chat: Chat, set_id: int) -> int:
    rows = in_tx(
        chat,
        lambda tx: list(
            tx.conn.execute(select(plan_variants).where(plan_variants.c.set_id == set_id))
        ),
    )
    return len(rows)


def test_a_computed_set_reaches_every_chat_at_once_with_each_workplace_line(chat: Chat) -> None:
    grown(chat)
    decide(chat, PRESS, "/rules set plan.sector printing")
    drain(chat)
    reply = chat.say("Ana", "/plan propose +20% education", group=GROUPS[PRESS])
    assert reply.startswith("Proposal 1 noted")

    assert computed(chat).startswith("Variant set 1: 6 variants computed")
    told = {group: chat.announcements(group) for group in CHATS}
    for group in CHATS:
        assert "Variant set 1 of Metal workers: 6 variants computed from spain-2019" in told[group]

    shown = chat.say("Ana", "/plan 1", group=GROUPS[PRESS])
    # The five defaults and the proposal, every one with its summary; none recommended.
    for label in "ABCDEF":
        assert f"Variant {label}" in shown
    assert "Variant F, proposed: +20% education" in shown
    assert "No variant is recommended: all 6 variants computed are on the ballot." in shown
    assert shown.count("Output in year 4 vs now: Printing and recording") == 6
    assert "Work: " in shown and "Consumption per person in year 1:" in shown
    assert "public services" in shown and "a year (to year" in shown
    # Mill named no sector: it reads the general line.
    assert "Printing and recording" not in chat.say("Gus", "/plan 1", group=GROUPS[MILL])
    # The proposal was used: the next set does not repeat it.
    used = in_tx(chat, lambda tx: tx.conn.execute(select(plan_proposals.c.set_id)).scalar_one())
    assert used == 1


def test_each_variant_is_kept_whole_and_traceable_to_its_data(chat: Chat) -> None:
    grown(chat)
    computed(chat)
    drain(chat)
    rows = in_tx(chat, lambda tx: list(tx.conn.execute(select(plan_variants.c.data))))
    variants = [archive.variant_from(row.data) for row in rows]
    assert [v.label for v in variants] == list("ABCDE")
    assert {v.economy_hash for v in variants} == {spain().hash}
    shown = chat.say("Bo", "/plan 1", group="central")
    assert f'"economy": "{spain().hash[:20]}' in shown or spain().hash[:12] in shown
    # The investment shares the defaults were computed with are in the archive.
    assert [v.parameters.investment for v in variants] == [0.1, 0.2, 0.3, 0.2, 0.2]
    # What they maximise is the federation's statute, balanced by default, and recorded.
    assert {v.setting.criterion for v in variants} == {"balanced"}
    assert {v.plan.criterion for v in variants if v.plan} == {"balanced"}


def test_the_central_assembly_chooses_the_criterion_by_vote(chat: Chat) -> None:
    grown(chat)
    central_rule(chat, "plan.criterion", "harmony")
    computed(chat)
    drain(chat)
    rows = in_tx(chat, lambda tx: list(tx.conn.execute(select(plan_variants.c.data))))
    variants = [archive.variant_from(row.data) for row in rows]
    assert {v.setting.criterion for v in variants} == {"harmony"}
    reply = refused(chat, "Bo", "/rules set plan.criterion happiness", group="central")
    assert "balanced" in reply and "harmony" in reply


def test_why_names_the_parameter_that_differs(chat: Chat) -> None:
    grown(chat)
    computed(chat)
    drain(chat)
    said = chat.say("Cy", "/plan why 1 A C", group=GROUPS[PRESS])
    assert said.splitlines()[0] == "Variant set 1: C against A"
    assert "C puts 20 points more of the work into investment than A" in said
    assert re.search(r"consumption per person in C is \d+% lower in year 1", said)


def test_charts_come_as_png_in_the_chats_language(chat: Chat) -> None:
    grown(chat)
    computed(chat)
    drain(chat)
    answer = chat.app.handle_now(
        chat.actor("Ana"), Place("test", GROUPS[PRESS], False), "/plan chart 1", None
    )
    files = [r.attachment for r in answer.replies if r.attachment is not None]
    assert [f.filename for f in files] == ["plan-1-consumption.png", "plan-1-hours.png"]
    assert all(f.mime == "image/png" and f.content.startswith(b"\x89PNG") for f in files)


def test_bad_plan_requests_are_refused_and_change_nothing(chat: Chat) -> None:
    grown(chat)
    group = GROUPS[PRESS]
    reply = refused(chat, "Ana", "/plan propose +20% unicorns", group=group)
    assert "no sector" in reply.lower() or "unicorns" in reply
    assert "recommend" in refused(chat, "Ana", "/plan propose recommended: 35 hours", group=group)
    assert refused(chat, "Ana", "/plan propose", group=group).startswith("Say what you propose")
    assert "central" in refused(chat, "Ana", "/plan compute", group=group)
    assert "no variant set 9" in refused(chat, "Ana", "/plan chart 9", group=group).lower()
    assert (
        "no plan has been adopted" in refused(chat, "Bo", "/plan revise", group="central").lower()
    )
    assert (
        "no dataset" in refused(chat, "Bo", "/rules set plan.data nowhere", group="central").lower()
    )
    assert "workplace's own assembly" in refused(
        chat, "Bo", "/rules set plan.sector printing", group="central"
    )
    assert "central assembly's own vote" in refused(
        chat, "Ana", "/rules set plan.hours 35", group=group
    )
    computed(chat)
    drain(chat)
    assert "variants are A, B, C, D, E" in refused(chat, "Ana", "/plan why 1 A Z", group=group)
    assert "two different" in refused(chat, "Ana", "/plan why 1 A A", group=group)


def test_too_many_proposals_for_one_ballot_are_refused_not_dropped(chat: Chat) -> None:
    grown(chat)
    for hours in range(20, 36):
        chat.say("Ana", f"/plan propose {hours} hours", group=GROUPS[PRESS])
    drain(chat)
    reply = refused(chat, "Bo", "/plan compute", group="central")
    assert "21 variants are asked for, and a ballot holds 20" in reply
    assert chat.say("Ana", "/plan withdraw 1", group=GROUPS[PRESS]) == "Proposal 1 withdrawn."
    assert computed(chat).startswith("Variant set 1: 20 variants")


# --- revised data after adoption ---------------------------------------------------------


def installed(root: Path, economy: Economy) -> None:
    """The operator puts a dataset in place (or replaces it with revised figures)."""
    write_plain_csv(economy, root / "economies" / "metal")


def revised(economy: Economy) -> Economy:
    """The same economy with 10% more labour needed per unit of every product."""
    return dataclasses.replace(economy, labour=np.asarray(economy.labour) * 1.1)


def adopted(chat: Chat) -> None:
    """Set 1 put to the vote; everyone ranks variant B first; it is counted and adopted."""
    chat.say("Bo", "/plan vote 1", group="central")
    opened = {}
    for assembly, group in GROUPS.items():
        found = re.search(r"Motion (\d+) \(plan\)", chat.announcements(group))
        assert found, f"{group} was not told of the plan vote"
        opened[assembly] = int(found.group(1))
    drain(chat)
    for assembly, names in GROWN.items():
        for name in names:
            chat.say(name, f"/vote {opened[assembly]} 2>1>3>4>5", group=GROUPS[assembly])
    chat.advance(49)
    chat.tick()
    assert "Chosen: Variant B" in chat.announcements("central")
    drain(chat)


def test_revised_data_recompute_the_adopted_variant_and_tell_each_workplace(
    chat: Chat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSILO_DATA", str(tmp_path))
    base = spain()
    installed(tmp_path, base)
    assert "metal" in datasets.names()
    grown(chat)
    central_rule(chat, "plan.data", "metal")
    decide(chat, PRESS, "/rules set plan.sector printing")
    drain(chat)
    computed(chat)
    drain(chat)
    adopted(chat)

    said = chat.say("Bo", "/plan revise", group="central")
    assert said.startswith("The data have not changed")

    installed(tmp_path, revised(base))
    said = chat.say("Bo", "/plan revise", group="central")
    assert "Revised data" in said and "the adopted variant B of plan vote 1" in said
    told = {group: chat.announcements(group) for group in CHATS}
    for group in CHATS:
        assert "Revised data" in told[group]
        assert re.search(r"Year 1: [\d.]+ → [\d.]+ h of work a week per person", told[group])
    assert "Your workplace (Printing and recording" in told[GROUPS[PRESS]]
    assert "Your workplace" not in told[GROUPS[MILL]]

    # Revised again, nobody asks: the daily check finds it.
    installed(tmp_path, revised(revised(base)))
    chat.advance(25)
    chat.tick()
    assert "Revised data" in chat.announcements(GROUPS[MILL])


# --- workplace offers --------------------------------------------------------------------

OFFER = "printing; now 300; capacity 330; expand two new presses: +60 with 40 machinery"


def test_a_workplace_offer_passed_by_its_assembly_becomes_a_variant(chat: Chat) -> None:
    grown(chat)
    told = decide(chat, PRESS, f"/plan offer {OFFER}")
    assert "This is now the workplace's offer" in told
    drain(chat)
    assert computed(chat).startswith("Variant set 1: 6 variants computed")
    news = chat.announcements("central")
    assert "Printing and recording…: Press shop: now 300" in news
    shown = chat.say("Ana", "/plan 1", group=GROUPS[PRESS])
    assert "Variant F, from the workplaces' offers: Press shop: two new presses" in shown
    # Press shop reads its own line: its sector (from its offer) and, in F, its expansion.
    assert shown.count("Output in year 4 vs now: Printing and recording") == 6
    assert "with two new presses" in shown
    rows = in_tx(chat, lambda tx: list(tx.conn.execute(select(plan_variants.c.data))))
    offered = archive.variant_from(rows[5].data)
    assert offered.plan is not None
    assert offered.parameters.offers[0].workplace == "Press shop"


def test_bad_offers_are_refused_before_any_vote(chat: Chat) -> None:
    grown(chat)
    group = GROUPS[PRESS]
    assert "unicorns" in refused(
        chat, "Ana", "/plan offer unicorns; now 1; capacity 2", group=group
    )
    reply = refused(
        chat,
        "Ana",
        "/plan offer printing; now 1; capacity 2; expand x: +1 with 3 education",
        group=group,
    )
    assert "Education" in reply
    assert "capacity" in refused(chat, "Ana", "/plan offer printing; now 1", group=group).lower()
    assert "own assembly's chat" in refused(chat, "Bo", f"/plan offer {OFFER}", group="central")
    assert "Say what the workplace can make" in refused(chat, "Ana", "/plan offer", group=group)
