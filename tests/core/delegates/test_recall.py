"""Instant recall: a co-signed petition, then a secret vote; passing ends the seat at once.

Defaults: ``recall.cosigners`` is ``3,10%`` (the larger of 3 members and 10% of
them), ``recall.hours`` 48, ``majority.recall`` simple, ``secret.recall`` yes.
The clock starts on 2026-03-02 09:00 UTC; ``seat`` below elects a delegate
through the chat, so the seat starts 48 hours later, on 2026-03-04 09:00 UTC.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from core.context import Tx
from core.delegates import seats
from tests.chat import Chat, assembly, refused


def seat(chat: Chat, name: str, voters: tuple[str, ...] = ("Ana",), group: str = "group-1") -> int:
    """Elect ``name`` as the only candidate (election motion 1 of the assembly): /elect,
    /nominate, /ballot, secret votes, 48 hours. Returns the delegate number."""
    chat.say(voters[0], "/elect", group=group)
    election = int(re.findall(r"Election (\d+)", chat.announcements(group))[-1])
    chat.say(name, f"/nominate {election}", group=group)
    chat.say(voters[0], f"/ballot {election}", group=group)
    for voter in voters:
        chat.say(voter, f"/vote {election} 1", private=True)
    chat.advance(48)
    chat.tick()
    elected = re.search(rf"{name} is delegate (\d+)", chat.announcements(group))
    assert elected is not None
    return int(elected.group(1))


def secret_votes(chat: Chat, motion: int, yes: tuple[str, ...], no: tuple[str, ...] = ()) -> None:
    for name in yes:
        assert "recorded" in chat.say(name, f"/vote {motion} yes", private=True)
    for name in no:
        assert "recorded" in chat.say(name, f"/vote {motion} no", private=True)


def recall_put(chat: Chat) -> None:
    """Ana, Bo (delegate 1), Cy and Di; Cy's recall of Bo reaches its co-signers: motion 2."""
    assembly(chat, "Bo", "Cy", "Di")
    seat(chat, "Bo")
    chat.say("Cy", "/recall 1 Voted against our mandate")
    chat.say("Di", "/sign 1")
    chat.say("Ana", "/sign 1")
    chat.announcements()


def test_co_signers_open_the_recall_vote_at_once(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    assert seat(chat, "Bo") == 1
    assert chat.say("Cy", "/recall 1 Voted against our mandate") == (
        "Petition 1: 1 of 3 signatures."
    )
    assert (
        "Cy petitions (recall Bo, delegate 1): Voted against our mandate. "
        "3 signatures needed: /sign 1"
    ) in chat.announcements()
    assert chat.say("Di", "/sign 1") == "Petition 1: 2 of 3 signatures."
    assert chat.say("Di", "/motions") == "No motion is open."

    assert chat.say("Ana", "/sign 1") == "Petition 1: 3 of 3 signatures."
    opened = chat.announcements().splitlines()
    assert opened == [
        "Motion 2 (recall): Bo, delegate 1",
        "Vote: /vote 2 yes | no | abstain",
        "Secret ballot: vote in a private chat with me.",
        "Voting closes 2026-03-06 09:00 UTC.",
        "Petition 1 has its co-signers: the recall is put to the vote as motion 2.",
    ]


def test_a_passed_recall_ends_the_seat_at_once_and_opens_a_new_election(chat: Chat) -> None:
    recall_put(chat)
    assert "Delegate 1: Bo" in chat.say("Cy", "/delegates")
    secret_votes(chat, 2, yes=("Ana", "Cy", "Di"), no=("Bo",))
    chat.advance(48)
    chat.tick()  # nobody needs to close it: the delegate cannot hold it open
    result = chat.announcements()
    assert "Motion 2 passed: Bo, delegate 1" in result
    assert "Yes 3, no 1, abstain 0." in result
    assert "Bo is recalled as delegate 1: the seat and all its powers end now." in result
    assert result.index("is recalled") < result.index("Nominations until")  # the new election
    listed = chat.say("Cy", "/delegates")
    assert "Delegate 1: Bo" not in listed
    assert "Election 3: nominations until 2026-03-08 09:00 UTC: /nominate 3" in listed
    assert chat.say("Cy", "/reports") == "No delegate holds a seat for this assembly."
    assert chat.say("Cy", "/recall 1") == "Delegate 1 no longer holds a seat."
    assert chat.say("Bo", "/report 1") == "Delegate 1 no longer holds a seat."


def test_a_failed_recall_keeps_the_seat_and_a_new_one_can_start(chat: Chat) -> None:
    recall_put(chat)
    secret_votes(chat, 2, yes=("Cy",), no=("Ana", "Bo", "Di"))
    chat.advance(48)
    chat.tick()
    result = chat.announcements()
    assert "Motion 2 failed: Bo, delegate 1" in result
    assert "Bo stays delegate 1. A new recall can start any time: /recall 1" in result
    assert "Bo, delegate 1: next report due 2026-04-04." in chat.say("Cy", "/reports")
    assert chat.say("Cy", "/recall 1") == "Petition 2: 1 of 3 signatures."


def test_a_recall_needs_no_reason_and_its_threshold_grows(chat: Chat) -> None:
    assembly(chat, *(f"M{i}" for i in range(30)))  # 31 members: 10% is 3.1, so 4
    seat(chat, "M0", voters=tuple(f"M{i}" for i in range(10)))  # quorum 25%: 8
    assert chat.say("M1", "/recall 1") == "Petition 1: 1 of 4 signatures."
    assert (
        "M1 petitions (recall M0, delegate 1). 4 signatures needed: /sign 1"
    ) in chat.announcements()
    for name in ("M2", "M3"):
        chat.say(name, "/sign 1")
    assert chat.say("M4", "/motions") == "No motion is open."
    chat.say("M4", "/sign 1")
    assert "Motion 2 (recall): M0, delegate 1" in chat.say("M4", "/motions")


def test_a_recall_under_way_is_refused_with_its_number(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    seat(chat, "Bo")
    chat.say("Cy", "/recall 1")
    chat.announcements()
    assert refused(chat, "Di", "/recall 1 Me too") == (
        "A recall of delegate 1 is under way: sign it with /sign 1."
    )
    chat.say("Di", "/sign 1")
    chat.say("Ana", "/sign 1")
    chat.announcements()
    assert refused(chat, "Di", "/recall 1") == (
        "A recall of delegate 1 is already put to the vote as motion 2."
    )


def test_recall_bad_input_changes_nothing(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    seat(chat, "Bo")
    chat.say("Cy", "/recall 1")
    chat.announcements()
    assert refused(chat, "Cy", "/sign 1") == "You have already signed petition 1."
    assert refused(chat, "Di", "/recall 7") == "There is no delegate 7."
    assert refused(chat, "Di", "/recall") == "Expected a number, got -."
    assert refused(chat, "Di", "/recall Bo") == "Expected a number, got Bo."
    assert refused(chat, "Zed", "/recall 1") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert refused(chat, "Di", "/sign 9") == "There is no petition 9."


def test_another_assemblys_delegate_cannot_be_recalled_here(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Eva", "/found Paint shop", group="group-2")
    seat(chat, "Eva", voters=("Eva",), group="group-2")
    chat.announcements()
    assert refused(chat, "Cy", "/recall 1") == (
        "Delegate 1 sits for another assembly; only that assembly can recall them."
    )


def test_an_ended_seat_cannot_be_recalled(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    seat(chat, "Bo")
    chat.say("Cy", "/recall 1")
    chat.say("Di", "/sign 1")

    def resign(conn: Connection) -> None:
        tx = Tx(conn, chat.app.clock.now(), chat.app.secret)
        seats.end(tx, seats.get(tx, 1), seats.RESIGNED)

    chat.app.db.transaction(resign)
    chat.announcements()
    assert refused(chat, "Ana", "/sign 1") == "Delegate 1 no longer holds a seat."
    assert refused(chat, "Ana", "/recall 1") == "Delegate 1 no longer holds a seat."
