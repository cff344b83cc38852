"""The database layer: group commit isolates each command; migrations match the tables."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select

from core.app import Konsilo
from core.audit import Chain, entries, verify
from core.context import Actor, Place, Tx
from core.i18n import render
from core.store.tables import metadata, votes
from tests.chat import Chat, table_rows


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


def test_a_redelivered_command_answers_nothing_even_if_it_would_be_refused(chat: Chat) -> None:
    chat.say("Ana", "/found Works")
    assert "member" in chat.say("Bo", "/join", key="update-5")
    before = table_rows(chat)
    assert chat.say("Bo", "/join", key="update-5") == ""  # not "you are already a member"
    assert table_rows(chat) == before


def test_a_burst_with_a_redelivered_vote_counts_it_once(chat: Chat) -> None:
    chat.say("Ana", "/found Works")
    chat.say("Bo", "/join")
    chat.say("Ana", "/motion Fix the roof")

    async def burst() -> list[int]:
        place = Place("test", "group-1")
        answers = await asyncio.gather(
            *(
                chat.app.handle(Actor("test", name.lower(), name), place, text, key)
                for name, text, key in (
                    ("Bo", "/vote 1 yes", "u1"),
                    ("Bo", "/vote 1 no", "u1"),  # the same update, delivered twice
                    ("Ana", "/vote 1 yes", "u2"),
                )
            )
        )
        return [len(a.replies) for a in answers]

    assert sorted(asyncio.run(burst())) == [0, 1, 1]

    def cast(conn: object) -> list[object]:
        return sorted(conn.execute(select(votes.c.choice)).scalars())  # type: ignore[attr-defined]

    assert chat.app.db.transaction(cast) == ["yes", "yes"]


def test_an_audit_entry_racing_another_process_is_retried(app: Konsilo) -> None:
    """Another process appends to the audit chain between our read of its head and
    our append: the unit of work runs again on the new head, and the chain holds."""
    if app.db.is_sqlite:
        pytest.skip("SQLite takes its write lock at BEGIN: no other writer can slip in")
    attempts = []

    def work(conn: Connection) -> None:
        tx = Tx(conn, app.clock.now(), app.secret)
        head = Chain.load(conn)
        tx.cache["audit.head"] = (head.seq, head.hash)
        attempts.append(1)
        if len(attempts) == 1:  # the other process commits an entry meanwhile
            with app.db.engine.begin() as other:
                Tx(other, app.clock.now(), app.secret).audit("test.other", {})
        tx.audit("test.ours", {})

    app.db.transaction(work)
    assert len(attempts) == 2
    verdict = app.db.transaction(verify)
    assert verdict.ok
    actions = app.db.transaction(lambda c: [e.action for e in entries(c)])
    assert actions[-2:] == ["test.other", "test.ours"]
