"""Delegates: elections, mandates, recall, report-backs. Shared scenario helpers."""

from __future__ import annotations

from tests.chat import Chat, table_rows
from tests.chat import refused as unchanged

__all__ = ["elect", "table_rows", "unchanged"]


def elect(chat: Chat, caller: str, candidates: tuple[str, ...], ballots: dict[str, str]) -> str:
    """``caller`` calls an election; ``candidates`` stand in that order; voting opens
    at once (``/ballot``); ``ballots`` are cast privately; the window passes and the
    count runs. Returns what the group reads at the close."""
    reply = chat.say(caller, "/elect")
    election = int(reply.split()[1])
    for name in candidates:
        assert chat.say(name, f"/nominate {election}").startswith("You stand")
    assert chat.say(caller, f"/ballot {election}") == f"Election {election} is open for voting."
    for name, ranking in ballots.items():
        assert "recorded" in chat.say(name, f"/vote {election} {ranking}", private=True)
    chat.announcements()
    chat.advance(48)
    chat.tick()
    return chat.announcements()
