"""The plan factory's computational core: economies, plans, and how good they are.

Pure computation (numpy, scipy, HiGHS): nothing here touches the database or
a chat. ``Economy`` holds the checked, hashed data; the importers build one
from files; ``plan_harmony`` and ``plan_maximin`` turn one into a ``Plan``.
"""

from core.planning.economy import Economy, EconomyError
from core.planning.multiyear import plan_harmony, plan_maximin
from core.planning.plan import Plan, violations, write_plan

__all__ = [
    "Economy",
    "EconomyError",
    "Plan",
    "plan_harmony",
    "plan_maximin",
    "violations",
    "write_plan",
]
