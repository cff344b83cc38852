"""Limits on the centre: a central assembly governs its own business, nothing below it.

In its own chat the central assembly may change only how it decides (quorum,
majority, voting window, default method, language) and the federation
statutes; it cannot touch a member assembly's members, rules or delegates,
nor dissolve one, and its votes are always by name. Its roll is refused to
every hand but the member assemblies' elections and recalls (core/membership.py).
"""

from __future__ import annotations

from core.assemblies import Assembly
from core.errors import Refusal

# How central votes are weighed (federation.weight): registered with the count's hook.

# What a central assembly may change in its own statute.
CENTRAL_RULE_GROUPS = ("federation.", "quorum.", "majority.", "voting.")
CENTRAL_RULES = ("method.default", "language", "timezone", "quiet.hours")
# The plan factory's data and setting belong to the federation; a workplace's sector to
# the member assembly that is that workplace.
CENTRAL_PLAN_RULES = ("plan.data", "plan.public", "plan.hours", "plan.criterion")
MEMBER_PLAN_RULES = ("plan.sector",)


def check_rule_change(assembly: Assembly, key: str, value_text: str) -> None:
    """Refuse a rule change the assembly's kind does not allow, before it is put to vote."""
    name = key.strip().lower()
    is_central = assembly.is_central
    if (name.startswith("federation.") or name in CENTRAL_PLAN_RULES) and not is_central:
        raise Refusal("Federation rules are set by the central assembly's own vote.")
    if name in MEMBER_PLAN_RULES and is_central:
        raise Refusal("A workplace's sector is set by the workplace's own assembly.")
    allowed = name.startswith(CENTRAL_RULE_GROUPS) or name in CENTRAL_RULES + CENTRAL_PLAN_RULES
    if is_central and not allowed:
        raise Refusal(
            "A central assembly changes only its own voting and federation rules "
            "(quorum, majority, voting, method.default, language, timezone, quiet.hours, "
            "federation.*, plan.data, plan.public, plan.hours, plan.criterion), "
            "not {key}.",
            key=name[:40],
        )


def check_secret(assembly: Assembly, secret: bool) -> None:
    """Central votes are by name, so each assembly sees how its delegates voted."""
    if secret and assembly.is_central:
        raise Refusal(
            "Votes in a central assembly are by name, so every assembly sees how its "
            "delegates voted: put the motion without secret."
        )
