"""Split weighting: each member assembly votes at home, and its delegation's votes follow.

When a central motion opens under ``federation.weight split``, every member
assembly gets a **mirror**: a motion of kind ``decision`` with the same title,
text, method and options, and the payload ``{"mirror_of": <central motion>}``.
It is an ordinary decision of that assembly: its own quorum, majority and
secrecy rules apply, and passing it changes nothing by itself. It closes one
hour before the central motion, so its result is known at the central count.
A central window shorter than two hours leaves no time for that: no mirror
opens, everyone is told so, and the delegates' own votes count.

At the central count each delegation weighs one vote per delegate seated then,
divided among the choices in proportion to its mirror's valid ballots
(abstentions left out). A delegation whose mirror has no valid ballot, missed
its quorum, or does not exist is represented by its delegates' own votes.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from core import outbox
from core.assemblies import Assembly
from core.context import Tx
from core.federation import central, weights
from core.messages import N_, Msg
from core.motions import ballots, effects, lifecycle, tally
from core.motions.choices import describe
from core.motions.model import FAILED, PASSED, Motion, from_row
from core.store.tables import motions

KIND = "decision"  # a mirror is an ordinary decision of the member assembly
LEAD_HOURS = 1  # a mirror closes this long before its central motion
MIN_HOURS = 2  # a shorter central window leaves no time for a mirror
SHOWN_CHOICES = 5  # a share's line names at most this many choices, then "..."


@effects.on_opened
def open_mirrors(tx: Tx, motion: Motion) -> None:
    """A central motion opened under split: each member assembly votes on it at home."""
    if weights.basis_of(tx, motion) != weights.SPLIT:
        return
    homes = [home for home in central.members(tx, motion.assembly_id) if home.status == "active"]
    hours = _window(motion)
    if hours < MIN_HOURS:
        note = Msg.of(
            N_(
                "Splitting by each assembly's own vote needs a voting window of at least "
                "{hours} hours: motion {id} counts the delegates' own votes."
            ),
            hours=MIN_HOURS,
            id=motion.id,
        )
        for chat in [motion.assembly_id, *(home.id for home in homes)]:
            outbox.announce(tx, chat, note)
        return
    for home in homes:
        _open_mirror(tx, motion, home, hours - LEAD_HOURS)


def _window(motion: Motion) -> int:
    """The central motion's voting window, in whole hours."""
    if motion.opened_at is None or motion.closes_at is None:
        return 0
    return (motion.closes_at - motion.opened_at) // timedelta(hours=1)


def _open_mirror(tx: Tx, motion: Motion, home: Assembly, hours: int) -> None:
    mirror = lifecycle.propose(
        tx,
        home.id,
        None,
        KIND,
        motion.title,
        method=motion.method,
        options=motion.options or None,
        body=motion.body,
        payload={"mirror_of": motion.id},
        hours=hours,
    )
    tx.audit(
        "federation.mirror",
        {"central": motion.assembly_id, "motion": motion.id, "mirror": mirror.id},
        home.id,
    )
    outbox.announce(
        tx,
        home.id,
        Msg.of(
            N_(
                "Motion {mirror} is your own vote on central motion {id}: its result "
                "splits your delegation's votes there. It closes an hour before the centre's."
            ),
            mirror=mirror.id,
            id=motion.id,
        ),
    )


@effects.on_weigh
def split(tx: Tx, motion: Motion, named: list[tuple[int, Any]]) -> effects.Weighed | None:
    """Each delegation's votes divided as its home assembly voted (else as its delegates did)."""
    if weights.basis_of(tx, motion) != weights.SPLIT:
        return None
    seated = weights.delegations(tx, motion.assembly_id)
    mirrors = _mirrors(tx, motion, list(seated))
    own = dict(named)
    present = set(own)
    counted: list[tuple[Any, Fraction]] = []
    shares: list[dict[str, Any]] = []
    for home, persons in seated.items():
        cast, share = _share(tx, motion, home, persons, own, mirrors.get(home))
        if "cast" in share:  # the home vote cast the delegation's votes: all present
            present |= set(persons)
        counted += cast
        shares.append(share)
    total = Fraction(sum(len(persons) for persons in seated.values()))
    return effects.Weighed(counted, total, len(present), weights.SPLIT, shares)


def _share(
    tx: Tx,
    motion: Motion,
    home: int,
    persons: list[int],
    own: dict[int, Any],
    mirror: Motion | None,
) -> tuple[list[tuple[Any, Fraction]], dict[str, Any]]:
    """One delegation's weighted ballots, and how they were cast (kept with the result)."""
    share: dict[str, Any] = {
        "assembly": home,
        "seats": len(persons),
        "mirror": mirror.id if mirror else None,
    }
    valid = _home_ballots(tx, mirror) if mirror is not None else []
    if not valid:  # no home result: the delegates' own votes, one per seat
        return [(own[p], Fraction(1)) for p in persons if p in own], share
    cast = _divided(valid, len(persons))
    share["cast"] = _shown(motion, cast)
    return cast, share


def _mirrors(tx: Tx, motion: Motion, homes: list[int]) -> dict[int, Motion]:
    """The mirror of ``motion`` in each home assembly that has one."""
    if not homes or motion.opened_at is None:
        return {}
    rows = tx.conn.execute(
        select(motions).where(
            motions.c.assembly_id.in_(homes),
            motions.c.kind == KIND,
            motions.c.proposer_id.is_(None),
            motions.c.created_at == motion.opened_at,  # opened with the central motion
        )
    )
    found = (from_row(row) for row in rows)
    return {m.assembly_id: m for m in found if m.payload.get("mirror_of") == motion.id}


def _home_ballots(tx: Tx, mirror: Motion) -> list[Any]:
    """The mirror's valid ballots (abstentions left out); none without a result.

    A mirror closes an hour before its central motion; if nobody has counted it
    yet (the clock's job runs both together), it is counted first.
    """
    if mirror.due(tx.now):
        mirror, _ = lifecycle.close(tx, mirror)
    if mirror.status not in (PASSED, FAILED):  # no quorum, or still open
        return []
    cast = ballots.secret_choices(tx, mirror) if mirror.secret else ballots.open_choices(tx, mirror)
    return [choice for _, choice in cast if choice not in (None, "abstain")]


def _divided(valid: list[Any], seats: int) -> list[tuple[Any, Fraction]]:
    """``seats`` votes divided among the choices in proportion to the home ballots."""
    tallied = Counter(json.dumps(choice, sort_keys=True) for choice in valid)
    return [(json.loads(key), Fraction(seats * n, len(valid))) for key, n in tallied.most_common()]


def _shown(motion: Motion, cast: list[tuple[Any, Fraction]]) -> list[list[Any]]:
    """The share as kept with the result: [choice as members read it, weight], biggest
    first; past ``SHOWN_CHOICES`` the rest is summed under "..." (the count uses all)."""
    summed: dict[str, Fraction] = {}
    for choice, weight in cast:
        text = describe(motion.method, motion.options, choice)
        summed[text] = summed.get(text, Fraction(0)) + weight
    ordered = sorted(summed.items(), key=lambda item: -item[1])
    shown, rest = ordered[:SHOWN_CHOICES], ordered[SHOWN_CHOICES:]
    if rest:
        shown.append(("...", sum((w for _, w in rest), Fraction(0))))
    return [[text, tally.weight_json(weight)] for text, weight in shown]
