"""Voting weight in a central assembly, as its statute ``federation.weight`` says.

- ``delegate`` (the default): one vote per delegate; the count is not weighted.
- ``size``: each delegation weighs as many votes as its home assembly has active
  members at the count, shared equally among that assembly's delegates seated
  here then (2 delegates of an assembly of 150: 75 each).
- ``split``: each delegation weighs one vote per seated delegate, divided among
  the options as its home assembly voted on the motion (``mirror``).

The weights reach the count through ``effects.on_weigh``, so the count itself
knows nothing of federations. Majorities are judged on the weights, exactly;
the quorum stays a count of delegates. Only roll-call votes by a method that
``tally`` can weigh are weighted: an election by STV counts one ballot per
delegate. Each member assembly is told what its delegation weighed.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from core import assemblies, outbox
from core.context import Tx
from core.federation import relay as _relay  # noqa: F401  (the result is relayed first)
from core.federation import roll
from core.messages import N_, Msg
from core.motions import effects, tally
from core.motions.model import Motion
from core.store.tables import members

DELEGATE, SIZE, SPLIT = "delegate", "size", "split"


def basis_of(tx: Tx, motion: Motion) -> str:
    """How a motion is weighed now: ``delegate`` unless a central statute says otherwise."""
    if motion.secret or motion.method not in tally.WEIGHABLE:
        return DELEGATE
    if assemblies.kind_of(tx, motion.assembly_id) != assemblies.CENTRAL:
        return DELEGATE
    return str(assemblies.statute(tx, motion.assembly_id)["federation.weight"])


def delegations(tx: Tx, central_id: int) -> dict[int, list[int]]:
    """The delegates seated here now, by home assembly: one person per seat held."""
    found: dict[int, list[int]] = {}
    for seat in roll.seated(tx, central_id):
        found.setdefault(seat.assembly_id, []).append(seat.person_id)
    return found


def sizes(tx: Tx, homes: list[int]) -> dict[int, int]:
    """Active members of each assembly, in one query (a federation can be large)."""
    if not homes:
        return {}
    rows = tx.conn.execute(
        select(members.c.assembly_id, func.count())
        .where(members.c.assembly_id.in_(homes), members.c.status == "active")
        .group_by(members.c.assembly_id)
    )
    return {int(home): int(n) for home, n in rows}


@effects.on_weigh
def by_size(tx: Tx, motion: Motion, named: list[tuple[int, Any]]) -> effects.Weighed | None:
    """Each delegate's ballot weighs their share of their home assembly's members."""
    if basis_of(tx, motion) != SIZE:
        return None
    seated = delegations(tx, motion.assembly_id)
    size = sizes(tx, list(seated))
    weight: dict[int, Fraction] = {}
    for home, persons in seated.items():
        each = Fraction(size.get(home, 0), len(persons))
        for person in persons:  # one person may sit for two assemblies
            weight[person] = weight.get(person, Fraction(0)) + each
    shares = [
        {"assembly": home, "seats": len(persons), "weight": size.get(home, 0)}
        for home, persons in seated.items()
    ]
    return effects.Weighed(
        ballots=[(choice, weight.get(person, Fraction(0))) for person, choice in named],
        total=Fraction(sum(size.get(home, 0) for home in seated)),
        turnout=len(named),
        basis=SIZE,
        shares=shares,
    )


@effects.on_closed
def _tell_shares(tx: Tx, motion: Motion) -> None:
    """After the relayed result, each member assembly reads what its delegation weighed."""
    result = motion.result or {}
    shares = result.get("shares") or []
    if result.get("weight") not in (SIZE, SPLIT) or not shares:
        return
    for share in shares:
        outbox.announce(tx, int(share["assembly"]), share_line(motion, result["weight"], share))


def share_line(motion: Motion, basis: str, share: dict[str, Any]) -> Msg:
    """How one delegation's votes on a central motion were weighed and cast."""
    if basis == SIZE:
        return Msg.of(
            N_("Motion {id} was weighted by assembly size: your delegation weighed {weight}."),
            id=motion.id,
            weight=int(share["weight"]),
        )
    if share.get("cast"):
        cast = ", ".join(
            f"{choice} {tally.weight_text(tally.weight_of(w))}" for choice, w in share["cast"]
        )
        return Msg.of(
            N_(
                "Motion {id}: your own vote (motion {mirror}) split your delegation's "
                "weight of {seats}: {cast}."
            ),
            id=motion.id,
            mirror=share["mirror"],
            seats=share["seats"],
            cast=cast,
        )
    if share.get("mirror") is not None:
        return Msg.of(
            N_(
                "Motion {id}: your own vote (motion {mirror}) had no valid result, "
                "so your delegates' own votes counted."
            ),
            id=motion.id,
            mirror=share["mirror"],
        )
    return Msg.of(
        N_("Motion {id}: you had no vote of your own on it, so your delegates' own votes counted."),
        id=motion.id,
    )
