"""After adoption, revised data: the adopted variant recomputed, each workplace told what changes.

When a plan vote adopts a variant of a computed set, the federation's data are
watched: once a day (timer ``plan.recheck``), and at once when a delegate sends
``/plan revise``. If the dataset's content hash differs from the one the plan
now stands on, the adopted variant's parameters (as voted, unchanged) are
computed again on the new data, the new economy and variant are stored
(``plan_revisions``), and every chat of the federation hears, at the same
moment, what changes: hours and consumption for everyone, and for each member
assembly with a known workplace sector, that sector's output. Nothing is
decided by this: the assembly can put the plan to the vote again.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select

from core import assemblies, outbox, timers
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg, Reply
from core.motions.model import PASSED
from core.planning import archive, summaries, variants
from core.planning.economy import Economy
from core.planning.variants import Variant
from core.plans import economies, variant_sets
from core.plans.vote import COUNTED, PlanVote, load
from core.store.tables import plan_revisions, plan_votes

KIND = "plan.recheck"
EVERY = timedelta(days=1)


@dataclass(frozen=True, eq=False)
class Adopted:
    """The adopted variant as it stands now: on which data, computed how."""

    vote: PlanVote
    economy: Economy
    variant: Variant


def watch(tx: Tx, vote: PlanVote) -> None:
    """Start the daily check of the data under a plan vote that adopted a computed variant."""
    if _adopted_position(vote) is not None:
        timers.plan(tx, vote.central_id, KIND, vote.id, 1, tx.now + EVERY)


@timers.on_timer(KIND)
def _recheck(tx: Tx, timer: timers.Timer) -> None:
    """The daily check; it plans the next one while this plan is the federation's newest."""
    if latest_adopted(tx, timer.assembly_id) != timer.subject_id:
        return
    # Data that do not load now (or no longer fit the plan) leave the plan standing; the
    # check runs again tomorrow, and a delegate's /plan revise says why.
    with suppress(Refusal):
        check(tx, timer.assembly_id)
    timers.plan(tx, timer.assembly_id, KIND, timer.subject_id, timer.slot + 1, tx.now + EVERY)


def revise(tx: Tx, central_id: int, person_id: int) -> list[Reply]:
    """``/plan revise``: check the data now (a delegate asks, in the central chat)."""
    central.require_central(tx, central_id)
    assemblies.require_member(tx, central_id, person_id)
    lines = check(tx, central_id)
    return [Reply(tuple(lines))]


def check(tx: Tx, central_id: int) -> list[Msg]:
    """Recompute the adopted variant if the data changed; what was said (or why nothing)."""
    vote_id = latest_adopted(tx, central_id)
    if vote_id is None:
        raise Refusal("No plan has been adopted here from a computed variant set yet.")
    before = current(tx, load(tx, vote_id))
    data = economies.of_federation(tx, central_id)
    if data.economy.hash == before.economy.hash:
        return [Msg.of(N_("The data have not changed (data {hash})."), hash=data.economy.hash[:12])]
    after, _ = variants.compute(
        data.economy,
        before.variant.parameters,
        data.setting,
        label=before.variant.label,
        origin=before.variant.origin,
        proposer=before.variant.proposer,
    )
    economies.keep(tx, data.name, data.economy)
    tx.conn.execute(
        insert(plan_revisions).values(
            plan_vote_id=vote_id,
            old_hash=before.economy.hash,
            new_hash=data.economy.hash,
            data=archive.variant_bytes(after),
            created_at=tx.now,
        )
    )
    tx.audit(
        "plan.revise",
        {"plan_vote": vote_id, "old": before.economy.hash, "new": data.economy.hash},
        central_id,
    )
    return _tell(tx, before, data.economy, after)


def latest_adopted(tx: Tx, central_id: int) -> int | None:
    """The newest plan vote of this federation that adopted a computed variant."""
    rows = tx.conn.execute(
        select(plan_votes.c.id)
        .where(plan_votes.c.central_id == central_id, plan_votes.c.status == COUNTED)
        .order_by(plan_votes.c.id.desc())
    )
    for row in rows:
        vote = load(tx, int(row.id))
        if _adopted_position(vote) is not None and variant_sets.load(tx, vote.set_id).economy_hash:
            return vote.id
    return None


def current(tx: Tx, vote: PlanVote) -> Adopted:
    """The adopted variant on the newest data it was computed on (the last revision, or the
    set itself)."""
    row = tx.conn.execute(
        select(plan_revisions.c.new_hash, plan_revisions.c.data)
        .where(plan_revisions.c.plan_vote_id == vote.id)
        .order_by(plan_revisions.c.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return Adopted(vote, economies.stored(tx, row.new_hash), archive.variant_from(row.data))
    chosen = variant_sets.load(tx, vote.set_id)
    position = _adopted_position(vote)
    stored = variant_sets.archives(tx, vote.set_id)
    if chosen.economy_hash is None or position is None or stored[position] is None:
        raise Refusal("No plan has been adopted here from a computed variant set yet.")
    data = stored[position]
    assert data is not None
    return Adopted(vote, economies.stored(tx, chosen.economy_hash), archive.variant_from(data))


def _adopted_position(vote: PlanVote) -> int | None:
    result = vote.result or {}
    if result.get("status") != PASSED or not result.get("winners"):
        return None
    return int(result["winners"][0])


def _tell(tx: Tx, before: Adopted, economy: Economy, after: Variant) -> list[Msg]:
    """The same news everywhere at once, with each workplace's own line; the central's lines."""
    head = Msg.of(
        N_(
            "Revised data (data {old} → {new}): the adopted variant {label} of plan vote {vote} "
            "was computed again with the same parameters. Nothing is decided by this."
        ),
        old=before.economy.hash[:12],
        new=economy.hash[:12],
        label=after.label,
        vote=before.vote.id,
    )
    common = [head, *_changes(before, economy, after)]
    outbox.announce(tx, before.vote.central_id, *common)
    for home in central.members(tx, before.vote.central_id):
        own = _workplace(tx, home.id, before, economy, after)
        outbox.announce(tx, home.id, *common, *own)
    return common


def _changes(before: Adopted, economy: Economy, after: Variant) -> list[Msg]:
    """Hours and consumption in year 1, before and after; or why the variant no longer works."""
    if after.plan is None:
        return [
            Msg.of(N_("On the revised data this variant is not possible:")),
            *summaries.summarize(economy, after).lines[:3],
        ]
    old = summaries.figures(before.economy, before.variant)
    new = summaries.figures(economy, after)
    return [
        Msg.of(
            N_(
                "Year 1: {old_hours:.1f} → {new_hours:.1f} h of work a week per person; "
                "consumption per person {old_use:.0f} → {new_use:.0f} (now = 100)."
            ),
            old_hours=float(old.hours[0]),
            new_hours=float(new.hours[0]),
            old_use=100 * float(old.consumption[0]),
            new_use=100 * float(new.consumption[0]),
        )
    ]


def _workplace(
    tx: Tx, assembly_id: int, before: Adopted, economy: Economy, after: Variant
) -> list[Msg]:
    """What changes for this assembly's workplace: its sector's output, year 1 and last."""
    sector = economies.sector_of(tx, assembly_id, economy)
    if sector is None or after.plan is None or sector not in before.economy.products:
        return []
    old = summaries.figures(before.economy, before.variant)
    new = summaries.figures(economy, after)
    i_old = before.economy.products.index(sector)
    i_new = economy.products.index(sector)
    last = min(old.years, new.years)
    return [
        Msg.of(
            N_(
                "Your workplace ({sector}): output against now {old_first:+.0f}% → "
                "{new_first:+.0f}% in year 1, {old_last:+.0f}% → {new_last:+.0f}% in year {year}."
            ),
            sector=sector,
            old_first=100 * float(old.output_change[0, i_old]),
            new_first=100 * float(new.output_change[0, i_new]),
            old_last=100 * float(old.output_change[last - 1, i_old]),
            new_last=100 * float(new.output_change[last - 1, i_new]),
            year=last,
        )
    ]
