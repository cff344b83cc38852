"""The plan vote: a federation's members choose among plan variants, all at once.

The federation of tests/core/test_federation_weights.py: Press shop (6 members:
Ana, Bo, Cy, Ike, Jo, Kim), Forge (Di, Eve) and Mill (Gus, Hal), with delegates
Bo, Eve and Gus in the central Metal workers (assembly 4, chat "central"). The
plan factory's variants are stored directly, as the factory will hand them over.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from core.context import Tx
from core.errors import Refusal
from core.i18n import render
from core.plans import aggregate
from core.plans.variant_sets import store_variants
from core.store.tables import audit_log, motions, plan_variant_sets, plan_votes
from tests.chat import Chat, refused, table_rows
from tests.core.test_federation import CENTRAL, FORGE, GROUPS, MILL, PRESS, decide, drain, in_tx
from tests.core.test_federation_weights import GROWN, central_rule, grown

SOURCE = {"economy": "3f2a9c0d11e4", "hours": 35, "horizon": 5}
VARIANTS = [
    ("Invest", ["Machine tools +40% by year 5", "Consumption per person +1% in year 1"]),
    ("Consume", ["Consumption per person +6% in year 1", "Growth 1% a year after"]),
    ("Shorter week", ["30 hours a week", "Consumption per person -2% in year 1"]),
]
CHATS = (*GROUPS.values(), "central")
# The same members' ballots under both counts: Press shop's six prefer Consume;
# Forge and Mill (two each) prefer Invest.
RANKED = {PRESS: "2>1>3", FORGE: "1>3>2", MILL: "1>2>3"}
SINGLE = {PRESS: "2", FORGE: "1", MILL: "1"}


def stored(chat: Chat, variants: list[tuple[str, list[str]]] = VARIANTS) -> int:
    """A variant set for the central assembly, as the plan factory hands it over."""
    return int(in_tx(chat, lambda tx: store_variants(tx, CENTRAL, "Plan 2027", SOURCE, variants)))


def plan_motions(chat: Chat) -> dict[int, int]:
    """Each assembly's plan motion, as its chat announced it (and so read)."""
    found = {}
    for assembly, group in GROUPS.items():
        match = re.search(r"Motion (\d+) \(plan\): Plan 2027", chat.announcements(group))
        assert match, f"{group} was not told of the plan vote"
        found[assembly] = int(match.group(1))
    return found


def call(chat: Chat, text: str = "/plan vote 1") -> dict[int, int]:
    """Bo calls the plan vote in the central chat; each assembly's motion."""
    assert "is open in 3 assemblies" in chat.say("Bo", text, group="central")
    chat.announcements("central")
    return plan_motions(chat)


def everyone_votes(chat: Chat, opened: dict[int, int], ballots: dict[int, str]) -> None:
    for assembly, choice in ballots.items():
        for name in GROWN[assembly]:
            reply = chat.say(name, f"/vote {opened[assembly]} {choice}", group=GROUPS[assembly])
            assert "recorded" in reply, reply


def count_now(chat: Chat) -> dict[str, str]:
    """Let the window pass and whatever is due happen; what each chat read."""
    chat.advance(49)
    chat.tick()
    return {group: chat.announcements(group) for group in CHATS}


def audited(chat: Chat, action: str) -> int:
    return int(
        in_tx(
            chat,
            lambda tx: tx.conn.execute(
                select(func.count()).select_from(audit_log).where(audit_log.c.action == action)
            ).scalar_one(),
        )
    )


def later(chat: Chat, hours: int) -> str:
    """The time ``hours`` from now, as members read it (UTC is every assembly's zone)."""
    return (chat.app.clock.now() + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M UTC")


def rows(chat: Chat, table: Any) -> list[Any]:
    return list(in_tx(chat, lambda tx: list(tx.conn.execute(select(table)))))


# --- opening ------------------------------------------------------------------------


def test_a_plan_vote_opens_in_every_assembly_at_the_same_instant(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    reply = chat.say("Bo", "/plan vote 1", group="central")
    assert reply == f"Plan vote 1 is open in 3 assemblies until {later(chat, 48)}."
    central = chat.announcements("central").splitlines()
    assert central[0].startswith("Plan vote 1 on variant set 1 (Plan 2027) is open in 3 ")
    assert "their motions: Press shop " in central[0]

    for group in GROUPS.values():
        told = chat.announcements(group)
        assert "(plan): Plan 2027" in told
        assert "Rank the options, best first:" in told
        # Every variant with every summary line, delivered with the motion.
        for name, lines in VARIANTS:
            assert name in told
            for line in lines:
                assert f"   {line}" in told.splitlines()
        assert "Counted: every ballot of every assembly counted together, each person once." in (
            told
        )
        assert 'Computed from: {"economy": "3f2a9c0d11e4", "horizon": 5, "hours": 35}' in told
        assert "No variant is recommended: all 3 variants computed are on the ballot." in told

    opened = [m for m in rows(chat, motions) if m.kind == "plan"]
    assert sorted(m.assembly_id for m in opened) == [PRESS, FORGE, MILL]
    assert {(m.opened_at, m.closes_at) for m in opened} == {
        (chat.app.clock.now(), opened[0].closes_at)
    }
    assert all(m.options == ["Invest", "Consume", "Shorter week"] for m in opened)
    assert all(m.method == "schulze" and m.status == "open" for m in opened)
    assert audited(chat, "plan.open") == 1


def test_the_window_is_the_longest_of_the_assemblies_and_respects_each_minimum(
    chat: Chat,
) -> None:
    grown(chat)
    assert "Rules version 2" in decide(chat, FORGE, "/rules set voting.hours 72")
    assert "Rules version 2" in decide(chat, MILL, "/rules set voting.min_hours 30")
    stored(chat)
    drain(chat)
    assert "Voting stays open at least 30 hours in Mill" in refused(
        chat, "Bo", "/plan vote 1 25h", group="central"
    )
    opened = call(chat)
    windows = {m.closes_at - m.opened_at for m in rows(chat, motions) if m.id in opened.values()}
    assert [w.total_seconds() / 3600 for w in windows] == [72]


# --- counting -----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "ballots"), [("schulze", RANKED), ("single", SINGLE)])
def test_pooled_and_per_assembly_choose_differently_on_the_same_ballots(
    chat: Chat, method: str, ballots: dict[int, str]
) -> None:
    grown(chat)
    if method == "single":
        assert "Rules version 2" in central_rule(chat, "federation.plan_method", "single")
    stored(chat)
    everyone_votes(chat, call(chat), ballots)
    pooled = count_now(chat)
    assert "Chosen: Consume. Order: Consume > Invest" in pooled["central"]

    assert "is in force" in central_rule(chat, "federation.plan_aggregate", "per_assembly")
    everyone_votes(chat, call(chat), ballots)
    per_assembly = count_now(chat)
    assert "Chosen: Invest. Order: Invest > Consume" in per_assembly["central"]
    assert "Counted: each assembly's own result counts as one ballot." in per_assembly["central"]
    if method == "single":
        assert "Votes: Invest 4, Consume 6, Shorter week 0." in pooled["central"]
        assert (
            "Assemblies for each variant: Invest 2, Consume 1, Shorter week 0."
            in (per_assembly["central"])
        )


def test_the_result_comes_when_the_last_assembly_closes_everywhere_at_once(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    opened = call(chat)
    everyone_votes(chat, opened, RANKED)
    chat.advance(49)
    chat.say("Ana", f"/close {opened[PRESS]}", group=GROUPS[PRESS])
    press = chat.announcements(GROUPS[PRESS])
    assert f"Motion {opened[PRESS]} passed: Plan 2027" in press
    assert "the federation's result follows when every assembly has counted" in press
    assert "Plan vote 1" not in chat.announcements("central")

    chat.tick()  # Forge's and Mill's motions close by themselves, in one transaction
    told = {group: chat.announcements(group) for group in CHATS}
    assert audited(chat, "plan.count") == 1
    for group in CHATS:
        lines = told[group].splitlines()
        start = lines.index("Plan vote 1 passed: Plan 2027")
        assert lines[start:] == [
            "Plan vote 1 passed: Plan 2027",
            "Counted: every ballot of every assembly counted together, each person once.",
            "Chosen: Consume. Order: Consume > Invest > Shorter week",
            "Turnout 10 of 10 (quorum 4).",
            f"Press shop (motion {opened[PRESS]}) passed: Consume > Invest > Shorter week",
            f"Forge (motion {opened[FORGE]}) passed: Invest > Shorter week > Consume",
            f"Mill (motion {opened[MILL]}) passed: Invest > Consume > Shorter week",
        ], group

    # Running what is due again, or the count itself, changes nothing.
    before = table_rows(chat)
    counted = rows(chat, plan_votes)
    chat.tick()
    assert in_tx(chat, lambda tx: aggregate.count(tx, 1)) is None
    assert table_rows(chat) == before
    assert rows(chat, plan_votes) == counted
    assert all(chat.announcements(group) == "" for group in CHATS)


def test_without_the_federations_quorum_nothing_is_decided(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    opened = call(chat)
    chat.say("Di", f"/vote {opened[FORGE]} 1>2>3", group=GROUPS[FORGE])
    told = count_now(chat)["central"]
    assert "Plan vote 1 no quorum: Plan 2027" in told
    assert "Nothing was decided: the federation's quorum was not reached." in told
    # Press shop needs 2 of 6, Forge 1 of 2, Mill 1 of 2 (quorum.plan 25% each).
    assert "Turnout 1 of 10 (quorum 4)." in told
    assert f"Press shop (motion {opened[PRESS]}): nobody chose a variant." in told
    # One assembly's part cannot be put again alone: nobody would count it.
    reply = refused(chat, "Ana", f"/again {opened[PRESS]}", group=GROUPS[PRESS])
    assert "a plan vote is put again in the central chat" in reply


def test_per_assembly_counts_only_the_assemblies_whose_own_quorum_was_met(chat: Chat) -> None:
    grown(chat)
    assert "is in force" in central_rule(chat, "federation.plan_aggregate", "per_assembly")
    stored(chat)
    opened = call(chat)
    chat.say("Ana", f"/vote {opened[PRESS]} 3>1>2", group=GROUPS[PRESS])  # 1 of 2 needed
    everyone_votes(chat, opened, {FORGE: "2>1>3", MILL: "2>1>3"})
    told = count_now(chat)["central"]
    assert "Chosen: Consume. Order: Consume > Invest > Shorter week" in told
    assert "2 of 3 assemblies have a result that stands under their own quorum." in told
    assert f"Press shop (motion {opened[PRESS]}) no quorum: Shorter week > Invest" in told


# --- each person once -------------------------------------------------------------------


def test_a_member_of_two_assemblies_votes_once_when_ballots_are_pooled(chat: Chat) -> None:
    grown(chat)
    chat.say("Ana", "/join", group=GROUPS[FORGE])  # Ana now belongs to Press shop and Forge
    assert "Rules version 2" in decide(chat, FORGE, "/rules set secret.plan yes")
    stored(chat)
    opened = call(chat)
    assert "recorded" in chat.say("Ana", f"/vote {opened[PRESS]} 2", group=GROUPS[PRESS])
    # A secret ballot in Forge, sent privately: refused before it is cast.
    assert refused(chat, "Ana", f"/vote {opened[FORGE]} 1", private=True) == (
        f"In plan vote 1 every ballot is counted together, so each person votes once: "
        f"you voted in Press shop (motion {opened[PRESS]}). Change your vote there."
    )
    # Where she voted first, she may still change her vote.
    assert "changed" in chat.say("Ana", f"/vote {opened[PRESS]} 1", group=GROUPS[PRESS])
    # Before the close, Forge's members who have not voted are reminded; Ana is not,
    # though she has no ballot on Forge's motion: hers in Press shop is her vote.
    reminded = [
        said.to for said in chat.live(47) if f"Reminder: motion {opened[FORGE]}," in said.text
    ]
    assert sorted(reminded) == ["dm:Di", "dm:Eve"]


def test_a_secret_ballot_first_then_an_open_one_elsewhere_is_refused(chat: Chat) -> None:
    grown(chat)
    chat.say("Ana", "/join", group=GROUPS[FORGE])
    assert "Rules version 2" in decide(chat, FORGE, "/rules set secret.plan yes")
    stored(chat)
    opened = call(chat)
    assert "Secret vote" in chat.say("Ana", f"/vote {opened[FORGE]} 1", private=True)
    assert "you voted in Forge" in refused(
        chat, "Ana", f"/vote {opened[PRESS]} 2", group=GROUPS[PRESS]
    )


def test_per_assembly_each_assembly_counts_its_own_members(chat: Chat) -> None:
    grown(chat)
    chat.say("Ana", "/join", group=GROUPS[FORGE])
    assert "is in force" in central_rule(chat, "federation.plan_aggregate", "per_assembly")
    stored(chat)
    opened = call(chat)
    assert "recorded" in chat.say("Ana", f"/vote {opened[PRESS]} 2", group=GROUPS[PRESS])
    assert "recorded" in chat.say("Ana", f"/vote {opened[FORGE]} 1", group=GROUPS[FORGE])


# --- reading ------------------------------------------------------------------------


def test_members_read_the_variant_sets_and_how_their_votes_stand(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    assert chat.say("Cy", "/plan", group=GROUPS[PRESS]).splitlines() == [
        "Variant set 1: Plan 2027 (3 variants). Not put to the vote yet; a delegate calls "
        "it in the central chat: /plan vote 1",
        "The variants with their summaries: /plan <set>",
    ]
    shown = chat.say("Cy", "/plan 1", group=GROUPS[PRESS]).splitlines()
    assert shown[:4] == [
        "Variant set 1: Plan 2027",
        "1. Invest",
        "   Machine tools +40% by year 5",
        "   Consumption per person +1% in year 1",
    ]
    everyone_votes(chat, call(chat), RANKED)
    assert f"Plan vote 1 is open until {later(chat, 48)}." in chat.say(
        "Eve", "/plan", group="central"
    )
    count_now(chat)
    assert "Plan vote 1 chose Consume." in chat.say("Hal", "/plan", group=GROUPS[MILL])


# --- bad input ----------------------------------------------------------------------


def test_bad_calls_are_refused_and_change_nothing(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    lone = stored(chat, VARIANTS[:1])
    drain(chat)
    assert refused(chat, "Bo", "/plan vote 9", group="central") == "There is no variant set 9."
    assert refused(chat, "Ana", "/plan vote 1", group=GROUPS[PRESS]) == (
        "A plan vote is called in the central assembly's chat, by one of its delegates."
    )
    assert refused(chat, "Fay", "/plan vote 1", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )
    assert refused(chat, "Bo", f"/plan vote {lone}", group="central") == (
        f"Variant set {lone} has only one variant; a plan vote needs at least 2."
    )
    assert refused(chat, "Bo", "/plan vote 1 2000", group="central") == (
        "Give a whole number of hours from 1 to 1440."
    )
    assert refused(chat, "Bo", "/plan vote 1 5", group="central") == (
        "Voting stays open at least 24 hours in Press shop, so every shift can vote "
        "(rule voting.min_hours)."
    )
    assert refused(chat, "Bo", "/plan vote", group="central") == (
        "Say which variant set: /plan vote <set> [hours]"
    )
    assert refused(chat, "Cy", "/plan 9", group=GROUPS[PRESS]) == "There is no variant set 9."
    assert refused(chat, "Ana", "/rules set federation.plan_aggregate per_assembly") == (
        "Federation rules are set by the central assembly's own vote."
    )
    opened = call(chat)
    assert refused(chat, "Eve", "/plan vote 1", group="central") == (
        "Plan vote 1 on variant set 1 is still open."
    )
    assert refused(chat, "Di", f"/vote {opened[PRESS]} 1", group=GROUPS[FORGE]) == (
        f"Only members of this assembly can vote on motion {opened[PRESS]}."
    )
    count_now(chat)
    assert refused(chat, "Ana", f"/vote {opened[PRESS]} 1", group=GROUPS[PRESS]) == (
        f"Motion {opened[PRESS]} is closed; votes are no longer taken."
    )


@pytest.mark.parametrize(
    ("variants", "title", "why"),
    [
        ([], "Plan", "A variant set holds from 1 to 20 variants, all of them put to the vote."),
        (
            [(f"V{i}", []) for i in range(21)],
            "Plan",
            "A variant set holds from 1 to 20 variants, all of them put to the vote.",
        ),
        ([("A", []), ("A", [])], "Plan", "Two variants have the same name."),
        ([("A", ["x"] * 6), ("B", [])], "Plan", "Variant A has 6 summary lines"),
        ([("A (recommended)", []), ("B", [])], "Plan", "nothing in it may recommend"),
        ([("A", ["Recomendada por el comité"]), ("B", [])], "Plan", "may recommend"),
        ([("A", []), ("B", [])], "", "The title is empty."),
    ],
)
def test_a_variant_set_that_is_not_plain_facts_is_refused_whole(
    chat: Chat, variants: list[tuple[str, list[str]]], title: str, why: str
) -> None:
    grown(chat)

    def store(tx: Tx) -> int:
        return store_variants(tx, CENTRAL, title, SOURCE, variants)

    with pytest.raises(Refusal) as refusal:
        in_tx(chat, store)
    assert why in render(refusal.value.msg, "en")
    assert rows(chat, plan_variant_sets) == []


def test_variants_are_stored_only_for_a_central_assembly(chat: Chat) -> None:
    grown(chat)
    with pytest.raises(Refusal, match=r"Assembly 1 is not a central assembly\."):
        in_tx(chat, lambda tx: store_variants(tx, PRESS, "Plan", SOURCE, VARIANTS))
    with pytest.raises(Refusal, match="JSON object"):
        in_tx(chat, lambda tx: store_variants(tx, CENTRAL, "Plan", {"x": {1, 2}}, VARIANTS))


def test_a_spanish_assembly_reads_the_plan_vote_in_spanish(chat: Chat) -> None:
    grown(chat)
    stored(chat)
    chat.say("Bo", "/plan vote 1", group="central")
    told = chat.announcements(GROUPS[MILL], language="es").splitlines()
    assert told[0].endswith("(plan): Plan 2027")
    assert "Recuento: todas las papeletas de todas las asambleas se cuentan juntas, " in told[6]
    assert told[-1] == (
        "No se recomienda ninguna variante: las 3 variantes calculadas están en la papeleta."
    )
