"""``/plan compute``: the plan factory run for a federation, its variants put where all can read.

A delegate in the central chat asks; the factory computes, from the
federation's data (``plan.data``), the default variants that span the
trade-offs, one variant for every member proposal waiting, and the variants
built from the workplaces' standing offers. Asking decides nothing: the set
holds every variant computed, none ranked, and the announcement goes to the
central chat and every member assembly's chat in one transaction, so everyone
can read it from the same moment. Each member assembly whose workplace sector
is known reads a first line about its own workplace.

Figures are traceable: the set names the data's hash and the setting; each
variant is kept whole with its parameters (``core.planning.archive``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from core import assemblies, outbox
from core.assemblies import Assembly
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.i18n import render
from core.messages import N_, Msg, Reply
from core.planning import archive, proposals, summaries, variants, workplaces
from core.planning.economy import Economy
from core.planning.variants import Parameters, Request, Variant
from core.plans import economies, member_proposals, offers, variant_sets
from core.plans.member_proposals import Waiting
from core.plans.variant_sets import Computed
from core.text import MAX_OPTIONS, OPTION_LIMIT, TITLE_LIMIT


@dataclass(frozen=True)
class Asked:
    """What a set is computed from: the requests in ballot order, and what to report."""

    requests: list[Request]
    used: list[int]  # proposal numbers made into variants
    report: list[Msg]  # proposals that no longer read, offers that clash


def compute(tx: Tx, central_id: int, person_id: int, title: str = "") -> list[Reply]:
    """Compute the federation's variants, store them as a set, announce it everywhere."""
    body = central.require_central(tx, central_id)
    assemblies.require_member(tx, central_id, person_id)
    started = time.perf_counter()
    data = economies.of_federation(tx, central_id)
    homes = [home for home in central.members(tx, central_id) if home.status == "active"]
    asked = _asked(tx, central_id, data.economy, data.setting, homes)
    computed = variants.compute_all(data.economy, asked.requests, data.setting)
    economies.keep(tx, data.name, data.economy)
    language = str(assemblies.statute(tx, central_id)["language"])
    summed = [summaries.summarize(data.economy, v) for v in computed]
    set_id = variant_sets.store_variants(
        tx,
        central_id,
        (title.strip() or f"{data.name}, {tx.now:%Y-%m-%d}")[:TITLE_LIMIT],
        _source(data, asked),
        [(_name(s.title, language), list(s.lines)) for s in summed],
        Computed(
            economy_hash=data.economy.hash,
            archives=[archive.variant_bytes(v) for v in computed],
            workplaces=_workplace_lines(tx, central_id, data.economy, computed, homes),
        ),
    )
    member_proposals.computed_in(tx, asked.used, set_id)
    _announce(tx, body, homes, set_id, data.name, data.economy.hash, len(computed), asked.report)
    seconds = time.perf_counter() - started
    done = Msg.of(
        N_("Variant set {id}: {n} variants computed in {seconds:.1f} s."),
        id=set_id,
        n=len(computed),
        seconds=seconds,
    )
    return [Reply((done,))]


def _asked(
    tx: Tx, central_id: int, economy: Economy, setting: variants.Setting, homes: list[Assembly]
) -> Asked:
    """Defaults, then every waiting proposal, then the workplaces' variants; refused if the
    ballot cannot hold them all (none may be dropped)."""
    base = variants.base_parameters(economy, setting)
    requests = [Request(p) for p in variants.default_parameters(economy, setting)]
    report: list[Msg] = []
    used: list[int] = []
    for waiting in member_proposals.waiting(tx, central_id):
        request = _proposal_request(waiting, economy, setting, base, report)
        if request is not None:
            requests.append(request)
            used.append(waiting.id)
    standing = _plannable(tx, central_id, economy, homes, report)
    if standing:
        assessment = workplaces.assess(economy, standing, base, setting)
        report += assessment.lines()
        requests += workplaces.requests(assessment, base)
    if len(requests) > MAX_OPTIONS:
        raise Refusal(
            "{n} variants are asked for, and a ballot holds {most}; none may be dropped. "
            "Proposers can withdraw some (/plan withdraw <number>) or wait for the next set.",
            n=len(requests),
            most=MAX_OPTIONS,
        )
    return Asked(requests, used, report)


def _plannable(
    tx: Tx, central_id: int, economy: Economy, homes: list[Assembly], report: list[Msg]
) -> list[workplaces.Offer]:
    """The member assemblies' standing offers these data can plan; a line for each other.

    An offer the data no longer fit (a sector gone after revised data) is left
    out of this set and said so; it stands, and the assembly can offer anew.
    """
    names = {home.id: home.name for home in homes}
    out = []
    for assembly_id, offer in offers.standing(tx, central_id):
        if assembly_id not in names:
            continue
        try:
            workplaces.check_offer(economy, offer)
        except Refusal as refusal:
            report.append(
                Msg.of(
                    N_("The offer of {assembly} cannot be planned on these data: {why}"),
                    assembly=names[assembly_id],
                    why=refusal.msg,
                )
            )
            continue
        out.append(offer)
    return out


def _proposal_request(
    waiting: Waiting,
    economy: Economy,
    setting: variants.Setting,
    base: Parameters,
    report: list[Msg],
) -> Request | None:
    """The proposal's variant, or None (and a line saying why) if the data no longer read it.

    It stays waiting then: the proposer can reword it; it is never dropped unsaid.
    """
    try:
        read = proposals.parse(waiting.text, economy.products, proposer=str(waiting.person_id))
        request = read.request(base)
        variants.check(economy, request.parameters, setting)
    except Refusal as refusal:
        report.append(
            Msg.of(
                N_("Proposal {id} cannot be computed on these data and stays waiting: {why}"),
                id=waiting.id,
                why=refusal.msg,
            )
        )
        return None
    return request


def _name(title: Msg, language: str) -> str:
    """The ballot option: the variant's title in the central assembly's language."""
    text = render(title, language)
    return text if len(text) <= OPTION_LIMIT else text[: OPTION_LIMIT - 1] + "…"


def _workplace_lines(
    tx: Tx, central_id: int, economy: Economy, computed: list[Variant], homes: list[Assembly]
) -> list[dict[int, Msg]]:
    """For each variant, each member assembly's line about its own workplace (its sector:
    ``plan.sector``, else the sector of its standing offer)."""
    standing = offers.standing(tx, central_id)
    offered = {a: o.sector for a, o in standing if o.sector in economy.products}
    sectors = {
        home.id: economies.sector_of(tx, home.id, economy) or offered.get(home.id) for home in homes
    }
    out: list[dict[int, Msg]] = []
    for variant in computed:
        lines: dict[int, Msg] = {}
        if variant.plan is not None:
            own = {offer.workplace for offer in variant.parameters.offers}
            for home in homes:
                # Its own expansions when the variant holds its offer; else its sector's line.
                key = home.name if home.name in own else sectors[home.id]
                if key is not None:
                    lines[home.id] = summaries.summarize(economy, variant, key).lines[0]
        out.append(lines)
    return out


def _source(data: economies.FederationData, asked: Asked) -> dict[str, Any]:
    """What the figures came from, compactly: the dataset and its hash (each variant's archive
    holds its full parameters and setting)."""
    return {
        "dataset": data.name,
        "economy": data.economy.hash,
        "hours": data.setting.baseline_hours,
        "proposals": asked.used,
    }


def _announce(
    tx: Tx,
    body: Assembly,
    homes: list[Assembly],
    set_id: int,
    dataset: str,
    economy_hash: str,
    n: int,
    report: list[Msg],
) -> None:
    """The same news in the central chat and every member assembly's chat at once."""
    news = Msg.of(
        N_(
            "Variant set {id} of {central}: {n} variants computed from {dataset} "
            "(data {hash}). Read them: /plan {id}. Differences: /plan why {id} A B. "
            "Charts: /plan chart {id}."
        ),
        id=set_id,
        central=body.name,
        n=n,
        dataset=dataset,
        hash=economy_hash[:12],
    )
    outbox.announce(tx, body.id, news, *report)
    for home in homes:
        outbox.announce(tx, home.id, news, *report)
