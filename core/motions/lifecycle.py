"""A motion's life: draft → open → closed as passed, failed or no quorum.

A motion closes at its closing time (a later issue puts that on a clock; for
now any member's ``/close`` or the next vote after the time closes it). A
failed quorum decides nothing: the motion can be put again by anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from core import assemblies, due, outbox
from core.calendar import local
from core.context import Tx
from core.due import when_due
from core.errors import Refusal
from core.messages import N_, Msg
from core.motions import ballots, effects, tally
from core.motions.choices import describe
from core.motions.model import CLOSED, DRAFT, FAILED, NO_QUORUM, OPEN, PASSED, Motion, load
from core.statutes import METHODS
from core.store.tables import motions
from core.text import MAX_OPTIONS, OPTION_LIMIT, TEXT_LIMIT, TITLE_LIMIT, clean

CHOICE_METHODS = ("single", "approval", "schulze")
# Elections rank candidates by STV; their options (the candidates) are set when
# nominations close, so a draft election may have none yet.
ELECTION_METHODS = ("stv",)
OPTION_METHODS = CHOICE_METHODS + ELECTION_METHODS


def propose(
    tx: Tx,
    assembly_id: int,
    proposer_id: int | None,
    kind: str,
    title: str,
    *,
    method: str | None = None,
    options: list[str] | None = None,
    body: str = "",
    payload: dict[str, Any] | None = None,
    secret: bool = False,
    hours: int | None = None,
    draft: bool = False,
    reopens_id: int | None = None,
    sitting_id: int | None = None,
) -> Motion:
    """Put a motion to the assembly (as a draft, or open at once)."""
    rules = assemblies.statute(tx, assembly_id)
    method = method or ("single" if options else rules["method.default"])
    if method in CHOICE_METHODS and not options:
        method = "yesno"
    _check_method(method, options or [])
    clean_options = [clean(o, OPTION_LIMIT, N_("option")) for o in options or []]
    if method in OPTION_METHODS and len(set(clean_options)) != len(clean_options):
        raise Refusal("Two options have the same text.")
    title = clean(title, TITLE_LIMIT, N_("title"))
    motion_id = int(
        tx.conn.execute(
            insert(motions)
            .values(
                assembly_id=assembly_id,
                kind=kind,
                method=method,
                title=title,
                body=clean(body, TEXT_LIMIT, N_("text")) if body.strip() else "",
                options=clean_options if method in OPTION_METHODS else [],
                payload=payload or {},
                secret=secret or rules.secret(kind),
                status=DRAFT,
                proposer_id=proposer_id,
                sitting_id=sitting_id,
                reopens_id=reopens_id,
                created_at=tx.now,
            )
            .returning(motions.c.id)
        ).scalar_one()
    )
    tx.audit(
        "motion.propose",
        {
            "motion": motion_id,
            "kind": kind,
            "method": method,
            "title": title,
            "options": clean_options,
        },
        assembly_id,
        proposer_id,
    )
    motion = load(tx, motion_id)
    return motion if draft else open_motion(tx, motion, proposer_id, hours)


def _check_method(method: str, options: list[str]) -> None:
    if method not in METHODS and method not in ELECTION_METHODS:
        raise Refusal("Unknown voting method {method}.", method=method)
    if method in CHOICE_METHODS and not 2 <= len(options) <= MAX_OPTIONS:
        raise Refusal("A choice needs from 2 to {n} options.", n=MAX_OPTIONS)


def check_window(tx: Tx, assembly_id: int, hours: int | None) -> None:
    """Refuse a voting window a member chose that is shorter than the statute's minimum
    (``voting.min_hours``): a short window shuts out whoever is on shift."""
    minimum = int(assemblies.statute(tx, assembly_id)["voting.min_hours"])
    if hours is not None and hours < minimum:
        raise Refusal(
            "Voting stays open at least {n} hours here, so every shift can vote "
            "(rule voting.min_hours).",
            n=minimum,
        )


def open_motion(tx: Tx, motion: Motion, actor_id: int | None, hours: int | None) -> Motion:
    """Open voting now, until ``hours`` from now (the statute's window by default)."""
    if motion.status != DRAFT:
        raise Refusal("Motion {id} is not a draft.", id=motion.id)
    if motion.method in ELECTION_METHODS and not motion.options:
        raise Refusal(
            "Election {id} opens for voting when nominations close, or earlier: /ballot {id}",
            id=motion.id,
        )
    window = hours or int(assemblies.statute(tx, motion.assembly_id)["voting.hours"])
    if not 1 <= window <= 24 * 60:
        raise Refusal("Give a whole number of hours from 1 to 1440.")
    tx.conn.execute(
        update(motions)
        .where(motions.c.id == motion.id)
        .values(status=OPEN, opened_at=tx.now, closes_at=tx.now + timedelta(hours=window))
    )
    tx.audit("motion.open", {"motion": motion.id, "hours": window}, motion.assembly_id, actor_id)
    due.soon(tx, tx.now + timedelta(hours=window))
    opened = load(tx, motion.id)
    offered = outbox.choices_for(opened.id, opened.method, opened.secret, opened.options)
    outbox.announce(tx, motion.assembly_id, *announcement(tx, opened), choices=offered)
    effects.opened(tx, opened)
    return opened


def announcement(tx: Tx, motion: Motion) -> list[Msg]:
    """The lines that put a motion before the members."""
    lines = [
        Msg.of(
            N_("Motion {id} ({kind}): {title}"),
            id=motion.id,
            kind=Msg(KIND_NAMES[motion.kind]),
            title=motion.title,
        ),
        Msg(METHOD_HINTS[motion.method], {"id": motion.id}),
    ]
    lines += [Msg.of(N_("{n}. {option}"), n=i + 1, option=o) for i, o in enumerate(motion.options)]
    if motion.secret:
        lines.append(Msg.of(N_("Secret ballot: vote in a private chat with me.")))
    if motion.closes_at:
        lines.append(
            Msg.of(
                N_("Voting closes {when}."),
                when=local.minute(motion.closes_at, local.zone_of(tx, motion.assembly_id)),
            )
        )
    return lines


KIND_NAMES = {
    "decision": N_("decision"),
    "rules": N_("rules change"),
    "admission": N_("admission"),
    "removal": N_("removal"),
    "sitting": N_("convene a sitting"),
    "election": N_("election"),
    "recall": N_("recall"),
    "report": N_("report acceptance"),
    "plan": N_("plan"),
    "offer": N_("offer to the plan"),
    "mandate": N_("mandate"),
    "federation": N_("federation"),
}

METHOD_HINTS = {
    "yesno": N_("Vote: /vote {id} yes | no | abstain"),
    "single": N_("Vote for one option: /vote {id} <number>"),
    "approval": N_("Approve any options: /vote {id} 1,3"),
    "schulze": N_("Rank the options, best first: /vote {id} 3>1>2"),
    "consent": N_("Consent or object with a reason: /vote {id} consent | object <why>"),
    "stv": N_("Rank candidates, best first: /vote {id} 2 1 3"),
}


def close(tx: Tx, motion: Motion, actor_id: int | None = None) -> tuple[Motion, list[Msg]]:
    """Count, decide, carry out and announce; returns the closed motion and its lines."""
    if motion.status != OPEN:
        raise Refusal("Motion {id} is not open.", id=motion.id)
    result = count(tx, motion)
    status = result["status"]
    tx.conn.execute(
        update(motions)
        .where(motions.c.id == motion.id)
        .values(status=status, closed_at=tx.now, result=result)
    )
    if motion.secret:
        ballots.seal(tx, motion)
    tx.audit(
        "motion.close",
        {
            "motion": motion.id,
            "status": status,
            "counts": result["counts"],
            "winners": result["winners"],
        },
        motion.assembly_id,
        actor_id,
    )
    closed = load(tx, motion.id)
    lines = result_lines(closed)
    # The result is written before what it causes (a sitting convened by a new rule),
    # so members read it first; the effect's own lines are added to it afterwards.
    placed = outbox.announce(tx, motion.assembly_id, *lines)
    lines += effects.apply(tx, closed, status == PASSED)
    outbox.amend(tx, placed, *lines)
    effects.closed(tx, closed)
    return closed, lines


def count(tx: Tx, motion: Motion) -> dict[str, Any]:
    """Tally the ballots and judge quorum and majority by the statute in force."""
    rules = assemblies.statute(tx, motion.assembly_id)
    quorum = rules.quorum(motion.kind)
    members = assemblies.member_count(tx, motion.assembly_id)
    active = (
        assemblies.active_count(tx, motion.assembly_id, quorum.days)
        if quorum.kind == "active_share"
        else members
    )
    named: list[tuple[int, Any]] = []
    if motion.secret:
        cast = ballots.secret_choices(tx, motion)
        receipts = [[receipt, describe(motion.method, motion.options, c)] for receipt, c in cast]
        choices = [c for _, c in cast]
        roll: list[list[Any]] = []
    else:
        named = ballots.open_choices(tx, motion)
        choices = [c for _, c in named]
        roll = [[p, describe(motion.method, motion.options, c)] for p, c in named]
        receipts = []
    # A statute may weigh the ballots (a federation's delegations); None: one each.
    weighed = None if motion.secret else effects.weigh(tx, motion, named)
    needed = quorum.required(members, active)
    turnout = len(choices) if weighed is None else weighed.turnout
    majority = rules.majority(motion.kind)
    outcome = _tally(motion, choices, majority, max(members, len(choices)), weighed)
    status = NO_QUORUM if turnout < needed else (PASSED if outcome.passed else FAILED)
    counted = choices if weighed is None else [c for c, _ in weighed.ballots]
    objections = [c["object"] for c in counted if isinstance(c, dict)]
    stv_count = {"stv": outcome.detail} if motion.method in ELECTION_METHODS else {}
    return {
        "status": status,
        "turnout": turnout,
        "members": members,
        "quorum": needed,
        "majority": majority,
        "counts": [tally.weight_json(c) for c in outcome.counts],
        "winners": list(outcome.winners),
        "ranking": list(outcome.ranking),
        "tie_broken": outcome.tie_broken,
        "roll": roll,
        "receipts": receipts,
        "objections": objections,
        "statute": rules.version,
        **stv_count,  # the quota and every stage, to explain the count
        **_weights(weighed),
    }


def _tally(
    motion: Motion,
    choices: list[Any],
    majority: Any,
    electorate: int,
    weighed: effects.Weighed | None = None,
) -> tally.Outcome:
    seed = f"motion-{motion.id}"
    n = len(motion.options)
    if weighed is not None:
        return tally.count_weighted(
            motion.method, n, weighed.ballots, majority, weighed.total, seed=seed
        )
    if motion.method == "yesno":
        return tally.count_yesno(choices, majority, electorate)
    if motion.method == "consent":
        objections = sum(1 for c in choices if isinstance(c, dict))
        return tally.count_consent(objections, len(choices) - objections)
    given = [c for c in choices if c is not None]
    if motion.method == "stv":
        return tally.count_stv(n, given, int(motion.payload.get("seats", 1)), seed=seed)
    if motion.method == "single":
        return tally.count_single(n, given, majority, electorate, seed=seed)
    if motion.method == "approval":
        return tally.count_approval(n, given, majority, electorate, seed=seed)
    return tally.count_schulze(n, given, majority, electorate, seed=seed)


def _weights(weighed: effects.Weighed | None) -> dict[str, Any]:
    """What a weighted count adds to the result: its basis, the whole weight, the shares."""
    if weighed is None:
        return {}
    return {
        "weight": weighed.basis,
        "weight_total": tally.weight_json(weighed.total),
        "shares": weighed.shares,
    }


STATUS_NAMES = {
    PASSED: N_("passed"),
    FAILED: N_("failed"),
    NO_QUORUM: N_("no quorum"),
    OPEN: N_("open"),
    DRAFT: N_("draft"),
    "withdrawn": N_("withdrawn"),
}


def result_lines(motion: Motion) -> list[Msg]:
    """The result as members read it: outcome, figures, and every receipt."""
    result = motion.result or {}
    status = Msg(STATUS_NAMES[motion.status])
    lines = [
        Msg.of(
            N_("Motion {id} {status}: {title}"), id=motion.id, status=status, title=motion.title
        ),
        Msg.of(
            N_("Turnout {turnout} of {members} (quorum {quorum})."),
            turnout=result.get("turnout", 0),
            members=result.get("members", 0),
            quorum=result.get("quorum", 0),
        ),
    ]
    lines.append(_figures(motion, result))
    lines += _weight_line(motion, result)
    if "stv" in result and motion.status != NO_QUORUM:
        lines += _stv_lines(motion, result["stv"])
    if motion.status == NO_QUORUM:
        lines.append(
            Msg.of(N_("Nothing was decided; anyone may put it again: /again {id}"), id=motion.id)
        )
    if result.get("tie_broken") and "stv" not in result:  # STV says which stage
        lines.append(Msg.of(N_("A tie was broken by the public draw (motion-{id})."), id=motion.id))
    for reason in result.get("objections", []):
        lines.append(Msg.of(N_("Objection: {reason}"), reason=reason))
    if result.get("receipts"):
        lines.append(
            Msg.of(
                N_("Receipts: {list}"), list="; ".join(f"{r} {c}" for r, c in result["receipts"])
            )
        )
    return lines


def _figures(motion: Motion, result: dict[str, Any]) -> Msg:
    counts = result.get("counts", [])
    basis = result.get("weight")
    if basis is not None and motion.method in ("yesno", "consent"):
        return _weighted_figures(motion, counts, Msg(WEIGHT_BASES[basis]))
    if motion.method == "yesno":
        yes, no, abstain = (int(c) for c in counts) if counts else (0, 0, 0)
        return Msg.of(N_("Yes {yes}, no {no}, abstain {abstain}."), yes=yes, no=no, abstain=abstain)
    if motion.method == "consent":
        consents, objections = (int(c) for c in counts) if counts else (0, 0)
        return Msg.of(
            N_("Consent {consents}, objections {objections}."),
            consents=consents,
            objections=objections,
        )
    ranking = result.get("ranking", [])
    winners = result.get("winners", [])
    if motion.method in ELECTION_METHODS:
        if motion.status != PASSED:
            return Msg.of(N_("Nobody was elected."))
        return Msg.of(N_("Elected: {names}."), names=", ".join(motion.options[i] for i in winners))
    if motion.status == PASSED and winners:
        return Msg.of(
            N_("Chosen: {option}. Order: {order}"),
            option=motion.options[winners[0]],
            order=" > ".join(motion.options[i] for i in ranking),
        )
    order = " > ".join(motion.options[i] for i in ranking)
    return Msg.of(N_("Order: {order}"), order=order or "-")


WEIGHT_BASES = {
    "size": N_("weighted by assembly size"),
    "split": N_("split by each assembly's own vote"),
}


def _weighted_figures(motion: Motion, counts: list[Any], basis: Msg) -> Msg:
    """Yes/no and consent figures as weights, naming how they were weighed."""
    amounts = [tally.weight_text(tally.weight_of(c)) for c in counts]
    if motion.method == "yesno":
        yes, no, abstain = amounts or ["0", "0", "0"]
        return Msg.of(
            N_("Yes {yes}, no {no}, abstain {abstain} ({basis})."),
            yes=yes,
            no=no,
            abstain=abstain,
            basis=basis,
        )
    consents, objections = amounts or ["0", "0"]
    return Msg.of(
        N_("Consent {consents}, objections {objections} ({basis})."),
        consents=consents,
        objections=objections,
        basis=basis,
    )


def _weight_line(motion: Motion, result: dict[str, Any]) -> list[Msg]:
    """For a weighted choice: what each option weighed (Schulze: pairwise weights)."""
    basis = result.get("weight")
    if basis is None or motion.method not in CHOICE_METHODS:
        return []
    if motion.method == "schulze":
        return [Msg.of(N_("Pairwise preferences {basis}."), basis=Msg(WEIGHT_BASES[basis]))]
    counts = result.get("counts", [])
    totals = ", ".join(
        f"{option} {tally.weight_text(tally.weight_of(c))}"
        for option, c in zip(motion.options, counts, strict=False)
    )
    return [Msg.of(N_("{totals} ({basis})."), totals=totals, basis=Msg(WEIGHT_BASES[basis]))]


def _stv_lines(motion: Motion, count: dict[str, Any]) -> list[Msg]:
    """The STV count in brief: the quota, then one line per stage (✓ elected there)."""
    lines = [
        Msg.of(
            N_("Scottish STV (seats: {seats}): quota {quota} of {valid} valid ballots."),
            seats=count["seats"],
            quota=count["quota"],
            valid=count["valid"],
        )
    ]
    gone: set[int] = set()
    for n, stage in enumerate(count["stages"], start=1):
        candidate = stage["candidate"]
        if stage["action"] == "exclusion":
            gone.add(candidate)
        standing = [i for i in range(len(motion.options)) if i not in gone]
        totals = ", ".join(
            f"{motion.options[i]} {stage['totals'][i]}{' ✓' if i in stage['elected'] else ''}"
            for i in standing
        )
        name = motion.options[candidate] if candidate is not None else ""
        lines.append(Msg(STAGE_LINES[stage["action"]], {"n": n, "name": name, "totals": totals}))
        if stage["lot"]:
            lines.append(
                Msg.of(
                    N_("Stage {n}: a tie was decided by the public draw (motion-{id})."),
                    n=n,
                    id=motion.id,
                )
            )
        gone |= set(stage["elected"])
    return lines


STAGE_LINES = {
    "first": N_("Stage {n}, first preferences: {totals}"),
    "surplus": N_("Stage {n}, surplus of {name}: {totals}"),
    "exclusion": N_("Stage {n}, {name} excluded: {totals}"),
}


@when_due
def close_due(tx: Tx, assembly_id: int | None = None) -> None:
    """Close every motion (of one assembly, or of all) whose time has come."""
    query = select(motions.c.id).where(motions.c.status == OPEN, motions.c.closes_at <= tx.now)
    if assembly_id is not None:
        query = query.where(motions.c.assembly_id == assembly_id)
    query = query.order_by(motions.c.closes_at, motions.c.id).limit(due.BATCH)
    closing = tx.conn.execute(query).scalars()
    for motion_id in list(closing):
        close(tx, load(tx, motion_id))


@due.next_due
def next_close(tx: Tx) -> datetime | None:
    """When the next open motion closes."""
    at: datetime | None = tx.conn.execute(
        select(func.min(motions.c.closes_at)).where(motions.c.status == OPEN)
    ).scalar()
    return at


def again(tx: Tx, motion: Motion, actor_id: int) -> Motion:
    """Put a motion that failed its quorum to the vote again, unchanged."""
    if motion.status != NO_QUORUM:
        raise Refusal(
            "Only a motion without quorum can be put again; "
            "to reopen a decision, petition: /petition reopen {id} <why>.",
            id=motion.id,
        )
    return reput(tx, motion, actor_id)


def reput(tx: Tx, motion: Motion, actor_id: int | None) -> Motion:
    """A fresh motion with the same question, linked to the earlier one.

    Not for an assembly's part of a federation's plan vote: alone it would be
    counted by nobody; the whole vote is called again in the central chat.
    """
    if "plan_vote" in motion.payload:
        raise Refusal(
            "Motion {id} is this assembly's part of plan vote {vote}; a plan vote is put "
            "again in the central chat, for every assembly at once: /plan vote <set>.",
            id=motion.id,
            vote=motion.payload["plan_vote"],
        )
    return propose(
        tx,
        motion.assembly_id,
        actor_id,
        motion.kind,
        motion.title,
        method=motion.method,
        options=motion.options or None,
        body=motion.body,
        payload=motion.payload,
        secret=motion.secret,
        reopens_id=motion.id,
    )


def require_closed(motion: Motion) -> None:
    if motion.status not in CLOSED:
        raise Refusal("Motion {id} is still open.", id=motion.id)
