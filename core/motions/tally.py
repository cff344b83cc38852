"""Counting ballots: pure functions from the votes cast to an ``Outcome``.

Nothing here stores, reads or sends anything, so every result can be recomputed by
anyone holding the published ballots. Option indices are 0-based positions in the
motion's list of options.

Ties at the top of a choice method are broken by ``tie_break``: the tied options are
ordered by the SHA-256 hex digest of ``f"{seed}:{option}"`` and the lowest digest wins.
The seed is the motion's public id, so the draw is reproducible and cannot be steered
after the votes are in. With the default empty seed a tie is *not* broken: the outcome
lists every tied option in ``winners`` and does not pass, so callers that forgot the
seed never silently elect someone.

Majority rules use integer arithmetic only, so "exactly half" and "exactly two
thirds" are decided exactly rather than by floating-point luck.

``count_weighted`` counts ballots that carry weights (a central assembly whose
federation statute weighs delegations): every method sums weights where it would
count ballots, in exact fractions, and every majority is judged on the weights.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from core.elections import stv

Method = Literal["yesno", "single", "approval", "schulze", "consent", "stv"]
Majority = Literal["simple", "absolute", "two_thirds"]

_MAJORITIES: frozenset[str] = frozenset(get_args(Majority))
_YESNO_WORDS = ("yes", "no", "abstain")
# Upper bound on booleans materialised at once by the Schulze pairwise comparison.
_PAIRWISE_CHUNK_CELLS = 4_000_000

IntArray = npt.NDArray[np.int64]
# A count or a weight: whole ballots, or exact fractions of a delegation's votes.
Amount = int | Fraction


@dataclass(frozen=True)
class Outcome:
    """The result of one count, complete enough to publish and to re-check.

    ``passed``: for yesno/consent the motion passed; for choice methods a single
    winner was found and it meets the majority rule. ``winners`` holds the leading
    option even when it misses the majority rule (then ``passed`` is False), and
    more than one option only for a tie left unresolved (empty seed).
    ``counts``: yesno ``(yes, no, abstain)``; consent ``(consents, objections)``;
    single votes and approval approvals per option; Schulze the number of options
    each option beats in the strongest-path relation (the ranking score). Counts
    of ballots are floats holding whole numbers; weighted counts are ``Fraction``.
    ``ranking`` orders all options best first for choice methods; ties within it are
    ordered by the tie-break rule so the order is reproducible.
    """

    method: str
    passed: bool
    winners: tuple[int, ...]
    counts: tuple[float | Fraction, ...]
    ranking: tuple[int, ...]
    tie_broken: bool
    detail: dict[str, object] = field(default_factory=dict)


def _tie_key(seed: str, option: int) -> str:
    """Public draw order of an option: anyone can recompute it with sha256sum."""
    return hashlib.sha256(f"{seed}:{int(option)}".encode()).hexdigest()


def tie_break(tied: Sequence[int], seed: str) -> int:
    """Pick one of ``tied`` reproducibly: lowest SHA-256 hex of ``f"{seed}:{option}"``.

    The seed is the motion's public id, fixed before voting, so nobody can choose a
    seed that favours an option and anyone can verify the draw afterwards.
    """
    if not tied:
        raise ValueError("tie_break needs at least one tied option")
    if not isinstance(seed, str):
        raise ValueError(f"tie-break seed must be a string, got {type(seed).__name__}")
    return int(min(tied, key=lambda option: _tie_key(seed, option)))


# --------------------------------------------------------------------------- validation


def _check_majority(majority: str) -> None:
    """Reject a misspelt rule rather than silently counting by the wrong one."""
    if majority not in _MAJORITIES:
        raise ValueError(
            f"unknown majority rule {majority!r}: expected one of "
            + ", ".join(repr(m) for m in sorted(_MAJORITIES))
        )


def _check_count(value: object, name: str) -> int:
    """A head count must be a non-negative int; bools are a caller bug, not a count."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return int(value)


def _check_electorate(electorate: int, cast: int) -> int:
    """More ballots than members entitled to vote means the input is corrupt."""
    electorate = _check_count(electorate, "electorate")
    if cast > electorate:
        raise ValueError(f"{cast} ballots cast but the electorate is only {electorate}")
    return electorate


def _check_n_options(n_options: int) -> int:
    """A choice needs at least one option to choose."""
    n = _check_count(n_options, "n_options")
    if n < 1:
        raise ValueError("n_options must be at least 1")
    return n


def _check_seed(seed: str) -> None:
    """The seed is published text; anything else cannot be recomputed by hand."""
    if not isinstance(seed, str):
        raise ValueError(f"tie-break seed must be a string, got {type(seed).__name__}")


def _ballot_of(position: int, lengths: IntArray | None) -> int:
    """Ballot number holding the ``position``-th flattened entry (for error messages)."""
    if lengths is None:
        return position
    return int(np.searchsorted(np.cumsum(lengths), position, side="right"))


def _index_array(
    values: list[object], n_options: int, lengths: IntArray | None, label: str
) -> IntArray:
    """Validate option indices in bulk and return them as an array.

    Checked with numpy rather than per item so 100,000 ballots stay fast; the slow
    path runs only to word the error message.
    """
    bad_types = {
        t
        for t in set(map(type, values))
        if t is bool or not issubclass(t, int | np.integer)  # bool is an int, but a bug
    }
    if bad_types:
        pos, value = next((i, v) for i, v in enumerate(values) if type(v) in bad_types)
        raise ValueError(
            f"{label} {_ballot_of(pos, lengths)}: {value!r} is not an option index (integer)"
        )
    try:
        arr: IntArray = np.fromiter(values, dtype=np.int64, count=len(values))
    except OverflowError:
        pos = next(
            i
            for i, v in enumerate(values)
            if isinstance(v, int | np.integer) and not -(2**63) <= int(v) < 2**63
        )
        raise ValueError(
            f"{label} {_ballot_of(pos, lengths)}: option {values[pos]!r} is out of range "
            f"0..{n_options - 1}"
        ) from None
    out = np.flatnonzero((arr < 0) | (arr >= n_options))
    if out.size:
        pos = int(out[0])
        raise ValueError(
            f"{label} {_ballot_of(pos, lengths)}: option {int(arr[pos])} is out of range "
            f"0..{n_options - 1}"
        )
    return arr


def _flatten(
    ballots: Sequence[Collection[int]], n_options: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Ballots as (flat option indices, ballot number of each entry, ballot lengths)."""
    nb = len(ballots)
    lengths: IntArray = np.fromiter(map(len, ballots), dtype=np.int64, count=nb)
    flat = _index_array(list(chain.from_iterable(ballots)), n_options, lengths, "ballot")
    owner: IntArray = np.repeat(np.arange(nb, dtype=np.int64), lengths)
    return flat, owner, lengths


# --------------------------------------------------------------------------- shared logic


def _needed(majority: Majority, cast: int) -> int | None:
    """Smallest support meeting an absolute / two-thirds share of ``cast`` ballots."""
    if majority == "absolute":
        return cast // 2 + 1
    if majority == "two_thirds":
        return max(1, -(-2 * cast // 3))
    return None


def _meets_share(support: Amount, cast: Amount, majority: Majority) -> bool:
    """Share rule shared by single and approval: > 1/2 or >= 2/3 of ballots cast."""
    if majority == "absolute":
        return 2 * support > cast
    if majority == "two_thirds":
        return support > 0 and 3 * support >= 2 * cast
    return True


def _no_result(method: Method, n_options: int, detail: dict[str, object]) -> Outcome:
    """Nobody expressed any support, so there is nothing to elect."""
    return Outcome(
        method=method,
        passed=False,
        winners=(),
        counts=(0.0,) * n_options,
        ranking=(),
        tie_broken=False,
        detail=detail,
    )


def _decide(
    method: Method,
    scores: Sequence[Amount] | IntArray,
    seed: str,
    meets: Callable[[int], bool],
    detail: dict[str, object],
) -> Outcome:
    """Highest score wins; ties go to ``tie_break``; then the majority rule is applied."""
    n = len(scores)
    score_list = [s if isinstance(s, Fraction) else int(s) for s in scores]
    best = max(score_list)
    top = [o for o in range(n) if score_list[o] == best]
    ranking = tuple(sorted(range(n), key=lambda o: (-score_list[o], _tie_key(seed, o))))
    counts = tuple(s if isinstance(s, Fraction) else float(s) for s in score_list)
    tie_broken = False
    if len(top) > 1:
        detail["tied"] = top
        if seed == "":
            return Outcome(method, False, tuple(top), counts, ranking, False, detail)
        tie_broken = True
    winner = ranking[0]
    return Outcome(method, meets(winner), (winner,), counts, ranking, tie_broken, detail)


def _yesno_passes(yes: Amount, no: Amount, electorate: Amount, majority: Majority) -> bool:
    """simple: yes > no; absolute: yes > half the electorate; two_thirds: yes >= 2 no."""
    if majority == "simple":
        return yes > no
    if majority == "absolute":
        return 2 * yes > electorate
    return yes > 0 and yes >= 2 * no


# --------------------------------------------------------------------------- methods


def count_yesno(choices: Sequence[str], majority: Majority, electorate: int) -> Outcome:
    """Count a yes/no motion.

    simple: yes > no. absolute: yes > electorate / 2, i.e. a majority of everyone
    entitled to vote, so staying away counts against. two_thirds: yes >= 2/3 of
    (yes + no) and yes > 0. Abstentions count for turnout (quorum is decided
    elsewhere) but never for or against.
    """
    _check_majority(majority)
    tally = Counter(choices)
    unknown = [word for word in tally if word not in _YESNO_WORDS]
    if unknown:
        raise ValueError(f"unknown vote {unknown[0]!r}: expected 'yes', 'no' or 'abstain'")
    yes, no, abstain = (tally[word] for word in _YESNO_WORDS)
    cast = yes + no + abstain
    electorate = _check_electorate(electorate, cast)
    passed = _yesno_passes(yes, no, electorate, majority)
    if majority == "simple":
        needed = no + 1
    elif majority == "absolute":
        needed = electorate // 2 + 1
    else:  # yes >= 2/3 (yes + no)  <=>  yes >= 2 * no
        needed = max(1, 2 * no)
    return Outcome(
        method="yesno",
        passed=passed,
        winners=(),
        counts=(float(yes), float(no), float(abstain)),
        ranking=(),
        tie_broken=False,
        detail={"cast": cast, "electorate": electorate, "majority": majority, "needed": needed},
    )


def count_single(
    n_options: int,
    choices: Sequence[int],
    majority: Majority,
    electorate: int,
    *,
    seed: str = "",
) -> Outcome:
    """Plurality: one option per ballot, most votes wins.

    absolute: the winner needs > 1/2 of ballots cast; two_thirds: >= 2/3 of them.
    """
    n = _check_n_options(n_options)
    _check_majority(majority)
    _check_seed(seed)
    cast = len(choices)
    electorate = _check_electorate(electorate, cast)
    detail: dict[str, object] = {"cast": cast, "electorate": electorate, "majority": majority}
    if cast == 0:
        return _no_result("single", n, detail)
    votes = np.bincount(_index_array(list(choices), n, None, "vote"), minlength=n)
    if (needed := _needed(majority, cast)) is not None:
        detail["needed"] = needed
    return _decide(
        "single", votes, seed, lambda w: _meets_share(int(votes[w]), cast, majority), detail
    )


def count_approval(
    n_options: int,
    ballots: Sequence[Collection[int]],
    majority: Majority,
    electorate: int,
    *,
    seed: str = "",
) -> Outcome:
    """Approval: each ballot approves any set of options; most approvals wins.

    absolute / two_thirds: the winner must be approved by > 1/2 / >= 2/3 of ballots
    cast (empty ballots are cast ballots). If nobody approves anything, nobody wins.
    """
    n = _check_n_options(n_options)
    _check_majority(majority)
    _check_seed(seed)
    cast = len(ballots)
    electorate = _check_electorate(electorate, cast)
    detail: dict[str, object] = {"cast": cast, "electorate": electorate, "majority": majority}
    flat, owner, _ = _flatten(ballots, n)
    keys = np.sort(owner * n + flat)
    dup = np.flatnonzero(keys[1:] == keys[:-1])
    if dup.size:
        ballot, option = divmod(int(keys[dup[0]]), n)
        raise ValueError(f"ballot {ballot}: option {option} is approved more than once")
    if flat.size == 0:
        return _no_result("approval", n, detail)
    approvals = np.bincount(flat, minlength=n)
    if (needed := _needed(majority, cast)) is not None:
        detail["needed"] = needed
    return _decide(
        "approval",
        approvals,
        seed,
        lambda w: _meets_share(int(approvals[w]), cast, majority),
        detail,
    )


def _rank_array(ballots: Sequence[Sequence[int]], n_options: int) -> npt.NDArray[np.int32]:
    """Position of each option on each ballot (0 = best); unranked get ``n_options``.

    Giving every unranked option the same position below all ranked ones is what
    makes them "tied below", and lets the pairwise counts come from one comparison.
    """
    flat, owner, lengths = _flatten(ballots, n_options)
    starts = np.cumsum(lengths) - lengths
    position = np.arange(flat.size, dtype=np.int64) - np.repeat(starts, lengths)
    ranks = np.full((len(ballots), n_options), n_options, dtype=np.int32)
    ranks[owner, flat] = position
    # A repeated option overwrites its own cell, so that ballot ends up with fewer cells.
    short = np.flatnonzero(np.count_nonzero(ranks < n_options, axis=1) != lengths)
    if short.size:
        ballot = int(short[0])
        seen: set[int] = set()
        for option in ballots[ballot]:
            if int(option) in seen:
                raise ValueError(f"ballot {ballot}: option {int(option)} is ranked more than once")
            seen.add(int(option))
    return ranks


def _pairwise(ranks: npt.NDArray[np.int32]) -> IntArray:
    """d[i][j] = number of ballots ranking i above j, in chunks to bound memory."""
    n_ballots, n = ranks.shape
    d = np.zeros((n, n), dtype=np.int64)
    step = max(1, _PAIRWISE_CHUNK_CELLS // (n * n))
    for start in range(0, n_ballots, step):
        chunk = ranks[start : start + step]
        d += np.count_nonzero(chunk[:, :, None] < chunk[:, None, :], axis=0)
    return d


def _strongest_paths(d: IntArray) -> IntArray:
    """Schulze strongest paths (winning votes) by Floyd-Warshall, one row-sweep per k.

    Row k and column k do not change during step k (the diagonal is 0), so the
    vectorised update equals the textbook triple loop.
    """
    p = np.where(d > d.T, d, 0)
    for k in range(len(d)):
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
        np.fill_diagonal(p, 0)
    return p


def _schulze_meets(d: Sequence[Sequence[Amount]], winner: int, majority: Majority) -> bool:
    """Winner preferred to each rival by > 1/2 or >= 2/3 of ballots ranking the pair.

    A ballot "ranks the pair" when it puts one of the two above the other (ranking
    only one of them counts as preferring it); ballots leaving both unranked are out.
    """
    if majority == "simple":
        return True
    for rival in range(len(d)):
        if rival == winner:
            continue
        pro, con = d[winner][rival], d[rival][winner]
        if majority == "absolute" and not pro > con:
            return False
        if majority == "two_thirds" and not (pro > 0 and pro >= 2 * con):
            return False
    return True


def count_schulze(
    n_options: int,
    ballots: Sequence[Sequence[int]],
    majority: Majority,
    electorate: int,
    *,
    seed: str = "",
) -> Outcome:
    """Schulze method (winning votes) on rankings given best first, possibly partial.

    Options are ranked by how many others they beat in the strongest-path relation;
    the most-beating options are all Schulze winners, and a tie among them goes to
    ``tie_break``. ``detail`` carries ``d`` (pairwise preferences) and ``p``
    (strongest paths) as nested lists with 0 on the diagonal, so the count can be
    checked by hand. If no ballot ranks anything, nobody wins.
    """
    n = _check_n_options(n_options)
    _check_majority(majority)
    _check_seed(seed)
    cast = len(ballots)
    electorate = _check_electorate(electorate, cast)
    detail: dict[str, object] = {"cast": cast, "electorate": electorate, "majority": majority}
    ranks = _rank_array(ballots, n)
    d = _pairwise(ranks)
    p = _strongest_paths(d)
    detail["d"] = d.tolist()
    detail["p"] = p.tolist()
    if not np.any(ranks < n):
        return _no_result("schulze", n, detail)
    beats = p > p.T
    beaten = np.count_nonzero(beats, axis=1).astype(np.int64)
    detail["schulze_winners"] = [int(o) for o in np.flatnonzero(~beats.any(axis=0))]
    pairs = d.tolist()
    return _decide("schulze", beaten, seed, lambda w: _schulze_meets(pairs, w, majority), detail)


def count_stv(
    n_options: int, ballots: Sequence[Sequence[int]], seats: int, *, seed: str
) -> Outcome:
    """Scottish STV (``core.elections.stv``) for ``seats`` seats: options are candidates.

    The lot seeds ``f"{seed}:"`` with the option index, so a drawn candidate is the
    lowest SHA-256 of ``motion-ID:INDEX``, the same digest as ``tie_break``.
    ``winners`` are the elected in order of election; ``passed`` when anyone is
    elected; ``counts`` the first preferences; ``detail`` the quota and every stage,
    as exact decimal strings, so the count can be explained and re-checked.
    """
    n = _check_n_options(n_options)
    _check_seed(seed)
    result = stv.count(ballots, range(n), seats, f"{seed}:".encode())
    first = result.stages[0].totals
    elected = set(result.elected)
    rest = sorted(
        (o for o in range(n) if o not in elected), key=lambda o: (-first[o], _tie_key(seed, o))
    )
    detail: dict[str, object] = {
        "seats": seats,
        "valid": int(sum(first.values())),
        "quota": _decimal(result.quota),
        "stages": [
            {
                "action": s.action,
                "candidate": s.candidate,
                "totals": [_decimal(s.totals[o]) for o in range(n)],
                "non_transferable": _decimal(s.non_transferable),
                "elected": list(s.elected),
                "lot": s.lot,
            }
            for s in result.stages
        ],
    }
    return Outcome(
        method="stv",
        passed=bool(result.elected),
        winners=result.elected,
        counts=tuple(float(first[o]) for o in range(n)),
        ranking=(*result.elected, *rest),
        tie_broken=any(s.lot for s in result.stages),
        detail=detail,
    )


def _decimal(value: Fraction) -> str:
    """An STV figure (a whole number of 1/100000) as exact decimal text: 12, 2.5."""
    whole, part = divmod(value.numerator * 10**5 // value.denominator, 10**5)
    return f"{whole}.{part:05d}".rstrip("0").rstrip(".") if part else str(whole)


def count_consent(objections: int, consents: int) -> Outcome:
    """Consent: the motion passes unless at least one member objects.

    Objections carry reasons, which are stored elsewhere; here only their number
    matters, because a single reasoned objection is enough to stop the motion.
    """
    objections = _check_count(objections, "objections")
    consents = _check_count(consents, "consents")
    return Outcome(
        method="consent",
        passed=objections == 0,
        winners=(),
        counts=(float(consents), float(objections)),
        ranking=(),
        tie_broken=False,
        detail={},
    )


# --------------------------------------------------------------------------- weighted

WEIGHABLE: tuple[Method, ...] = ("yesno", "single", "approval", "schulze", "consent")


def count_weighted(
    method: str,
    n_options: int,
    ballots: Sequence[tuple[Any, Amount]],
    majority: Majority,
    electorate: Amount,
    *,
    seed: str = "",
) -> Outcome:
    """Count ``(choice, weight)`` ballots: each adds its weight where it would add one.

    ``electorate`` is the weight of everyone entitled to vote (an absolute majority
    needs more than half of it). Choices are stored as in ``core.motions.choices``;
    ``None`` is an abstention in a choice method. Weights are exact (``int`` or
    ``Fraction``), so a split delegation's thirds add up to whole votes again. STV
    is not weighted: an election counts one ballot per voter.
    """
    _check_majority(majority)
    _check_seed(seed)
    total = _check_weight(electorate, "electorate")
    cast = sum((_check_weight(w, "weight") for _, w in ballots), Fraction(0))
    if cast > total:
        raise ValueError(f"ballots weigh {cast} but the electorate weighs only {total}")
    detail: dict[str, object] = {"cast": cast, "electorate": total, "majority": majority}
    if method == "yesno":
        return _weighted_yesno(ballots, majority, total, detail)
    if method == "consent":
        return _weighted_consent(ballots, detail)
    given = [(c, Fraction(w)) for c, w in ballots if c is not None]
    n = _check_n_options(n_options)
    if method == "single":
        return _weighted_single(n, given, majority, seed, detail)
    if method == "approval":
        return _weighted_approval(n, given, majority, seed, detail)
    if method == "schulze":
        return _weighted_schulze(n, given, majority, seed, detail)
    raise ValueError(f"method {method!r} is not counted by weight")


def _check_weight(value: object, name: str) -> Fraction:
    """A weight is an exact non-negative number; a float would make ties a matter of luck."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ValueError(f"{name} must be an int or a Fraction, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return Fraction(value)


def _weighted_yesno(
    ballots: Sequence[tuple[Any, Amount]],
    majority: Majority,
    electorate: Fraction,
    detail: dict[str, object],
) -> Outcome:
    totals = dict.fromkeys(_YESNO_WORDS, Fraction(0))
    for choice, weight in ballots:
        if choice not in totals:
            raise ValueError(f"unknown vote {choice!r}: expected 'yes', 'no' or 'abstain'")
        totals[choice] += weight
    yes, no, abstain = (totals[word] for word in _YESNO_WORDS)
    passed = _yesno_passes(yes, no, electorate, majority)
    return Outcome("yesno", passed, (), (yes, no, abstain), (), False, detail)


def _weighted_consent(ballots: Sequence[tuple[Any, Amount]], detail: dict[str, object]) -> Outcome:
    """An objection blocks, whatever it weighs: consent is not a majority vote."""
    consents, objections, objected = Fraction(0), Fraction(0), False
    for choice, weight in ballots:
        if isinstance(choice, dict) and "object" in choice:
            objections, objected = objections + weight, True
        elif choice == "consent":
            consents += weight
        else:
            raise ValueError(f"unknown vote {choice!r}: expected 'consent' or an objection")
    return Outcome("consent", not objected, (), (consents, objections), (), False, detail)


def _option_list(choice: Any, n: int) -> list[int]:
    """A ballot's list of options, checked: integers in range, each at most once."""
    if not isinstance(choice, list | tuple):
        raise ValueError(f"expected a list of option indices, got {choice!r}")
    options = list(choice)
    seen: set[int] = set()
    for option in options:
        if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < n:
            raise ValueError(f"{option!r} is not an option index in 0..{n - 1}")
        if option in seen:
            raise ValueError(f"option {option} appears more than once on one ballot")
        seen.add(option)
    return options


def _weighted_single(
    n: int,
    given: list[tuple[Any, Fraction]],
    majority: Majority,
    seed: str,
    detail: dict[str, object],
) -> Outcome:
    scores = [Fraction(0)] * n
    for choice, weight in given:
        (option,) = _option_list([choice], n)
        scores[option] += weight
    cast = sum((w for _, w in given), Fraction(0))
    if cast == 0:
        return _no_result("single", n, detail)
    return _decide(
        "single", scores, seed, lambda w: _meets_share(scores[w], cast, majority), detail
    )


def _weighted_approval(
    n: int,
    given: list[tuple[Any, Fraction]],
    majority: Majority,
    seed: str,
    detail: dict[str, object],
) -> Outcome:
    approvals = [Fraction(0)] * n
    for choice, weight in given:
        for option in _option_list(choice, n):
            approvals[option] += weight
    cast = sum((w for _, w in given), Fraction(0))
    if not any(approvals):
        return _no_result("approval", n, detail)
    return _decide(
        "approval", approvals, seed, lambda w: _meets_share(approvals[w], cast, majority), detail
    )


def _weighted_pairwise(n: int, given: list[tuple[Any, Fraction]]) -> list[list[Fraction]]:
    """d[i][j] = the weight of the ballots ranking i above j (unranked: tied below)."""
    merged: dict[tuple[int, ...], Fraction] = {}
    for choice, weight in given:
        ranking = tuple(_option_list(choice, n))
        merged[ranking] = merged.get(ranking, Fraction(0)) + weight
    d = [[Fraction(0)] * n for _ in range(n)]
    for ranking, weight in merged.items():
        position = dict.fromkeys(range(n), n) | {o: i for i, o in enumerate(ranking)}
        for i in range(n):
            for j in range(n):
                if position[i] < position[j]:
                    d[i][j] += weight
    return d


def _weighted_paths(d: list[list[Fraction]]) -> list[list[Fraction]]:
    """Schulze strongest paths (winning votes), the textbook triple loop, exactly."""
    n = len(d)
    p = [[d[i][j] if d[i][j] > d[j][i] else Fraction(0) for j in range(n)] for i in range(n)]
    for k in range(n):
        for i in range(n):
            if i == k:
                continue
            for j in range(n):
                if j not in (i, k):
                    p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
    return p


def _weighted_schulze(
    n: int,
    given: list[tuple[Any, Fraction]],
    majority: Majority,
    seed: str,
    detail: dict[str, object],
) -> Outcome:
    d = _weighted_pairwise(n, given)
    p = _weighted_paths(d)
    detail["d"] = [[weight_json(x) for x in row] for row in d]
    detail["p"] = [[weight_json(x) for x in row] for row in p]
    if not any(w > 0 and choice for choice, w in given):
        return _no_result("schulze", n, detail)
    beats = [[p[i][j] > p[j][i] for j in range(n)] for i in range(n)]
    beaten = [sum(row) for row in beats]
    detail["schulze_winners"] = [o for o in range(n) if not any(beats[i][o] for i in range(n))]
    return _decide("schulze", beaten, seed, lambda w: _schulze_meets(d, w, majority), detail)


def weight_json(value: float | Fraction) -> float | int | str:
    """A count as stored: a whole weight as a number, a part as exact text ("151/2");
    counts of ballots (floats) as they are."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else str(value)
    return value


def weight_of(value: float | int | str) -> Fraction:
    """A stored count back as an exact number."""
    return Fraction(value)


def weight_text(value: Fraction) -> str:
    """A weight as members read it: 75, 75.5, 0.67 (two decimals at most)."""
    hundredths = round(value * 100)
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}".rstrip("0") if part else str(whole)
