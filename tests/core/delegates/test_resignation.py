"""A delegate gives the seat back: it ends at once and the vacancy opens by itself."""

from __future__ import annotations

from tests.chat import Chat, assembly
from tests.core.delegates import unchanged
from tests.core.delegates.test_recall import seat


def test_a_delegate_resigns_and_nominations_open_for_the_seat(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    delegate = seat(chat, "Bo")
    assert chat.say("Bo", f"/resign {delegate}") == f"You no longer hold seat {delegate}."
    said = chat.announcements()
    assert f"Bo resigned as delegate {delegate}." in said
    assert "Election 2: delegates for the assembly, seats: 1. Nominations until" in said
    assert "Bo" not in chat.say("Cy", "/delegates").split("Election")[0]


def test_only_the_holder_can_resign_a_seat(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    delegate = seat(chat, "Bo")
    assert unchanged(chat, "Cy", f"/resign {delegate}") == (
        f"Only the delegate who holds seat {delegate} can resign it."
    )
    assert unchanged(chat, "Bo", "/resign 99") == "There is no delegate 99."


def test_a_central_assembly_elects_no_delegates(chat: Chat) -> None:
    chat.say("Ana", "/federation found Metal workers", group="central")
    assert unchanged(chat, "Ana", "/elect", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )
