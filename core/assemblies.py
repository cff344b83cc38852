"""Assemblies: founding, the chats they live in, their roll and their rules.

Founding gives the founder membership and nothing more: every later act of
the assembly goes through its members' votes, so no role outlives the act of
founding (the brief's "the assembly is sovereign").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import JSON, Integer, func, insert, select, text, update

from core.context import Place, Tx
from core.errors import Refusal
from core.i18n import normalize_language
from core.messages import N_
from core.statutes import Statute
from core.store.tables import assemblies, assembly_chats, audit_log, members, outbox, statutes
from core.text import clean

# A workplace assembly, or a central assembly whose members are the delegates of
# the assemblies that joined it (core/federation).
GENERAL, CENTRAL = "general", "central"


@dataclass(frozen=True)
class Assembly:
    id: int
    name: str
    status: str
    kind: str = GENERAL

    @property
    def is_central(self) -> bool:
        return self.kind == CENTRAL


def found(tx: Tx, place: Place, name: str, founder_id: int, language: str | None) -> Assembly:
    """Create an assembly bound to ``place`` with the founder as its first member."""
    founded = _create(tx, place, name, founder_id, language, GENERAL, {})
    tx.conn.execute(
        insert(members).values(
            assembly_id=founded.id, person_id=founder_id, status="active", joined_at=tx.now
        )
    )
    tx.audit("member.admit", {"person": founder_id, "by": "founding"}, founded.id, founder_id)
    return founded


def found_central(
    tx: Tx,
    place: Place,
    name: str,
    founder_id: int,
    language: str | None,
    settings: dict[str, object],
) -> Assembly:
    """Create a central assembly bound to ``place``: its founder gets no membership,
    since its roll is the delegates of the assemblies that join it."""
    return _create(tx, place, name, founder_id, language, CENTRAL, settings)


def _create(
    tx: Tx,
    place: Place,
    name: str,
    founder_id: int,
    language: str | None,
    kind: str,
    settings: dict[str, object],
) -> Assembly:
    """Record the assembly, bind it to the chat and give it its first statute."""
    if place.private:
        raise Refusal("Found an assembly in a group chat, not in a private chat.")
    if at_place(tx, place) is not None:
        raise Refusal("This chat already is an assembly.")
    title = clean(name, 120, N_("name"))
    assembly_id = int(
        tx.conn.execute(
            insert(assemblies)
            .values(name=title, status="active", founded_at=tx.now, kind=kind)
            .returning(assemblies.c.id)
        ).scalar_one()
    )
    tx.conn.execute(
        insert(assembly_chats).values(
            platform=place.platform, chat_id=place.chat_id, assembly_id=assembly_id, bound_at=tx.now
        )
    )
    if language:
        settings = {**settings, "language": normalize_language(language)}
    tx.conn.execute(
        insert(statutes).values(
            assembly_id=assembly_id,
            version=1,
            settings=Statute(settings).settings,
            motion_id=None,
            adopted_at=tx.now,
        )
    )
    payload = {"name": title, "platform": place.platform, "chat": place.chat_id}
    if kind != GENERAL:
        payload["kind"] = kind
    tx.audit("assembly.found", payload, assembly_id, founder_id)
    founded = Assembly(assembly_id, title, "active", kind)
    tx.cache[("assembly.at", place.platform, place.chat_id)] = founded
    tx.cache[("assembly.kind", assembly_id)] = kind
    return founded


def at_place(tx: Tx, place: Place) -> Assembly | None:
    """The assembly bound to this chat, if any (remembered for the transaction)."""
    key = ("assembly.at", place.platform, place.chat_id)
    if key in tx.cache:
        found: Assembly | None = tx.cache[key]
        return found
    row = tx.conn.execute(_AT_PLACE, {"platform": place.platform, "chat": place.chat_id}).first()
    found = None if row is None else Assembly(row.id, row.name, row.status, row.kind)
    tx.cache[key] = found
    return found


def get(tx: Tx, assembly_id: int) -> Assembly:
    row = tx.conn.execute(
        select(assemblies.c.id, assemblies.c.name, assemblies.c.status, assemblies.c.kind).where(
            assemblies.c.id == assembly_id
        )
    ).first()
    if row is None:
        raise Refusal("There is no assembly {id}.", id=assembly_id)
    return Assembly(row.id, row.name, row.status, row.kind)


def kind_of(tx: Tx, assembly_id: int) -> str:
    """General or central (remembered for the transaction: a vote's listeners ask it)."""
    key = ("assembly.kind", assembly_id)
    if key in tx.cache:
        cached: str = tx.cache[key]
        return cached
    kind = tx.conn.execute(select(assemblies.c.kind).where(assemblies.c.id == assembly_id)).scalar()
    found = tx.cache[key] = str(kind or GENERAL)
    return found


def chats(tx: Tx, assembly_id: int) -> list[tuple[str, str]]:
    """Every (platform, chat id) the assembly is bound to."""
    rows = tx.conn.execute(
        select(assembly_chats.c.platform, assembly_chats.c.chat_id)
        .where(assembly_chats.c.assembly_id == assembly_id)
        .order_by(assembly_chats.c.platform, assembly_chats.c.chat_id)
    )
    return [(r.platform, r.chat_id) for r in rows]


def move_chat(tx: Tx, platform: str, old_chat_id: str, new_chat_id: str) -> Assembly | None:
    """The assembly of a chat that changed its id (a Telegram group that became a
    supergroup) follows it, with the messages still waiting for the old id.

    The platform's word is taken: nothing is refused. Moving a chat with no
    assembly, or onto a chat that already has one, does nothing (None); a second
    notice of the same move finds nothing left at the old id.
    """
    moved = at_place(tx, Place(platform, old_chat_id))
    if moved is None or old_chat_id == new_chat_id:
        return None
    if at_place(tx, Place(platform, new_chat_id)) is not None:
        return None
    tx.conn.execute(
        update(assembly_chats)
        .where(assembly_chats.c.platform == platform, assembly_chats.c.chat_id == old_chat_id)
        .values(chat_id=new_chat_id)
    )
    waiting = (
        (outbox.c.platform == platform)
        & (outbox.c.chat_id == old_chat_id)
        & outbox.c.sent_at.is_(None)
    )
    tx.conn.execute(update(outbox).where(waiting).values(chat_id=new_chat_id))
    payload = {"platform": platform, "from": old_chat_id, "to": new_chat_id}
    tx.audit("assembly.move_chat", payload, moved.id, None)
    tx.cache[("assembly.at", platform, old_chat_id)] = None
    tx.cache[("assembly.at", platform, new_chat_id)] = moved
    return moved


# Plain SQL for the lookups every command makes (see docs/architecture.md on speed).
_STATUTE = text(
    "SELECT settings, version FROM statutes WHERE assembly_id = :id ORDER BY version DESC LIMIT 1"
).columns(settings=JSON, version=Integer)
_AT_PLACE = text(
    "SELECT a.id, a.name, a.status, a.kind FROM assemblies a JOIN assembly_chats c "
    "ON c.assembly_id = a.id WHERE c.platform = :platform AND c.chat_id = :chat"
)


def statute(tx: Tx, assembly_id: int) -> Statute:
    """The rules in force (remembered for the transaction; ``adopt_statute`` renews it)."""
    key = ("statute", assembly_id)
    if key in tx.cache:
        cached: Statute = tx.cache[key]
        return cached
    row = tx.conn.execute(_STATUTE, {"id": assembly_id}).first()
    if row is None:
        raise Refusal("There is no assembly {id}.", id=assembly_id)
    found = tx.cache[key] = Statute(row.settings, row.version)
    return found


def adopt_statute(tx: Tx, assembly_id: int, changes: dict[str, object], motion_id: int) -> int:
    """Record a new version of the rules, as a passed rules motion decided."""
    current = statute(tx, assembly_id)
    version = current.version + 1
    tx.conn.execute(
        insert(statutes).values(
            assembly_id=assembly_id,
            version=version,
            settings={**current.settings, **changes},
            motion_id=motion_id,
            adopted_at=tx.now,
        )
    )
    tx.cache.pop(("statute", assembly_id), None)
    tx.audit(
        "rules.adopt", {"version": version, "changes": changes, "motion": motion_id}, assembly_id
    )
    return version


def history(tx: Tx, assembly_id: int) -> list[tuple[int, dict[str, object], int | None, str]]:
    """Each version: (number, what it changed, the motion that adopted it, date)."""
    rows = list(
        tx.conn.execute(
            select(statutes)
            .where(statutes.c.assembly_id == assembly_id)
            .order_by(statutes.c.version)
        )
    )
    out = []
    previous = Statute({})
    for row in rows:
        current = Statute(row.settings, row.version)
        out.append(
            (
                row.version,
                current.changed(previous) if row.version > 1 else {},
                row.motion_id,
                row.adopted_at.date().isoformat(),
            )
        )
        previous = current
    return out


def member_ids(tx: Tx, assembly_id: int) -> list[int]:
    """The current roll (active members)."""
    return [
        int(r)
        for r in tx.conn.execute(
            select(members.c.person_id)
            .where(members.c.assembly_id == assembly_id, members.c.status == "active")
            .order_by(members.c.joined_at, members.c.person_id)
        ).scalars()
    ]


def member_count(tx: Tx, assembly_id: int) -> int:
    return int(
        tx.conn.execute(
            select(func.count())
            .select_from(members)
            .where(members.c.assembly_id == assembly_id, members.c.status == "active")
        ).scalar_one()
    )


def is_member(tx: Tx, assembly_id: int, person_id: int) -> bool:
    return (
        tx.conn.execute(
            select(members.c.status).where(
                members.c.assembly_id == assembly_id, members.c.person_id == person_id
            )
        ).scalar()
        == "active"
    )


def active_count(tx: Tx, assembly_id: int, days: int) -> int:
    """Members who acted (voted, proposed, signed, ...) in the last ``days`` days.

    Derived from the audit log, which records every act with its actor.
    """
    since = tx.now - timedelta(days=days)
    acted = (
        select(audit_log.c.actor_id)
        .where(
            audit_log.c.assembly_id == assembly_id,
            audit_log.c.at >= since,
            audit_log.c.actor_id.is_not(None),
        )
        .distinct()
        .subquery()
    )
    return int(
        tx.conn.execute(
            select(func.count())
            .select_from(members)
            .where(
                members.c.assembly_id == assembly_id,
                members.c.status == "active",
                members.c.person_id.in_(select(acted.c.actor_id)),
            )
        ).scalar_one()
    )


def require_member(tx: Tx, assembly_id: int, person_id: int) -> None:
    """Refuse acts of non-members."""
    if not is_member(tx, assembly_id, person_id):
        if kind_of(tx, assembly_id) == CENTRAL:
            raise Refusal("Only the delegates seated in this central assembly can do that.")
        raise Refusal("Only members of this assembly can do that. Send /join to ask to join.")


def require_assembly(tx: Tx, place: Place) -> Assembly:
    """The assembly of this chat, or a refusal explaining how to found one."""
    found_here = at_place(tx, place)
    if found_here is None:
        raise Refusal("This chat is not an assembly yet. Send /found <name> to found one.")
    if found_here.status != "active":
        raise Refusal("This assembly has been dissolved.")
    return found_here
