"""The plan vote: a federation's members choose among the plan factory's variants.

``core/planning`` computes variants (economy, plans, summaries) and decides
nothing; this package puts them to the vote:

- ``variant_sets``: the variants as handed over, with where their figures came from
- ``vote``: calling a plan vote, one motion in every member assembly at once
- ``aggregate``: the federation's result, counted when the last motion closes
- ``view``: reading sets and votes from any chat of the federation
"""

from __future__ import annotations

from core.plans import aggregate, variant_sets, view, vote

__all__ = ["aggregate", "variant_sets", "view", "vote"]
