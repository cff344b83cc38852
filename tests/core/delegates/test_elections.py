"""Electing delegates through the chat: nominations, the STV ballot, seats, term end.

Defaults: ``delegates.seats`` 1, ``delegates.term_months`` 12, no term limit or
cooldown, ``election.nomination_hours`` 48, voting 48 hours, ``secret.election``
yes (ballots go to the bot privately), ``quorum.election`` 25%. The clock starts
on 2026-03-02 09:00 UTC. Persons are numbered in the order they first speak:
Ana 1, Bo 2, Cy 3, Di 4, Eve 5...
"""

from __future__ import annotations

import hashlib

from tests.chat import Chat, assembly, vote_and_close
from tests.core.delegates import elect, unchanged


def adopt(chat: Chat, motion: int, rule: str, voters: tuple[str, ...]) -> None:
    """Put ``/rules set <rule>``, vote it through, and check that it is in force."""
    assert chat.say("Ana", f"/rules set {rule}") == (
        f"Rule change put to the vote as motion {motion}."
    )
    assert "is in force" in vote_and_close(chat, motion, yes=voters)


def test_a_single_seat_election_from_nominations_to_the_seat(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di", "Eve")
    assert chat.say("Ana", "/elect") == (
        "Election 1 called: nominations are open until 2026-03-04 09:00 UTC."
    )
    assert chat.announcements().splitlines() == [
        "Election 1: delegates for the assembly, seats: 1. Nominations until 2026-03-04 09:00 UTC.",
        "Stand: /nominate 1. Nominate a member: /nominate 1 <name>",
    ]
    assert chat.say("Bo", "/nominate 1") == "You stand in election 1. To step back: /withdraw 1"
    assert chat.say("Bo", "/nominate 1 Cy") == (
        "Cy is nominated in election 1 and must accept: /accept 1"
    )
    assert chat.announcements().splitlines() == [
        "Bo stands in election 1.",
        "Bo nominates Cy in election 1.",
        "Cy: /accept 1 or /decline 1",
    ]
    assert chat.say("Cy", "/accept 1", private=True) == (
        "You stand in election 1. To step back: /withdraw 1"
    )
    chat.say("Di", "/nominate 1")
    assert "Di stands in election 1." in chat.announcements()

    chat.advance(48)
    chat.tick()  # nominations close by themselves and voting opens
    assert chat.announcements().splitlines() == [
        "Motion 1 (election): Press shop",
        "Rank candidates, best first: /vote 1 2 1 3",
        "1. Bo",
        "2. Cy",
        "3. Di",
        "Secret ballot: vote in a private chat with me.",
        "Voting closes 2026-03-06 09:00 UTC.",
        "Election 1: candidates: 3, seats: 1.",
    ]
    assert chat.say("Ana", "/vote 1 1", private=True).startswith(
        "Secret vote on motion 1 recorded: 1."
    )
    for name, ranking in (("Bo", "1"), ("Cy", "2"), ("Di", "3 2"), ("Eve", "2 1")):
        chat.say(name, f"/vote 1 {ranking}", private=True)
    chat.advance(48)
    chat.tick()
    result = chat.announcements().splitlines()
    # Quota floor(5 / 2) + 1 = 3. First preferences Bo 2, Cy 2, Di 1: Di is excluded
    # and the Di > Cy paper makes Cy 3, the quota.
    assert result[:7] == [
        "Motion 1 passed: Press shop",
        "Turnout 5 of 5 (quorum 2).",
        "Elected: Cy.",
        "Scottish STV (seats: 1): quota 3 of 5 valid ballots.",
        "Stage 1, first preferences: Bo 2, Cy 2, Di 1",
        "Stage 2, Di excluded: Bo 2, Cy 3 ✓",
        result[6],  # the receipts
    ]
    assert result[6].startswith("Receipts: ")
    assert result[7:] == ["Cy is delegate 1 until 2027-03-06."]
    assert chat.say("Zed", "/delegates").splitlines() == [
        "Delegates of Press shop:",
        "Delegate 1: Cy",
        "  Term ends: 2027-03-06. Released: 0 h a week.",
    ]


def test_the_seats_statute_sets_two_seats_for_seven_members_and_stv_fills_them(
    chat: Chat,
) -> None:
    assembly(chat, "Bo", "Cy", "Di", "Eve", "Fay", "Gus")
    adopt(chat, 1, "delegates.seats 1/3", ("Ana", "Bo", "Cy", "Di", "Eve"))
    chat.say("Bo", "/elect")
    assert "Election 2: delegates for the assembly, seats: 2." in chat.announcements()
    # Quota floor(7 / 3) + 1 = 3. Ana has 4 first preferences: her surplus of 1 moves
    # at 1/4 per paper: Bo +0.5 (two papers), Cy +0.25, 0.25 non-transferable. Then Bo
    # (1.5) is excluded and Cy, the last one standing, takes the second seat.
    result = elect(
        chat,
        "Bo",
        ("Ana", "Bo", "Cy"),
        {
            "Ana": "1 2",
            "Bo": "1 2",
            "Cy": "1 3",
            "Di": "1",
            "Eve": "2",
            "Fay": "3",
            "Gus": "3 2",
        },
    ).splitlines()
    assert result[2:7] == [
        "Elected: Ana, Cy.",
        "Scottish STV (seats: 2): quota 3 of 7 valid ballots.",
        "Stage 1, first preferences: Ana 4 ✓, Bo 1, Cy 2",
        "Stage 2, surplus of Ana: Bo 1.5, Cy 2.25",
        "Stage 3, Bo excluded: Cy 2.25 ✓",
    ]
    assert result[-2:] == [
        "Ana is delegate 1 until 2027-03-06.",
        "Cy is delegate 2 until 2027-03-06.",
    ]
    assert chat.say("Di", "/elect") == (
        "All 2 seats are held (statute delegates.seats); a recall or a term's end frees one."
    )


def test_a_tie_is_decided_by_the_public_draw_and_anyone_can_recompute_it(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    result = elect(chat, "Ana", ("Bo", "Cy"), {"Ana": "1", "Bo": "1", "Cy": "2", "Di": "2"})
    # Bo 2, Cy 2 at every stage: the lot excludes the higher SHA-256 of motion-1:<index>.
    digest = {i: hashlib.sha256(f"motion-1:{i}".encode()).hexdigest() for i in (0, 1)}
    winner, loser = sorted(("Bo", "Cy"), key=lambda name: digest[("Bo", "Cy").index(name)])
    lines = result.splitlines()
    assert f"Elected: {winner}." in lines
    assert f"Stage 2, {loser} excluded: {winner} 2 ✓" in lines
    assert "Stage 2: a tie was decided by the public draw (motion-1)." in lines
    assert f"{winner} is delegate 1 until 2027-03-04." in lines


def test_an_uncontested_election_still_goes_to_the_vote(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/elect")
    chat.say("Bo", "/nominate 1")
    chat.say("Ana", "/ballot 1")
    assert chat.announcements().splitlines()[-2:] == [
        "Election 1: candidates: 1, seats: 1.",
        "Uncontested: all are elected if the quorum is met and anyone is ranked.",
    ]
    chat.say("Cy", "/vote 1 abstain", private=True)
    chat.advance(48)
    chat.tick()
    result = chat.announcements()
    assert "Motion 1 failed: Press shop" in result  # a blank ballot elects nobody
    assert "Nobody was elected." in result
    assert "Nobody takes a seat. Call an election: /elect" in result

    chat.say("Ana", "/elect")
    chat.say("Bo", "/nominate 2")
    chat.say("Ana", "/ballot 2")
    chat.say("Cy", "/vote 2 1", private=True)
    chat.advance(48)
    chat.tick()
    result = chat.announcements()
    assert "Elected: Bo." in result
    assert "Bo is delegate 1 until 2027-03-06." in result


def test_without_quorum_nobody_is_seated(chat: Chat) -> None:
    assembly(chat, *(f"M{i}" for i in range(7)))  # 8 members: 25% is 2 ballots
    result = elect(chat, "Ana", ("M0", "M1"), {"M2": "1"})
    assert "Motion 1 no quorum: Press shop" in result
    assert "Nobody was elected." in result
    assert "Stage 1" not in result  # a count without quorum decides nothing
    assert "Nobody takes a seat. Call an election: /elect" in result
    assert chat.say("M3", "/delegates").startswith("No delegate holds a seat.")


def test_nominees_who_decline_or_do_not_answer_are_not_on_the_ballot(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/elect")
    chat.say("Ana", "/nominate 1 Bo")
    chat.say("Ana", "/nominate 1 cy")  # names match whatever the case
    chat.say("Di", "/nominate 1")
    chat.announcements()
    assert chat.say("Bo", "/decline 1") == "You do not stand in election 1."
    assert chat.announcements() == "Bo does not stand in election 1."
    assert chat.say("Di", "/withdraw 1") == "You do not stand in election 1."
    chat.say("Di", "/nominate 1")  # stands again
    chat.advance(48)
    chat.tick()
    opened = chat.announcements().splitlines()
    assert "1. Di" in opened
    assert "Election 1: candidates: 1, seats: 1." in opened
    assert "Not on the ballot (did not accept): Cy" in opened
    assert not any("Bo" in line for line in opened)


def test_nominations_stay_open_while_nobody_stands(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/elect")
    chat.announcements()
    chat.advance(48)
    chat.tick()
    chat.tick()  # twice at the same time changes nothing more
    assert chat.announcements() == (
        "Nobody stands in election 1 yet: nominations run until 2026-03-06 09:00 UTC."
    )
    assert "Election 1: nominations until 2026-03-06 09:00 UTC: /nominate 1" in chat.say(
        "Bo", "/delegates"
    )


def test_a_terms_end_ends_the_seat_and_opens_one_new_election(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    elect(chat, "Ana", ("Bo",), {"Cy": "1"})  # Bo's term runs to 2027-03-04 09:00
    chat.advance(24 * 364)
    chat.tick()
    assert "Election" not in chat.announcements()
    assert "Delegate 1: Bo" in chat.say("Cy", "/delegates")
    chat.advance(24)
    chat.tick()
    chat.tick()  # twice at the same time: still one election
    assert [line for line in chat.announcements().splitlines() if "report" not in line.lower()][
        -3:
    ] == [
        "The term of delegate 1, Bo, has ended.",
        "Election 2: delegates for the assembly, seats: 1. Nominations until 2027-03-06 09:00 UTC.",
        "Stand: /nominate 2. Nominate a member: /nominate 2 <name>",
    ]
    assert chat.say("Cy", "/delegates").splitlines() == [
        "No delegate holds a seat. Call an election: /elect",
        "Election 2: nominations until 2027-03-06 09:00 UTC: /nominate 2",
    ]
    assert unchanged(chat, "Cy", "/elect") == "Election 2 is already under way for these seats."
    assert chat.say("Bo", "/nominate 2").startswith("You stand")  # no limit by default


def test_the_term_limit_refuses_a_further_term(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    adopt(chat, 1, "delegates.term_limit 1", ("Ana", "Bo", "Cy"))
    elect(chat, "Ana", ("Bo",), {"Cy": "1"})  # seated 2026-03-06 10:00 for 12 months
    chat.advance(24 * 365)
    chat.tick()
    assert "Election 3:" in chat.announcements()
    reason = (
        "Bo has reached the term limit (1 in a row, statute delegates.term_limit); "
        "they can stand again from 2028-03-06."
    )
    assert unchanged(chat, "Bo", "/nominate 3") == reason
    assert unchanged(chat, "Ana", "/nominate 3 Bo") == reason
    assert chat.say("Cy", "/nominate 3").startswith("You stand")


def test_the_cooldown_refuses_a_recent_delegate(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    adopt(chat, 1, "delegates.cooldown_months 6", ("Ana", "Bo", "Cy"))
    elect(chat, "Ana", ("Bo",), {"Cy": "1"})
    chat.advance(24 * 365)
    chat.tick()
    chat.announcements()
    assert unchanged(chat, "Bo", "/nominate 3") == (
        "Bo's seat ended on 2027-03-06; they can stand again from 2027-09-06 "
        "(statute delegates.cooldown_months)."
    )


def test_a_sitting_delegate_cannot_take_a_second_seat_of_the_same_kind(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    adopt(chat, 1, "delegates.seats 2", ("Ana", "Bo", "Cy"))
    result = elect(chat, "Ana", ("Bo",), {"Cy": "1"})
    assert "Seats left empty: 1. Call an election: /elect" in result
    assert unchanged(chat, "Ana", "/elect 2") == "1 of 2 seats are free: elect from 1 to 1."
    chat.say("Cy", "/elect")
    assert unchanged(chat, "Bo", "/nominate 3") == "Bo already holds one of these seats."


# --------------------------------------------------------------------------- bad input


def test_unknown_elections_and_motions_that_are_not_elections(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Buy a second press")
    for text in ("/nominate 9", "/accept 9", "/decline 9", "/withdraw 9", "/ballot 9"):
        assert unchanged(chat, "Bo", text) == "There is no election 9."
    assert unchanged(chat, "Bo", "/nominate 1") == "There is no election 1."
    assert unchanged(chat, "Bo", "/nominate") == "Say which election: /nominate <election> [name]"
    assert unchanged(chat, "Bo", "/nominate one") == "Expected a number, got one."


def test_bad_nominations_change_nothing(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Zed", "/help")  # Zed is known to the bot but not a member
    chat.say("Ana", "/elect")
    chat.say("Bo", "/nominate 1")
    assert unchanged(chat, "Ana", "/nominate 1 Zed") == "No member is called Zed. See /members."
    assert unchanged(chat, "Ana", "/nominate 1 Bo") == "Bo is already nominated in election 1."
    assert unchanged(chat, "Bo", "/nominate 1") == "Bo is already nominated in election 1."
    assert unchanged(chat, "Cy", "/accept 1") == "You are not nominated in election 1."
    assert unchanged(chat, "Bo", "/accept 1") == "You already stand in election 1."
    assert unchanged(chat, "Bo", "/decline 1") == (
        "You stand in election 1. To step back: /withdraw 1"
    )
    assert unchanged(chat, "Cy", "/ballot 1") == (
        "Only the member who called election 1 can open voting early."
    )
    assert unchanged(chat, "Ana", "/open 1") == (
        "Election 1 opens for voting when nominations close, or earlier: /ballot 1"
    )
    assert unchanged(chat, "Ana", "/elect") == "Election 1 is already under way for these seats."


def test_a_vote_while_nominations_run_is_refused(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/elect")
    chat.say("Bo", "/nominate 1")
    assert "Motion 1" in unchanged(chat, "Cy", "/vote 1 1", private=True)
    chat.say("Ana", "/ballot 1")
    assert unchanged(chat, "Bo", "/withdraw 1") == "Nominations for election 1 are closed."
    assert unchanged(chat, "Cy", "/nominate 1") == "Nominations for election 1 are closed."
    assert unchanged(chat, "Cy", "/vote 1 1 2", private=True) == (
        "Give option numbers from 1 to 1, for example 2 or 3>1>2."
    )


def test_opening_the_ballot_needs_a_candidate(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/elect")
    chat.say("Ana", "/nominate 1 Bo")  # nominated, not yet accepted
    assert unchanged(chat, "Ana", "/ballot 1") == "Nobody stands in election 1 yet."


def test_non_members_cannot_take_part(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/elect")
    chat.say("Ana", "/nominate 1 Bo")
    refusal = "Only members of this assembly can do that. Send /join to ask to join."
    for text in ("/elect", "/nominate 1", "/accept 1", "/ballot 1"):
        assert unchanged(chat, "Zed", text) == refusal
    assert unchanged(chat, "Zed", "/accept 1", private=True) == refusal


def test_bad_election_calls(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert unchanged(chat, "Bo", "/elect 0") == "Give a number of seats from 1 to 100."
    assert unchanged(chat, "Bo", "/elect 1000") == "Give a number of seats from 1 to 100."
    assert unchanged(chat, "Bo", "/elect 2") == "1 of 1 seats are free: elect from 1 to 1."
    assert unchanged(chat, "Bo", "/elect to 99") == "There is no central assembly 99."
    assert unchanged(chat, "Bo", "/elect to 1") == "There is no central assembly 1."
    assert unchanged(chat, "Bo", "/elect lots") == (
        "Call an election: /elect [seats] [to <central assembly>]"
    )
    assert unchanged(chat, "Bo", "/elect", private=True) == (
        "Send this in your assembly's group chat."
    )
