"""The plan factory in the chats, and the plan vote: a federation's members choose among variants.

``core/planning`` computes variants (economy, plans, summaries) and decides
nothing; this package brings it to the federation and puts its variants to the vote:

- ``datasets``, ``economies``: the data a federation plans from, and kept copies
- ``member_proposals``: members' proposals for the next variant set
- ``offers``: a workplace's productive possibilities, adopted by its assembly's vote
- ``factory``: ``/plan compute``, every variant computed, stored and announced at once
- ``variant_sets``: the variants as handed over, with where their figures came from
- ``explain``: "why" between two variants, and charts
- ``vote``: calling a plan vote, one motion in every member assembly at once
- ``aggregate``: the federation's result, counted when the last motion closes
- ``revision``: the adopted variant recomputed on revised data, each workplace told
- ``view``: reading sets and votes from any chat of the federation
"""

from __future__ import annotations

from core.plans import aggregate, offers, revision, variant_sets, view, vote

__all__ = ["aggregate", "offers", "revision", "variant_sets", "view", "vote"]
