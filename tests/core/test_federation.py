"""Federation: a central assembly of delegates, under the assemblies that join it.

Three member assemblies, each in its own group chat, and a central assembly in
a fourth chat. Persons are numbered in the order they first speak: Ana 1, Bo 2,
Cy 3 (Press shop, assembly 1, chat group-1); Di 4, Eve 5 (Forge, assembly 2,
group-2); Gus 6, Hal 7 (Mill, assembly 3, group-3); Fay 8 founds the central
assembly Metal workers (assembly 4, chat "central"). Delegates are seated
directly with ``seats.install`` (elections are another module's business).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from core.context import Tx
from core.delegates import seats
from core.federation import central
from core.motions import lifecycle
from core.store.tables import instructions, members, motions
from tests.chat import SECRET, Chat

PRESS, FORGE, MILL, CENTRAL = 1, 2, 3, 4
GROUPS = {PRESS: "group-1", FORGE: "group-2", MILL: "group-3"}
ROSTERS = {PRESS: ("Ana", "Bo", "Cy"), FORGE: ("Di", "Eve"), MILL: ("Gus", "Hal")}
NAMES = {PRESS: "Press shop", FORGE: "Forge", MILL: "Mill"}
ANA, BO, CY, DI, EVE, GUS, HAL, FAY = range(1, 9)


def in_tx(chat: Chat, work: Any) -> Any:
    """Run ``work(tx)`` in one transaction at the chat's time."""
    return chat.app.db.transaction(lambda conn: work(Tx(conn, chat.app.clock.now(), SECRET)))


def founded(chat: Chat) -> None:
    """Three assemblies and a central assembly, nobody joined yet."""
    for assembly, roster in ROSTERS.items():
        founder, *others = roster
        chat.say(founder, f"/found {NAMES[assembly]}", group=GROUPS[assembly])
        for name in others:
            chat.say(name, "/join", group=GROUPS[assembly])
    chat.say("Fay", "/federation found Metal workers", group="central")
    drain(chat)


def drain(chat: Chat) -> None:
    """Read (and so discard) what every chat was told."""
    for group in (*GROUPS.values(), "central"):
        chat.announcements(group)


def decide(chat: Chat, assembly: int, command: str, yes: bool = True) -> str:
    """The assembly's first member puts ``command``; everyone votes; it is counted."""
    group, roster = GROUPS[assembly], ROSTERS[assembly]
    reply = chat.say(roster[0], command, group=group)
    motion = int(reply.rsplit(" ", 1)[1].rstrip("."))
    for name in roster:
        chat.say(name, f"/vote {motion} {'yes' if yes else 'no'}", group=group)
    chat.advance(49)
    chat.say(roster[0], f"/close {motion}", group=group)
    return chat.announcements(group)


def seat(chat: Chat, home: int, person: int) -> int:
    """Seat ``person`` as ``home``'s delegate in the central assembly; the seat's number."""
    made = in_tx(
        chat, lambda tx: seats.install(tx, home, person, CENTRAL, _any_motion(tx, home), None)
    )
    return int(made.id)


def _any_motion(tx: Tx, assembly: int) -> int:
    """A motion of the assembly to stand for the election (a draft if it has none)."""
    found = tx.conn.execute(select(motions.c.id).where(motions.c.assembly_id == assembly)).scalar()
    if found is None:
        found = lifecycle.propose(tx, assembly, None, "election", "Delegate", draft=True).id
    return int(found)


def recall(chat: Chat, seat_id: int) -> None:
    """End the seat as a passed recall would."""
    in_tx(chat, lambda tx: seats.end(tx, seats.get(tx, seat_id), seats.RECALLED, None))


def instruct(chat: Chat, home: int, motion: int, choice: str, binding: bool) -> None:
    """The home assembly's instruction on a central motion (as /instruct will record it)."""
    in_tx(
        chat,
        lambda tx: tx.conn.execute(
            insert(instructions).values(
                assembly_id=home,
                body_id=CENTRAL,
                subject_id=motion,
                subject="on the central motion",
                choice=choice,
                binding=binding,
                motion_id=_any_motion(tx, home),
                adopted_at=tx.now,
            )
        ),
    )


def federation(chat: Chat) -> dict[int, int]:
    """All three assemblies joined by vote, with delegates Bo, Eve and Gus seated."""
    founded(chat)
    for assembly in (PRESS, FORGE, MILL):
        assert "is now a member of Metal workers" in decide(chat, assembly, "/federation join 4")
    seated = {
        PRESS: seat(chat, PRESS, BO),
        FORGE: seat(chat, FORGE, EVE),
        MILL: seat(chat, MILL, GUS),
    }
    drain(chat)
    return seated


def roll(chat: Chat) -> str:
    """The central roll, as a delegate reads it."""
    return chat.say("Bo", "/members", group="central")


def statuses(chat: Chat) -> dict[int, str]:
    """Each person's standing on the central roll (active, recalled, ended...)."""
    rows = in_tx(
        chat,
        lambda tx: list(
            tx.conn.execute(
                select(members.c.person_id, members.c.status).where(
                    members.c.assembly_id == CENTRAL
                )
            )
        ),
    )
    return {r.person_id: r.status for r in rows}


# --- founding ----------------------------------------------------------------------


def test_founding_a_central_assembly_gives_the_founder_nothing(chat: Chat) -> None:
    founded(chat)
    assert chat.say("Fay", "/members", group="central") == "0 members: "
    assert chat.say("Fay", "/motion Buy a van", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )
    assert chat.say("Fay", "/federation", group="central").splitlines() == [
        "Central Metal workers (4): 0 member assemblies.",
        "Assemblies join by their own vote: /federation join 4",
    ]


def test_founding_refuses_a_chat_that_is_already_an_assembly(chat: Chat) -> None:
    founded(chat)
    assert chat.say("Ana", "/federation found Other", group="group-1") == (
        "This chat already is an assembly."
    )
    assert chat.say("Fay", "/federation found Again", group="central") == (
        "This chat already is an assembly."
    )
    assert chat.say("Fay", "/federation found", group="elsewhere") == (
        "Give the central assembly a name: /federation found <name>"
    )
    assert chat.say("Fay", "/federation found Mine", private=True) == (
        "Found an assembly in a group chat, not in a private chat."
    )
    assert chat.say("Fay", "/federation", group="elsewhere") == (
        "This chat is not an assembly yet. Send /found <name> to found one."
    )


# --- joining and leaving, by the member assembly's own vote -----------------------


def test_an_assembly_joins_only_by_its_own_vote(chat: Chat) -> None:
    founded(chat)
    assert chat.say("Ana", "/federation join 4", group="group-1") == (
        "Joining Metal workers is put to the vote as motion 1."
    )
    assert "Motion 1 (federation): join Metal workers (4)" in chat.announcements("group-1")
    assert chat.say("Ana", "/central", group="group-1") == (
        "Press shop is in no federation. Join one by vote: /federation join <central number>"
    )
    for name in ROSTERS[PRESS]:
        chat.say(name, "/vote 1 yes", group="group-1")
    chat.advance(49)
    chat.say("Cy", "/close 1", group="group-1")
    result = chat.announcements("group-1")
    assert "Motion 1 passed: join Metal workers (4)" in result
    assert "Press shop is now a member of Metal workers. Its news: /central" in result
    assert chat.announcements("central") == (
        "Press shop joins, by its own vote (motion 1). Its delegates: -"
    )
    assert chat.say("Bo", "/federation", group="group-1") == (
        "Member of central Metal workers (4); your delegates there: -"
    )


def test_a_failed_join_vote_changes_nothing(chat: Chat) -> None:
    founded(chat)
    assert "Motion 1 failed" in decide(chat, PRESS, "/federation join 4", yes=False)
    assert chat.announcements("central") == ""
    assert chat.say("Fay", "/federation", group="central").startswith(
        "Central Metal workers (4): 0 member assemblies."
    )


def test_joining_refuses_bad_targets_and_twice(chat: Chat) -> None:
    founded(chat)
    assert chat.say("Ana", "/federation join 2", group="group-1") == (
        "Assembly 2 is not a central assembly."
    )
    assert chat.say("Ana", "/federation join 99", group="group-1") == "There is no assembly 99."
    assert chat.say("Ana", "/federation join", group="group-1") == (
        "Say which central assembly: /federation join <central number>"
    )
    assert chat.say("Ana", "/federation join four", group="group-1") == (
        "Expected a number, got four."
    )
    assert chat.say("Ana", "/federation leave 4", group="group-1") == (
        "Press shop is not a member of central assembly 4."
    )
    assert chat.say("Zed", "/federation join 4", group="group-1") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert chat.say("Ana", "/federation merge 4", group="group-1") == (
        "Use: /federation found <name> | join <central number> | leave <central number>"
    )
    assert chat.say("Ana", "/motions", group="group-1") == "No motion is open."

    chat.say("Ana", "/federation join 4", group="group-1")
    assert chat.say("Bo", "/federation join 4", group="group-1") == (
        "This is already put to the vote as motion 1."
    )
    for name in ROSTERS[PRESS]:
        chat.say(name, "/vote 1 yes", group="group-1")
    chat.advance(49)
    chat.say("Ana", "/close 1", group="group-1")
    assert chat.say("Bo", "/federation join 4", group="group-1") == (
        "Press shop is already a member of central assembly 4."
    )
    assert chat.say("Ana", "/motions", group="group-1") == "No motion is open."


def test_a_second_passed_join_motion_changes_nothing(chat: Chat) -> None:
    founded(chat)
    chat.say("Ana", "/federation join 4", group="group-1")
    # A second motion can only exist if the first was decided; simulate two passing together.
    in_tx(chat, lambda tx: central.set_status(tx, CENTRAL, PRESS, central.ACTIVE, 1))
    for name in ROSTERS[PRESS]:
        chat.say(name, "/vote 1 yes", group="group-1")
    chat.advance(49)
    chat.say("Ana", "/close 1", group="group-1")
    assert "Already a member of Metal workers: nothing changes." in chat.announcements("group-1")
    assert chat.announcements("central") == ""


def test_the_central_assembly_cannot_make_anyone_join_or_leave(chat: Chat) -> None:
    federation(chat)
    for text in ("/federation join 4", "/federation leave 1", "/federation join 1"):
        assert chat.say("Bo", text, group="central") == (
            "A central assembly cannot make anyone join or leave: "
            "each assembly decides that by its own vote."
        )
    assert chat.say("Bo", "/motions", group="central") == "No motion is open."
    assert chat.say("Ana", "/motions", group="group-1") == "No motion is open."


def test_leaving_by_vote_ends_the_delegates_seats_at_once(chat: Chat) -> None:
    federation(chat)
    assert chat.say("Bo", "/motion Strike fund", group="central") == "Motion 4 is open for voting."
    chat.say("Bo", "/vote 4 yes", group="central")
    chat.say("Eve", "/vote 4 no", group="central")
    drain(chat)

    assert chat.say("Ana", "/federation leave 4", group="group-1") == (
        "Leaving Metal workers is put to the vote as motion 5."
    )
    for name in ROSTERS[PRESS]:
        chat.say(name, "/vote 5 yes", group="group-1")
    chat.advance(49)
    chat.say("Ana", "/close 5", group="group-1")
    result = chat.announcements("group-1")
    assert "Motion 5 passed: leave Metal workers (4)" in result
    assert "Press shop has left Metal workers: the seats of its delegates there ended (1)." in (
        result
    )
    assert chat.announcements("central").splitlines() == [
        "Press shop has left, by its own vote (motion 5).",
        "Bo, delegate of Press shop, no longer sits here: seat ended.",
    ]
    assert chat.say("Eve", "/members", group="central") == "2 members: Eve (5), Gus (6)"
    assert statuses(chat)[BO] == "ended"
    assert in_tx(chat, lambda tx: seats.get(tx, 1).status) == "ended"
    assert chat.say("Bo", "/vote 4 no", group="central") == (
        "Only members of this assembly can vote on motion 4."
    )
    # Bo's earlier yes goes with the seat; Press shop hears no more from the centre.
    chat.say("Eve", "/close 4", group="central")
    closing = chat.announcements("central")
    assert "Turnout 1 of 2 (quorum 1)." in closing
    assert "Yes 0, no 1, abstain 0." in closing
    assert chat.announcements("group-1") == ""
    assert "Central Metal workers: motion 4 failed: Strike fund" in chat.announcements("group-2")
    assert chat.say("Ana", "/central", group="group-1").startswith(
        "Press shop is in no federation."
    )


# --- the roll follows the seats -----------------------------------------------------


def test_the_central_roll_is_exactly_the_seated_delegates_of_members(chat: Chat) -> None:
    founded(chat)
    decide(chat, PRESS, "/federation join 4")
    drain(chat)
    seat(chat, PRESS, BO)
    assert chat.announcements("central") == "Bo, delegate of Press shop, takes a seat here."
    # Forge has not joined: its delegate does not sit in the centre until it does.
    seat(chat, FORGE, EVE)
    assert chat.announcements("central") == ""
    assert roll(chat) == "1 members: Bo (2)"
    decide(chat, FORGE, "/federation join 4")
    assert chat.announcements("central").splitlines() == [
        "Forge joins, by its own vote (motion 3). Its delegates: Eve",
        "Eve, delegate of Forge, takes a seat here.",
    ]
    assert roll(chat) == "2 members: Bo (2), Eve (5)"
    assert chat.say("Fay", "/federation", group="central").splitlines() == [
        "Central Metal workers (4): 2 member assemblies.",
        "Press shop: Bo (1)",
        "Forge: Eve (2)",
    ]


def test_a_recall_takes_the_delegate_off_the_central_roll_at_once(chat: Chat) -> None:
    seated = federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    chat.say("Eve", "/vote 4 yes", group="central")
    chat.say("Gus", "/vote 4 no", group="central")
    drain(chat)
    recall(chat, seated[FORGE])
    assert chat.announcements("central") == (
        "Eve, delegate of Forge, no longer sits here: recalled by their assembly."
    )
    assert statuses(chat)[EVE] == "recalled"
    assert roll(chat) == "2 members: Bo (2), Gus (6)"
    assert chat.say("Eve", "/vote 4 no", group="central") == (
        "Only members of this assembly can vote on motion 4."
    )
    assert chat.say("Eve", "/motion Another", group="central") == (
        "Only the delegates seated in this central assembly can do that."
    )
    chat.advance(49)
    chat.say("Bo", "/close 4", group="central")
    closing = chat.announcements("central")
    assert "Turnout 1 of 2 (quorum 1)." in closing  # Eve's yes went with her seat
    assert "Yes 0, no 1, abstain 0." in closing
    forge = chat.announcements("group-2")
    assert "You had no delegate seated for this vote." in forge
    # A new delegate takes the seat's place at once.
    seat(chat, FORGE, DI)
    assert "Di, delegate of Forge, takes a seat here." in chat.announcements("central")
    assert roll(chat) == "3 members: Bo (2), Gus (6), Di (4)"


def test_a_delegate_of_two_assemblies_stays_while_one_seat_remains(chat: Chat) -> None:
    federation(chat)
    second = seat(chat, MILL, BO)  # Bo also sits for Mill (an odd choice, but theirs)
    assert chat.announcements("central") == ""
    recall(chat, 1)
    assert chat.announcements("central") == ""
    assert "Bo (2)" in roll(chat)
    recall(chat, second)
    assert chat.announcements("central") == (
        "Bo, delegate of Mill, no longer sits here: recalled by their assembly."
    )


# --- central votes by name, relayed beside the mandate ------------------------------


def test_central_votes_are_by_name(chat: Chat) -> None:
    federation(chat)
    refusal = (
        "Votes in a central assembly are by name, so every assembly sees how its "
        "delegates voted: put the motion without secret."
    )
    assert chat.say("Bo", "/motion secret Strike fund", group="central") == refusal
    assert chat.say("Bo", "/draft secret Strike fund", group="central") == refusal
    assert chat.say("Bo", "/rules set secret.decision yes", group="central").startswith(
        "A central assembly changes only its own voting and federation rules"
    )
    assert chat.say("Bo", "/motions", group="central") == "No motion is open."
    # A member assembly keeps its own secret ballots.
    assert chat.say("Ana", "/motion secret Pick a treasurer", group="group-1") == (
        "Motion 4 is open for voting."
    )


def test_a_vote_against_a_binding_instruction_is_flagged_at_home(chat: Chat) -> None:
    seated = federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    drain(chat)
    instruct(chat, PRESS, 4, "yes", binding=True)
    instruct(chat, FORGE, 4, "yes", binding=True)
    instruct(chat, MILL, 4, "yes", binding=False)

    assert chat.say("Bo", "/vote 4 no", group="central") == "Vote on motion 4 recorded: no."
    assert chat.announcements("group-1") == (
        "Delegate Bo voted no on central motion 4 (Strike fund), against your binding "
        f"instruction yes. Recall: /recall {seated[PRESS]}"
    )
    chat.say("Eve", "/vote 4 yes", group="central")  # follows Forge's instruction
    chat.say("Gus", "/vote 4 no", group="central")  # advisory only: shown at the result
    assert chat.announcements("group-2") == ""
    assert chat.announcements("group-3") == ""
    assert chat.announcements("central") == ""


def test_a_central_result_reaches_every_member_assembly_at_once(chat: Chat) -> None:
    seated = federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    instruct(chat, PRESS, 4, "yes", binding=True)
    instruct(chat, MILL, 4, "yes", binding=False)
    chat.say("Bo", "/vote 4 no", group="central")
    chat.say("Gus", "/vote 4 no", group="central")
    drain(chat)
    chat.advance(49)
    assert chat.say("Eve", "/close 4", group="central") == (
        "Motion 4 is counted; the result goes to every chat of the assembly."
    )
    # One /close: the same result, in the same transaction, in every member assembly.
    figures = [
        "Central Metal workers: motion 4 failed: Strike fund",
        "Turnout 2 of 3 (quorum 1).",
        "Yes 0, no 2, abstain 0.",
    ]
    assert chat.announcements("group-1").splitlines() == [
        *figures,
        "Delegate Bo voted no; binding instruction yes: NOT followed. "
        f"Recall: /recall {seated[PRESS]}",
    ]
    assert chat.announcements("group-2").splitlines() == [*figures, "Delegate Eve did not vote."]
    assert chat.announcements("group-3").splitlines() == [
        *figures,
        "Delegate Gus voted no; advisory instruction yes: not followed.",
    ]
    assert "Motion 4 failed: Strike fund" in chat.announcements("central")


def test_followed_instructions_are_shown_as_followed(chat: Chat) -> None:
    seated = federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    instruct(chat, PRESS, 4, "yes", binding=True)
    instruct(chat, FORGE, 4, "yes", binding=True)
    instruct(chat, MILL, 4, "no", binding=False)
    chat.say("Bo", "/vote 4 y", group="central")
    chat.say("Gus", "/vote 4 no", group="central")
    drain(chat)
    chat.advance(49)
    chat.say("Bo", "/close 4", group="central")
    assert chat.announcements("group-1").splitlines()[-1] == (
        "Delegate Bo voted yes; binding instruction yes: followed."
    )
    assert chat.announcements("group-2").splitlines()[-1] == (
        f"Delegate Eve did not vote; binding instruction yes. Recall: /recall {seated[FORGE]}"
    )
    assert chat.announcements("group-3").splitlines()[-1] == (
        "Delegate Gus voted no; advisory instruction no: followed."
    )


def test_a_non_delegate_cannot_vote_in_the_centre(chat: Chat) -> None:
    federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    for name in ("Ana", "Fay", "Zed"):
        assert chat.say(name, "/vote 4 yes", group="central") == (
            "Only members of this assembly can vote on motion 4."
        )
    assert chat.say("Bo", "/central 4", group="central").splitlines()[-1] == "Votes by name: -"


# --- visibility ---------------------------------------------------------------------


def test_what_the_centre_proposes_is_relayed_and_readable_from_home(chat: Chat) -> None:
    federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    digest = "Central Metal workers: motion 4 opened: Strike fund. More: /central 4"
    for group in GROUPS.values():
        assert chat.announcements(group) == digest
    chat.say("Eve", "/draft Wage claim", group="central")
    assert chat.announcements("group-1") == ""  # a draft is not proposed yet
    chat.say("Eve", "/open 5", group="central")
    assert chat.announcements("group-1") == (
        "Central Metal workers: motion 5 opened: Wage claim. More: /central 5"
    )
    chat.say("Bo", "/vote 4 yes", group="central")
    chat.say("Eve", "/vote 4 no", group="central")

    assert chat.say("Cy", "/central", group="group-1").splitlines() == [
        "Central Metal workers (4):",
        "4 open: Strike fund",
        "5 open: Wage claim",
        "Read one: /central <motion>",
    ]
    assert chat.say("Cy", "/central 4", group="group-1").splitlines() == [
        "Central Metal workers (4):",
        "Motion 4 (decision): Strike fund",
        "Vote: /vote 4 yes | no | abstain",
        "Voting closes 2026-03-10 12:00 UTC.",
        "Delegate Bo voted yes.",
    ]
    assert chat.say("Fay", "/central 4", group="central").splitlines()[-1] == (
        "Votes by name: Bo yes, Eve no"
    )
    chat.advance(49)
    chat.say("Bo", "/close 4", group="central")
    assert chat.say("Di", "/central 4", group="group-2").splitlines() == [
        "Central Metal workers (4):",
        "Motion 4 failed: Strike fund",
        "Turnout 2 of 3 (quorum 1).",
        "Yes 1, no 1, abstain 0.",
        "Delegate Eve voted no.",
    ]


def test_reading_the_centre_refuses_what_is_not_yours(chat: Chat) -> None:
    federation(chat)
    chat.say("Bo", "/motion Strike fund", group="central")
    chat.say("Bo", "/draft Hidden plan", group="central")
    chat.say("Ana", "/motion Local matter", group="group-1")
    assert chat.say("Ana", "/central 6", group="group-1") == "There is no central motion 6."
    assert chat.say("Ana", "/central 5", group="group-1") == "There is no central motion 5."
    assert chat.say("Ana", "/central 99", group="group-1") == "There is no motion 99."
    assert chat.say("Ana", "/central x", group="group-1") == "Expected a number, got x."
    assert chat.say("Ana", "/central", private=True) == "Send this in your assembly's group chat."
    chat.say("Zoe", "/found Bakery", group="group-9")
    assert chat.say("Zoe", "/central 4", group="group-9") == (
        "Bakery is in no federation. Join one by vote: /federation join <central number>"
    )


def test_a_central_rules_change_is_relayed_and_decided_there(chat: Chat) -> None:
    federation(chat)
    assert chat.say("Bo", "/rules set quorum.decision 50%", group="central") == (
        "Rule change put to the vote as motion 4."
    )
    assert chat.announcements("group-3") == (
        "Central Metal workers: motion 4 opened: quorum.decision: 25% → 50%. More: /central 4"
    )
    for name in ("Bo", "Eve", "Gus"):
        chat.say(name, "/vote 4 yes", group="central")
    chat.advance(49)
    chat.say("Bo", "/close 4", group="central")
    assert "Rules version 2 is in force." in chat.announcements("central")
    assert chat.announcements("group-3").startswith(
        "Central Metal workers: motion 4 passed: quorum.decision: 25% → 50%"
    )
    assert "quorum: decision 50%*" in chat.say("Bo", "/rules", group="central")
    assert "quorum: decision 25%," in chat.say("Ana", "/rules", group="group-1")


# --- limits on the centre -----------------------------------------------------------


def test_the_centre_cannot_touch_members_or_rules_below_it(chat: Chat) -> None:
    federation(chat)
    rules_before = chat.say("Ana", "/rules", group="group-1")
    roll_before = roll(chat)
    assert chat.say("Bo", "/remove 5 Voted badly", group="central") == (
        "The central assembly cannot remove anyone: only a delegate's home assembly "
        "can recall them."
    )
    assert chat.say("Bo", "/remove 1 Not a delegate", group="central") == (
        "The central assembly cannot remove anyone: only a delegate's home assembly "
        "can recall them."
    )
    roll_refusal = (
        "Here the members are the delegates of the member assemblies: "
        "only their elections and recalls change the roll."
    )
    assert chat.say("Zed", "/join", group="central") == roll_refusal
    assert chat.say("Bo", "/vouch 1", group="central") == roll_refusal
    assert chat.say("Bo", "/leave", group="central") == (
        "You sit here as your assembly's delegate: your place here ends when your seat does."
    )
    for rule in (
        "admission vote",
        "delegates.seats 3",
        "recall.hours 100",
        "petition.sitting 5",
    ):
        assert chat.say("Bo", f"/rules set {rule}", group="central").startswith(
            "A central assembly changes only its own voting and federation rules"
        )
    assert chat.say("Bo", "/motions", group="central") == "No motion is open."
    assert roll(chat) == roll_before
    assert chat.say("Ana", "/rules", group="group-1") == rules_before
    assert chat.say("Ana", "/members", group="group-1") == "3 members: Ana (1), Bo (2), Cy (3)"
    for group in (*GROUPS.values(), "central"):
        assert chat.announcements(group) == ""


def test_federation_weight_refuses_unknown_forms_and_member_assemblies(chat: Chat) -> None:
    federation(chat)
    assert chat.say("Bo", "/rules set federation.weight heads", group="central") == (
        "Choose one of: delegate, size, split."
    )
    assert chat.say("Bo", "/rules set federation.weight delegate", group="central") == (
        "federation.weight is already delegate."
    )
    assert chat.say("Ana", "/rules set federation.weight size", group="group-1") == (
        "Federation rules are set by the central assembly's own vote."
    )
    assert chat.say("Bo", "/motions", group="central") == "No motion is open."
    assert chat.say("Ana", "/motions", group="group-1") == "No motion is open."


def test_the_centre_cannot_reach_into_a_member_assembly(chat: Chat) -> None:
    seated = federation(chat)
    # Motion 1 is Press shop's own (its vote to join); the central chat cannot touch it.
    assert chat.say("Bo", "/close 1", group="central") == "There is no motion 1."
    assert chat.say("Bo", "/show 1", group="central") == "There is no motion 1."
    assert chat.say("Bo", "/again 1", group="central") == "There is no motion 1."
    assert chat.say("Bo", "/petition reopen 1 Undo it", group="central") == (
        "There is no motion 1."
    )
    # Recalling is the home assembly's alone.
    assert "only that assembly can recall them" in chat.say(
        "Eve", f"/recall {seated[PRESS]} Voted badly", group="central"
    )
    assert in_tx(chat, lambda tx: seats.get(tx, seated[PRESS]).status) == "active"
    assert roll(chat) == "3 members: Bo (2), Eve (5), Gus (6)"
    assert chat.say("Bo", "/motions", group="central") == "No motion is open."
    for group in (*GROUPS.values(), "central"):
        assert chat.announcements(group) == ""


def test_an_instruction_adopted_by_vote_is_checked_against_the_central_vote(chat: Chat) -> None:
    seated = federation(chat)
    chat.say("Bo", "/motion 120h Strike fund", group="central")  # outlasts the local vote
    drain(chat)
    reply = chat.say("Ana", "/instruct 4 yes binding", group="group-1")
    motion = int(reply.rsplit(" ", 1)[1].rstrip("."))
    for name in ROSTERS[PRESS]:
        chat.say(name, f"/vote {motion} yes", group="group-1")
    chat.advance(49)
    chat.say("Ana", f"/close {motion}", group="group-1")
    assert f"Motion {motion} passed" in chat.announcements("group-1")
    chat.say("Bo", "/vote 4 no", group="central")
    assert chat.announcements("group-1") == (
        "Delegate Bo voted no on central motion 4 (Strike fund), against your binding "
        f"instruction yes. Recall: /recall {seated[PRESS]}"
    )
