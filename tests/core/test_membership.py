"""Joining, vouching, admission votes, leaving, export and removal, as members see them.

Persons are numbered in the order they first speak to Konsilo: Ana (the founder)
is member 1, Bo 2, Cy 3, Di 4. Motions stay open 48 hours by default, so a test
moves the clock 49 hours before ``/close``.
"""

from __future__ import annotations

import json
import re

from core.app import Answer
from core.context import Place
from tests.chat import Chat, assembly


def adopt_rule(chat: Chat, motion: int, rule: str, voters: tuple[str, ...]) -> None:
    """Ana proposes ``/rules set <rule>``; ``voters`` vote yes; it is counted."""
    assert chat.say("Ana", f"/rules set {rule}") == (
        f"Rule change put to the vote as motion {motion}."
    )
    for name in voters:
        chat.say(name, f"/vote {motion} yes")
    chat.advance(49)
    chat.say("Ana", f"/close {motion}")
    result = chat.announcements()
    assert f"Motion {motion} passed" in result
    assert "is in force" in result


def private(chat: Chat, name: str, text: str) -> Answer:
    """The raw answer to a command sent in ``name``'s private chat with the bot."""
    return chat.app.handle_now(chat.actor(name), Place(chat.platform, name.lower(), True), text)


def test_open_assembly_admits_at_once(chat: Chat) -> None:
    assembly(chat)
    assert chat.say("Bo", "/join") == "Welcome, Bo: you are a member."
    assert "Bo is now a member." in chat.announcements()
    assert chat.say("Bo", "/members") == "2 members: Ana (1), Bo (2)"
    assert chat.say("Bo", "/join") == "You are already a member."


def test_vouch_admission_needs_two_vouches_once_the_assembly_votes_for_it(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    # The founder's proposal changes nothing by itself: admission stays open.
    chat.say("Ana", "/rules set admission vouch")
    assert "admission: open, vouches 2" in chat.say("Ana", "/rules")
    assert chat.say("Eve", "/join") == "Welcome, Eve: you are a member."
    for name in ("Ana", "Bo", "Cy"):
        chat.say(name, "/vote 1 yes")
    chat.advance(49)
    chat.say("Bo", "/close 1")
    assert "Rules version 2 is in force." in chat.announcements()
    assert "admission: vouch*, vouches 2" in chat.say("Ana", "/rules")

    assert chat.say("Di", "/join") == "Request 1 sent: 2 members must vouch for you."
    assert "Di asks to join. 2 members must vouch: /vouch 1" in chat.announcements()
    assert chat.say("Di", "/join") == "Your request to join is waiting (request 1)."
    assert chat.say("Bo", "/vouch 1") == "Vouched for request 1: 1 of 2."
    assert chat.say("Bo", "/vouch 1") == "You have already vouched for request 1."
    assert "Di" not in chat.say("Ana", "/members")
    assert chat.say("Cy", "/vouch 1") == "Vouched for request 1: 2 of 2."
    assert "Di is now a member." in chat.announcements()
    assert chat.say("Ana", "/vouch 1") == "There is no pending request 1."
    assert chat.say("Di", "/members").startswith("5 members: ")


def test_an_applicant_cannot_vouch_for_themselves(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    adopt_rule(chat, 1, "admission vouch", ("Ana", "Bo", "Cy"))
    chat.say("Di", "/join")
    assert chat.say("Di", "/vouch 1") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert chat.say("Ana", "/vouch 1") == "Vouched for request 1: 1 of 2."


def test_admission_by_vote_and_asking_again_after_a_refusal(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    adopt_rule(chat, 1, "admission vote", ("Ana", "Bo", "Cy"))

    assert chat.say("Di", "/join") == ("Request 1 sent: the assembly votes on it in motion 2.")
    assert "Motion 2 (admission): Di" in chat.announcements()
    assert chat.say("Bo", "/vouch 1") == "Request 1 is decided by vote in motion 2."
    assert chat.say("Di", "/vote 2 yes") == ("Only members of this assembly can vote on motion 2.")
    chat.say("Ana", "/vote 2 no")
    chat.say("Bo", "/vote 2 no")
    chat.say("Cy", "/vote 2 yes")
    chat.advance(49)
    chat.say("Ana", "/close 2")
    assert "Motion 2 failed: Di" in chat.announcements()
    assert "Di" not in chat.say("Ana", "/members")

    assert chat.say("Di", "/join") == ("Request 2 sent: the assembly votes on it in motion 3.")
    for name in ("Ana", "Bo", "Cy"):
        chat.say(name, "/vote 3 yes")
    chat.advance(49)
    chat.say("Cy", "/close 3")
    result = chat.announcements()
    assert "Motion 3 passed: Di" in result
    assert "Di is now a member." in result
    assert chat.say("Di", "/members") == "4 members: Ana (1), Bo (2), Cy (3), Di (4)"


def test_leaving_takes_effect_at_once_and_ends_voting(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Buy a second press")
    assert chat.say("Bo", "/vote 1 yes") == "Vote on motion 1 recorded: yes."
    assert chat.say("Bo", "/leave") == "You have left. Send /export to take your data with you."
    assert "Bo has left the assembly." in chat.announcements()
    assert chat.say("Bo", "/vote 1 no") == "Only members of this assembly can vote on motion 1."
    assert chat.say("Bo", "/motion Another") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )
    assert chat.say("Ana", "/members") == "2 members: Ana (1), Cy (3)"


def test_export_is_a_private_json_file_of_memberships_and_open_votes(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Buy a second press")
    chat.say("Bo", "/vote 1 no")
    chat.say("Ana", "/motion secret Pick a treasurer")
    private(chat, "Bo", "/vote 2 yes")

    answer = private(chat, "Bo", "/export")
    (reply,) = answer.replies
    assert reply.private
    assert reply.attachment is not None
    assert reply.attachment.filename == "konsilo-2.json"
    assert reply.attachment.mime == "application/json"
    data = json.loads(reply.attachment.content)
    assert [(m["assembly_id"], m["status"]) for m in data["memberships"]] == [(1, "active")]
    # The roll-call vote is there with its choice; the secret one only as turnout.
    assert [(v["motion_id"], v["choice"]) for v in data["open_votes"]] == [(1, "no")]
    assert [t["motion_id"] for t in data["secret_votes_taken_part_in"]] == [2]
    assert "yes" not in json.dumps(data["secret_votes_taken_part_in"])


def test_export_after_leaving_shows_the_membership_ended(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Bo", "/leave")
    reply = private(chat, "Bo", "/export").replies[0]
    assert reply.attachment is not None
    memberships = json.loads(reply.attachment.content)["memberships"]
    assert [m["status"] for m in memberships] == ["left"]
    assert memberships[0]["ended_at"] is not None


def test_removal_is_a_secret_vote_taken_in_private(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    assert chat.say("Ana", "/remove 4 Never comes to work") == (
        "Removal of Di is put to the vote as motion 1."
    )
    opened = chat.announcements()
    assert "Motion 1 (removal): Di" in opened
    assert "Secret ballot: vote in a private chat with me." in opened
    assert chat.say("Bo", "/vote 1 yes") == (
        "Motion 1 is a secret ballot: send your vote to me in a private chat, not in the group."
    )
    receipts = []
    for name in ("Ana", "Bo", "Cy"):
        reply = chat.say(name, "/vote 1 yes", private=True)
        assert "Secret vote on motion 1 recorded: yes." in reply
        found = re.search(r"Your receipt is ([A-Z0-9]{8})\.", reply)
        assert found is not None
        receipts.append(found.group(1))
    assert "Di (4)" in chat.say("Ana", "/members")  # not removed before the count

    chat.advance(49)
    chat.say("Bo", "/close 1")
    result = chat.announcements()
    assert "Motion 1 passed: Di" in result
    assert "Di is no longer a member, by the assembly's decision." in result
    for receipt in receipts:
        assert f"{receipt} yes" in result
    assert chat.say("Ana", "/members") == "3 members: Ana (1), Bo (2), Cy (3)"
    assert chat.say("Di", "/motion Reinstate me") == (
        "Only members of this assembly can do that. Send /join to ask to join."
    )


def test_the_founder_cannot_remove_a_member_the_assembly_keeps(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/remove 2 Disagrees with me")
    assert "Bo (2)" in chat.say("Ana", "/members")
    chat.say("Ana", "/vote 1 yes", private=True)
    chat.say("Bo", "/vote 1 no", private=True)
    chat.say("Cy", "/vote 1 no", private=True)
    chat.advance(49)
    chat.say("Ana", "/close 1")
    assert "Motion 1 failed: Bo" in chat.announcements()
    assert chat.say("Ana", "/members") == "3 members: Ana (1), Bo (2), Cy (3)"


def test_removal_names_someone_on_the_roll(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert chat.say("Ana", "/remove 9 Unknown") == "Member 9 is not on the roll."
    assert chat.say("Ana", "/motions") == "No motion is open."
