"""Mandates through the chat: scope, release from work, term end and instructions,
each changed only by the assembly's vote, and shown to everyone by ``/delegates``.

The clock starts on 2026-03-02 09:00 UTC. ``elect`` seats Bo as delegate 1 by
election 1 (closed 2026-03-04 09:00, term to 2027-03-04). Mandate motions are
yes/no, open, decided by simple majority with a quorum of 25%.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, update

from core.context import Tx
from core.delegates import seats
from core.store.tables import assemblies, federation_members
from tests.chat import Chat, assembly, vote_and_close
from tests.core.delegates import elect, unchanged


def seat_bo(chat: Chat) -> None:
    """Ana, Bo, Cy, Di; Bo is elected delegate 1."""
    assembly(chat, "Bo", "Cy", "Di")
    assert "Bo is delegate 1 until 2027-03-04." in elect(chat, "Ana", ("Bo",), {"Cy": "1"})


def federate(chat: Chat, home: int, central: int) -> None:
    """Make ``central`` a central assembly that ``home`` belongs to (as the federation's
    own vote would)."""

    def write(conn: Connection) -> None:
        conn.execute(update(assemblies).where(assemblies.c.id == central).values(kind="central"))
        conn.execute(
            insert(federation_members).values(
                central_id=central,
                assembly_id=home,
                status="active",
                joined_at=chat.app.clock.now(),
            )
        )

    chat.app.db.transaction(write)


def test_the_scope_changes_by_the_assemblys_vote(chat: Chat) -> None:
    seat_bo(chat)
    assert chat.say("Cy", "/mandate 1 scope Negotiate the 2027 pay round") == (
        "Mandate change put to the vote as motion 2."
    )
    put = chat.announcements().splitlines()
    assert put[0] == "Motion 2 (mandate): Bo (1): Negotiate the 2027 pay round"
    assert put[-1] == (
        "If it passes, the scope of Bo (delegate 1) is: Negotiate the 2027 pay round"
    )
    assert "Scope" not in chat.say("Di", "/delegates")  # nothing changes before the vote
    result = vote_and_close(chat, 2, yes=("Ana", "Cy"), no=("Bo",))
    assert "Motion 2 passed" in result
    assert "The mandate of Bo (delegate 1) is changed." in result
    assert chat.say("Zed", "/delegates").splitlines() == [
        "Delegates of Press shop:",
        "Delegate 1: Bo",
        "  Term ends: 2027-03-04. Released: 0 h a week.",
        "  Scope: Negotiate the 2027 pay round",
    ]


def test_release_hours_and_term_end_by_vote_and_a_failed_change_changes_nothing(
    chat: Chat,
) -> None:
    seat_bo(chat)
    chat.say("Ana", "/mandate 1 release 8")
    assert "If it passes, Bo (delegate 1) is released from work 8 h a week." in (
        chat.announcements()
    )
    assert "The mandate of Bo (delegate 1) is changed." in vote_and_close(chat, 2, yes=("Cy",))
    chat.say("Ana", "/mandate 1 term 2026-12-31")
    assert "If it passes, the term of Bo (delegate 1) ends on 2026-12-31." in (chat.announcements())
    assert "Motion 3 failed" in vote_and_close(chat, 3, yes=("Cy",), no=("Ana", "Di"))
    assert "  Term ends: 2027-03-04. Released: 8 h a week." in chat.say("Di", "/delegates")

    chat.say("Ana", "/mandate 1 term none")
    assert "If it passes, the term of Bo (delegate 1) has no fixed end." in (chat.announcements())
    vote_and_close(chat, 4, yes=("Cy",))
    assert "  Term ends: no fixed end. Released: 8 h a week." in chat.say("Di", "/delegates")


def test_a_shorter_term_voted_in_ends_the_seat_on_that_date(chat: Chat) -> None:
    seat_bo(chat)
    chat.say("Ana", "/mandate 1 term 2026-03-10")
    vote_and_close(chat, 2, yes=("Cy", "Di"))
    chat.advance(24 * 3)  # 2026-03-09 10:00
    chat.tick()
    assert "Delegate 1: Bo" in chat.say("Di", "/delegates")
    chat.advance(24)
    chat.tick()
    assert "The term of delegate 1, Bo, has ended." in chat.announcements()
    assert chat.say("Di", "/delegates").startswith("No delegate holds a seat.")


def test_an_instruction_on_a_central_motion_is_recorded_when_it_passes(chat: Chat) -> None:
    seat_bo(chat)
    chat.say("Zoe", "/found Metal federation", group="central")
    chat.say("Zoe", "/motion Strike on 1 May", group="central")  # motion 2, in assembly 2
    federate(chat, home=1, central=2)
    assert chat.say("Cy", "/instruct 2 yes binding") == ("Instruction put to the vote as motion 3.")
    put = chat.announcements().splitlines()
    assert put[0] == "Motion 3 (mandate): #2 Strike on 1 May: yes"
    assert (
        put[-1] == "If it passes, our delegates must vote yes on central motion 2: Strike on 1 May"
    )
    result = vote_and_close(chat, 3, yes=("Ana", "Cy"))
    assert "Instruction in force on central motion 2 (binding)." in result
    assert chat.say("Di", "/delegates").splitlines()[-2:] == [
        "Instructions in force:",
        "Central motion 2, Strike on 1 May: yes (binding)",
    ]

    def read(conn: Connection) -> seats.Instruction | None:
        return seats.instruction_for(Tx(conn, chat.app.clock.now(), chat.app.secret), 1, 2)

    instruction = chat.app.db.transaction(read)
    assert instruction is not None
    assert (instruction.subject, instruction.choice, instruction.binding) == (
        "Strike on 1 May",
        "yes",
        True,
    )

    chat.say("Ana", "/instruct 2 no advisory")
    assert "If it passes, our delegates should vote no on central motion 2" in (
        chat.announcements()
    )
    vote_and_close(chat, 4, yes=("Ana", "Cy"))
    assert chat.say("Di", "/delegates").splitlines()[-1] == (
        "Central motion 2, Strike on 1 May: no (advisory)"
    )


def test_delegates_elected_to_a_central_assembly_show_it(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Zoe", "/found Metal federation", group="central")
    federate(chat, home=1, central=2)
    assert chat.say("Ana", "/elect to 2") == (
        "Election 1 called: nominations are open until 2026-03-04 09:00 UTC."
    )
    assert chat.announcements().startswith("Election 1: delegates in Metal federation, seats: 1.")
    chat.say("Bo", "/nominate 1")
    chat.say("Ana", "/ballot 1")
    assert "Motion 1 (election): Press shop → Metal federation" in chat.announcements()
    assert unchanged(chat, "Cy", "/elect to 2") == (
        "Election 1 is already under way for these seats."
    )
    chat.say("Cy", "/elect")  # the assembly's own seats are another matter
    assert "Election 2: delegates for the assembly" in chat.announcements()


# --------------------------------------------------------------------------- bad input


def test_bad_mandate_changes_change_nothing(chat: Chat) -> None:
    seat_bo(chat)
    usage = (
        "Change a mandate: /mandate <delegate> scope <text> | release <hours> | "
        "term <YYYY-MM-DD|none>"
    )
    assert unchanged(chat, "Cy", "/mandate 1") == usage
    assert unchanged(chat, "Cy", "/mandate 1 salary 3") == usage
    assert unchanged(chat, "Cy", "/mandate 1 scope") == usage
    assert unchanged(chat, "Cy", "/mandate 7 scope Pay") == "There is no delegate 7."
    assert unchanged(chat, "Cy", "/mandate 1 release 61") == (
        "Give the hours a week released from work, from 0 to 60."
    )
    assert unchanged(chat, "Cy", "/mandate 1 release some") == (
        "Give the hours a week released from work, from 0 to 60."
    )
    assert unchanged(chat, "Cy", "/mandate 1 term next year") == (
        "Give the term end as YYYY-MM-DD, or none."
    )
    assert unchanged(chat, "Cy", "/mandate 1 term 2026-02-30") == (
        "Give the term end as YYYY-MM-DD, or none."
    )
    assert unchanged(chat, "Cy", "/mandate 1 term 2026-03-01") == "That date has already passed."
    assert unchanged(chat, "Zed", "/mandate 1 scope Pay") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )


def test_a_mandate_change_for_a_seat_that_ended_changes_nothing(chat: Chat) -> None:
    seat_bo(chat)
    chat.say("Ana", "/mandate 1 term 2026-03-05")  # motion 2, closes 2026-03-06 09:00
    chat.advance(24)
    chat.say("Ana", "/mandate 1 release 8")  # motion 3, closes 2026-03-07 09:00
    for motion in (2, 3):
        chat.say("Cy", f"/vote {motion} yes")
    chat.advance(25)
    chat.tick()  # motion 2 passes; the term it set is over, so the seat ends
    assert "The term of delegate 1, Bo, has ended." in chat.announcements()
    assert unchanged(chat, "Cy", "/mandate 1 scope Pay") == "Delegate 1 no longer holds a seat."
    chat.advance(24)
    chat.tick()
    result = chat.announcements()
    assert "Motion 3 passed" in result
    assert "Delegate 1 no longer holds a seat; nothing changed." in result


def test_bad_instructions_change_nothing(chat: Chat) -> None:
    seat_bo(chat)
    chat.say("Zoe", "/found Metal federation", group="central")
    chat.say("Zoe", "/motion Strike on 1 May", group="central")  # motion 2
    chat.say("Zoe", "/motion Join the march", group="central")  # motion 3
    usage = "Instruct the delegates: /instruct <central motion> <choice> binding|advisory"
    assert unchanged(chat, "Cy", "/instruct 2 yes") == usage
    assert unchanged(chat, "Cy", "/instruct") == usage
    assert unchanged(chat, "Cy", "/instruct 2 yes maybe") == usage
    assert unchanged(chat, "Cy", "/instruct 9 yes binding") == "There is no motion 9."
    not_ours = "Motion {} is not before a central assembly this assembly belongs to."
    assert unchanged(chat, "Cy", "/instruct 1 yes binding") == not_ours.format(1)
    assert unchanged(chat, "Cy", "/instruct 2 yes binding") == not_ours.format(2)
    federate(chat, home=1, central=2)
    assert unchanged(chat, "Cy", "/instruct 2 purple binding") == "Vote yes, no or abstain."
    chat.advance(49)
    chat.say("Zoe", "/close 3", group="central")
    assert unchanged(chat, "Cy", "/instruct 3 yes binding") == (
        "Central motion 3 is already decided."
    )
    assert unchanged(chat, "Zed", "/instruct 2 yes binding") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
