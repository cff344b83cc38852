"""Federation: a central assembly of delegates, under the assemblies that join it.

A central assembly is bound to its own chat. Its members are exactly the
current delegates (``core/delegates/seats.py``) who sit in it for an assembly
that joined it by its own vote; the roll follows every election and recall.
Votes there are by name; every proposal and decision is relayed to all member
assemblies at once, with how their own delegates voted beside their mandate.
The centre cannot touch a member assembly's members, rules or delegates.

- ``central``: founding, and which assemblies belong to which central assembly
- ``joining``: joining and leaving by the member assembly's own vote
- ``roll``: the central roll, kept equal to the seats
- ``relay``: proposals, votes against a binding instruction, and results, to the members
- ``limits``: what the centre may not do
- ``view``: reading the central assembly from a member assembly's chat
- ``weights`` and ``mirror``: weighting by assembly size, or splitting each
  delegation's votes by its assembly's own (mirror) vote
- ``council``: the optional central council, and rescinding its acts
- ``said``: what delegates say in the central chat, stored and digested
"""

from __future__ import annotations

from core.federation import (
    central,
    council,
    joining,
    limits,
    mirror,
    relay,
    roll,
    said,
    view,
    weights,
)

__all__ = [
    "central",
    "council",
    "joining",
    "limits",
    "mirror",
    "relay",
    "roll",
    "said",
    "view",
    "weights",
]
