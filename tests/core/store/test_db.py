"""The database layer: group commit isolates each command; migrations match the tables."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from core.app import Konsilo
from core.context import Actor, Place
from core.i18n import render
from core.store.tables import metadata, votes
from tests.chat import Chat


async def _burst(app: Konsilo, texts: list[tuple[str, str]]) -> list[str]:
    place = Place("test", "group-1")
    answers = await asyncio.gather(
        *(app.handle(Actor("test", name.lower(), name), place, text) for name, text in texts)
    )
    return [render(m, a.language) for a in answers for r in a.replies for m in r.lines]


def test_a_refused_command_in_a_burst_leaves_the_others_standing(chat: Chat) -> None:
    chat.say("Ana", "/found Works")
    for name in ("Bo", "Cy", "Di"):
        chat.say(name, "/join")
    chat.say("Ana", "/motion Fix the roof")
    people_before = chat.person_count()
    burst = [
        ("Bo", "/vote 1 yes"),
        ("Zed", "/vote 1 yes"),
        ("Cy", "/vote 1 no"),
        ("Di", "/vote 1 perhaps"),
        ("Ana", "/vote 1 yes"),
    ]
    lines = asyncio.run(_burst(chat.app, burst))
    assert sum("recorded" in line for line in lines) == 3
    assert any("Only members" in line for line in lines)
    assert any("Vote yes, no or abstain" in line for line in lines)

    def cast(conn: object) -> dict[int, object]:
        rows = conn.execute(select(votes.c.person_id, votes.c.choice))  # type: ignore[attr-defined]
        return {r.person_id: r.choice for r in rows}

    assert sorted(map(str, chat.app.db.transaction(cast).values())) == ["no", "yes", "yes"]
    assert chat.person_count() == people_before  # Zed's first contact was rolled back too


def test_migrations_build_exactly_the_tables_the_code_uses(app: Konsilo) -> None:
    def diff(conn: object) -> list[object]:
        context = MigrationContext.configure(conn)  # type: ignore[arg-type]
        return list(compare_metadata(context, metadata))

    assert app.db.transaction(diff) == []
