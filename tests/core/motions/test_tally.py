"""Tally tests: published worked examples and hand-counted boundary cases.

Expected figures come from the cited sources or are counted by hand in the comments,
never copied from the implementation's output.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence

import pytest

from core.motions.tally import (
    Outcome,
    count_approval,
    count_consent,
    count_schulze,
    count_single,
    count_yesno,
    tie_break,
)

A, B, C, D, E = range(5)


def _letters(ranking: str) -> list[int]:
    """'ACBED' -> [0, 2, 1, 4, 3]."""
    return [ord(letter) - ord("A") for letter in ranking]


def _expand(groups: Sequence[tuple[int, str]]) -> list[list[int]]:
    """(count, ranking) groups as individual ballots."""
    return [_letters(ranking) for count, ranking in groups for _ in range(count)]


def _draw_winner(tied: Sequence[int], seed: str) -> int:
    """The documented tie-break rule, recomputed independently of the module."""
    digests = {
        option: hashlib.sha256((seed + ":" + str(option)).encode("utf-8")).hexdigest()
        for option in tied
    }
    return min(digests, key=lambda option: digests[option])


def _off_diagonal(matrix: object) -> list[list[int | None]]:
    """Matrix with the diagonal blanked, as the Wikipedia tables print it."""
    assert isinstance(matrix, list)
    return [[None if i == j else v for j, v in enumerate(row)] for i, row in enumerate(matrix)]


# --------------------------------------------------------------------------- Schulze

# https://en.wikipedia.org/wiki/Schulze_method#Example (45 voters, 5 candidates).
WIKIPEDIA_45 = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]
WIKIPEDIA_D = [
    [None, 20, 26, 30, 22],
    [25, None, 16, 33, 18],
    [19, 29, None, 17, 24],
    [15, 12, 28, None, 14],
    [23, 27, 21, 31, None],
]
WIKIPEDIA_P = [
    [None, 28, 28, 30, 24],
    [25, None, 28, 33, 24],
    [25, 29, None, 29, 24],
    [25, 28, 28, None, 24],
    [25, 28, 28, 31, None],
]


def test_schulze_wikipedia_example() -> None:
    outcome = count_schulze(5, _expand(WIKIPEDIA_45), "simple", 45)
    assert outcome.method == "schulze"
    assert outcome.passed
    assert outcome.winners == (E,)
    assert outcome.ranking == (E, A, C, B, D)
    assert not outcome.tie_broken
    assert _off_diagonal(outcome.detail["d"]) == WIKIPEDIA_D
    assert _off_diagonal(outcome.detail["p"]) == WIKIPEDIA_P


def test_schulze_wikipedia_example_fails_absolute_majority() -> None:
    # E is the Schulze winner, yet more voters prefer C to E (d[C][E] = 24 > d[E][C] = 21).
    outcome = count_schulze(5, _expand(WIKIPEDIA_45), "absolute", 45)
    assert outcome.winners == (E,)
    assert not outcome.passed


def test_schulze_condorcet_cycle() -> None:
    # 4 A>B>C, 3 B>C>A, 2 C>A>B: A beats B 6:3, B beats C 7:2, C beats A 5:4 (a cycle).
    # Strongest paths: A->C = min(6, 7) = 6 > C->A = 5, A->B = 6 > B->A = min(7, 5) = 5,
    # B->C = 7 > C->B = min(5, 6) = 5.  So A > B > C.
    ballots = _expand([(4, "ABC"), (3, "BCA"), (2, "CAB")])
    outcome = count_schulze(3, ballots, "simple", 9)
    assert outcome.passed
    assert outcome.winners == (A,)
    assert outcome.ranking == (A, B, C)
    assert _off_diagonal(outcome.detail["d"]) == [[None, 6, 4], [3, None, 7], [5, 2, None]]
    assert _off_diagonal(outcome.detail["p"]) == [[None, 6, 6], [5, None, 7], [5, 5, None]]
    # Only 4 of 9 prefer A to C, so A is no absolute-majority winner.
    assert not count_schulze(3, ballots, "absolute", 9).passed


def test_schulze_partial_rankings_leave_unranked_tied_below() -> None:
    # 2x [A], 2x [B, C], 1x [C].  Unranked options are tied below the ranked ones:
    # A/B: the [A] ballots prefer A (2), the [B, C] ballots prefer B (2), [C] neither -> 2:2.
    # A/C: 2 for A, 2 + 1 for C -> 2:3.   B/C: 2 for B, 1 for C ([A] ballots: neither).
    # Links: C->A (3), B->C (2).  Paths: B->A = min(2, 3) = 2, nothing leads to B or out of A.
    ballots = [[A], [A], [B, C], [B, C], [C]]
    outcome = count_schulze(3, ballots, "simple", 5)
    assert _off_diagonal(outcome.detail["d"]) == [[None, 2, 2], [2, None, 2], [3, 1, None]]
    assert _off_diagonal(outcome.detail["p"]) == [[None, 0, 0], [2, None, 2], [3, 0, None]]
    assert outcome.winners == (B,)
    assert outcome.ranking == (B, C, A)
    assert outcome.passed
    # B is preferred to A by only 2 of the 4 ballots ranking that pair: exactly half.
    assert not count_schulze(3, ballots, "absolute", 5).passed


def test_schulze_majority_boundaries() -> None:
    two_of_three = [[A, B], [A, B], [B, A]]
    assert count_schulze(2, two_of_three, "two_thirds", 3).passed
    assert count_schulze(2, two_of_three, "absolute", 3).passed
    # Ballots that leave both options unranked do not count for the pair.
    with_blank: list[list[int]] = [*two_of_three, [], []]
    assert count_schulze(2, with_blank, "two_thirds", 5).passed
    three_of_five = [[A, B]] * 3 + [[B, A]] * 2
    outcome = count_schulze(2, three_of_five, "two_thirds", 5)
    assert outcome.winners == (A,)
    assert not outcome.passed
    assert count_schulze(2, three_of_five, "absolute", 5).passed
    # Exactly half is not an absolute majority, even once the tie is drawn.
    half = [[A, B]] * 2 + [[B, A]] * 2
    drawn = count_schulze(2, half, "absolute", 4, seed="motion-7")
    assert drawn.tie_broken
    assert drawn.winners == (_draw_winner([A, B], "motion-7"),)
    assert not drawn.passed


def test_schulze_tie_is_drawn_by_the_documented_rule() -> None:
    # Perfect three-way cycle: every pairwise contest is 2:1, all strongest paths equal.
    ballots = _expand([(1, "ABC"), (1, "BCA"), (1, "CAB")])
    outcome = count_schulze(3, ballots, "simple", 3, seed="motion-2024-017")
    assert outcome.tie_broken
    assert outcome.detail["tied"] == [A, B, C]
    assert outcome.winners == (_draw_winner([A, B, C], "motion-2024-017"),)
    assert outcome.ranking[0] == outcome.winners[0]
    assert outcome.passed


def test_schulze_large_electorate() -> None:
    ballots = _expand([(40_000, "ABC"), (35_000, "BCA"), (25_000, "CAB")])
    outcome = count_schulze(3, ballots, "absolute", 100_000)
    # A>B 65k:35k, B>C 75k:25k, C>A 60k:40k -> cycle; A->C = 65k, C->A = 60k: A wins.
    assert outcome.winners == (A,)
    assert not outcome.passed  # only 40% prefer A to C


def _textbook_schulze(n: int, ballots: Sequence[Sequence[int]]) -> tuple[list[list[int]], ...]:
    """The pseudocode from the Wikipedia article, loop by loop, as an independent check."""
    d = [[0] * n for _ in range(n)]
    for ballot in ballots:
        position = {option: place for place, option in enumerate(ballot)}
        for i in range(n):
            for j in range(n):
                if i != j and position.get(i, n) < position.get(j, n):
                    d[i][j] += 1
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                for k in range(n):
                    if i != k and j != k:
                        p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return d, p


@pytest.mark.parametrize("rng_seed", range(25))
def test_schulze_matches_textbook_loops_on_random_partial_ballots(rng_seed: int) -> None:
    rng = random.Random(rng_seed)
    n = rng.randint(2, 7)
    ballots = [rng.sample(range(n), rng.randint(0, n)) for _ in range(rng.randint(1, 60))]
    d, p = _textbook_schulze(n, ballots)
    outcome = count_schulze(n, ballots, "simple", len(ballots), seed="x")
    assert outcome.detail["d"] == d
    assert outcome.detail["p"] == p
    beaten = [sum(p[i][j] > p[j][i] for j in range(n)) for i in range(n)]
    assert outcome.counts == tuple(beaten)
    if any(ballots):
        assert beaten[outcome.winners[0]] == max(beaten)
        # Every Schulze winner: nobody has a stronger path to it than it has back.
        assert all(p[outcome.winners[0]][j] >= p[j][outcome.winners[0]] for j in range(n))


# --------------------------------------------------------------------------- yes / no


def _yesno(yes: int, no: int, abstain: int = 0) -> list[str]:
    return ["yes"] * yes + ["no"] * no + ["abstain"] * abstain


def test_yesno_counts() -> None:
    outcome = count_yesno(_yesno(3, 2, 1), "simple", 10)
    assert outcome.method == "yesno"
    assert outcome.counts == (3, 2, 1)
    assert outcome.winners == ()
    assert outcome.ranking == ()
    assert outcome.passed


def test_yesno_simple_majority_needs_more_yes_than_no() -> None:
    assert not count_yesno(_yesno(4, 4, 10), "simple", 20).passed
    assert count_yesno(_yesno(5, 4, 10), "simple", 20).passed
    assert not count_yesno([], "simple", 20).passed


def test_yesno_absolute_majority_is_of_the_whole_electorate() -> None:
    assert not count_yesno(_yesno(5, 0), "absolute", 10).passed  # exactly half
    assert count_yesno(_yesno(6, 0), "absolute", 10).passed
    assert count_yesno(_yesno(6, 4), "absolute", 11).passed  # 6 > 5.5
    assert not count_yesno(_yesno(5, 0, 5), "absolute", 11).passed  # abstentions don't help


def test_yesno_two_thirds_ignores_abstentions() -> None:
    assert count_yesno(_yesno(2, 1), "two_thirds", 3).passed  # exactly two thirds
    assert count_yesno(_yesno(2, 1, 7), "two_thirds", 10).passed
    assert not count_yesno(_yesno(3, 2), "two_thirds", 5).passed  # 60 %
    assert count_yesno(_yesno(1, 0, 9), "two_thirds", 10).passed
    assert not count_yesno(_yesno(0, 0, 9), "two_thirds", 10).passed  # nobody said yes


# --------------------------------------------------------------------------- single choice


def test_single_plurality() -> None:
    outcome = count_single(3, [A, B, B, C, B, A], "simple", 6)
    assert outcome.method == "single"
    assert outcome.counts == (2, 3, 1)
    assert outcome.winners == (B,)
    assert outcome.ranking == (B, A, C)
    assert outcome.passed
    assert not outcome.tie_broken


def test_single_absolute_majority_of_ballots_cast() -> None:
    half = count_single(3, [A, A, B, C], "absolute", 10)
    assert half.winners == (A,)
    assert not half.passed  # 2 of 4 is exactly half
    assert count_single(3, [A, A, A, C], "absolute", 10).passed


def test_single_two_thirds_of_ballots_cast() -> None:
    assert count_single(2, [A, A, B], "two_thirds", 3).passed  # exactly two thirds
    assert not count_single(2, [A, A, A, B, B], "two_thirds", 5).passed  # 60 %


def test_single_tie_break_is_reproducible() -> None:
    choices = [A, B, C, A, B]
    first = count_single(3, choices, "simple", 5, seed="motion-42")
    again = count_single(3, choices, "simple", 5, seed="motion-42")
    assert first == again
    assert first.tie_broken
    assert first.passed
    assert first.detail["tied"] == [A, B]
    assert first.winners == (_draw_winner([A, B], "motion-42"),)
    assert first.ranking[2] == C


def test_tie_break_depends_on_the_seed() -> None:
    seeds = [f"motion-{i}" for i in range(20)]
    expected = {seed: _draw_winner([A, B], seed) for seed in seeds}
    assert set(expected.values()) == {A, B}  # the draw is not always the same option
    for seed, winner in expected.items():
        assert tie_break([A, B], seed) == winner
        assert count_single(2, [A, B], "simple", 2, seed=seed).winners == (winner,)


def test_tie_break_matches_hashlib() -> None:
    tied = [3, 7, 11]
    digests = {o: hashlib.sha256(f"abc-123:{o}".encode()).hexdigest() for o in tied}
    assert tie_break(tied, "abc-123") == min(tied, key=digests.__getitem__)
    assert tie_break([5], "anything") == 5


def test_tie_without_seed_is_left_unresolved() -> None:
    outcome = count_single(3, [A, B, C, A, B], "simple", 5)
    assert outcome.winners == (A, B)
    assert not outcome.passed
    assert not outcome.tie_broken
    assert outcome.detail["tied"] == [A, B]


# --------------------------------------------------------------------------- approval


def test_approval_most_approvals_wins() -> None:
    ballots = [{A, B}, {B}, {B, C}, {A}, set()]
    outcome = count_approval(3, ballots, "simple", 5)
    assert outcome.method == "approval"
    assert outcome.counts == (2, 3, 1)
    assert outcome.winners == (B,)
    assert outcome.ranking == (B, A, C)
    assert outcome.passed


def test_approval_absolute_majority_of_ballots_cast() -> None:
    # B approved on 2 of 4 ballots (the empty ballot was cast too): exactly half.
    assert not count_approval(3, [{A, B}, {B}, {C}, set()], "absolute", 4).passed
    assert count_approval(3, [{A, B}, {B}, {B, C}, set()], "absolute", 4).passed


def test_approval_two_thirds_of_ballots_cast() -> None:
    four_of_six = [{A}, {A, B}, {A}, {A, C}, {B}, {C}]
    assert count_approval(3, four_of_six, "two_thirds", 6).passed
    three_of_six = [{A}, {A, B}, {A}, {B}, {B, C}, {C}]
    outcome = count_approval(3, three_of_six, "two_thirds", 6, seed="m")
    assert outcome.counts == (3, 3, 2)
    assert not outcome.passed


def test_approval_tie_break() -> None:
    outcome = count_approval(3, [{A, C}, {C, A}, {B}], "simple", 3, seed="motion-9")
    assert outcome.tie_broken
    assert outcome.detail["tied"] == [A, C]
    assert outcome.winners == (_draw_winner([A, C], "motion-9"),)


# --------------------------------------------------------------------------- consent


def test_consent_passes_without_objection() -> None:
    outcome = count_consent(0, 12)
    assert outcome.method == "consent"
    assert outcome.passed
    assert outcome.counts == (12, 0)


def test_consent_single_objection_blocks() -> None:
    outcome = count_consent(1, 30)
    assert not outcome.passed
    assert outcome.counts == (30, 1)


# --------------------------------------------------------------------------- empty ballots


@pytest.mark.parametrize(
    "count",
    [
        lambda: count_single(3, [], "simple", 10, seed="s"),
        lambda: count_approval(3, [], "simple", 10, seed="s"),
        lambda: count_schulze(3, [], "simple", 10, seed="s"),
        lambda: count_approval(3, [set(), set()], "simple", 10, seed="s"),
        lambda: count_schulze(3, [[], []], "simple", 10, seed="s"),
    ],
)
def test_no_ballots_no_winner(count: Callable[[], Outcome]) -> None:
    outcome = count()
    assert not outcome.passed
    assert outcome.winners == ()


# --------------------------------------------------------------------------- invalid input


def test_unknown_yesno_word() -> None:
    with pytest.raises(ValueError, match="unknown vote 'maybe'"):
        count_yesno(["yes", "maybe"], "simple", 5)
    with pytest.raises(ValueError, match="unknown vote 'Yes'"):
        count_yesno(["Yes"], "simple", 5)


def test_option_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"vote 2: option 3 is out of range 0\.\.2"):
        count_single(3, [0, 1, 3], "simple", 5)
    with pytest.raises(ValueError, match=r"ballot 1: option -1 is out of range"):
        count_approval(3, [{0}, {-1}], "simple", 5)
    with pytest.raises(ValueError, match=r"ballot 2: option 5 is out of range 0\.\.4"):
        count_schulze(5, [[0, 1], [2], [3, 5]], "simple", 5)
    with pytest.raises(ValueError, match="out of range"):
        count_schulze(5, [[2**70]], "simple", 5)


def test_duplicate_option_in_ranking() -> None:
    with pytest.raises(ValueError, match="ballot 1: option 2 is ranked more than once"):
        count_schulze(4, [[0, 1], [2, 3, 2]], "simple", 5)


def test_duplicate_approval() -> None:
    with pytest.raises(ValueError, match="ballot 0: option 1 is approved more than once"):
        count_approval(3, [[1, 1]], "simple", 5)


def test_non_integer_options() -> None:
    with pytest.raises(ValueError, match="not an option index"):
        count_single(3, [0, True], "simple", 5)
    with pytest.raises(ValueError, match="ballot 0: '1' is not an option index"):
        count_schulze(3, [["1"]], "simple", 5)  # type: ignore[list-item]


def test_bad_rules_and_counts() -> None:
    with pytest.raises(ValueError, match="unknown majority rule 'unanimous'"):
        count_yesno(["yes"], "unanimous", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="3 ballots cast but the electorate is only 2"):
        count_single(2, [0, 1, 1], "simple", 2)
    with pytest.raises(ValueError, match="electorate must not be negative"):
        count_yesno([], "simple", -1)
    with pytest.raises(ValueError, match="n_options must be at least 1"):
        count_single(0, [], "simple", 5)
    with pytest.raises(ValueError, match="objections must not be negative"):
        count_consent(-1, 3)
    with pytest.raises(ValueError, match="at least one tied option"):
        tie_break([], "seed")
