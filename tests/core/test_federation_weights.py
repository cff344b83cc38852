"""Voting weight in a central assembly: one per delegate, by assembly size, or split.

The federation of tests/core/test_federation.py (Press shop, Forge, Mill and the
central Metal workers, with delegates Bo, Eve and Gus), where Press shop has
grown to 6 members (Ike 9, Jo 10, Kim 11 joined), so the sizes are 6, 2 and 2.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from core.motions.tally import count_weighted, weight_text
from tests.chat import Chat, refused
from tests.core.test_federation import (
    CY,
    FORGE,
    GROUPS,
    MILL,
    PRESS,
    decide,
    drain,
    federation,
    recall,
    seat,
)

DELEGATES = ("Bo", "Eve", "Gus")
GROWN = {PRESS: ("Ana", "Bo", "Cy", "Ike", "Jo", "Kim"), FORGE: ("Di", "Eve"), MILL: ("Gus", "Hal")}


def grown(chat: Chat) -> dict[int, int]:
    """The federation, with Press shop grown to 6 members; the seats by assembly."""
    seated = federation(chat)
    for name in ("Ike", "Jo", "Kim"):
        chat.say(name, "/join", group=GROUPS[PRESS])
    drain(chat)
    return seated


def opened(reply: str) -> int:
    """The motion number in "Motion N is open for voting." (or "... as motion N.")."""
    words = reply.replace(".", " ").split()
    return int(next(w for w in reversed(words) if w.isdigit()))


def switch(chat: Chat, weight: str) -> str:
    """The central assembly changes federation.weight by its own vote; what it read."""
    return central_rule(chat, "federation.weight", weight)


def central_rule(chat: Chat, key: str, value: str) -> str:
    """The central assembly changes one rule by its own vote; what it read."""
    motion = opened(chat.say("Bo", f"/rules set {key} {value}", group="central"))
    for name in DELEGATES:
        chat.say(name, f"/vote {motion} yes", group="central")
    chat.advance(49)
    chat.say("Bo", f"/close {motion}", group="central")
    told = chat.announcements("central")
    drain(chat)
    return told


def central_vote(chat: Chat, title: str, votes: dict[str, str]) -> int:
    """Bo puts ``title`` in the centre and the delegates vote; the motion's number."""
    motion = opened(chat.say("Bo", f"/motion {title}", group="central"))
    for name, choice in votes.items():
        chat.say(name, f"/vote {motion} {choice}", group="central")
    chat.announcements("central")
    return motion


def close_central(chat: Chat, motion: int, closer: str = "Eve") -> str:
    """Let the window pass and close the central motion; what the central chat read."""
    chat.advance(49)
    chat.say(closer, f"/close {motion}", group="central")
    return chat.announcements("central")


def mirror_in(chat: Chat, group: str, motion: int) -> int:
    """The number of the home assembly's own vote on central ``motion``, as announced."""
    marker = f"is your own vote on central motion {motion}:"
    line = next(x for x in chat.announcements(group).splitlines() if marker in x)
    return int(line.split()[1])


SITE = "Site | North | South | East"
SITE_VOTES = {"Bo": "1", "Eve": "2", "Gus": "2"}  # Bo: North; Eve and Gus: South


# --- the same central votes, three statutes -----------------------------------------


def test_the_same_central_votes_give_three_outcomes(chat: Chat) -> None:
    grown(chat)
    by_delegate = close_central(chat, central_vote(chat, SITE, SITE_VOTES))
    assert "Chosen: South. Order: South > North > East" in by_delegate
    assert "weighted" not in by_delegate

    assert "Rules version 2 is in force." in switch(chat, "size")
    by_size = close_central(chat, central_vote(chat, SITE, SITE_VOTES)).splitlines()
    # Press shop's 6 members outweigh Forge's 2 and Mill's 2.
    assert "Chosen: North. Order: North > South > East" in by_size
    assert "North 6, South 4, East 0 (weighted by assembly size)." in by_size
    assert "Turnout 3 of 3 (quorum 1)." in by_size  # the quorum still counts delegates

    assert "Rules version 3 is in force." in switch(chat, "split")
    motion = central_vote(chat, SITE, SITE_VOTES)
    press, forge = mirror_in(chat, "group-1", motion), mirror_in(chat, "group-2", motion)
    for name, choice in zip(GROWN[PRESS], "331133", strict=True):  # East 4, North 2
        chat.say(name, f"/vote {press} {choice}", group="group-1")
    for name in GROWN[FORGE]:
        chat.say(name, f"/vote {forge} 3", group="group-2")
    # Mill does not vote at home: Gus's own vote (South) stands for Mill.
    by_split = close_central(chat, motion).splitlines()
    assert "Chosen: East. Order: East > South > North" in by_split
    assert "North 0.33, South 1, East 1.67 (split by each assembly's own vote)." in by_split


def test_size_weighs_each_delegation_by_its_members(chat: Chat) -> None:
    grown(chat)
    seat(chat, PRESS, CY)  # Press shop's 6 members are shared by Bo and Cy: 3 each
    switch(chat, "size")
    motion = central_vote(chat, "Strike fund", {"Bo": "yes", "Cy": "no", "Eve": "no"})
    drain(chat)
    closing = close_central(chat, motion).splitlines()
    assert closing[:3] == [
        f"Motion {motion} failed: Strike fund",
        "Turnout 3 of 4 (quorum 1).",
        "Yes 3, no 5, abstain 0 (weighted by assembly size).",
    ]
    press = chat.announcements("group-1").splitlines()
    assert press[:3] == [
        f"Central Metal workers: motion {motion} failed: Strike fund",
        "Turnout 3 of 4 (quorum 1).",
        "Yes 3, no 5, abstain 0 (weighted by assembly size).",
    ]
    assert "Delegate Bo voted yes." in press
    assert "Delegate Cy voted no." in press
    assert press[-1] == (
        f"Motion {motion} was weighted by assembly size: your delegation weighed 6."
    )
    mill = chat.announcements("group-3").splitlines()
    assert "Delegate Gus did not vote." in mill
    assert mill[-1] == f"Motion {motion} was weighted by assembly size: your delegation weighed 2."


def test_size_weighs_every_method(chat: Chat) -> None:
    grown(chat)
    switch(chat, "size")
    approval = central_vote(chat, "approval Days | Mon | Tue | Wed", {"Bo": "1", "Eve": "2,3"})
    schulze = central_vote(
        chat, "schulze Plan | A | B | C", {"Bo": "3>1>2", "Eve": "1>2>3", "Gus": "1>2>3"}
    )
    consent = central_vote(
        chat, "consent Rota", {"Bo": "consent", "Eve": "object Too soon", "Gus": "consent"}
    )
    chat.advance(49)
    for motion in (approval, schulze, consent):
        chat.say("Bo", f"/close {motion}", group="central")
    told = chat.announcements("central").splitlines()
    assert "Chosen: Mon. Order: Mon > Wed > Tue" in told  # Tue and Wed tie: the draw
    assert "Mon 6, Tue 2, Wed 2 (weighted by assembly size)." in told
    # Bo's 6 rank C first; Eve's 2 and Gus's 2 rank A first: C beats A 6 to 4.
    assert "Chosen: C. Order: C > A > B" in told
    assert "Pairwise preferences weighted by assembly size." in told
    # One objection still blocks, however little it weighs.
    assert f"Motion {consent} failed: Rota" in told
    assert "Consent 8, objections 2 (weighted by assembly size)." in told
    assert "Objection: Too soon" in told


def test_a_recalled_delegates_weight_is_gone(chat: Chat) -> None:
    seated = grown(chat)
    switch(chat, "size")
    motion = central_vote(chat, "Strike fund", {"Bo": "yes", "Eve": "no", "Gus": "no"})
    drain(chat)
    recall(chat, seated[PRESS])
    closing = close_central(chat, motion)
    # Without Bo, Press shop has nobody seated: its 6 do not count, nor does Bo's yes.
    assert "Turnout 2 of 2 (quorum 1)." in closing
    assert "Yes 0, no 4, abstain 0 (weighted by assembly size)." in closing
    press = chat.announcements("group-1").splitlines()
    assert press[-1] == "You had no delegate seated for this vote."


# --- split: each delegation follows its home assembly's own vote ---------------------


def test_split_opens_a_home_vote_that_closes_an_hour_earlier(chat: Chat) -> None:
    grown(chat)
    switch(chat, "split")
    motion = opened(chat.say("Bo", "/motion Strike fund", group="central"))
    press = chat.announcements("group-1").splitlines()
    mirror = motion + 1
    assert press == [
        f"Central Metal workers: motion {motion} opened: Strike fund. More: /central {motion}",
        f"Motion {mirror} (decision): Strike fund",
        f"Vote: /vote {mirror} yes | no | abstain",
        "Voting closes 2026-03-12 12:00 UTC.",
        f"Motion {mirror} is your own vote on central motion {motion}: its result splits "
        "your delegation's votes there. It closes an hour before the centre's.",
    ]
    assert f"Motion {motion} (decision): Strike fund" in chat.say(
        "Bo", f"/central {motion}", group="group-1"
    )
    assert "Voting closes 2026-03-12 13:00 UTC." in chat.say(
        "Bo", f"/show {motion}", group="central"
    )
    assert mirror_in(chat, "group-2", motion) == mirror + 1
    assert mirror_in(chat, "group-3", motion) == mirror + 2


def test_split_follows_a_home_vote_that_contradicts_the_delegates(chat: Chat) -> None:
    grown(chat)
    assert "Rules version 2 is in force." in decide(chat, FORGE, "/rules set secret.decision yes")
    switch(chat, "split")
    motion = central_vote(chat, "Strike fund", {"Bo": "yes", "Eve": "yes", "Gus": "yes"})
    homes = {home: mirror_in(chat, GROUPS[home], motion) for home in (PRESS, FORGE, MILL)}
    for name, choice in zip(GROWN[PRESS], ("no", "no", "no", "yes", "no", "abstain"), strict=True):
        chat.say(name, f"/vote {homes[PRESS]} {choice}", group="group-1")
    for name in GROWN[FORGE]:  # Forge votes by secret ballot at home
        chat.say(name, f"/vote {homes[FORGE]} no", private=True)
    for name in GROWN[MILL]:
        chat.say(name, f"/vote {homes[MILL]} no", group="group-3")
    chat.advance(47)  # the home votes close an hour before the central one
    assert chat.say("Bo", f"/close {motion}", group="central") == (
        f"Motion {motion} stays open until its closing time."
    )
    chat.tick()
    assert f"Motion {homes[PRESS]} failed: Strike fund" in chat.announcements("group-1")
    assert chat.announcements("central") == ""
    chat.advance(1)
    chat.tick()
    closing = chat.announcements("central").splitlines()
    # Every delegate voted yes, but every assembly voted no at home.
    assert f"Motion {motion} failed: Strike fund" in closing
    assert "Yes 0.2, no 2.8, abstain 0 (split by each assembly's own vote)." in closing
    press = chat.announcements("group-1").splitlines()
    assert "Delegate Bo voted yes." in press
    assert press[-1] == (
        f"Motion {motion}: your own vote (motion {homes[PRESS]}) split your delegation's "
        "weight of 1: no 0.8, yes 0.2."
    )
    assert chat.announcements("group-2").splitlines()[-1] == (
        f"Motion {motion}: your own vote (motion {homes[FORGE]}) split your delegation's "
        "weight of 1: no 1."
    )


def test_split_without_a_home_result_counts_the_delegates(chat: Chat) -> None:
    grown(chat)
    switch(chat, "split")
    motion = central_vote(chat, "Strike fund", {"Bo": "yes", "Eve": "no", "Gus": "no"})
    press = mirror_in(chat, "group-1", motion)
    forge = mirror_in(chat, "group-2", motion)
    mill = mirror_in(chat, "group-3", motion)
    for name in GROWN[PRESS]:  # Press shop abstains to a man: no valid ballot
        chat.say(name, f"/vote {press} abstain", group="group-1")
    chat.say("Di", f"/vote {forge} yes", group="group-2")  # Forge: 1 yes, enough for quorum
    closing = close_central(chat, motion)  # /close counts the due home votes first
    # Press shop: Bo's own yes; Forge: its home yes; Mill (no quorum at home): Gus's no.
    assert "Yes 2, no 1, abstain 0 (split by each assembly's own vote)." in closing
    assert f"Motion {motion} passed: Strike fund" in closing
    assert chat.announcements("group-1").splitlines() == [
        f"Motion {press} failed: Strike fund",  # counted first, an hour late
        "Turnout 6 of 6 (quorum 2).",
        "Yes 0, no 0, abstain 6.",
        f"Central Metal workers: motion {motion} passed: Strike fund",
        "Turnout 3 of 3 (quorum 1).",
        "Yes 2, no 1, abstain 0 (split by each assembly's own vote).",
        "Delegate Bo voted yes.",
        f"Motion {motion}: your own vote (motion {press}) had no valid result, "
        "so your delegates' own votes counted.",
    ]
    told = chat.announcements("group-3").splitlines()
    assert told[0] == f"Motion {mill} no quorum: Strike fund"
    assert told[-1] == (
        f"Motion {motion}: your own vote (motion {mill}) had no valid result, "
        "so your delegates' own votes counted."
    )


def test_split_needs_a_window_of_two_hours(chat: Chat) -> None:
    grown(chat)
    switch(chat, "split")
    central_rule(chat, "voting.min_hours", "1")  # the centre allows a one-hour vote
    motion = opened(chat.say("Bo", "/motion 1h Quick one", group="central"))
    note = (
        "Splitting by each assembly's own vote needs a voting window of at least 2 hours: "
        f"motion {motion} counts the delegates' own votes."
    )
    assert note in chat.announcements("central")
    for group in GROUPS.values():
        assert chat.announcements(group).splitlines()[-1] == note
        member = "Ana" if group == "group-1" else "Di" if group == "group-2" else "Hal"
        assert chat.say(member, "/motions", group=group) == "No motion is open."
    chat.say("Bo", f"/vote {motion} yes", group="central")
    chat.advance(2)
    chat.say("Bo", f"/close {motion}", group="central")
    assert "Yes 1, no 0, abstain 0 (split by each assembly's own vote)." in (
        chat.announcements("central")
    )
    assert chat.announcements("group-1").splitlines()[-1] == (
        f"Motion {motion}: you had no vote of your own on it, so your delegates' own votes counted."
    )


# --- the statute is the central assembly's own -----------------------------------------


def test_the_weight_changes_only_by_a_central_rules_vote(chat: Chat) -> None:
    grown(chat)
    assert refused(chat, "Ana", "/rules set federation.weight size", group="group-1") == (
        "Federation rules are set by the central assembly's own vote."
    )
    assert refused(chat, "Bo", "/rules set federation.weight heads", group="central") == (
        "Choose one of: delegate, size, split."
    )
    assert refused(chat, "Bo", "/rules set federation.weight delegate", group="central") == (
        "federation.weight is already delegate."
    )
    motion = opened(chat.say("Bo", "/rules set federation.weight size", group="central"))
    assert chat.announcements("group-2") == (
        f"Central Metal workers: motion {motion} opened: federation.weight: delegate → size. "
        f"More: /central {motion}"
    )
    for name in DELEGATES:
        chat.say(name, f"/vote {motion} yes", group="central")
    chat.advance(49)
    chat.say("Eve", f"/close {motion}", group="central")
    assert "Rules version 2 is in force." in chat.announcements("central")
    assert "weight size*" in chat.say("Bo", "/rules", group="central")
    assert "weight delegate" in chat.say("Ana", "/rules", group="group-1")


# --- the count itself -------------------------------------------------------------------


def test_weighted_majorities_are_exact() -> None:
    half = Fraction(151, 2)
    yes = count_weighted("yesno", 0, [("yes", half), ("no", Fraction(74))], "absolute", 150)
    assert yes.passed and yes.counts == (half, 74, 0)  # 75.5 of 150 is more than half
    short = count_weighted("yesno", 0, [("yes", 75), ("no", 75)], "absolute", 150)
    assert not short.passed
    thirds = [("yes", Fraction(2, 3)), ("no", Fraction(1, 3))]  # exactly two thirds
    assert count_weighted("yesno", 0, thirds, "two_thirds", 1).passed
    under = [("yes", Fraction(666, 1000)), ("no", Fraction(334, 1000))]
    assert not count_weighted("yesno", 0, under, "two_thirds", 1).passed


def test_weighted_schulze_matches_the_published_example() -> None:
    # https://en.wikipedia.org/wiki/Schulze_method#Example: 45 voters, E wins.
    groups = [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
    ballots = [([ord(c) - 65 for c in ranking], Fraction(n, 45)) for n, ranking in groups]
    outcome = count_weighted("schulze", 5, ballots, "simple", 1, seed="motion-1")
    assert outcome.winners == (4,)
    assert outcome.ranking == (4, 0, 2, 1, 3)  # E > A > C > B > D
    assert outcome.detail["d"][0][1] == "4/9"  # 20 of 45 prefer A to B


def test_weighted_counts_refuse_floats_and_bad_ballots() -> None:
    with pytest.raises(ValueError, match="Fraction"):
        count_weighted("yesno", 0, [("yes", 0.5)], "simple", 1)
    with pytest.raises(ValueError, match="electorate"):
        count_weighted("yesno", 0, [("yes", 3)], "simple", 2)
    with pytest.raises(ValueError, match="more than once"):
        count_weighted("schulze", 3, [([0, 0], 1)], "simple", 1)
    with pytest.raises(ValueError, match="not counted by weight"):
        count_weighted("stv", 3, [([0], 1)], "simple", 1)
    blocked = count_weighted("consent", 0, [("consent", 9), ({"object": "no"}, 0)], "simple", 9)
    assert not blocked.passed


def test_weights_read_compactly() -> None:
    assert [weight_text(Fraction(n, d)) for n, d in ((412, 1), (151, 2), (1, 3), (5, 3))] == [
        "412",
        "75.5",
        "0.33",
        "1.67",
    ]
