"""Ordinary sittings that recur by the rule an assembly wrote in plain words.

The statute's ``sitting.rule`` says when ("2nd and 4th Tuesday at 17:30"),
changed like every rule by the assembly's vote. One sitting is convened ahead
at a time: when a rule is adopted, the first date at least
``sitting.notice_hours`` away; when that sitting starts, the next one. Each
sitting keeps the rule that convened it (with its start date, the anchor of
"every other week"), so later changes to other rules do not move it.

When the rule or the timezone changes, the sittings the old rule convened that
have not started are cancelled, their agenda moves to the first sitting under
the new rule, and the new rule is said back in words so members can check it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from core import assemblies, sittings, timers
from core.calendar import notices, recurrence
from core.context import Tx
from core.i18n import render
from core.messages import N_, Msg
from core.store.tables import agenda_items
from core.store.tables import sittings as sitting_table

KIND = "sitting.next"
RULE_CHANGES = frozenset({"sitting.rule", "timezone"})


def reschedule(tx: Tx, assembly_id: int, changed: set[str]) -> list[Msg]:
    """The rule or the timezone changed: cancel what the old rule convened, convene anew."""
    rules = assemblies.statute(tx, assembly_id)
    cancelled = _cancel_upcoming(tx, assembly_id)
    text = str(rules["sitting.rule"])
    if text == "none":
        ended = "sitting.rule" in changed
        lines = [Msg.of(N_("Ordinary sittings no longer recur by a rule."))] if ended else []
        return lines + [_cancelled_line(s, None) for s in cancelled]
    zone = str(rules["timezone"])
    rule = recurrence.parse(text, tx.now.astimezone(ZoneInfo(zone)).date())
    notice = timedelta(hours=int(rules["sitting.notice_hours"]))
    first = _convene_next(tx, assembly_id, rule, tx.now + notice)
    if first is not None:
        for old in cancelled:
            _move_agenda(tx, old, first)
    lines = [Msg.of(N_("Ordinary sittings: {rule}."), rule=recurrence.describe(rule))]
    return lines + [_cancelled_line(s, first) for s in cancelled]


def _cancelled_line(sitting_id: int, moved_to: int | None) -> Msg:
    if moved_to is None:
        return Msg.of(N_("Sitting {id} is cancelled: the rule changed."), id=sitting_id)
    return Msg.of(
        N_("Sitting {id} is cancelled: the rule changed. Its agenda moves to sitting {new}."),
        id=sitting_id,
        new=moved_to,
    )


def _cancel_upcoming(tx: Tx, assembly_id: int) -> list[int]:
    """Cancel the sittings a rule convened that have not started yet."""
    ids = list(
        tx.conn.execute(
            select(sitting_table.c.id).where(
                sitting_table.c.assembly_id == assembly_id,
                sitting_table.c.status == "convened",
                sitting_table.c.rule.is_not(None),
                sitting_table.c.starts_at > tx.now,
            )
        ).scalars()
    )
    for sitting_id in ids:
        tx.conn.execute(
            update(sitting_table).where(sitting_table.c.id == sitting_id).values(status="cancelled")
        )
        notices.cancel(tx, sitting_id)
        timers.cancel(tx, KIND, sitting_id)
        tx.audit("sitting.cancel", {"sitting": sitting_id, "why": "rule"}, assembly_id)
    return ids


def _move_agenda(tx: Tx, old: int, new: int) -> None:
    """Items of a cancelled sitting go to the end of the new one's agenda, in order."""
    count = tx.conn.execute(
        select(func.count()).select_from(agenda_items).where(agenda_items.c.sitting_id == new)
    ).scalar_one()
    items = tx.conn.execute(
        select(agenda_items.c.id)
        .where(agenda_items.c.sitting_id == old)
        .order_by(agenda_items.c.position)
    ).scalars()
    for n, item_id in enumerate(list(items), start=int(count) + 1):
        tx.conn.execute(
            update(agenda_items)
            .where(agenda_items.c.id == item_id)
            .values(sitting_id=new, position=n)
        )


def _convene_next(tx: Tx, assembly_id: int, rule: recurrence.Rule, after: datetime) -> int | None:
    """Convene the rule's first sitting after ``after`` and plan the one after it."""
    rules = assemblies.statute(tx, assembly_id)
    found = recurrence.occurrences(rule, str(rules["timezone"]), after, 1)
    if not found:
        return None
    title = render(Msg.of(N_("Ordinary sitting")), str(rules["language"]))
    sitting_id = sittings.convene(tx, assembly_id, "ordinary", title, found[0], rule=rule.to_json())
    timers.plan(tx, assembly_id, KIND, sitting_id, 0, found[0])
    return sitting_id


@timers.on_timer(KIND)
def convene_following(tx: Tx, timer: timers.Timer) -> None:
    """A ruled sitting starts: convene the next one by the same rule."""
    row: Any = tx.conn.execute(
        select(sitting_table).where(sitting_table.c.id == timer.subject_id)
    ).first()
    if row is None or row.status != "convened" or row.rule is None:
        return
    rule = recurrence.Rule.from_json(row.rule)
    _convene_next(tx, row.assembly_id, rule, max(row.starts_at, tx.now))
