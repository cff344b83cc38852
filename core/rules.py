"""Changing the rules: only a passed rules motion adopts a new statute version."""

from __future__ import annotations

from typing import Any

from core import assemblies
from core.calendar import ordinary
from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion
from core.statutes import DEFAULTS, parse_setting


def propose_change(
    tx: Tx, assembly_id: int, proposer_id: int, key: str, value_text: str
) -> list[Reply]:
    """Put a change of one setting to the vote (validated first, so it can work)."""
    assemblies.require_member(tx, assembly_id, proposer_id)
    name = key.strip().lower()
    value = parse_setting(name, value_text)
    statute = assemblies.statute(tx, assembly_id)
    _check_windows({**statute.settings, name: value})
    current = statute[name]
    if current == value:
        return [Reply((Msg.of(N_("{key} is already {value}."), key=name, value=str(value)),))]
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        "rules",
        f"{name}: {current} → {value}",
        method="yesno",
        payload={"changes": {name: value}},
    )
    return [Reply((Msg.of(N_("Rule change put to the vote as motion {id}."), id=motion.id),))]


WINDOWS = ("voting.hours", "recall.hours")


def _check_windows(settings: dict[str, Any]) -> None:
    """The statute's own voting windows may not be shorter than its minimum window."""
    minimum = int(settings["voting.min_hours"])
    for key in WINDOWS:
        if int(settings[key]) < minimum:
            raise Refusal(
                "{key} ({hours} h) would be shorter than voting.min_hours ({n} h).",
                key=key,
                hours=settings[key],
                n=minimum,
            )


@effects.on_passed("rules")
def _rules_passed(tx: Tx, motion: Motion) -> list[Msg]:
    changes: dict[str, Any] = dict(motion.payload["changes"])
    version = assemblies.adopt_statute(tx, motion.assembly_id, changes, motion.id)
    lines = [Msg.of(N_("Rules version {version} is in force."), version=version)]
    if changed := ordinary.RULE_CHANGES & changes.keys():
        lines += ordinary.reschedule(tx, motion.assembly_id, set(changed))
    return lines


def show(tx: Tx, assembly_id: int) -> list[Reply]:
    """Every setting, grouped so the list fits a phone; changed ones marked *."""
    statute = assemblies.statute(tx, assembly_id)
    lines = [
        Msg.of(
            N_("Rules, version {version} (* differs from the default):"), version=statute.version
        )
    ]
    groups: dict[str, list[str]] = {}
    for key, value in statute.settings.items():
        group, _, name = key.rpartition(".") if "." in key else ("", "", key)
        mark = "*" if DEFAULTS.get(key) != value else ""
        shown = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        groups.setdefault(group or name, []).append(
            f"{name} {shown}{mark}" if group else f"{shown}{mark}"
        )
    for group, items in groups.items():
        lines.append(Msg.of(N_("{group}: {values}"), group=group, values=", ".join(items)))
    lines.append(Msg.of(N_("Propose a change: /rules set <rule> <value>")))
    return [Reply(tuple(lines))]


def show_history(tx: Tx, assembly_id: int) -> list[Reply]:
    """Each version, what it changed, and the motion that adopted it."""
    lines = []
    for version, changes, motion_id, day in assemblies.history(tx, assembly_id):
        if motion_id is None:
            lines.append(Msg.of(N_("v{version} {day}: founding rules"), version=version, day=day))
            continue
        what = ", ".join(f"{k}={v}" for k, v in changes.items())
        lines.append(
            Msg.of(
                N_("v{version} {day}: {changes} (motion {motion})"),
                version=version,
                day=day,
                changes=what,
                motion=motion_id,
            )
        )
    return [Reply(tuple(lines))]
