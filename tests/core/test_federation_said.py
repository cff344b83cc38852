"""What is said in the central assembly reaches the members below, as a daily digest
they can expand with ``/central said``.

The federation of tests/core/test_federation.py: Press shop (Ana, Bo, Cy, chat
group-1), Forge (Di, Eve, group-2) and Mill (Gus, Hal, group-3) joined the
central assembly Metal workers (4, chat "central"), whose roll is the delegates
Bo, Eve and Gus; Fay founded it and sits on nothing. After the joining votes
the clock reads 2026-03-08 12:00 UTC.
"""

from __future__ import annotations

from tests.chat import Chat, refused, table_rows
from tests.core.test_federation import FORGE, GROUPS, PRESS, decide, drain, federation

DIGEST = "Central Metal workers: {} since 2026-03-08 12:00 UTC. Read: /central said"


def said(chat: Chat, name: str, text: str, key: str | None = None) -> None:
    """``name`` writes ordinary chat in the central chat; Konsilo answers nothing."""
    assert chat.say(name, text, group="central", key=key) == ""


def test_what_delegates_say_is_digested_once_in_every_member_assembly(chat: Chat) -> None:
    federation(chat)
    said(chat, "Bo", "The strike fund is empty.")
    said(chat, "Eve", "Forge can give 200.")
    said(chat, "Bo", "Thanks!")
    chat.tick()
    line = DIGEST.format("3 messages from 2 delegates")
    for group in GROUPS.values():
        assert chat.announcements(group) == line
    assert chat.announcements("central") == ""  # the centre read it as it was said

    chat.tick()  # nothing new: no second digest
    assert all(chat.announcements(group) == "" for group in GROUPS.values())

    chat.advance(2)
    said(chat, "Gus", "Mill too.")
    chat.tick()  # something new, but a digest went out less than a day ago
    assert chat.announcements(GROUPS[1]) == ""
    chat.advance(22)
    chat.tick()
    assert chat.announcements(GROUPS[1]) == (
        "Central Metal workers: 1 message from Gus since 2026-03-08 14:00 UTC. Read: /central said"
    )
    chat.advance(48)
    chat.tick()
    assert chat.announcements(GROUPS[1]) == ""


def test_each_assembly_reads_the_digest_in_its_own_time(chat: Chat) -> None:
    federation(chat)
    assert "Rules version 2" in decide(chat, FORGE, "/rules set timezone Europe/Madrid")
    drain(chat)
    said(chat, "Bo", "The strike fund is empty.")
    chat.tick()
    # Forge's vote moved the clock by 49 hours; Madrid is an hour ahead of UTC in March.
    assert chat.announcements(GROUPS[FORGE]) == (
        "Central Metal workers: 1 message from Bo since 2026-03-10 14:00 CET. Read: /central said"
    )
    assert "since 2026-03-10 13:00 UTC" in chat.announcements(GROUPS[PRESS])
    assert "2026-03-10 14:00 CET" in chat.say("Di", "/central said", group=GROUPS[FORGE])


def test_one_delegate_saying_several_things_is_named(chat: Chat) -> None:
    federation(chat)
    said(chat, "Eve", "One.")
    said(chat, "Eve", "Two.")
    chat.tick()
    assert chat.announcements(GROUPS[3]) == DIGEST.format("2 messages from Eve")


def test_a_redelivered_message_is_stored_once(chat: Chat) -> None:
    federation(chat)
    said(chat, "Bo", "The strike fund is empty.", key="test:1")
    before = table_rows(chat)
    said(chat, "Bo", "The strike fund is empty.", key="test:1")
    assert table_rows(chat) == before
    said(chat, "Bo", "The strike fund is empty.", key="test:2")  # said again, on purpose
    chat.tick()
    assert chat.announcements(GROUPS[2]) == DIGEST.format("2 messages from Bo")


def test_talk_anywhere_else_is_ignored_and_costs_no_write(chat: Chat) -> None:
    federation(chat)
    before = table_rows(chat)
    chat.say("Ana", "Lunch at one?", group=GROUPS[1], key="test:9")  # a member assembly
    chat.say("Fay", "I only founded this place.", group="central", key="test:10")
    chat.say("Zed", "Who are you all?", group="central")  # never seen before
    chat.say("Bo", "Just between us...", private=True, key="test:11")
    chat.say("Bo", "Hello", group="elsewhere")  # a chat that is no assembly
    assert table_rows(chat) == before
    chat.tick()
    assert all(chat.announcements(group) == "" for group in GROUPS.values())


def test_central_said_expands_the_digest_in_the_members_own_words(chat: Chat) -> None:
    federation(chat)
    said(chat, "Bo", "The <b>strike</b> fund is *empty*.")
    long = "We need a plan for the autumn, " * 8
    said(chat, "Eve", long)
    chat.advance(1)
    said(chat, "Gus", "Line one\nline two")
    assert chat.say("Ana", "/central said", group=GROUPS[1]).splitlines() == [
        "Said in central Metal workers (4):",
        "#1 Bo, 2026-03-08 12:00 UTC: The <b>strike</b> fund is *empty*.",
        "#2 Eve, 2026-03-08 12:00 UTC: We need a plan for the autumn, We need a plan for the "
        "autumn, We need a plan for the autumn, We need a plan for the… "
        "(all: /central said #2)",
        "#3 Gus, 2026-03-08 13:00 UTC: Line one line two",
    ]
    assert chat.say("Di", "/central said 1", group=GROUPS[2]).splitlines()[1:] == [
        "#3 Gus, 2026-03-08 13:00 UTC: Line one line two"
    ]
    assert chat.say("Hal", "/central said #2", group=GROUPS[3]).splitlines() == [
        "#2 Eve in central Metal workers, 2026-03-08 12:00 UTC:",
        long.strip(),
    ]
    assert chat.say("Hal", "/central said #3", group=GROUPS[3]).splitlines()[1:] == [
        "Line one",
        "line two",
    ]
    # The central chat reads the same.
    assert chat.say("Fay", "/central said 1", group="central").splitlines()[1] == (
        "#3 Gus, 2026-03-08 13:00 UTC: Line one line two"
    )


def test_central_said_shows_at_most_thirty(chat: Chat) -> None:
    federation(chat)
    for n in range(35):
        said(chat, "Bo", f"Point {n + 1}.")
    assert len(chat.say("Ana", "/central said", group=GROUPS[1]).splitlines()) == 1 + 10
    shown = chat.say("Ana", "/central said 30", group=GROUPS[1]).splitlines()
    assert len(shown) == 1 + 30
    assert shown[1] == "#6 Bo, 2026-03-08 12:00 UTC: Point 6."
    assert shown[-1] == "#35 Bo, 2026-03-08 12:00 UTC: Point 35."


def test_nothing_said_yet(chat: Chat) -> None:
    federation(chat)
    assert chat.say("Ana", "/central said", group=GROUPS[1]).splitlines() == [
        "Said in central Metal workers (4):",
        "Nothing said there yet.",
    ]
    chat.tick()  # nothing said: no digest
    assert all(chat.announcements(group) == "" for group in GROUPS.values())


def test_central_said_refuses_bad_input(chat: Chat) -> None:
    federation(chat)
    said(chat, "Bo", "The strike fund is empty.")
    how_many = (
        "Give how many to show, from 1 to 30: /central said [n], or one in full: "
        "/central said #<id>"
    )
    for attempt in ("0", "31", "1000", "ten", "-3", "1 2"):
        assert refused(chat, "Ana", f"/central said {attempt}", group=GROUPS[1]) == how_many
    assert refused(chat, "Ana", "/central said #9", group=GROUPS[1]) == (
        "Nothing numbered 9 was said in your central assembly."
    )
    assert refused(chat, "Ana", "/central said #x", group=GROUPS[1]) == (
        "Expected a number, got #x."
    )
    chat.say("Ana", "/found Bakery", group="bakery")
    assert refused(chat, "Ana", "/central said", group="bakery") == (
        "Bakery is in no federation. Join one by vote: /federation join <central number>"
    )
    assert refused(chat, "Ana", "/central said #1", group="bakery") == (
        "Bakery is in no federation. Join one by vote: /federation join <central number>"
    )


def test_an_assembly_that_left_reads_no_more(chat: Chat) -> None:
    federation(chat)
    assert chat.say("Ana", "/federation leave 4", group=GROUPS[1]) == (
        "Leaving Metal workers is put to the vote as motion 4."
    )
    for name in ("Ana", "Bo", "Cy"):
        chat.say(name, "/vote 4 yes", group=GROUPS[1])
    chat.advance(49)
    chat.tick()
    said(chat, "Eve", "Press shop has gone.")
    chat.tick()
    drain(chat)
    assert refused(chat, "Ana", "/central said #1", group=GROUPS[1]) == (
        "Press shop is in no federation. Join one by vote: /federation join <central number>"
    )
