"""The optional central council: drawn in turn or elected; it prepares the agenda and
convenes an urgent sitting, nothing else; the centre can rescind each act by vote.

The federation of tests/core/test_federation.py: Press shop (Ana, Bo, Cy), Forge
(Di, Eve) and Mill (Gus, Hal) joined the central assembly Metal workers (4, chat
"central"), with delegates Bo (seat 1), Eve (seat 2) and Gus (seat 3). The
central statute's federation.council is set by the delegates' own vote, which
closes at 2026-03-10 13:00 UTC.
"""

from __future__ import annotations

import re

from tests.chat import Chat, refused
from tests.core.test_federation import GROUPS, drain, federation

DELEGATES = ("Bo", "Eve", "Gus")


def central_vote(chat: Chat, command: str, **choices: str) -> str:
    """A delegate puts ``command`` in the central chat; all vote (yes unless told); the
    window passes and due jobs run. Returns what the central chat read."""
    reply = chat.say("Bo", command, group="central")
    motion = int(re.findall(r"motion (\d+)", reply)[-1])
    for name in DELEGATES:
        chat.say(name, f"/vote {motion} {choices.get(name, 'yes')}", group="central")
    chat.advance(49)
    chat.tick()
    return chat.announcements("central")


def with_council(chat: Chat, setting: str) -> str:
    """The federation, whose central assembly adopts ``federation.council <setting>``."""
    federation(chat)
    read = central_vote(chat, f"/rules set federation.council {setting}")
    assert "Rules version 2 is in force." in read
    drain(chat)
    return read


def council(chat: Chat, name: str = "Bo") -> list[str]:
    return chat.say(name, "/council", group="central").splitlines()


# --- rotation -------------------------------------------------------------------------


def test_a_rotating_council_is_drawn_in_turn_by_seat_number_term_after_term(
    chat: Chat,
) -> None:
    read = with_council(chat, "rotating 2")
    assert (
        "The council for the next term, drawn in turn by seat number: Bo, Eve. Until 2026-06-10."
    ) in read
    assert council(chat, "Gus") == [
        "Council of Metal workers: 2 drawn in turn by seat number.",
        "Bo, until 2026-06-10",
        "Eve, until 2026-06-10",
        "Its acts: /council acts",
    ]
    chat.tick()  # nothing new falls due: the draw is not repeated
    assert chat.announcements("central") == ""

    chat.advance(24 * 91)  # 2026-06-09: the term still runs
    chat.tick()
    assert chat.announcements("central") == ""

    chat.advance(24)  # 2026-06-10 13:00: the next in turn after Eve (seat 2), wrapping round
    chat.tick()
    assert chat.announcements("central").splitlines() == [
        "The council's term has ended (Bo, Eve).",
        "The council for the next term, drawn in turn by seat number: Gus, Bo. Until 2026-09-10.",
    ]
    relayed = [line for line in chat.announcements(GROUPS[3]).splitlines() if "Central" in line]
    assert relayed == [  # (Mill also reads that its delegate's reports are overdue)
        "Central Metal workers: The council's term has ended (Bo, Eve).",
        "Central Metal workers: The council for the next term, drawn in turn by seat number: "
        "Gus, Bo. Until 2026-09-10.",
    ]
    assert council(chat)[1:3] == ["Gus, until 2026-09-10", "Bo, until 2026-09-10"]
    chat.tick()
    assert chat.announcements("central") == ""

    chat.advance(24 * 92)  # the third term goes on from Bo (seat 1): Eve, Gus
    chat.tick()
    assert (
        "The council for the next term, drawn in turn by seat number: Eve, Gus."
        in chat.announcements("central")
    )


def test_a_rotating_council_larger_than_the_roll_seats_everyone(chat: Chat) -> None:
    read = with_council(chat, "rotating 5")
    assert "drawn in turn by seat number: Bo, Eve, Gus. Until 2026-06-10." in read


# --- election --------------------------------------------------------------------------


def test_an_elected_council_by_stv_among_the_delegates(chat: Chat) -> None:
    with_council(chat, "elected 2")
    assert council(chat) == [
        "Council of Metal workers: 2 elected by the delegates.",
        "Nobody sits on it yet: /council elect",
        "Its acts: /council acts",
    ]
    read = central_vote(chat, "/council elect", Bo="3 1", Eve="3 2", Gus="3 1")
    assert read.splitlines()[:4] == [
        "Motion 5 (decision): Council election",
        "Rank candidates, best first: /vote 5 2 1 3",
        "1. Bo (1)",
        "2. Eve (2)",
    ]
    assert "Elected: Gus (3), Bo (1)." in read
    assert "The council is elected by motion 5: Gus, Bo. Until 2026-06-12." in read
    assert (
        "Central Metal workers: The council is elected by motion 5: Gus, Bo. Until 2026-06-12."
        in chat.announcements(GROUPS[2])
    )
    assert council(chat)[1:3] == ["Gus, until 2026-06-12", "Bo, until 2026-06-12"]

    chat.advance(24 * 92)  # the term ends; the delegates elect again
    chat.tick()
    assert chat.announcements("central") == (
        "The council's term has ended (Gus, Bo). Elect the next: /council elect"
    )
    assert council(chat)[1] == "Nobody sits on it yet: /council elect"


def test_a_council_election_is_refused_twice_and_under_rotation(chat: Chat) -> None:
    with_council(chat, "elected 1")
    assert chat.say("Bo", "/council elect", group="central") == (
        "The council election is put to the vote as motion 5 (seats: 1)."
    )
    assert refused(chat, "Eve", "/council elect", group="central") == (
        "The council election is already put to the vote as motion 5."
    )
    assert refused(chat, "Fay", "/council elect", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )


def test_there_is_nothing_to_elect_under_rotation(chat: Chat) -> None:
    with_council(chat, "rotating 1")
    assert refused(chat, "Gus", "/council elect", group="central") == (
        "The council of Metal workers is drawn in turn (federation.council is rotating): "
        "there is nothing to elect."
    )


# --- the two powers, and rescinding them --------------------------------------------------


def test_the_council_convenes_an_urgent_sitting_and_prepares_its_agenda(chat: Chat) -> None:
    with_council(chat, "rotating 2")  # Bo and Eve
    assert chat.say("Bo", "/council agenda Strike fund", group="central") == (
        "No central sitting is convened. Convene an urgent one: "
        "/council convene <YYYY-MM-DD HH:MM> <reason>"
    )
    assert chat.say(
        "Bo", "/council convene 2026-03-20 10:00 Layoffs at Forge", group="central"
    ) == ("Recorded as council act 1.")
    assert chat.announcements("central").splitlines() == [
        "Sitting 1 convened (extraordinary): Layoffs at Forge, 2026-03-20 10:00 UTC. "
        "Agenda: /agenda 1",
        "Council act 1: Bo convened urgent sitting 1 for 2026-03-20 10:00 UTC: Layoffs at Forge. "
        "Undo it by vote: /rescind 1",
    ]
    for group in GROUPS.values():
        assert chat.announcements(group) == (
            "Central Metal workers, council act 1: Bo convened urgent sitting 1 for "
            "2026-03-20 10:00 UTC: Layoffs at Forge"
        )
    assert chat.say("Eve", "/council agenda Strike fund", group="central").splitlines() == [
        "Item 1 on the agenda of sitting 1: Strike fund",
        "Recorded as council act 2.",
    ]
    assert chat.say("Eve", "/council agenda 1 #4", group="central").splitlines()[1] == (
        "Recorded as council act 3."
    )
    assert (
        "Central Metal workers, council act 2: Eve put on the agenda of sitting 1: Strike fund"
    ) in chat.announcements(GROUPS[3])
    assert chat.say("Gus", "/agenda 1", group="central").splitlines() == [
        "Sitting 1 (extraordinary), 2026-03-20 10:00 UTC: Layoffs at Forge",
        "1. Strike fund",
        "2. federation.council: none → rotating 2",
        "   motion 4: passed",
    ]
    assert chat.say("Ana", "/council acts", group=GROUPS[1]).splitlines() == [
        "Central Metal workers (4):",
        "Council acts so far:",
        "1. 2026-03-10 13:00 Bo, urgent sitting 1: Layoffs at Forge (undo by vote: /rescind 1)",
        "2. 2026-03-10 13:00 Eve, agenda item: Strike fund (undo by vote: /rescind 2)",
        "3. 2026-03-10 13:00 Eve, agenda item: federation.council: none → rotating 2 "
        "(undo by vote: /rescind 3)",
    ]


def test_the_next_sitting_rescinds_council_acts_by_vote(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    chat.say("Bo", "/council convene 2026-03-20 10:00 Layoffs at Forge", group="central")
    chat.say("Eve", "/council agenda Strike fund", group="central")
    chat.say("Eve", "/council agenda Wages", group="central")
    drain(chat)

    read = central_vote(chat, "/rescind 2")
    assert "Motion 5 (decision): Rescind council act 2: Strike fund" in read
    assert "Motion 5 passed: Rescind council act 2: Strike fund" in read
    assert "Council act 2 is rescinded by motion 5: the item Strike fund is off the agenda." in read
    assert (
        "Central Metal workers: Council act 2 is rescinded by motion 5: "
        "the item Strike fund is off the agenda."
    ) in chat.announcements(GROUPS[1])
    assert chat.say("Gus", "/agenda 1", group="central").splitlines()[1:] == ["1. Wages"]

    read = central_vote(chat, "/rescind 1", Bo="no")
    assert "Council act 1 is rescinded by motion 6: sitting 1 (Layoffs at Forge) is cancelled." in (
        read
    )
    assert chat.say("Gus", "/council acts", group="central").splitlines()[1:] == [
        "Council acts so far:",
        "1. 2026-03-10 13:00 Bo, urgent sitting 1: Layoffs at Forge (rescinded by motion 6)",
        "2. 2026-03-10 13:00 Eve, agenda item: Strike fund (rescinded by motion 5)",
        "3. 2026-03-10 13:00 Eve, agenda item: Wages (undo by vote: /rescind 3)",
    ]
    assert chat.say("Bo", "/council agenda Pay", group="central").startswith(
        "No central sitting is convened."
    )
    assert chat.say("Gus", "/agenda", group="central") == "No sitting is convened yet."
    assert refused(chat, "Gus", "/rescind 2", group="central") == (
        "Council act 2 was already rescinded by motion 5."
    )


def test_a_failed_rescission_leaves_the_act_standing(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    chat.say("Bo", "/council convene 2026-03-20 10:00 Layoffs at Forge", group="central")
    read = central_vote(chat, "/rescind 1", Bo="no", Eve="no", Gus="no")
    assert "Motion 5 failed" in read
    assert "cancelled" not in read
    assert "(undo by vote: /rescind 1)" in chat.say("Gus", "/council acts", group="central")


def test_acts_are_listed_since_the_previous_sitting(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    chat.say("Bo", "/council convene 2026-03-11 10:00 Layoffs at Forge", group="central")
    chat.advance(24)  # sitting 1 has begun
    chat.say("Bo", "/council convene 2026-03-20 10:00 Pay talks", group="central")
    assert chat.say("Gus", "/council acts", group="central").splitlines()[1:] == [
        "Council acts since sitting 1:",
        "2. 2026-03-11 13:00 Bo, urgent sitting 2: Pay talks (undo by vote: /rescind 2)",
    ]


def test_a_recalled_council_member_leaves_the_council_at_once(chat: Chat) -> None:
    with_council(chat, "rotating 2")  # Bo (Press shop, seat 1) and Eve
    chat.say("Ana", "/recall 1 Convened behind our backs", group=GROUPS[1])
    chat.say("Cy", "/sign 1", group=GROUPS[1])
    chat.say("Bo", "/sign 1", group=GROUPS[1])
    for name in ("Ana", "Cy"):
        assert "Secret vote on motion 5 recorded: yes." in chat.say(
            name, "/vote 5 yes", private=True
        )
    drain(chat)
    chat.advance(49)
    chat.tick()
    assert chat.announcements("central").splitlines()[:2] == [
        "Bo, delegate of Press shop, no longer sits here: recalled by their assembly.",
        "Bo leaves the council: their delegate seat ended.",
    ]
    assert "Central Metal workers: Bo leaves the council: their delegate seat ended." in (
        chat.announcements(GROUPS[2])
    )
    assert council(chat, "Eve")[1:] == ["Eve, until 2026-06-10", "Its acts: /council acts"]
    assert refused(chat, "Bo", "/council convene 2026-03-20 10:00 Revenge", group="central") == (
        "Only a member of the council can do that. The council: Eve."
    )


def test_a_council_member_whose_assembly_leaves_leaves_the_council(chat: Chat) -> None:
    with_council(chat, "rotating 1")  # Bo
    chat.say("Ana", "/federation leave 4", group=GROUPS[1])
    for name in ("Ana", "Bo", "Cy"):
        chat.say(name, "/vote 5 yes", group=GROUPS[1])
    chat.advance(49)
    chat.tick()  # Bo's seat ends with the leaving; a new term is drawn at once
    read = chat.announcements("central")
    assert "Bo leaves the council: their delegate seat ended." in read
    assert "The council for the next term, drawn in turn by seat number: Eve." in read


def test_a_statute_change_ends_the_council_it_no_longer_gives(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    read = central_vote(chat, "/rules set federation.council none")
    assert "The statute changed how the council is made: Bo, Eve leave it." in read
    assert council(chat) == [
        "Central Metal workers has no council (its statute federation.council is none)."
    ]
    read = central_vote(chat, "/rules set federation.council elected 1")
    assert "leave it" not in read
    assert council(chat)[1] == "Nobody sits on it yet: /council elect"


# --- refusals ----------------------------------------------------------------------------


def test_a_delegate_off_the_council_is_refused(chat: Chat) -> None:
    with_council(chat, "rotating 2")  # Bo and Eve; Gus is not on it
    refusal = "Only a member of the council can do that. The council: Bo, Eve."
    assert refused(chat, "Gus", "/council agenda Strike fund", group="central") == refusal
    assert refused(chat, "Gus", "/council convene 2026-03-20 10:00 Now", group="central") == (
        refusal
    )
    assert refused(chat, "Fay", "/council convene 2026-03-20 10:00 Now", group="central") == (
        refusal
    )


def test_the_council_can_do_nothing_but_its_two_powers(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    chat.say("Bo", "/council convene 2026-03-20 10:00 Layoffs at Forge", group="central")
    powers = (
        "The council can only put items on the agenda and convene an urgent sitting: "
        "/council agenda [sitting] <item> | /council convene <YYYY-MM-DD HH:MM> <reason>"
    )
    for attempt in (
        "/council remove 2",
        "/council rules set quorum.decision 1",
        "/council cancel 1",
        "/council recall 3",
        "/council decide Buy a van",
        "/council dissolve 1",
    ):
        assert refused(chat, "Bo", attempt, group="central") == powers
    assert refused(chat, "Bo", "/council agenda", group="central") == (
        "Say what to put on the agenda: /council agenda [sitting] <item>"
    )
    assert refused(chat, "Bo", "/council agenda 7 Pay", group="central") == (
        "Sitting 7 is not an upcoming sitting of this assembly."
    )
    assert refused(chat, "Bo", "/council convene 2026-03-20", group="central") == (
        "Say when and why: /council convene <YYYY-MM-DD HH:MM> <reason>"
    )
    assert refused(chat, "Bo", "/council convene 2026-03-01 10:00 Late", group="central") == (
        "That time has already passed."
    )
    assert refused(chat, "Bo", "/council convene tomorrow at ten Now", group="central") == (
        "Give the date and time as YYYY-MM-DD HH:MM."
    )
    # Nor from a member assembly's chat, where only reading works.
    assert refused(chat, "Ana", "/council convene 2026-03-20 10:00 Now", group=GROUPS[1]) == (
        "Send this in the central assembly's chat."
    )


def test_rescinding_refuses_bad_input(chat: Chat) -> None:
    with_council(chat, "rotating 2")
    chat.say("Bo", "/council convene 2026-03-20 10:00 Layoffs at Forge", group="central")
    assert refused(chat, "Gus", "/rescind 9", group="central") == (
        "There is no council act 9 here."
    )
    assert refused(chat, "Gus", "/rescind", group="central") == (
        "Say which council act: /rescind <act>. The acts: /council acts"
    )
    assert refused(chat, "Fay", "/rescind 1", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )
    assert refused(chat, "Ana", "/rescind 1", group=GROUPS[1]) == (
        "Send this in the central assembly's chat."
    )
    assert chat.say("Gus", "/rescind 1", group="central") == (
        "Rescinding council act 1 is put to the vote as motion 5."
    )
    assert refused(chat, "Eve", "/rescind 1", group="central") == (
        "This is already put to the vote as motion 5."
    )


def test_without_a_council_the_commands_say_there_is_none(chat: Chat) -> None:
    federation(chat)
    none = "Central Metal workers has no council (its statute federation.council is none)."
    assert chat.say("Bo", "/council", group="central") == none
    assert chat.say("Ana", "/council", group=GROUPS[1]) == none
    for attempt in (
        "/council agenda Strike fund",
        "/council convene 2026-03-20 10:00 Now",
        "/council elect",
        "/council remove 2",
    ):
        assert refused(chat, "Bo", attempt, group="central") == none
    assert chat.say("Bo", "/council acts", group="central").splitlines() == [
        "Central Metal workers (4):",
        none,
    ]


def test_reading_the_council_needs_a_federation(chat: Chat) -> None:
    chat.say("Ana", "/found Bakery", group="bakery")
    assert refused(chat, "Ana", "/council", group="bakery") == (
        "Bakery is in no federation. Join one by vote: /federation join <central number>"
    )
