"""A chat that changes its id (a group that became a supergroup) keeps its assembly."""

from __future__ import annotations

from sqlalchemy import Connection

from core import assemblies, audit
from core.assemblies import Assembly
from core.context import Tx
from tests.chat import SECRET, Chat, assembly


def move(chat: Chat, old: str, new: str) -> Assembly | None:
    def work(conn: Connection) -> Assembly | None:
        tx = Tx(conn, chat.app.clock.now(), SECRET)
        return assemblies.move_chat(tx, chat.platform, old, new)

    return chat.app.db.transaction(work)


def test_the_assembly_and_its_waiting_messages_follow_the_new_chat_id(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Buy a second press")  # its announcement is still waiting
    moved = move(chat, "group-1", "supergroup-1")
    assert moved is not None and moved.name == "Press shop"

    assert chat.announcements() == ""  # nothing is left for the old id
    waiting = chat.announcements("supergroup-1")
    assert waiting.startswith("Motion 1 (decision): Buy a second press\n")
    assert "recorded" in chat.say("Bo", "/vote 1 yes", group="supergroup-1")
    assert "Motion 1" not in chat.say("Bo", "/motions")  # the old id is no assembly now
    assert "Motion 1" in chat.say("Bo", "/motions", group="supergroup-1")

    def logged(conn: Connection) -> tuple[bool, list[dict[str, object]]]:
        found = [e.payload for e in audit.entries(conn) if e.action == "assembly.move_chat"]
        return audit.verify(conn).ok, found

    assert chat.app.db.transaction(logged) == (
        True,
        [{"platform": "test", "from": "group-1", "to": "supergroup-1"}],
    )


def test_a_second_notice_or_an_unknown_chat_changes_nothing(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert move(chat, "group-1", "supergroup-1") is not None
    assert move(chat, "group-1", "supergroup-1") is None  # Telegram tells both chats
    assert move(chat, "elsewhere", "group-9") is None
    chat.say("Cy", "/found Other shop", group="group-9")
    assert move(chat, "supergroup-1", "group-9") is None  # never onto another assembly
    assert "Bo" in chat.say("Bo", "/members", group="supergroup-1")
    assert "Bo" not in chat.say("Cy", "/members", group="group-9")
