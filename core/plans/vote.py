"""Calling a plan vote: every member assembly of a federation votes on a variant set at once.

Any delegate on the central roll may call it (``/plan vote <set>`` in the central
chat). Calling decides nothing and overrides no one: it puts every variant of
the set to every member of every active member assembly, who vote directly in
their own assembly. So it needs no central motion, which would let the
delegates decide whether the members may vote at all.

One motion of kind ``plan`` opens in each member assembly in one transaction:
the same opening and closing time everywhere, the variants as options in the
set's order, and the variants' summaries announced beside it, so the outbox
delivers the same ballot to everyone from the same moment. The voting window is
the longest ``voting.hours`` of the central and member assemblies (a caller may
set a longer one, never shorter than any assembly's ``voting.min_hours``).
How the federation counts (``federation.plan_method``,
``federation.plan_aggregate``, ``majority.plan`` of the central statute) is
fixed when the vote opens and announced with it: the rule is declared before
anyone votes. Each motion is an ordinary motion of its assembly otherwise: its
own secrecy, quorum and majority rules give its own result.

When the aggregate is ``pooled``, each person votes once: a member of two
assemblies whose first ballot went to one of them is refused in the others
(``check_once``), whether the ballots are open or secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, insert, select

from core import assemblies, outbox
from core.assemblies import Assembly
from core.calendar import local
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion, from_row
from core.plans import variant_sets
from core.plans.variant_sets import VariantSet
from core.store.tables import assemblies as assembly_table
from core.store.tables import motions, plan_vote_motions, plan_votes, turnout, votes

KIND = "plan"
OPEN, COUNTED = "open", "counted"
POOLED, PER_ASSEMBLY = "pooled", "per_assembly"
MAX_HOURS = 24 * 60

AGGREGATE_NAMES = {
    POOLED: N_("every ballot of every assembly counted together, each person once"),
    PER_ASSEMBLY: N_("each assembly's own result counts as one ballot"),
}


@dataclass(frozen=True)
class PlanVote:
    id: int
    set_id: int
    central_id: int
    method: str
    aggregate: str
    majority: str
    opened_at: datetime
    closes_at: datetime
    status: str
    result: dict[str, Any] | None


def call(
    tx: Tx, central_id: int, person_id: int, set_id: int, hours: int | None = None
) -> list[Reply]:
    """Open the plan vote on set ``set_id`` in every member assembly; the caller's reply."""
    body = central.require_central(tx, central_id)
    assemblies.require_member(tx, central_id, person_id)
    chosen = variant_sets.of_central(tx, central_id, set_id)
    if len(chosen.variants) < 2:
        raise Refusal(
            "Variant set {id} has only one variant; a plan vote needs at least 2.", id=set_id
        )
    _refuse_if_open(tx, set_id)
    homes = [home for home in central.members(tx, central_id) if home.status == "active"]
    if not homes:
        raise Refusal("No assembly has joined {name} yet: nobody could vote.", name=body.name)
    window = _window(tx, central_id, homes, hours)
    plan = _record(tx, chosen, window)
    opened = {home.id: _open_in(tx, home, body, chosen, plan, window) for home in homes}
    tx.conn.execute(
        insert(plan_vote_motions),
        [{"plan_vote_id": plan.id, "motion_id": m, "assembly_id": a} for a, m in opened.items()],
    )
    tx.audit("plan.open", _audited(plan, opened, window), central_id, person_id)
    when = local.minute(plan.closes_at, local.zone_of(tx, central_id))
    listing = ", ".join(f"{home.name} {opened[home.id]}" for home in homes)
    outbox.announce(
        tx,
        central_id,
        Msg.of(
            N_(
                "Plan vote {vote} on variant set {set} ({title}) is open in {n} assemblies "
                "until {when}; their motions: {motions}."
            ),
            vote=plan.id,
            set=set_id,
            title=chosen.title,
            n=len(homes),
            when=when,
            motions=listing,
        ),
        Msg.of(N_("Counted: {rule}."), rule=Msg(AGGREGATE_NAMES[plan.aggregate])),
    )
    reply = Msg.of(
        N_("Plan vote {vote} is open in {n} assemblies until {when}."),
        vote=plan.id,
        n=len(homes),
        when=when,
    )
    return [Reply((reply,))]


def _audited(plan: PlanVote, opened: dict[int, int], window: int) -> dict[str, Any]:
    """The opening as the audit log keeps it: each assembly's motion and the declared rule."""
    return {
        "plan_vote": plan.id,
        "set": plan.set_id,
        "motions": [[assembly, motion] for assembly, motion in opened.items()],
        "method": plan.method,
        "aggregate": plan.aggregate,
        "majority": plan.majority,
        "hours": window,
    }


def _refuse_if_open(tx: Tx, set_id: int) -> None:
    """One plan vote at a time on a set: two would split the same members' ballots."""
    running = tx.conn.execute(
        select(plan_votes.c.id).where(plan_votes.c.set_id == set_id, plan_votes.c.status == OPEN)
    ).scalar()
    if running is not None:
        raise Refusal(
            "Plan vote {vote} on variant set {set} is still open.", vote=running, set=set_id
        )


def _window(tx: Tx, central_id: int, homes: list[Assembly], hours: int | None) -> int:
    """Hours the vote stays open: the longest window of the federation's assemblies, or
    the caller's, refused when shorter than any assembly's minimum."""
    rules = [(home.name, assemblies.statute(tx, home.id)) for home in homes]
    rules.append((assemblies.get(tx, central_id).name, assemblies.statute(tx, central_id)))
    if hours is None:
        return max(max(int(r["voting.hours"]), int(r["voting.min_hours"])) for _, r in rules)
    if not 1 <= hours <= MAX_HOURS:
        raise Refusal("Give a whole number of hours from 1 to 1440.")
    for name, statute in rules:
        if hours < int(statute["voting.min_hours"]):
            raise Refusal(
                "Voting stays open at least {n} hours in {assembly}, so every shift can vote "
                "(rule voting.min_hours).",
                n=int(statute["voting.min_hours"]),
                assembly=name,
            )
    return hours


def _record(tx: Tx, chosen: VariantSet, window: int) -> PlanVote:
    """The plan vote's row, with the counting rule the central statute declares now."""
    rules = assemblies.statute(tx, chosen.central_id)
    values = {
        "set_id": chosen.id,
        "central_id": chosen.central_id,
        "method": str(rules["federation.plan_method"]),
        "aggregate": str(rules["federation.plan_aggregate"]),
        "majority": rules.majority(KIND),
        "opened_at": tx.now,
        "closes_at": tx.now + timedelta(hours=window),
        "status": OPEN,
    }
    vote_id = tx.conn.execute(
        insert(plan_votes).values(**values).returning(plan_votes.c.id)
    ).scalar_one()
    return load(tx, int(vote_id))


def _open_in(
    tx: Tx, home: Assembly, body: Assembly, chosen: VariantSet, plan: PlanVote, window: int
) -> int:
    """The home assembly's plan motion, opened now, and the variants announced beside it."""
    motion = lifecycle.propose(
        tx,
        home.id,
        None,
        KIND,
        chosen.title,
        method=plan.method,
        options=chosen.names,
        payload={"plan_vote": plan.id, "variant_set": chosen.id, "aggregate": plan.aggregate},
        hours=window,
    )
    intro = Msg.of(
        N_(
            "Plan vote {vote} of {central}: every assembly of the federation votes on these "
            "variants, from now until the same moment. Counted: {rule}."
        ),
        vote=plan.id,
        central=body.name,
        rule=Msg(AGGREGATE_NAMES[plan.aggregate]),
    )
    outbox.announce(tx, home.id, intro, *variant_lines(chosen, home.id))
    return motion.id


def variant_lines(chosen: VariantSet, assembly_id: int | None = None) -> list[Msg]:
    """Every variant with all its summary lines (the first one about the reading assembly's
    own workplace where the factory wrote one), and where the figures came from."""
    lines: list[Msg] = []
    for n, variant in enumerate(chosen.variants, start=1):
        lines.append(Msg.of(N_("{n}. {option}"), n=n, option=variant.name))
        lines += [Msg.of(N_("   {line}"), line=line) for line in variant.lines_for(assembly_id)]
    if chosen.source:
        lines.append(
            Msg.of(N_("Computed from: {source}"), source=variant_sets.source_text(chosen.source))
        )
    lines.append(
        Msg.of(
            N_("No variant is recommended: all {n} variants computed are on the ballot."),
            n=len(chosen.variants),
        )
    )
    return lines


def load(tx: Tx, vote_id: int) -> PlanVote:
    row = tx.conn.execute(select(plan_votes).where(plan_votes.c.id == vote_id)).first()
    if row is None:
        raise Refusal("There is no plan vote {id}.", id=vote_id)
    return PlanVote(
        row.id,
        row.set_id,
        row.central_id,
        row.method,
        row.aggregate,
        row.majority,
        row.opened_at,
        row.closes_at,
        row.status,
        row.result,
    )


def motions_of(tx: Tx, vote_id: int) -> list[Motion]:
    """The plan vote's motions, one per assembly, in the order they opened."""
    rows = tx.conn.execute(
        select(motions)
        .join(plan_vote_motions, plan_vote_motions.c.motion_id == motions.c.id)
        .where(plan_vote_motions.c.plan_vote_id == vote_id)
        .order_by(motions.c.id)
    )
    return [from_row(row) for row in rows]


def latest_of_set(tx: Tx, set_id: int) -> PlanVote | None:
    """The newest plan vote on the set, if it was ever put to the vote."""
    vote_id = tx.conn.execute(
        select(plan_votes.c.id)
        .where(plan_votes.c.set_id == set_id)
        .order_by(plan_votes.c.id.desc())
        .limit(1)
    ).scalar()
    return None if vote_id is None else load(tx, int(vote_id))


def check_once(tx: Tx, motion_id: int, person_id: int) -> None:
    """Under a pooled count, refuse a ballot from someone who voted in another assembly.

    A person who belongs to two member assemblies gets the plan motion in both; the
    first ballot they cast decides where they vote. Open and secret ballots alike:
    ``votes`` and the secret ``turnout`` roll both say who voted, never needing the
    choice. One query, and none at all for motions that are not plan motions.
    """
    this, other = plan_vote_motions.alias("this"), plan_vote_motions.alias("other")
    voted = exists().where(votes.c.motion_id == other.c.motion_id, votes.c.person_id == person_id)
    took_part = exists().where(
        turnout.c.motion_id == other.c.motion_id, turnout.c.person_id == person_id
    )
    row = tx.conn.execute(
        select(other.c.plan_vote_id, other.c.motion_id, assembly_table.c.name)
        .select_from(
            this.join(plan_votes, plan_votes.c.id == this.c.plan_vote_id)
            .join(
                other,
                (other.c.plan_vote_id == this.c.plan_vote_id)
                & (other.c.motion_id != this.c.motion_id),
            )
            .join(assembly_table, assembly_table.c.id == other.c.assembly_id)
        )
        .where(
            this.c.motion_id == motion_id,
            plan_votes.c.status == OPEN,
            plan_votes.c.aggregate == POOLED,
            voted | took_part,
        )
        .order_by(other.c.motion_id)
        .limit(1)
    ).first()
    if row is not None:
        raise Refusal(
            "In plan vote {vote} every ballot is counted together, so each person votes once: "
            "you voted in {assembly} (motion {motion}). Change your vote there.",
            vote=row.plan_vote_id,
            assembly=row.name,
            motion=row.motion_id,
        )


@effects.on_cast
def _once(tx: Tx, motion: Motion, person_id: int, choice: Any) -> None:
    """An open ballot on a pooled plan motion: the same check, after it was recorded (a
    refusal rolls it back). Secret ballots are checked before, by the ``/vote`` guard."""
    if motion.kind == KIND and motion.payload.get("aggregate") == POOLED:
        check_once(tx, motion.id, person_id)


@effects.on_voted_elsewhere
def _pooled_elsewhere(tx: Tx, motion: Motion) -> set[int]:
    """Under a pooled count, whoever voted on another assembly's motion of the same plan
    vote has voted on this question (and may not vote here): no reminder for them."""
    if motion.kind != KIND or motion.payload.get("aggregate") != POOLED:
        return set()
    this, other = plan_vote_motions.alias("this"), plan_vote_motions.alias("other")
    siblings = (
        select(other.c.motion_id)
        .join(
            this,
            (this.c.plan_vote_id == other.c.plan_vote_id) & (this.c.motion_id == motion.id),
        )
        .where(other.c.motion_id != motion.id)
    )
    people: set[int] = set()
    for table in (votes, turnout):
        people |= set(
            tx.conn.execute(
                select(table.c.person_id).where(table.c.motion_id.in_(siblings))
            ).scalars()
        )
    return people


def _own_part(tx: Tx, motion: Motion) -> list[Msg]:
    """The assembly's own result is one part of the federation's plan vote."""
    vote_id = motion.payload.get("plan_vote")
    if vote_id is None:
        return []
    return [
        Msg.of(
            N_(
                "This is your assembly's own result in plan vote {vote}; the federation's "
                "result follows when every assembly has counted."
            ),
            vote=vote_id,
        )
    ]


effects.on_passed(KIND)(_own_part)
effects.on_not_passed(KIND)(_own_part)
