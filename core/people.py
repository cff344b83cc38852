"""Persons and their platform identities.

A person is one human; an identity is how one platform names them. Linking a
Telegram and a Matrix identity to one person comes in a later issue; the
schema already allows it.
"""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from core.context import Actor, Tx
from core.i18n import normalize_language
from core.store import raw
from core.store.raw import Raw
from core.store.tables import identities, persons
from core.text import clean_name

_FIND = Raw(
    "SELECT i.person_id, p.language FROM identities i JOIN persons p ON p.id = i.person_id "
    "WHERE i.platform = :platform AND i.user_id = :user"
)
_LANGUAGE = text("SELECT language FROM persons WHERE id = :id")


def find_person(tx: Tx, platform: str, user_id: str) -> int | None:
    """The person behind a platform identity, if Konsilo has seen them.

    Plain SQL: this runs on every command (see docs/architecture.md on speed).
    The same query reads the person's language, which the reply needs.
    """
    rows = raw.execute(tx.conn, _FIND, {"platform": platform, "user": user_id})
    if not rows:
        return None
    person_id, language = rows[0]
    tx.cache[("person.language", person_id)] = language
    return int(person_id)


def person_for(tx: Tx, actor: Actor) -> int:
    """The actor's person id, created on first contact."""
    found = find_person(tx, actor.platform, actor.user_id)
    if found is not None:
        return found
    language = normalize_language(actor.language) if actor.language else None
    person_id = tx.conn.execute(
        insert(persons).values(language=language, created_at=tx.now).returning(persons.c.id)
    ).scalar_one()
    tx.conn.execute(
        insert(identities).values(
            platform=actor.platform,
            user_id=actor.user_id,
            person_id=person_id,
            display_name=clean_name(actor.name),
            created_at=tx.now,
        )
    )
    tx.cache[("person.language", person_id)] = language
    return int(person_id)


def display_name(tx: Tx, person_id: int) -> str:
    """How the person is shown to others (their first identity's name)."""
    name = tx.conn.execute(
        select(identities.c.display_name)
        .where(identities.c.person_id == person_id)
        .order_by(identities.c.created_at)
        .limit(1)
    ).scalar()
    return name or f"#{person_id}"


def names(tx: Tx, person_ids: list[int]) -> dict[int, str]:
    """Display names of many persons at once."""
    rows = tx.conn.execute(
        select(identities.c.person_id, identities.c.display_name)
        .where(identities.c.person_id.in_(person_ids))
        .order_by(identities.c.created_at.desc())
    )
    return {row.person_id: row.display_name for row in rows}


def set_language(tx: Tx, person_id: int, language: str) -> None:
    tx.conn.execute(update(persons).where(persons.c.id == person_id).values(language=language))
    tx.cache[("person.language", person_id)] = language


def language_of(tx: Tx, person_id: int) -> str | None:
    """The language the person chose, if any."""
    key = ("person.language", person_id)
    if key not in tx.cache:
        tx.cache[key] = tx.conn.execute(_LANGUAGE, {"id": person_id}).scalar()
    value = tx.cache[key]
    return str(value) if value else None
