"""Statutes: every rule of an assembly is a setting with a documented default.

Rules change only through a passed rules motion, which adds a new version;
every version is kept, so the history of the rules can always be shown.
Code asks the statute, never a constant. The defaults are documented in
``docs/statutes.md`` and printed by ``/rules``.

Value forms, as members type them:
- quorum: ``none``; a count ``5``; a share of members ``30%``; a share of the
  members active in the last N days ``30%/60d``.
- threshold (signatures, co-signers): a count ``3``, a share ``10%``, or both
  ``3,10%`` (the larger applies).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from zoneinfo import available_timezones

from core.calendar import quiet, recurrence
from core.errors import Refusal
from core.i18n import LANGUAGES

KINDS = (
    "decision",
    "rules",
    "admission",
    "removal",
    "sitting",
    "election",
    "recall",
    "report",
    "plan",
    "offer",
    "mandate",
    "federation",
)
MAJORITIES = ("simple", "absolute", "two_thirds")
METHODS = ("yesno", "single", "approval", "schulze", "consent")
ADMISSIONS = ("open", "vouch", "vote")
# In a central assembly: one vote per delegate; delegations weighted by the size of
# their home assembly; or each delegation's votes split by its home assembly's result.
WEIGHTS = ("delegate", "size", "split")
# A federation's plan vote (core/plans): ranked or single choice, and how the member
# assemblies' ballots are counted together (all pooled, or one result per assembly).
PLAN_METHODS = ("schulze", "single")
PLAN_AGGREGATES = ("pooled", "per_assembly")
# What the plan factory's variants maximise (core/planning/steering.py CRITERIA): harmony
# weighted by each product's share of today's consumption, or Cockshott's plain harmony.
PLAN_CRITERIA = ("balanced", "harmony")

_QUORUM_DEFAULTS = {
    "decision": "25%",
    "rules": "50%",
    "admission": "none",
    "removal": "50%",
    "sitting": "none",
    "election": "25%",
    "recall": "25%",
    "report": "none",
    "plan": "25%",
    "offer": "25%",
    "mandate": "25%",
    "federation": "50%",
}
_MAJORITY_DEFAULTS = {
    "decision": "simple",
    "rules": "two_thirds",
    "admission": "simple",
    "removal": "two_thirds",
    "sitting": "simple",
    "election": "simple",
    "recall": "simple",
    "report": "simple",
    "plan": "simple",
    "offer": "simple",
    "mandate": "simple",
    "federation": "absolute",
}
_SECRET_DEFAULTS = {"removal": True, "election": True, "recall": True}

DEFAULTS: dict[str, Any] = {
    **{f"quorum.{k}": v for k, v in _QUORUM_DEFAULTS.items()},
    **{f"majority.{k}": v for k, v in _MAJORITY_DEFAULTS.items()},
    **{f"secret.{k}": _SECRET_DEFAULTS.get(k, False) for k in KINDS},
    "method.default": "yesno",
    "admission": "open",
    "admission.vouches": 2,
    "voting.hours": 48,
    "voting.min_hours": 24,
    "voting.reminders": 1,
    "voting.remind_hours": 4,
    "quiet.hours": "22:00-07:00",
    "petition.sitting": "3,10%",
    "petition.reopen": "3,10%",
    "sitting.notice_hours": 48,
    "sitting.rule": "none",
    "sitting.reminders": "24,1",
    "recall.cosigners": "3,10%",
    "recall.hours": 48,
    "delegates.seats": "1",
    "delegates.term_months": 12,
    "delegates.term_limit": 0,
    "delegates.cooldown_months": 0,
    "election.nomination_hours": 48,
    "report.every_months": 1,
    "report.reminders": "72,24",
    "federation.weight": "delegate",
    "federation.council": "none",
    "federation.council_months": 3,
    "federation.plan_method": "schulze",
    "federation.plan_aggregate": "pooled",
    # The plan factory (core/plans/factory.py): the data a federation plans from, the
    # products consumed in common, the weekly hours its labour figures stand for; and a
    # member assembly's own workplace sector, for the line "your workplace: ...".
    "plan.data": "spain-2019",
    "plan.public": "auto",
    "plan.hours": 40,
    "plan.criterion": "balanced",
    "plan.sector": "none",
    "language": "en",
    "timezone": "UTC",
}


@dataclass(frozen=True)
class Quorum:
    """How many must take part for a decision to count."""

    kind: Literal["none", "count", "share", "active_share"]
    value: float = 0
    days: int = 0

    def required(self, members: int, active: int) -> int:
        """Ballots needed, given the member count and the recently active count."""
        if self.kind == "none":
            return 0
        if self.kind == "count":
            return int(self.value)
        base = members if self.kind == "share" else active
        return math.ceil(base * self.value / 100)


@dataclass(frozen=True)
class Threshold:
    """A count, a share of members, or the larger of both."""

    count: int
    share: float

    def required(self, members: int) -> int:
        return max(self.count, math.ceil(members * self.share / 100), 1)


_QUORUM_RE = re.compile(r"^(?:(none)|(\d{1,6})|(\d{1,3}(?:\.\d+)?)%(?:/(\d{1,4})d)?)$")
_THRESHOLD_RE = re.compile(r"^(?:(\d{1,6})(?:,(\d{1,3}(?:\.\d+)?)%)?|(\d{1,3}(?:\.\d+)?)%)$")


def parse_quorum(text: str) -> Quorum:
    match = _QUORUM_RE.match(text.strip().lower())
    if not match:
        raise Refusal(
            "A quorum is none, a count (5), a share (30%) or a share of active members (30%/60d)."
        )
    none, count, share, days = match.groups()
    if none:
        return Quorum("none")
    if count:
        return Quorum("count", int(count))
    value = float(share)
    if value > 100:
        raise Refusal("A share cannot be over 100%.")
    return Quorum("active_share", value, int(days)) if days else Quorum("share", value)


def parse_threshold(text: str) -> Threshold:
    match = _THRESHOLD_RE.match(text.strip().replace(" ", ""))
    if not match:
        raise Refusal("A threshold is a count (3), a share (10%) or both (3,10%).")
    count, share_with_count, share_alone = match.groups()
    share = float(share_with_count or share_alone or 0)
    if share > 100:
        raise Refusal("A share cannot be over 100%.")
    return Threshold(int(count or 0), share)


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise Refusal("Choose one of: {options}.", options=", ".join(options))
        return value

    return parse


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "on", "si", "sí", "1"):
        return True
    if value in ("no", "false", "off", "0"):
        return False
    raise Refusal("Answer yes or no.")


def _hours(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 24 * 60:
        raise Refusal("Give a whole number of hours from 1 to 1440.")
    return int(text)


def _small_count(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 100:
        raise Refusal("Give a whole number from 1 to 100.")
    return int(text)


def _months(text: str) -> int:
    """0 (no limit) to 120 months."""
    if not text.strip().isdigit() or not 0 <= int(text) <= 120:
        raise Refusal("Give a whole number of months from 0 to 120 (0: no limit).")
    return int(text)


def _report_months(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 12:
        raise Refusal("Give a whole number of months from 1 to 12.")
    return int(text)


def _terms(text: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 20:
        raise Refusal("Give a whole number of terms from 0 to 20 (0: no limit).")
    return int(text)


_SEATS_RE = re.compile(r"^(?:(\d{1,3})|1/(\d{1,6}))$")


def _seats_text(text: str) -> str:
    value = text.strip().replace(" ", "")
    match = _SEATS_RE.match(value)
    if not match or value in ("0", "1/0"):
        raise Refusal("Seats are a number (3) or one per so many members (1/50).")
    return value


def seats_for(setting: str, members: int) -> int:
    """Delegate seats under ``delegates.seats``: a fixed number, or one per N members
    (rounded down, at least one)."""
    fixed, per = _SEATS_RE.match(setting).groups()  # type: ignore[union-attr]
    return int(fixed) if fixed else max(1, members // int(per))


_COUNCIL_RE = re.compile(r"^(?:(none)|(elected|rotating)\s+(\d{1,2}))$")


def _council_text(text: str) -> str:
    value = " ".join(text.strip().lower().split())
    match = _COUNCIL_RE.match(value)
    if not match or (match.group(3) is not None and not 1 <= int(match.group(3)) <= 15):
        raise Refusal("A council is none, elected N or rotating N (N from 1 to 15).")
    return value


def council(setting: str) -> tuple[str, int]:
    """``federation.council`` as (how, size): ("none", 0), ("elected", 3), ("rotating", 3)."""
    none, how, size = _COUNCIL_RE.match(setting).groups()  # type: ignore[union-attr]
    return ("none", 0) if none else (how, int(size))


def _timezone(text: str) -> str:
    value = text.strip()
    if value not in available_timezones():
        raise Refusal("Unknown timezone {zone}; use a name like Europe/Madrid.", zone=value)
    return value


def _sitting_rule(text: str) -> str:
    """``none``, or when ordinary sittings recur in plain words (kept as written)."""
    value = " ".join(text.split())
    if value.lower() in ("none", "ninguna", "no"):
        return "none"
    recurrence.parse(value, date(2000, 1, 1))  # refuses what it cannot read
    return value


_HOURS_LIST_RE = re.compile(r"^\d{1,3}(?:,\d{1,3}){0,3}$")


def _hours_before(text: str) -> str:
    """``none``, or up to four whole hours before the event, e.g. ``24,1``."""
    value = text.strip().lower().replace(" ", "")
    if value == "none":
        return value
    if not _HOURS_LIST_RE.match(value) or not all(1 <= int(h) <= 720 for h in value.split(",")):
        raise Refusal("Give none, or up to four numbers of hours from 1 to 720, like 24,1.")
    return ",".join(str(h) for h in sorted({int(h) for h in value.split(",")}, reverse=True))


def hours_before(setting: str) -> list[int]:
    """``sitting.reminders`` and the like as hours, largest first (none: empty)."""
    return [] if setting == "none" else [int(h) for h in setting.split(",")]


def _reminder_count(text: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 5:
        raise Refusal("Give a whole number of reminders from 0 to 5.")
    return int(text)


def _remind_hours(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 72:
        raise Refusal("Give a whole number of hours from 1 to 72.")
    return int(text)


def _quiet_hours(text: str) -> str:
    window = quiet.parse(text)
    return "none" if window is None else window.text


_DATASET_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


def _dataset(text: str) -> str:
    """A dataset the operator installed (``core.plans.datasets``): refused if none has the name."""
    from core.plans import datasets  # light: lists names, loads no data

    name = text.strip().lower()
    known = datasets.names()
    if not _DATASET_RE.match(name) or name not in known:
        raise Refusal(
            "There is no dataset called {name}. Installed: {known}.",
            name=text.strip()[:60],
            known=", ".join(known),
        )
    return name


def _names_text(text: str) -> str:
    """Sector names, comma-separated, or a word (none, auto); checked against the data when used."""
    value = " ".join(text.split())
    if not value or len(value) > 400:
        raise Refusal("Give sector names separated by commas, or none.")
    return value


def _plan_hours(text: str) -> int:
    """The weekly hours per person the data's labour figures stand for."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 80:
        raise Refusal("Give a whole number of weekly hours from 1 to 80.")
    return int(text)


def _quorum_text(text: str) -> str:
    parse_quorum(text)
    return text.strip().lower()


def _threshold_text(text: str) -> str:
    parse_threshold(text)
    return text.strip().replace(" ", "")


PARSERS: dict[str, Callable[[str], Any]] = {
    **{f"quorum.{k}": _quorum_text for k in KINDS},
    **{f"majority.{k}": _choice(MAJORITIES) for k in KINDS},
    **{f"secret.{k}": _bool for k in KINDS},
    "method.default": _choice(METHODS),
    "admission": _choice(ADMISSIONS),
    "admission.vouches": _small_count,
    "voting.hours": _hours,
    "petition.sitting": _threshold_text,
    "petition.reopen": _threshold_text,
    "sitting.notice_hours": _hours,
    "sitting.rule": _sitting_rule,
    "sitting.reminders": _hours_before,
    "voting.min_hours": _hours,
    "voting.reminders": _reminder_count,
    "voting.remind_hours": _remind_hours,
    "quiet.hours": _quiet_hours,
    "report.reminders": _hours_before,
    "recall.cosigners": _threshold_text,
    "recall.hours": _hours,
    "delegates.seats": _seats_text,
    "delegates.term_months": _months,
    "delegates.term_limit": _terms,
    "delegates.cooldown_months": _months,
    "election.nomination_hours": _hours,
    "report.every_months": _report_months,
    "federation.weight": _choice(WEIGHTS),
    "federation.council": _council_text,
    "federation.council_months": _report_months,
    "federation.plan_method": _choice(PLAN_METHODS),
    "federation.plan_aggregate": _choice(PLAN_AGGREGATES),
    "plan.data": _dataset,
    "plan.public": _names_text,
    "plan.hours": _plan_hours,
    "plan.criterion": _choice(PLAN_CRITERIA),
    "plan.sector": _names_text,
    "language": _choice(LANGUAGES),
    "timezone": _timezone,
}


def parse_setting(key: str, text: str) -> Any:
    """Validate a member's proposed value for ``key``; refuse what cannot work."""
    parser = PARSERS.get(key.strip().lower())
    if parser is None:
        raise Refusal("There is no rule called {key}. Send /rules to see them all.", key=key)
    return parser(text)


class Statute:
    """One version of an assembly's rules, read through typed accessors."""

    def __init__(self, settings: Mapping[str, Any], version: int = 1) -> None:
        self.settings = {**DEFAULTS, **settings}
        self.version = version

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]

    def quorum(self, kind: str) -> Quorum:
        return parse_quorum(self.settings[f"quorum.{kind}"])

    def majority(self, kind: str) -> str:
        return str(self.settings[f"majority.{kind}"])

    def secret(self, kind: str) -> bool:
        return bool(self.settings[f"secret.{kind}"])

    def threshold(self, key: str) -> Threshold:
        return parse_threshold(self.settings[key])

    def changed(self, other: Statute) -> dict[str, Any]:
        """Settings whose value differs from ``other``."""
        return {k: v for k, v in self.settings.items() if other.settings.get(k) != v}
