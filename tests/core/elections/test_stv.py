"""Scottish STV tests: published worked examples, hand counts and properties.

Expected figures come from the cited sources or are counted by hand in the comments,
never copied from the implementation's output.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from fractions import Fraction

import pytest

from core.elections.stv import StvResult, count

F = Fraction


def _expand(groups: Sequence[tuple[int, Sequence[int]]]) -> list[list[int]]:
    """(count, ranking) groups as individual ballots."""
    return [list(ranking) for n, ranking in groups for _ in range(n)]


def _totals(result: StvResult) -> list[dict[int, Fraction]]:
    """Stage totals as plain dicts, for comparing with the published tables."""
    return [dict(stage.totals) for stage in result.stages]


def _steps(result: StvResult) -> list[tuple[str, int | None, tuple[int, ...]]]:
    """(action, candidate, elected) per stage: the story the results sheet tells."""
    return [(s.action, s.candidate, s.elected) for s in result.stages]


def _lot_order(tied: Sequence[int], seed: bytes) -> list[int]:
    """The documented lot, recomputed independently: lowest SHA-256 digest first."""
    return sorted(tied, key=lambda c: hashlib.sha256(seed + str(c).encode("ascii")).digest())


# --------------------------------------------------------------------------- published


def test_wikipedia_food_election_three_seats() -> None:
    # Wikipedia, "Single transferable vote", section "Example" (food election for a
    # party: 20 guests, 3 of Oranges, Pears, Chocolate, Strawberries, Sweets),
    # https://en.wikipedia.org/wiki/Single_transferable_vote#Example -- the version
    # of the example with 20 guests and fractional surplus transfers, as mirrored at
    # https://www.liquisearch.com/single_transferable_vote/example (later revisions
    # replaced it with a 23-guest example counted by whole votes).
    # Published: Droop quota 6; round 1 Chocolate elected with 12; round 2 its surplus
    # of 6 goes 4 to Strawberries and 2 to Sweets; round 3 Pears eliminated, Oranges
    # reaches 6; round 4 Sweets eliminated and Strawberries takes the last seat.
    # Winners Chocolate, Oranges, Strawberries. (The surplus and the exclusions both
    # decide the result.) Non-transferable at stage 4 counted by hand: Sweets' own
    # paper (1) plus the 4 Chocolate>Sweets papers at 0.5 each (2) = 3.
    oranges, pears, chocolate, strawberries, sweets = 1, 2, 3, 4, 5
    ballots = _expand(
        [
            (4, [oranges]),
            (2, [pears, oranges]),
            (8, [chocolate, strawberries]),
            (4, [chocolate, sweets]),
            (1, [strawberries]),
            (1, [sweets]),
        ]
    )
    result = count(ballots, [1, 2, 3, 4, 5], 3, b"food")

    assert result.quota == 6
    assert result.elected == (chocolate, oranges, strawberries)
    assert _steps(result) == [
        ("first", None, (chocolate,)),
        ("surplus", chocolate, ()),
        ("exclusion", pears, (oranges,)),
        ("exclusion", sweets, (strawberries,)),
    ]
    assert _totals(result) == [
        {oranges: 4, pears: 2, chocolate: 12, strawberries: 1, sweets: 1},
        {oranges: 4, pears: 2, chocolate: 6, strawberries: 5, sweets: 3},
        {oranges: 6, pears: 0, chocolate: 6, strawberries: 5, sweets: 3},
        {oranges: 6, pears: 0, chocolate: 6, strawberries: 5, sweets: 0},
    ]
    assert [s.non_transferable for s in result.stages] == [0, 0, 0, 3]
    assert not any(s.lot for s in result.stages)


def test_wikipedia_droop_quota_example_two_seats() -> None:
    # Wikipedia, "Counting single transferable votes", section "Droop quota", example:
    # 57 voters, 2 seats among Andrea, Brad, Carter, Delilah;
    # 16 A>B>C>D, 24 A>C>B>D, 17 D>A>B>C.
    # https://en.wikipedia.org/wiki/Counting_single_transferable_votes
    # Published: quota 57/(2+1)+1 = 20; Andrea 40 and Delilah 17 in the first round;
    # Andrea's surplus of 20 gives Carter 12 and Brad 8; Brad is excluded, his votes go
    # to Carter, who reaches 20 and fills the second seat.
    andrea, brad, carter, delilah = 1, 2, 3, 4
    ballots = _expand(
        [
            (16, [andrea, brad, carter, delilah]),
            (24, [andrea, carter, brad, delilah]),
            (17, [delilah, andrea, brad, carter]),
        ]
    )
    result = count(ballots, [andrea, brad, carter, delilah], 2, b"droop")

    assert result.quota == 20
    assert result.elected == (andrea, carter)
    assert _steps(result) == [
        ("first", None, (andrea,)),
        ("surplus", andrea, ()),
        ("exclusion", brad, (carter,)),
    ]
    assert _totals(result) == [
        {andrea: 40, brad: 0, carter: 0, delilah: 17},
        {andrea: 20, brad: 8, carter: 12, delilah: 17},
        {andrea: 20, brad: 0, carter: 20, delilah: 17},
    ]
    assert result.stages[-1].non_transferable == 0


def test_wikipedia_tennessee_single_seat_is_instant_runoff() -> None:
    # Wikipedia, "Instant-runoff voting", Tennessee capital example: 42% Memphis >
    # Nashville > Chattanooga > Knoxville, 26% Nashville > Chattanooga > Knoxville >
    # Memphis, 15% Chattanooga > Knoxville > Nashville > Memphis, 17% Knoxville >
    # Chattanooga > Nashville > Memphis (here as 100 voters).
    # https://en.wikipedia.org/wiki/Instant-runoff_voting (the same example, with the
    # same rounds, is in electowiki's "Tennessee example" comparisons)
    # Published: Chattanooga is eliminated first and its votes go to Knoxville (32);
    # then Nashville is eliminated, its votes reach Knoxville, which wins with 58.
    memphis, nashville, chattanooga, knoxville = 1, 2, 3, 4
    ballots = _expand(
        [
            (42, [memphis, nashville, chattanooga, knoxville]),
            (26, [nashville, chattanooga, knoxville, memphis]),
            (15, [chattanooga, knoxville, nashville, memphis]),
            (17, [knoxville, chattanooga, nashville, memphis]),
        ]
    )
    result = count(ballots, [memphis, nashville, chattanooga, knoxville], 1, b"tn")

    assert result.quota == 51  # floor(100 / 2) + 1: a majority of valid votes
    assert result.elected == (knoxville,)
    assert _steps(result) == [
        ("first", None, ()),
        ("exclusion", chattanooga, ()),
        ("exclusion", nashville, (knoxville,)),
    ]
    assert _totals(result) == [
        {memphis: 42, nashville: 26, chattanooga: 15, knoxville: 17},
        {memphis: 42, nashville: 26, chattanooga: 0, knoxville: 32},
        {memphis: 42, nashville: 0, chattanooga: 0, knoxville: 58},
    ]


def test_droop_reference_count_castor_pollux_helen() -> None:
    # Test data of the droop STV package (J. Lundell), github.com/jklundell/droop:
    # test/blt/42.blt (3 candidates, 2 seats; 4 ballots Castor>Pollux, 2 Helen) and
    # its Scottish STV reference count test/ref/report/42-scotland-fixed-p5-d5.txt:
    # quota 3; Castor 4, Pollux 0, Helen 2; Castor's surplus of 1 gives Pollux 1;
    # Pollux is defeated, his vote is non-transferable (1); Helen is elected as the
    # last remaining candidate with 2. Elected: Castor, Helen.
    castor, pollux, helen = 1, 2, 3
    ballots = _expand([(4, [castor, pollux]), (2, [helen])])
    result = count(ballots, [castor, pollux, helen], 2, b"42")

    assert result.quota == 3
    assert result.elected == (castor, helen)
    assert _steps(result) == [
        ("first", None, (castor,)),
        ("surplus", castor, ()),
        ("exclusion", pollux, (helen,)),
    ]
    assert _totals(result) == [
        {castor: 4, pollux: 0, helen: 2},
        {castor: 3, pollux: 1, helen: 2},
        {castor: 3, pollux: 0, helen: 2},
    ]
    assert [s.non_transferable for s in result.stages] == [0, 0, 1]


def test_droop_reference_exclusion_tie_goes_to_earlier_stage() -> None:
    # droop test data for Scottish rule 51(2)(a), github.com/jklundell/droop:
    # test/blt/scotland/weak-defeat.blt (5 candidates, 2 seats; 1 A>B, 2 B, 3 C, 4 D,
    # 5 E) and test/ref/report/scotland/weak-defeat-scotland-fixed-p5-d5.txt:
    # quota 6; A is defeated and B rises to 3, tying C; the tie is broken "by prior
    # stage" (B had 2, C 3) so B is defeated (3 non-transferable), then C (6 in all);
    # D and E are elected as the last remaining candidates. No lot.
    a, b, c, d, e = 1, 2, 3, 4, 5
    ballots = _expand([(1, [a, b]), (2, [b]), (3, [c]), (4, [d]), (5, [e])])
    result = count(ballots, [a, b, c, d, e], 2, b"weak-defeat")

    assert result.quota == 6
    assert set(result.elected) == {d, e}
    assert result.elected == (e, d)  # elected at the same stage: most votes first
    assert _steps(result) == [
        ("first", None, ()),
        ("exclusion", a, ()),
        ("exclusion", b, ()),
        ("exclusion", c, (e, d)),
    ]
    assert _totals(result) == [
        {a: 1, b: 2, c: 3, d: 4, e: 5},
        {a: 0, b: 3, c: 3, d: 4, e: 5},
        {a: 0, b: 0, c: 3, d: 4, e: 5},
        {a: 0, b: 0, c: 0, d: 4, e: 5},
    ]
    assert [s.non_transferable for s in result.stages] == [0, 0, 3, 6]
    assert not any(s.lot for s in result.stages)


# --------------------------------------------------------------------------- hand counts


def test_transfer_value_is_the_value_when_received() -> None:
    # Rule 48(3)-(4), counted by hand. 3 seats, 14 ballots: quota floor(14/4)+1 = 4.
    # Stage 1: A 8, B 1, C 3, D 2; A elected.
    # Stage 2: A's surplus 4 over 8 papers: 4*1/8 = 0.5 each; B gets 8*0.5 = 4 -> 5,
    #   elected.
    # Stage 3: B's surplus 1 over 5 votes: B's own paper 1*1/5 = 0.2 (no next
    #   preference: non-transferable); A's 8 papers 1*0.5/5 = 0.1 each -> C 3.8.
    # Stage 4: D (2) excluded, non-transferable 2.2; C, the only one left for the
    #   last seat, is elected below the quota (rule 52).
    a, b, c, d = 1, 2, 3, 4
    ballots = _expand([(8, [a, b, c]), (1, [b]), (3, [c]), (2, [d])])
    result = count(ballots, [a, b, c, d], 3, b"values")

    assert result.quota == 4
    assert result.elected == (a, b, c)
    assert _steps(result) == [
        ("first", None, (a,)),
        ("surplus", a, (b,)),
        ("surplus", b, ()),
        ("exclusion", d, (c,)),
    ]
    assert _totals(result) == [
        {a: 8, b: 1, c: 3, d: 2},
        {a: 4, b: 5, c: 3, d: 2},
        {a: 4, b: 4, c: F("3.8"), d: 2},
        {a: 4, b: 4, c: F("3.8"), d: 0},
    ]
    assert [s.non_transferable for s in result.stages] == [0, 0, F("0.2"), F("2.2")]


def test_transfer_values_are_cut_to_five_decimals() -> None:
    # Rule 48(3), counted by hand. 2 seats, 10 ballots: quota floor(10/3)+1 = 4.
    # A's surplus 3 over 7 papers: 3/7 = 0.428571... is cut to 0.42857, so B gets
    # 7 * 0.42857 = 2.99999 and 0.00001 of a vote is lost to the cut.
    # Then D (1) and C (2) are excluded, both non-transferable, and B is elected.
    a, b, c, d = 1, 2, 3, 4
    ballots = _expand([(7, [a, b]), (2, [c]), (1, [d])])
    result = count(ballots, [a, b, c, d], 2, b"cut")

    assert result.elected == (a, b)
    assert result.stages[1].totals[b] == F("2.99999")
    after_surplus = result.stages[1]
    assert sum(after_surplus.totals.values()) + after_surplus.non_transferable == F("9.99999")
    assert [s.candidate for s in result.stages] == [None, a, d, c]
    assert result.stages[-1].non_transferable == 3


def test_equal_surpluses_go_by_earlier_stage() -> None:
    # Rule 49(2), counted by hand. 4 seats, 22 ballots: quota floor(22/5)+1 = 5.
    # Stage 1: A 10 (4 A>X, 6 A>Y), X 4, Y 3, Z 3, W 2; A elected.
    # Stage 2: A's surplus 5 at 0.5 a paper: X 4+2 = 6, Y 3+3 = 6; both elected, X
    #   first (X had more at stage 1).
    # Stages 3 and 4: X and Y have equal surpluses of 1; X had more votes at stage 1,
    #   so X's surplus goes first. Their papers have no next preference.
    #   X: 4 papers at 1/6 -> 0.16666 and 4 at 0.5/6 -> 0.08333: 0.99996 non-transferable.
    #   Y: 3 papers at 0.16666 and 6 at 0.08333: 0.99996 non-transferable.
    # Stage 5: W (2) excluded; Z is elected as the last one standing.
    a, x, y, z, w = 1, 2, 3, 4, 5
    ballots = _expand([(4, [a, x]), (6, [a, y]), (4, [x]), (3, [y]), (3, [z]), (2, [w])])
    result = count(ballots, [a, x, y, z, w], 4, b"surplus-order")

    assert result.quota == 5
    assert result.elected == (a, x, y, z)
    assert _steps(result) == [
        ("first", None, (a,)),
        ("surplus", a, (x, y)),
        ("surplus", x, ()),
        ("surplus", y, ()),
        ("exclusion", w, (z,)),
    ]
    assert [s.non_transferable for s in result.stages] == [
        0,
        0,
        F("0.99996"),
        F("1.99992"),
        F("3.99992"),
    ]
    assert not any(s.lot for s in result.stages)


def test_three_way_tie_narrows_one_earlier_stage_at_a_time() -> None:
    # Rule 51(2)(a) with three tied candidates, counted by hand. 3 seats, 22 ballots:
    # quota floor(22/4)+1 = 6.
    # Stage 1: A 12 (2 A>B, 2 A>D, 8 A), B 2, C 3, D 3, E 2 (E>B, E>C); A elected.
    # Stage 2: A's surplus 6 at 0.5 a paper: B 3, D 4; the 8 A-only papers give 4
    #   non-transferable.
    # Stage 3: E (2, the lowest) excluded: B 4, C 4.
    # Stage 4: after stage 3 B, C and D all have 4. At stage 2 B and C (3) were below
    #   D (4); at stage 1 B (2) was below C (3): B is excluded, no lot. His 4 votes are
    #   non-transferable, and C and D fill the last two seats, D listed first (equal
    #   with C at stages 4 and 3, ahead at stage 2).
    a, b, c, d, e = 1, 2, 3, 4, 5
    ballots = _expand(
        [(2, [a, b]), (2, [a, d]), (8, [a]), (2, [b]), (3, [c]), (3, [d]), (1, [e, b]), (1, [e, c])]
    )
    result = count(ballots, [a, b, c, d, e], 3, b"three-way")

    assert result.quota == 6
    assert _steps(result) == [
        ("first", None, (a,)),
        ("surplus", a, ()),
        ("exclusion", e, ()),
        ("exclusion", b, (d, c)),
    ]
    assert _totals(result)[2] == {a: 6, b: 4, c: 4, d: 4, e: 0}
    assert result.elected == (a, d, c)
    assert result.stages[-1].non_transferable == 8
    assert not any(s.lot for s in result.stages)


# --------------------------------------------------------------------------- ties by lot


@pytest.mark.parametrize("seed", [b"1", b"2", b"3", b"election-42", b""])
def test_tie_at_every_stage_goes_to_the_lot(seed: bytes) -> None:
    # Two candidates, one vote each, one seat: equal at every stage, so the lot
    # decides which one is excluded; the lowest digest counts as more votes and wins.
    result = count([[7], [11]], [7, 11], 1, seed)

    winner, loser = _lot_order([7, 11], seed)
    assert result.elected == (winner,)
    assert [(s.action, s.candidate, s.lot) for s in result.stages] == [
        ("first", None, False),
        ("exclusion", loser, True),
    ]


def test_lot_is_reproducible_and_depends_on_the_seed() -> None:
    # Candidates 2, 4 and 6 tie for last at stage 1 and were never apart, so the lot
    # picks who goes first; the same seed must give the same count every time.
    ballots = [[c] for c in range(1, 7)] + [[1, 2], [3, 4], [5, 6]]
    runs = [count(ballots, range(1, 7), 3, b"77") for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0].stages[1].lot

    # A plain two-way tie for one seat: different seeds draw different winners.
    winners = {count([[7], [11]], [7, 11], 1, str(n).encode()).elected for n in range(20)}
    assert winners == {(7,), (11,)}


def test_negative_and_large_ids_draw_by_their_decimal_text() -> None:
    result = count([[-5], [10**12]], [-5, 10**12], 1, b"s")
    assert result.elected == (_lot_order([-5, 10**12], b"s")[0],)


# --------------------------------------------------------------------------- input


def test_invalid_arguments_raise() -> None:
    with pytest.raises(ValueError):
        count([[1]], [1], 0, b"")
    with pytest.raises(ValueError):
        count([[1]], [1], True, b"")
    with pytest.raises(ValueError):
        count([[1]], [], 1, b"")
    with pytest.raises(ValueError):
        count([[1]], [1, 1], 1, b"")
    with pytest.raises(ValueError, match="ballot 1"):
        count([[1], [1, 3]], [1, 2], 1, b"")
    with pytest.raises(ValueError):
        count([[True]], [1, 2], 1, b"")
    with pytest.raises(ValueError):
        count([[1]], [1, 2], 1, "seed")  # type: ignore[arg-type]


def test_repeated_candidate_keeps_only_its_first_rank() -> None:
    repeated = [[1, 2, 1, 3, 2], [1, 1], [3, 3], [2, 1]] * 3
    cleaned = [[1, 2, 3], [1], [3], [2, 1]] * 3
    assert count(repeated, [1, 2, 3], 2, b"r") == count(cleaned, [1, 2, 3], 2, b"r")


def test_empty_ballots_are_not_valid_votes() -> None:
    # 5 valid ballots and 3 empty ones, 1 seat: the quota is floor(5/2)+1 = 3.
    result = count([[1], [1], [1], [2], [2], [], [], []], [1, 2], 1, b"e")
    assert result.quota == 3
    assert result.elected == (1,)
    assert len(result.stages) == 1


def test_no_valid_ballot_elects_nobody() -> None:
    result = count([[], []], [1, 2, 3], 3, b"none")
    assert result.elected == ()
    assert len(result.stages) == 1
    assert dict(result.stages[0].totals) == {1: 0, 2: 0, 3: 0}


@pytest.mark.parametrize("seats", [3, 4, 10])
def test_seats_for_everyone_elects_everyone_at_once(seats: int) -> None:
    # Candidate 1 has 2 votes, 2 and 3 one each: all elected at stage 1 (rule 52),
    # listed by votes; 2 and 3 were never apart, so the lot orders them, and says so.
    result = count([[1], [1], [2], [3, 1]], [3, 2, 1], seats, b"all")
    assert result.elected == (1, *_lot_order([2, 3], b"all"))
    assert len(result.stages) == 1
    assert result.stages[0].elected == result.elected
    assert result.stages[0].lot


def test_single_seat_majority_wins_at_stage_one() -> None:
    rng = random.Random(5)
    others = [2, 3, 4, 5]
    ballots = [[1, *rng.sample(others, 2)] for _ in range(51)]
    ballots += [rng.sample(others, rng.randint(1, 4)) for _ in range(49)]
    result = count(ballots, [1, 2, 3, 4, 5], 1, b"m")
    assert result.elected == (1,)
    assert len(result.stages) == 1
    assert result.stages[0].elected == (1,)


# --------------------------------------------------------------------------- properties


@pytest.mark.parametrize(
    ("valid", "seats", "quota"),
    [
        (20, 3, 6),  # Wikipedia food election (above)
        (57, 2, 20),  # Wikipedia Droop quota example (above)
        (4000, 3, 1001),  # Highland Council, "Voting systems" (STV quota example)
        (3484, 3, 872),  # Highland Council, Tain and Easter Ross 2017 stage report
        (3109, 1, 1555),  # Angus Council, Carnoustie and District by-election 2011
        (1, 1, 1),
    ],
)
def test_quota_is_droop(valid: int, seats: int, quota: int) -> None:
    # Rule 46: floor(valid / (seats + 1)) + 1, checked against quotas the sources
    # publish (http://www.highland.gov.uk/yourcouncil/elections/votingsystems;
    # https://www.angus.gov.uk/council_and_democracy/elections_and_voting/election_results/angus_local_government_election_3).
    result = count([[1]] * valid, [1, 2, 3, 4, 5], seats, b"q")
    assert result.quota == quota
    assert (seats + 1) * result.quota > valid  # no more than ``seats`` can reach it
    assert (seats + 1) * (result.quota - 1) <= valid  # and it is the least such number


def _random_election(rng: random.Random, voters: int, candidates: int) -> list[list[int]]:
    """Partial rankings of random length, some ballots blank, support uneven.

    Each ballot orders the candidates by ``u ** (1 / weight)`` (weighted sampling
    without replacement), so popular candidates tend to come first and surpluses occur.
    """
    ids = list(range(1, candidates + 1))
    weights = [0.05 + rng.random() ** 2 for _ in ids]
    ballots = []
    for _ in range(voters):
        order = sorted(ids, key=lambda c: -(rng.random() ** (1 / weights[c - 1])))
        ballots.append(order[: rng.randint(0, candidates)])
    return ballots


@pytest.mark.parametrize("case", range(25))
def test_votes_are_conserved_up_to_the_cut(case: int) -> None:
    # 200 voters, 10 candidates, 3 seats: the size the brief asks to stay fast.
    rng = random.Random(case)
    ballots = _random_election(rng, 200, 10)
    valid = sum(1 for b in ballots if b)
    result = count(ballots, range(1, 11), 3, b"conserve")

    assert len(result.elected) == 3
    assert len(set(result.elected)) == 3
    assert result.elected == tuple(c for s in result.stages for c in s.elected)
    assert [s.number for s in result.stages] == list(range(1, len(result.stages) + 1))
    assert result.stages[0].action == "first"
    lost = Fraction(0)
    surpluses = 0
    previous_nt = Fraction(0)
    for stage in result.stages:
        assert set(stage.totals) == set(range(1, 11))
        assert all(v >= 0 and (v * 10**5).denominator == 1 for v in stage.totals.values())
        assert stage.non_transferable >= previous_nt
        previous_nt = stage.non_transferable
        surpluses += stage.action == "surplus"
        now_lost = valid - sum(stage.totals.values()) - stage.non_transferable
        # Each surplus transfer loses less than 1/100000 per paper; exclusions lose none.
        assert 0 <= now_lost <= Fraction(surpluses * valid, 10**5)
        if stage.action != "surplus":
            assert now_lost == lost
        lost = now_lost


def _irv(ballots: list[list[int]], candidates: list[int]) -> int | None:
    """Plain instant-runoff by hand; None when a tie for last would need breaking."""
    standing = set(candidates)
    while True:
        tally = dict.fromkeys(standing, 0)
        for ballot in ballots:
            top = next((c for c in ballot if c in standing), None)
            if top is not None:
                tally[top] += 1
        if len(standing) == 1:
            return standing.pop()
        low = min(tally.values())
        losers = [c for c, v in tally.items() if v == low]
        if len(losers) > 1:
            return None
        standing.remove(losers[0])


def test_single_seat_agrees_with_instant_runoff() -> None:
    # With one seat the quota is a majority of valid votes, and Scottish STV is
    # instant-runoff: compare with the hand IRV above wherever it needs no tie-break.
    compared = 0
    for case in range(80):
        rng = random.Random(1000 + case)
        ballots = [b for b in _random_election(rng, 101, 5) if b]
        expected = _irv(ballots, [1, 2, 3, 4, 5])
        if expected is None:
            continue
        assert count(ballots, [1, 2, 3, 4, 5], 1, b"irv").elected == (expected,), case
        compared += 1
    assert compared >= 40
