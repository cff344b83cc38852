"""Scottish STV: the multi-seat count for delegate elections, as a pure function.

The rule is the one Scottish councils are elected by, chosen because it is written
down in law in eight short paragraphs and can be checked by hand from a results sheet
(The Scottish Local Government Elections Order 2007, SSI 2007/42, Schedule 1 rules
45-52; see docs/stv.md):

- quota (rule 46): ``floor(valid ballots / (seats + 1)) + 1``;
- a candidate who reaches the quota at the end of a stage is elected (rule 47);
- the largest surplus is transferred first (rule 49), by weighted inclusive Gregory:
  every paper the elected candidate holds moves on to its next continuing preference
  at ``surplus * its value / the candidate's votes``, cut (not rounded) to five
  decimal places (rule 48); the share of papers with no next preference is counted
  as non-transferable, and what the cut loses is lost;
- when no surplus is left, the continuing candidate with the fewest votes is
  excluded and their papers move on at the value they came with (rule 50);
- once the continuing candidates are no more than the seats left, they are all
  elected and the count stops (rule 52).

Ties (equal surpluses, equal lowest votes, and the order of candidates elected at
the same stage) go first to the candidates' votes at the most recent earlier stage
where they differ (rules 49(2), 51(2)(a)); with three or more tied candidates the
earlier stages narrow the group one stage at a time. Only if they were equal at
every stage does the lot decide (rules 49(3), 51(2)(b)): the tied candidates are
ordered by ``sha256(seed + str(id).encode("ascii"))`` and the lowest digest counts
as having the most votes, so it transfers first, is listed first, and is excluded
last -- the same "lowest digest wins" as ``core.motions.tally.tie_break``. The seed is
the election's public id, so anyone can recompute the draw. A stage records whether
its decision needed the lot.

Ballots rank candidate ids, most preferred first. An id that is not a candidate
raises ``ValueError``; a candidate ranked twice keeps only its first rank; an empty
ballot is not a valid vote (it has no first preference) and does not count towards
the quota. With no valid ballot at all nobody is elected: there is nothing to count.

Arithmetic is exact: ``Fraction`` throughout, and every transfer value is a whole
number of 1/100000, so the count is the same on every machine.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

# Transfer values are cut to five decimal places (rule 48(3)).
_SCALE = 10**5
_ONE = Fraction(1)
_ZERO = Fraction(0)

Action = Literal["first", "surplus", "exclusion"]


@dataclass(frozen=True)
class Stage:
    """One stage of the count, complete enough to explain it to members.

    ``totals`` holds every candidate after this stage: an elected candidate whose
    surplus has gone keeps exactly the quota, an excluded one has 0.
    ``non_transferable`` is cumulative. ``elected`` lists who was elected at this
    stage, most votes first. ``lot`` is True when a tie in this stage's choice of
    candidate or in the order of ``elected`` was decided by lot.
    """

    number: int
    action: Action
    candidate: int | None
    totals: Mapping[int, Fraction]
    non_transferable: Fraction
    elected: tuple[int, ...]
    lot: bool


@dataclass(frozen=True)
class StvResult:
    """The quota, who was elected in order of election, and every stage."""

    quota: Fraction
    elected: tuple[int, ...]
    stages: tuple[Stage, ...]


@dataclass
class _Parcel:
    """Identical ballots, which always travel together at the same value."""

    ranking: tuple[int, ...]
    count: int
    value: Fraction
    at: int  # index in ``ranking`` of the candidate now holding the parcel


def _truncate(value: Fraction) -> Fraction:
    """Cut to five decimal places, ignoring the remainder, as rule 48(3) says."""
    return Fraction(math.floor(value * _SCALE), _SCALE)


def _lot_key(seed: bytes, candidate: int) -> bytes:
    """Public draw order: anyone can recompute it with ``sha256sum``."""
    return hashlib.sha256(seed + str(candidate).encode("ascii")).digest()


def _is_id(value: object) -> bool:
    """Candidate ids are ints; a bool is an int to Python but a bug here."""
    return isinstance(value, int) and not isinstance(value, bool)


def _check(candidates: Sequence[int], seats: int, seed: bytes) -> tuple[int, ...]:
    """Reject arguments that would make the count meaningless rather than guess."""
    if not _is_id(seats) or seats < 1:
        raise ValueError(f"seats must be an integer of at least 1, got {seats!r}")
    if not isinstance(seed, bytes):
        raise ValueError(f"seed must be bytes, got {type(seed).__name__}")
    ids = tuple(candidates)
    if not ids:
        raise ValueError("an election needs at least one candidate")
    for candidate in ids:
        if not _is_id(candidate):
            raise ValueError(f"candidate ids must be integers, got {candidate!r}")
    if len(set(ids)) != len(ids):
        raise ValueError("a candidate is listed more than once")
    return ids


def _parcels(ballots: Iterable[Sequence[int]], known: frozenset[int]) -> list[_Parcel]:
    """Group identical rankings, dropping repeats after a candidate's first rank.

    Grouping is exact, not an approximation: identical papers always share a pile and
    a value, so they can never be separated later in the count.
    """
    counts: dict[tuple[int, ...], int] = {}
    for number, ballot in enumerate(ballots):
        ranking: list[int] = []
        seen: set[int] = set()
        for candidate in ballot:
            if not _is_id(candidate) or candidate not in known:
                raise ValueError(f"ballot {number}: {candidate!r} is not a candidate")
            if candidate not in seen:
                seen.add(candidate)
                ranking.append(candidate)
        if ranking:
            key = tuple(ranking)
            counts[key] = counts.get(key, 0) + 1
    return [_Parcel(ranking, n, _ONE, 0) for ranking, n in counts.items()]


def _pick(
    tied: Iterable[int],
    now: Mapping[int, Fraction],
    earlier: Sequence[Mapping[int, Fraction]],
    most: bool,
    seed: bytes,
) -> tuple[int, bool]:
    """The candidate with the most (or fewest) votes, and whether the lot decided.

    Ties look back through ``earlier`` stages, most recent first, keeping only those
    with the most (fewest) votes at each; then the lot: the lowest digest counts as
    the most votes.
    """
    extreme = max if most else min
    group = list(tied)
    for totals in (now, *reversed(earlier)):
        best = extreme(totals[c] for c in group)
        group = [c for c in group if totals[c] == best]
        if len(group) == 1:
            return group[0], False
    by_lot = sorted(group, key=lambda c: _lot_key(seed, c))
    return (by_lot[0] if most else by_lot[-1]), True


def _order(
    chosen: Iterable[int],
    now: Mapping[int, Fraction],
    earlier: Sequence[Mapping[int, Fraction]],
    seed: bytes,
) -> tuple[tuple[int, ...], bool]:
    """Most votes first, ties by the same rule as the surplus order."""
    rest = list(chosen)
    ordered: list[int] = []
    lot = False
    while rest:
        first, drawn = _pick(rest, now, earlier, True, seed)
        ordered.append(first)
        rest.remove(first)
        lot = lot or drawn
    return tuple(ordered), lot


class _Count:
    """The state of one count: piles, votes, and the stages recorded so far."""

    def __init__(self, ids: tuple[int, ...], parcels: list[_Parcel], seats: int, seed: bytes):
        self.ids = ids
        self.seats = seats
        self.seed = seed
        self.valid = sum(p.count for p in parcels)
        self.quota = Fraction(self.valid // (seats + 1) + 1)
        self.piles: dict[int, list[_Parcel]] = {c: [] for c in ids}
        for parcel in parcels:
            self.piles[parcel.ranking[0]].append(parcel)
        self.votes: dict[int, Fraction] = {
            c: Fraction(sum(p.count for p in self.piles[c])) for c in ids
        }
        self.continuing: set[int] = set(ids)
        self.elected: list[int] = []
        self.non_transferable = _ZERO
        self.history: list[Mapping[int, Fraction]] = []
        self.stages: list[Stage] = []

    def done(self) -> bool:
        """Every seat is filled, or nobody is left to fill one."""
        return len(self.elected) == self.seats or not self.continuing

    def _move(self, candidate: int) -> None:
        """Hand each parcel of ``candidate`` to its next continuing preference.

        A parcel with no next continuing preference is non-transferable, at the value
        it would have carried.
        """
        for parcel in self.piles[candidate]:
            weight = parcel.value * parcel.count
            following = range(parcel.at + 1, len(parcel.ranking))
            nxt = next((i for i in following if parcel.ranking[i] in self.continuing), None)
            if nxt is None:
                self.non_transferable += weight
                continue
            parcel.at = nxt
            receiver = parcel.ranking[nxt]
            self.piles[receiver].append(parcel)
            self.votes[receiver] += weight
        self.piles[candidate] = []

    def transfer_surplus(self, candidate: int) -> None:
        """Rule 48: every paper moves on at surplus x value / votes, cut to 5 places."""
        total = self.votes[candidate]
        surplus = total - self.quota
        for parcel in self.piles[candidate]:
            parcel.value = _truncate(surplus * parcel.value / total)
        self._move(candidate)
        self.votes[candidate] = self.quota

    def exclude(self, candidate: int) -> None:
        """Rule 50: the papers move on at the value they were received at."""
        self.continuing.discard(candidate)
        self._move(candidate)
        self.votes[candidate] = _ZERO

    def close_stage(self, action: Action, candidate: int | None, lot: bool) -> None:
        """Elect by quota (rule 47) or as the last ones standing (rule 52); record."""
        if self.valid == 0:
            new: set[int] = set()  # nothing was counted, so nobody is chosen
        else:
            new = {c for c in self.continuing if self.votes[c] >= self.quota}
            left = self.seats - len(self.elected) - len(new)
            if len(self.continuing) - len(new) <= left:
                new = set(self.continuing)
        now = MappingProxyType({c: self.votes[c] for c in self.ids})
        elected, drawn = _order(new, now, self.history, self.seed)
        self.continuing -= new
        self.elected.extend(elected)
        self.history.append(now)
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                candidate=candidate,
                totals=now,
                non_transferable=self.non_transferable,
                elected=elected,
                lot=lot or drawn,
            )
        )

    def next_stage(self) -> None:
        """Rule 49 (largest surplus first) if any surplus waits, else rule 50."""
        now, earlier = self.history[-1], self.history[:-1]
        waiting = [c for c in self.elected if self.votes[c] > self.quota]
        if waiting:
            surplus = {c: self.votes[c] - self.quota for c in waiting}
            candidate, lot = _pick(waiting, surplus, earlier, True, self.seed)
            self.transfer_surplus(candidate)
            self.close_stage("surplus", candidate, lot)
        else:
            candidate, lot = _pick(self.continuing, now, earlier, False, self.seed)
            self.exclude(candidate)
            self.close_stage("exclusion", candidate, lot)


def count(
    ballots: Iterable[Sequence[int]],
    candidates: Sequence[int],
    seats: int,
    seed: bytes,
) -> StvResult:
    """Count ranked ballots for ``seats`` seats by Scottish STV.

    Raises ``ValueError`` for seats < 1, no candidates, repeated or non-integer
    candidate ids, a non-bytes seed, or a ballot naming someone who is not a
    candidate. The result lists the elected in order of election and every stage.
    """
    ids = _check(candidates, seats, seed)
    state = _Count(ids, _parcels(ballots, frozenset(ids)), seats, seed)
    state.close_stage("first", None, False)
    while state.valid and not state.done():
        state.next_stage()
    return StvResult(quota=state.quota, elected=tuple(state.elected), stages=tuple(state.stages))
