"""Sittings: ordinary ones the assembly convenes by vote, extraordinary ones
convened by members' petition; each has an agenda, and its record (minutes)
is the motions on that agenda with their results and dissent.

Ordinary sittings can also recur by a rule in the statute (``sitting.rule``,
see ``core.calendar.ordinary``); every convened sitting gets its agenda posted
before it starts (``core.calendar.notices``, through ``on_convened``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from core import assemblies, outbox
from core.calendar import local
from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion
from core.store.tables import agenda_items, sittings
from core.text import TITLE_LIMIT, clean


def parse_when(tx: Tx, assembly_id: int, text: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in the assembly's timezone, in the future."""
    zone = ZoneInfo(str(assemblies.statute(tx, assembly_id)["timezone"]))
    try:
        local = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise Refusal("Give the date and time as YYYY-MM-DD HH:MM.") from None
    when = local.replace(tzinfo=zone)
    if when <= tx.now:
        raise Refusal("That time has already passed.")
    return when


def propose_ordinary(
    tx: Tx, assembly_id: int, proposer_id: int, when_text: str, title: str
) -> list[Reply]:
    """Ask the assembly to convene an ordinary sitting (a short yes/no motion)."""
    assemblies.require_member(tx, assembly_id, proposer_id)
    when = parse_when(tx, assembly_id, when_text)
    name = clean(title or "Ordinary sitting", TITLE_LIMIT, N_("title"))
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        "sitting",
        f"{name} — {when_text.strip()}",
        method="yesno",
        payload={"starts_at": when.isoformat(), "title": name},
    )
    return [
        Reply(
            (Msg.of(N_("Convening the sitting is put to the vote as motion {id}."), id=motion.id),)
        )
    ]


def convene(
    tx: Tx,
    assembly_id: int,
    kind: str,
    title: str,
    starts_at: datetime,
    petition_id: int | None = None,
    rule: dict[str, Any] | None = None,
) -> int:
    """Store a sitting, announce it, and tell the listeners (who plan its notices)."""
    sitting_id = int(
        tx.conn.execute(
            insert(sittings)
            .values(
                assembly_id=assembly_id,
                kind=kind,
                title=title,
                starts_at=starts_at,
                status="convened",
                petition_id=petition_id,
                created_at=tx.now,
                rule=rule,
            )
            .returning(sittings.c.id)
        ).scalar_one()
    )
    tx.audit(
        "sitting.convene",
        {"sitting": sitting_id, "kind": kind, "title": title, "starts_at": starts_at.isoformat()},
        assembly_id,
    )
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(
            N_("Sitting {id} convened ({kind}): {title}, {when}. Agenda: /agenda {id}"),
            id=sitting_id,
            kind=Msg(KIND_NAMES[kind]),
            title=title,
            when=local.minute(starts_at, local.zone_of(tx, assembly_id)),
        ),
    )
    for listener in _CONVENED:
        listener(tx, sitting_id, assembly_id, starts_at)
    return sitting_id


Convened = Callable[[Tx, int, int, datetime], None]
_CONVENED: list[Convened] = []


def on_convened(listener: Convened) -> Convened:
    """Register ``listener(tx, sitting_id, assembly_id, starts_at)``, called after a
    sitting is convened and announced."""
    _CONVENED.append(listener)
    return listener


KIND_NAMES = {"ordinary": N_("ordinary"), "extraordinary": N_("extraordinary")}


@effects.on_passed("sitting")
def _sitting_passed(tx: Tx, motion: Motion) -> list[Msg]:
    convene(
        tx,
        motion.assembly_id,
        "ordinary",
        str(motion.payload["title"]),
        datetime.fromisoformat(str(motion.payload["starts_at"])),
    )
    return []


def _sitting(tx: Tx, assembly_id: int, sitting_id: int | None) -> Any:
    query = select(sittings).where(sittings.c.assembly_id == assembly_id)
    if sitting_id is None:
        query = query.where(
            sittings.c.starts_at >= tx.now, sittings.c.status != "cancelled"
        ).order_by(sittings.c.starts_at)
    else:
        query = query.where(sittings.c.id == sitting_id)
    row = tx.conn.execute(query.limit(1)).first()
    if row is None:
        if sitting_id is None:
            raise Refusal("No sitting is convened yet.")
        raise Refusal("There is no sitting {id}.", id=sitting_id)
    return row


def add_item(
    tx: Tx,
    assembly_id: int,
    person_id: int,
    sitting_id: int | None,
    text: str,
    *,
    by_petition: bool = False,
) -> list[Reply]:
    """Any member may put an item (a text, or ``#<motion>``) on a sitting's agenda.

    A granted petition puts its reason there in its starter's name (``by_petition``),
    even if the starter has left since: the signatures, not the starter, convene it.
    """
    if not by_petition:
        assemblies.require_member(tx, assembly_id, person_id)
    sitting = _sitting(tx, assembly_id, sitting_id)
    motion_id = None
    value = text.strip()
    if value.startswith("#") and value[1:].isdigit():
        from core.motions.model import in_assembly

        motion = in_assembly(tx, int(value[1:]), assembly_id)
        motion_id, value = motion.id, motion.title
    title = clean(value, TITLE_LIMIT, N_("agenda item"))
    position = (
        int(
            tx.conn.execute(
                select(func.count())
                .select_from(agenda_items)
                .where(agenda_items.c.sitting_id == sitting.id)
            ).scalar_one()
        )
        + 1
    )
    tx.conn.execute(
        insert(agenda_items).values(
            sitting_id=sitting.id,
            position=position,
            title=title,
            motion_id=motion_id,
            added_by=person_id,
        )
    )
    tx.audit(
        "agenda.add",
        {"sitting": sitting.id, "title": title, "motion": motion_id},
        assembly_id,
        person_id,
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("Item {n} on the agenda of sitting {id}: {title}"),
                    n=position,
                    id=sitting.id,
                    title=title,
                ),
            )
        )
    ]


def agenda(tx: Tx, assembly_id: int, sitting_id: int | None) -> list[Reply]:
    """A sitting's agenda, with the result of each linked motion."""
    sitting = _sitting(tx, assembly_id, sitting_id)
    lines = [
        Msg.of(
            N_("Sitting {id} ({kind}), {when}: {title}"),
            id=sitting.id,
            kind=Msg(KIND_NAMES[sitting.kind]),
            title=sitting.title,
            when=local.minute(sitting.starts_at, local.zone_of(tx, assembly_id)),
        )
    ]
    for item in tx.conn.execute(
        select(agenda_items)
        .where(agenda_items.c.sitting_id == sitting.id)
        .order_by(agenda_items.c.position)
    ):
        lines.append(Msg.of(N_("{n}. {title}"), n=item.position, title=item.title))
        if item.motion_id is not None:
            from core.motions.model import load

            motion = load(tx, item.motion_id)
            lines.append(
                Msg.of(
                    N_("   motion {id}: {status}"),
                    id=motion.id,
                    status=Msg(lifecycle.STATUS_NAMES[motion.status]),
                )
            )
    if len(lines) == 1:
        lines.append(Msg.of(N_("The agenda is empty. Add an item: /agenda add <text>")))
    return [Reply(tuple(lines))]
