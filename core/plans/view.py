"""Reading variant sets and plan votes from a member assembly's chat or the central one.

Members read the variants their federation may vote on before anyone calls the
vote, and the state of each vote; the same text in every chat of the federation.
"""

from __future__ import annotations

from core.assemblies import Assembly
from core.calendar import local
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.messages import N_, Msg, Reply
from core.motions import lifecycle
from core.motions.model import PASSED
from core.plans import variant_sets
from core.plans.vote import OPEN, latest_of_set, variant_lines


def overview(tx: Tx, here: Assembly) -> list[Reply]:
    """The newest variant sets of the federations this chat reads, with their votes."""
    bodies = central.read_from(tx, here)
    sets = variant_sets.latest(tx, [body.id for body in bodies])
    if not sets:
        return [Reply((Msg.of(N_("No variant sets yet: nothing to vote on.")),))]
    lines = []
    for set_id, _, title, n in sets:
        lines.append(
            Msg.of(
                N_("Variant set {id}: {title} ({n} variants). {state}"),
                id=set_id,
                title=title,
                n=n,
                state=_state(tx, set_id, here),
            )
        )
    lines.append(Msg.of(N_("The variants with their summaries: /plan <set>")))
    return [Reply(tuple(lines))]


def show(tx: Tx, here: Assembly, set_id: int) -> list[Reply]:
    """One variant set in full: every variant with its summary, the source, the vote."""
    chosen = variant_sets.load(tx, set_id)
    if chosen.central_id not in {body.id for body in central.read_from(tx, here)}:
        raise Refusal("There is no variant set {id}.", id=set_id)
    head = Msg.of(N_("Variant set {id}: {title}"), id=chosen.id, title=chosen.title)
    return [Reply((head, *variant_lines(chosen, here.id), _state(tx, set_id, here)))]


def _state(tx: Tx, set_id: int, here: Assembly) -> Msg:
    """Whether the set was put to the vote, and how that vote stands."""
    plan = latest_of_set(tx, set_id)
    if plan is None:
        return Msg.of(
            N_("Not put to the vote yet; a delegate calls it in the central chat: /plan vote {id}"),
            id=set_id,
        )
    if plan.status == OPEN:
        return Msg.of(
            N_("Plan vote {vote} is open until {when}."),
            vote=plan.id,
            when=local.minute(plan.closes_at, local.zone_of(tx, here.id)),
        )
    result = plan.result or {}
    if result.get("status") == PASSED and result.get("winners"):
        chosen = variant_sets.load(tx, set_id)
        return Msg.of(
            N_("Plan vote {vote} chose {option}."),
            vote=plan.id,
            option=chosen.names[result["winners"][0]],
        )
    return Msg.of(
        N_("Plan vote {vote}: {status}."),
        vote=plan.id,
        status=Msg(lifecycle.STATUS_NAMES[str(result.get("status", "failed"))]),
    )
