"""``/plan why <set> A B`` and ``/plan chart <set>``: reading a computed set more closely.

Both read the variants exactly as computed and the economy they came from,
both stored with the set (``core.plans.economies``), so what they show
matches the summaries members voted on, whatever has changed on disk since.
Any chat of the federation may ask; the answer goes to that chat.
"""

from __future__ import annotations

from core import assemblies
from core.assemblies import Assembly
from core.context import Tx
from core.errors import Refusal
from core.federation import central
from core.i18n import render
from core.messages import N_, Attachment, Msg, Reply
from core.planning import archive, charts, summaries
from core.planning.economy import Economy
from core.planning.variants import Variant
from core.plans import economies, variant_sets
from core.plans.variant_sets import VariantSet


def why(tx: Tx, here: Assembly, set_id: int, first: str, second: str) -> list[Reply]:
    """What differs between two variants of a set, which parameter causes it, and the numbers."""
    chosen, economy, computed = _computed(tx, here, set_id)
    a, b = _pick(computed, first), _pick(computed, second)
    if a is b:
        raise Refusal("Name two different variants, for example: /plan why {id} A B", id=set_id)
    said = summaries.why(economy, a, b)
    head = Msg.of(N_("Variant set {id}: {b} against {a}"), id=chosen.id, a=a.label, b=b.label)
    return [Reply((head, *said.lines))]


def chart(tx: Tx, here: Assembly, set_id: int) -> list[Reply]:
    """Two PNG charts, in the chat's language: consumption paths, and weekly hours."""
    chosen, economy, computed = _computed(tx, here, set_id)
    language = str(assemblies.statute(tx, here.id)["language"])

    def said(msg: Msg) -> str:
        return render(msg, language)

    drawn = [
        (charts.consumption_chart(economy, computed, said), "consumption"),
        (charts.hours_chart(economy, computed, said), "hours"),
    ]
    return [
        Reply(
            (Msg.of(N_("Variant set {id}: {title}"), id=chosen.id, title=picture.title),),
            attachment=Attachment(f"plan-{chosen.id}-{kind}.png", picture.png, "image/png"),
        )
        for picture, kind in drawn
    ]


def _computed(tx: Tx, here: Assembly, set_id: int) -> tuple[VariantSet, Economy, list[Variant]]:
    """The set (if this chat's federation's), its economy and its variants as computed."""
    chosen = variant_sets.load(tx, set_id)
    if chosen.central_id not in {body.id for body in central.read_from(tx, here)}:
        raise Refusal("There is no variant set {id}.", id=set_id)
    if chosen.economy_hash is None:
        raise Refusal(
            "Variant set {id} was handed over as text, not computed here: "
            "there are no figures to compare or draw.",
            id=set_id,
        )
    economy = economies.stored(tx, chosen.economy_hash)
    stored = variant_sets.archives(tx, set_id)
    return chosen, economy, [archive.variant_from(data) for data in stored if data is not None]


def _pick(computed: list[Variant], name: str) -> Variant:
    """A variant by its letter (A, B...) or its place on the ballot (1, 2...)."""
    text = name.strip().upper()
    for variant in computed:
        if variant.label.upper() == text:
            return variant
    if text.isdigit() and 1 <= int(text) <= len(computed):
        return computed[int(text) - 1]
    raise Refusal(
        "There is no variant {name} in this set; its variants are {labels}.",
        name=name[:10],
        labels=", ".join(v.label for v in computed),
    )
