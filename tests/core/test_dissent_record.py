"""Minority statements and the record members read with ``/record``.

In a roll-call vote only a member who voted against the outcome may attach a
statement; in a secret vote anyone who voted may (their side is secret). Every
record ends with the audit chain's head, which ``core.audit.verify`` must agree with.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from core.audit import Verdict, verify
from tests.chat import Chat, assembly


def decide(chat: Chat, title: str, yes: tuple[str, ...], no: tuple[str, ...] = ()) -> None:
    """Ana puts ``title``; the votes are cast; it is closed after 49 hours."""
    motion = re.search(r"Motion (\d+) is open", chat.say("Ana", f"/motion {title}"))
    assert motion is not None
    for name in yes:
        chat.say(name, f"/vote {motion.group(1)} yes")
    for name in no:
        chat.say(name, f"/vote {motion.group(1)} no")
    chat.advance(49)
    chat.say("Ana", f"/close {motion.group(1)}")
    chat.announcements()


def verified(chat: Chat) -> Verdict:
    def check(conn: Connection) -> Verdict:
        return verify(conn)

    return chat.app.db.transaction(check)


def test_a_member_on_the_losing_side_attaches_dissent(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    decide(chat, "Buy a second press", yes=("Ana", "Bo"), no=("Cy",))
    assert chat.say("Cy", "/dissent 1 We cannot afford it this year") == (
        "Your minority statement is attached to motion 1."
    )
    assert chat.say("Cy", "/dissent 1 And another thing") == (
        "You have already attached a statement to motion 1."
    )


def test_winners_and_non_voters_cannot_dissent(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    decide(chat, "Buy a second press", yes=("Ana", "Bo"), no=("Cy",))
    assert chat.say("Bo", "/dissent 1 I object anyway") == "You voted with the outcome of motion 1."
    assert chat.say("Di", "/dissent 1 Nobody asked me") == (
        "Only members who voted on motion 1 can attach a minority statement."
    )
    assert "Minority statement" not in chat.say("Ana", "/record")


def test_on_a_failed_motion_the_yes_side_dissents(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    decide(chat, "Close on Fridays", yes=("Ana",), no=("Bo", "Cy"))
    assert chat.say("Bo", "/dissent 1 Fine by me") == "You voted with the outcome of motion 1."
    assert chat.say("Ana", "/dissent 1 We need the rest") == (
        "Your minority statement is attached to motion 1."
    )


def test_an_undecided_motion_takes_no_dissent(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Buy a second press")
    chat.say("Bo", "/vote 1 no")
    assert chat.say("Bo", "/dissent 1 Too early") == (
        "Motion 1 is not decided; a minority statement needs a decision."
    )


def test_in_a_secret_vote_any_voter_may_attach_a_statement(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion secret Move to the new hall")
    chat.say("Ana", "/vote 1 yes", private=True)
    chat.say("Bo", "/vote 1 yes", private=True)
    chat.advance(49)
    chat.say("Ana", "/close 1")
    assert "Motion 1 passed" in chat.announcements()
    assert chat.say("Bo", "/dissent 1 For the record") == (
        "Your minority statement is attached to motion 1."
    )
    assert chat.say("Cy", "/dissent 1 I was away") == (
        "Only members who voted on motion 1 can attach a minority statement."
    )


def test_record_shows_decision_dissent_and_a_verifiable_audit_head(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    decide(chat, "Buy a second press", yes=("Ana", "Bo"), no=("Cy",))
    chat.say("Cy", "/dissent 1 We cannot afford it this year")

    lines = chat.say("Di", "/record").splitlines()
    assert lines[:4] == [
        "Motion 1 passed: Buy a second press",
        "Turnout 3 of 4 (quorum 1).",
        "Yes 2, no 1, abstain 0.",
        "Minority statement by Cy: We cannot afford it this year",
    ]
    head = re.fullmatch(r"Audit head: (\d+):([0-9a-f]{16})", lines[-1])
    assert head is not None
    verdict = verified(chat)
    assert verdict.ok
    assert (int(head.group(1)), head.group(2)) == (verdict.head_seq, verdict.head_hash[:16])
    assert chat.say("Di", "/record").splitlines()[-1] == lines[-1]  # reading changes nothing


def test_record_without_decisions(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Still open")
    lines = chat.say("Bo", "/record").splitlines()
    assert lines[0] == "No decisions yet."
    assert lines[-1].startswith("Audit head: ")
    assert len(lines) == 2


def test_record_of_a_sitting_lists_only_its_agenda(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Bo", "/sitting 2026-04-01 17:30 Budget")
    chat.say("Ana", "/vote 1 yes")
    chat.say("Bo", "/vote 1 yes")
    chat.advance(49)
    chat.say("Ana", "/close 1")
    chat.say("Ana", "/motion Buy a second press")
    chat.say("Cy", "/agenda add #2")
    chat.say("Ana", "/motion Paint the hall")
    chat.say("Ana", "/vote 2 yes")
    chat.say("Bo", "/vote 2 no")
    chat.say("Cy", "/vote 2 no")
    chat.say("Bo", "/vote 3 yes")
    chat.advance(49)
    chat.say("Ana", "/close 2")
    chat.say("Ana", "/close 3")
    chat.say("Ana", "/dissent 2 It pays for itself")
    sitting = chat.say("Cy", "/record 1").splitlines()
    assert sitting[:4] == [
        "Motion 2 failed: Buy a second press",
        "Turnout 3 of 3 (quorum 1).",
        "Yes 1, no 2, abstain 0.",
        "Minority statement by Ana: It pays for itself",
    ]
    assert len(sitting) == 5  # and the audit head: motions 1 and 3 are not on the agenda
    assert "Motion 3 passed: Paint the hall" in chat.say("Cy", "/record")
