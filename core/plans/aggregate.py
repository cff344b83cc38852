"""The federation's result of a plan vote, counted when the last assembly's motion closes.

Each member assembly's plan motion closes by itself at the common closing time
(``lifecycle.close_due``), giving that assembly its own result under its own
quorum and majority. The listener here runs after every close; when no motion
of the plan vote is still open, it counts the federation's result by the rule
declared when the vote opened:

- ``pooled``: every ballot of every assembly in one count, each person once
  (``vote.check_once`` refused a second ballot). The quorum is the sum of the
  assemblies' own ``quorum.plan`` figures, against the total turnout: every
  assembly's rule adds its part.
- ``per_assembly``: each assembly whose own result stands (its own quorum met,
  and a variant chosen) casts one ballot: its winner (single choice) or its
  whole order (Schulze). At least one assembly must stand.

The count uses ``core.motions.tally`` with the central ``majority.plan`` fixed
at opening; a tie is broken by the public draw seeded ``plan-vote-ID``. The
result, with each assembly's own beside it, goes to every assembly that voted
and to the central chat in the same transaction, and into the audit log. The
plan vote is marked counted in that transaction, so running it again (or the
due jobs again) changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, update

from core import outbox
from core.context import Tx
from core.messages import N_, Msg
from core.motions import ballots, effects, lifecycle, tally
from core.motions.model import CLOSED, FAILED, NO_QUORUM, PASSED, Motion
from core.plans import revision, variant_sets
from core.plans.vote import AGGREGATE_NAMES, COUNTED, KIND, OPEN, POOLED, PlanVote, motions_of
from core.plans.vote import load as load_vote
from core.store.tables import assemblies as assembly_table
from core.store.tables import plan_votes


@effects.on_closed
def _when_all_closed(tx: Tx, motion: Motion) -> None:
    """A plan motion closed: if it was the last of its plan vote, count the federation's."""
    if motion.kind == KIND and "plan_vote" in motion.payload:
        count(tx, int(motion.payload["plan_vote"]))


def count(tx: Tx, vote_id: int) -> dict[str, Any] | None:
    """Count and announce the plan vote once all its motions are closed; the result, or
    None while a motion is still open or when it was counted before."""
    plan = load_vote(tx, vote_id)
    if plan.status != OPEN:
        return None
    motions = motions_of(tx, vote_id)
    if any(m.status not in CLOSED for m in motions):
        return None
    chosen = variant_sets.load(tx, plan.set_id)
    parts = [_part(m) for m in motions]
    n = len(chosen.variants)
    result = (
        _pooled(tx, plan, n, motions, parts) if plan.aggregate == POOLED else _each(plan, n, parts)
    )
    tx.conn.execute(
        update(plan_votes)
        .where(plan_votes.c.id == vote_id, plan_votes.c.status == OPEN)
        .values(status=COUNTED, counted_at=tx.now, result=result)
    )
    tx.audit("plan.count", _audited(plan, result), plan.central_id)
    revision.watch(tx, load_vote(tx, vote_id))
    lines = result_lines(tx, plan, chosen.title, chosen.names, result)
    for assembly_id in [plan.central_id, *(p["assembly"] for p in parts)]:
        outbox.announce(tx, assembly_id, *lines)
    return result


def _part(motion: Motion) -> dict[str, Any]:
    """One assembly's own result, as its motion's count stored it."""
    result = motion.result or {}
    winners = list(result.get("winners", []))
    return {
        "assembly": motion.assembly_id,
        "motion": motion.id,
        "status": motion.status,
        "turnout": int(result.get("turnout", 0)),
        "members": int(result.get("members", 0)),
        "quorum": int(result.get("quorum", 0)),
        "winners": winners,
        "ranking": list(result.get("ranking", [])),
        "stands": motion.status != NO_QUORUM and bool(winners),
    }


def _ballots(tx: Tx, motion: Motion) -> list[Any]:
    """A motion's counted ballots (abstentions as None): the sealed secret ballots, or the
    roll call of those still members, as its own count took them."""
    found = (
        ballots.secret_choices(tx, motion) if motion.secret else ballots.open_choices(tx, motion)
    )
    return [choice for _, choice in found]


def _pooled(
    tx: Tx, plan: PlanVote, n: int, motions: list[Motion], parts: list[dict[str, Any]]
) -> dict[str, Any]:
    """All individual ballots as one count; quorum: the sum of each assembly's own."""
    cast_ballots = [choice for motion in motions for choice in _ballots(tx, motion)]
    given = [choice for choice in cast_ballots if choice is not None]
    members = sum(p["members"] for p in parts)
    outcome = _tally(plan, n, given, max(members, len(cast_ballots)))
    quorum = sum(p["quorum"] for p in parts)
    return _result(plan, outcome, len(cast_ballots), members, quorum, parts)


def _each(plan: PlanVote, n: int, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Each standing assembly's result as one ballot: its winner, or its whole order."""
    standing = [p for p in parts if p["stands"]]
    given = [p["winners"][0] if plan.method == "single" else p["ranking"] for p in standing]
    outcome = _tally(plan, n, given, len(parts))
    return _result(plan, outcome, len(standing), len(parts), 1, parts)


def _tally(plan: PlanVote, n: int, given: list[Any], electorate: int) -> tally.Outcome:
    seed = f"plan-vote-{plan.id}"
    majority = cast(tally.Majority, plan.majority)
    if plan.method == "single":
        return tally.count_single(n, given, majority, electorate, seed=seed)
    return tally.count_schulze(n, given, majority, electorate, seed=seed)


def _result(
    plan: PlanVote,
    outcome: tally.Outcome,
    turnout: int,
    members: int,
    quorum: int,
    parts: list[dict[str, Any]],
) -> dict[str, Any]:
    status = NO_QUORUM if turnout < quorum else (PASSED if outcome.passed else FAILED)
    return {
        "aggregate": plan.aggregate,
        "method": plan.method,
        "majority": plan.majority,
        "status": status,
        "turnout": turnout,
        "members": members,
        "quorum": quorum,
        "winners": list(outcome.winners),
        "ranking": list(outcome.ranking),
        "counts": [int(c) for c in outcome.counts],
        "tie_broken": outcome.tie_broken,
        "detail": outcome.detail,  # Schulze: the pairwise preferences, to recount by hand
        "assemblies": parts,
    }


def _audited(plan: PlanVote, result: dict[str, Any]) -> dict[str, Any]:
    keys = ("aggregate", "status", "turnout", "quorum", "winners", "ranking", "counts")
    return {
        "plan_vote": plan.id,
        **{key: result[key] for key in keys},
        "assemblies": [[p["assembly"], p["motion"], p["status"]] for p in result["assemblies"]],
    }


def result_lines(
    tx: Tx, plan: PlanVote, title: str, names: list[str], result: dict[str, Any]
) -> list[Msg]:
    """The federation's result as members read it, each assembly's own result below."""
    lines = [
        Msg.of(
            N_("Plan vote {id} {status}: {title}"),
            id=plan.id,
            status=Msg(lifecycle.STATUS_NAMES[result["status"]]),
            title=title,
        ),
        Msg.of(N_("Counted: {rule}."), rule=Msg(AGGREGATE_NAMES[result["aggregate"]])),
        *_outcome(result, names),
        _turnout(result),
    ]
    if result["tie_broken"]:
        lines.append(
            Msg.of(N_("A tie was broken by the public draw (plan-vote-{id})."), id=plan.id)
        )
    assembly_names = _names(tx, [p["assembly"] for p in result["assemblies"]])
    lines += [_part_line(p, assembly_names, names) for p in result["assemblies"]]
    return lines


def _order(ranking: list[int], names: list[str]) -> str:
    return " > ".join(names[i] for i in ranking)


def _outcome(result: dict[str, Any], names: list[str]) -> list[Msg]:
    """What was chosen (or why nothing was), and the votes of a single-choice count."""
    ranking, winners = result["ranking"], result["winners"]
    if result["status"] == NO_QUORUM:
        lines = [Msg.of(N_("Nothing was decided: the federation's quorum was not reached."))]
    elif result["status"] == PASSED and winners:
        lines = [
            Msg.of(
                N_("Chosen: {option}. Order: {order}"),
                option=names[winners[0]],
                order=_order(ranking, names),
            )
        ]
    elif winners:
        lines = [
            Msg.of(N_("Order: {order}"), order=_order(ranking, names)),
            Msg.of(
                N_("No variant reached the majority the count needs ({majority})."),
                majority=result["majority"],
            ),
        ]
    else:
        lines = [Msg.of(N_("Nobody chose a variant."))]
    if result["method"] == "single" and winners:
        totals = ", ".join(f"{name} {c}" for name, c in zip(names, result["counts"], strict=True))
        key = (
            N_("Votes: {totals}.")
            if result["aggregate"] == POOLED
            else N_("Assemblies for each variant: {totals}.")
        )
        lines.append(Msg.of(key, totals=totals))
    return lines


def _turnout(result: dict[str, Any]) -> Msg:
    if result["aggregate"] == POOLED:
        return Msg.of(
            N_("Turnout {turnout} of {members} (quorum {quorum})."),
            turnout=result["turnout"],
            members=result["members"],
            quorum=result["quorum"],
        )
    return Msg.of(
        N_(
            "{standing} of {assemblies} assemblies have a result that stands "
            "under their own quorum."
        ),
        standing=result["turnout"],
        assemblies=result["members"],
    )


def _part_line(part: dict[str, Any], assembly_names: dict[int, str], names: list[str]) -> Msg:
    name = assembly_names.get(part["assembly"], f"#{part['assembly']}")
    if not part["ranking"] or not part["winners"]:
        return Msg.of(
            N_("{assembly} (motion {id}): nobody chose a variant."),
            assembly=name,
            id=part["motion"],
        )
    return Msg.of(
        N_("{assembly} (motion {id}) {status}: {order}"),
        assembly=name,
        id=part["motion"],
        status=Msg(lifecycle.STATUS_NAMES[part["status"]]),
        order=_order(part["ranking"], names),
    )


def _names(tx: Tx, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = tx.conn.execute(
        select(assembly_table.c.id, assembly_table.c.name).where(assembly_table.c.id.in_(ids))
    )
    return {int(r.id): str(r.name) for r in rows}
