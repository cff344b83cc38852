"""A long catch-up runs in short transactions, and all of it happens."""

from __future__ import annotations

from sqlalchemy import func, select

from core import due
from core.store.tables import motions
from tests.chat import Chat, assembly


def open_count(chat: Chat) -> int:
    return int(
        chat.app.db.transaction(
            lambda conn: conn.execute(
                select(func.count()).select_from(motions).where(motions.c.status == "open")
            ).scalar_one()
        )
    )


def test_many_overdue_motions_close_in_batches(chat: Chat) -> None:
    assembly(chat, "Bo")
    for n in range(due.BATCH + 50):
        chat.say("Ana", f"/motion Item {n}")
    chat.advance(49)  # the process was down when they all fell due
    next_at = chat.app.run_due()
    assert open_count(chat) == 50  # one batch closed in the first run ...
    assert next_at is not None and next_at <= chat.app.clock.now()  # ... the rest at once
    chat.live(0)
    assert open_count(chat) == 0
