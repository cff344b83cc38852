"""Petitions (an extraordinary sitting, reopening a decision), sittings and agendas.

The default threshold ``3,10%`` means the larger of 3 signatures and 10% of the
members: 3 for a small assembly. An extraordinary sitting starts 48 hours
(``sitting.notice_hours``) after the petition succeeds. The clock starts on
2026-03-02 09:00 UTC.
"""

from __future__ import annotations

from tests.chat import Chat, assembly, vote_and_close


def test_three_signatures_convene_an_extraordinary_sitting(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    assert chat.say("Ana", "/petition sitting Pay cuts announced") == (
        "Petition 1: 1 of 3 signatures."
    )
    assert (
        "Ana petitions (extraordinary sitting): Pay cuts announced. 3 signatures needed: /sign 1"
    ) in chat.announcements()
    assert chat.say("Ana", "/sign 1") == "You have already signed petition 1."
    assert chat.say("Bo", "/sign 1") == "Petition 1: 2 of 3 signatures."
    assert chat.say("Bo", "/agenda") == "No sitting is convened yet."
    assert chat.announcements() == ""

    assert chat.say("Cy", "/sign 1") == "Petition 1: 3 of 3 signatures."
    assert (
        "Sitting 1 convened (extraordinary): Pay cuts announced, 2026-03-04 09:00 UTC. "
        "Agenda: /agenda 1"
    ) in chat.announcements()
    assert chat.say("Di", "/agenda").splitlines() == [
        "Sitting 1 (extraordinary), 2026-03-04 09:00 UTC: Pay cuts announced",
        "1. Pay cuts announced",
    ]
    assert chat.say("Di", "/sign 1") == "Petition 1 has already succeeded."


def test_the_threshold_grows_with_the_assembly(chat: Chat) -> None:
    assembly(chat, *(f"M{i}" for i in range(30)))  # 31 members: 10% is 3.1, so 4
    assert chat.say("Ana", "/petition sitting Heat in the hall") == (
        "Petition 1: 1 of 4 signatures."
    )
    chat.say("M0", "/sign 1")
    assert chat.say("M1", "/sign 1") == "Petition 1: 3 of 4 signatures."
    assert chat.say("M2", "/agenda") == "No sitting is convened yet."
    chat.say("M2", "/sign 1")
    assert "Sitting 1 (extraordinary)" in chat.say("M2", "/agenda")


def test_a_petition_succeeds_after_its_starter_has_left(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/petition sitting Pay cuts announced")
    chat.say("Ana", "/leave")
    chat.say("Bo", "/sign 1")
    assert chat.say("Cy", "/sign 1") == "Petition 1: 3 of 3 signatures."
    assert "Sitting 1 (extraordinary)" in chat.say("Di", "/agenda")


def test_only_members_petition_and_sign(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/petition sitting Pay cuts announced")
    refusal = "Only members of this assembly can do that. Send /join to ask to join."
    assert chat.say("Zed", "/sign 1") == refusal
    assert chat.say("Zed", "/petition sitting Let me in") == refusal
    assert chat.say("Bo", "/sign 2") == "There is no petition 2."


def test_a_reopen_petition_puts_a_decision_again(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/motion Buy a second press")
    assert "Motion 1 passed" in vote_and_close(chat, 1, yes=("Ana", "Bo"), no=("Cy",))

    assert chat.say("Cy", "/petition reopen 1 Prices went up") == ("Petition 1: 1 of 3 signatures.")
    assert "Cy petitions (reopen a decision): Prices went up." in chat.announcements()
    chat.say("Di", "/sign 1")
    assert chat.say("Bo", "/motions") == "No motion is open."
    chat.say("Bo", "/sign 1")
    put_again = chat.announcements()
    assert "By petition 1, motion 1 is put again as motion 2." in put_again
    assert "Motion 2 (decision): Buy a second press" in put_again
    assert chat.say("Bo", "/vote 2 no") == "Vote on motion 2 recorded: no."
    assert "Motion 1 passed" in chat.say("Bo", "/show 1")  # the old decision stands on record


def test_reopening_an_open_motion_is_refused(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Buy a second press")
    chat.announcements()
    assert chat.say("Bo", "/petition reopen 1 Too soon") == "Motion 1 is still open."
    assert chat.say("Bo", "/sign 1") == "There is no petition 1."
    assert chat.announcements() == ""
    assert chat.say("Bo", "/petition reopen 7 Why") == "There is no motion 7."
    assert chat.say("Bo", "/petition reopen 1") == "A petition needs a reason."
    assert chat.say("Bo", "/petition sitting") == "A petition needs a reason."


def test_an_ordinary_sitting_is_convened_by_vote(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    assert chat.say("Bo", "/sitting 2026-04-01 17:30 Budget") == (
        "Convening the sitting is put to the vote as motion 1."
    )
    assert "Motion 1 (convene a sitting): Budget — 2026-04-01 17:30" in chat.announcements()
    assert chat.say("Cy", "/agenda") == "No sitting is convened yet."

    result = vote_and_close(chat, 1, yes=("Ana", "Bo"))
    assert "Motion 1 passed" in result
    assert "Sitting 1 convened (ordinary): Budget, 2026-04-01 17:30 UTC." in result
    assert chat.say("Cy", "/agenda").splitlines() == [
        "Sitting 1 (ordinary), 2026-04-01 17:30 UTC: Budget",
        "The agenda is empty. Add an item: /agenda add <text>",
    ]


def test_a_failed_convening_motion_convenes_nothing(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Bo", "/sitting 2026-04-01 17:30 Budget")
    assert "Motion 1 failed" in vote_and_close(chat, 1, yes=("Bo",), no=("Ana", "Cy"))
    assert chat.say("Cy", "/agenda") == "No sitting is convened yet."


def test_agenda_items_by_text_and_by_motion(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Bo", "/sitting 2026-04-01 17:30 Budget")
    vote_and_close(chat, 1, yes=("Ana", "Bo"))
    chat.say("Ana", "/motion Buy a second press")

    assert chat.say("Cy", "/agenda add Coffee machine") == (
        "Item 1 on the agenda of sitting 1: Coffee machine"
    )
    assert chat.say("Cy", "/agenda add #2") == (
        "Item 2 on the agenda of sitting 1: Buy a second press"
    )
    assert chat.say("Bo", "/agenda 1").splitlines() == [
        "Sitting 1 (ordinary), 2026-04-01 17:30 UTC: Budget",
        "1. Coffee machine",
        "2. Buy a second press",
        "   motion 2: open",
    ]
    assert chat.say("Cy", "/agenda add #9") == "There is no motion 9."
    assert chat.say("Cy", "/agenda add") == "Say what to add: /agenda add <item>."
    assert chat.say("Cy", "/agenda 5") == "There is no sitting 5."
    assert len(chat.say("Bo", "/agenda").splitlines()) == 4


def test_a_sitting_in_the_past_is_refused(chat: Chat) -> None:
    assembly(chat, "Bo")
    assert chat.say("Bo", "/sitting 2026-03-01 17:30 Budget") == "That time has already passed."
    assert chat.say("Bo", "/sitting 2026-03-02 09:00 Now") == "That time has already passed."
    assert chat.say("Bo", "/sitting tomorrow 5pm") == (
        "Give the date and time as YYYY-MM-DD HH:MM."
    )
    assert chat.say("Bo", "/sitting 2026-04-01") == "Give the date and time as YYYY-MM-DD HH:MM."
    assert chat.say("Bo", "/sitting 2026-02-30 10:00") == (
        "Give the date and time as YYYY-MM-DD HH:MM."
    )
    assert chat.say("Bo", "/motions") == "No motion is open."


def test_a_sitting_typed_in_local_time_is_shown_in_utc(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/rules set timezone Europe/Madrid")
    vote_and_close(chat, 1, yes=("Ana", "Bo"))
    # 17:30 in Madrid on 1 April (summer time, UTC+2) is 15:30 UTC.
    chat.say("Bo", "/sitting 2026-04-01 17:30 Budget")
    result = vote_and_close(chat, 2, yes=("Ana", "Bo"))
    assert "Sitting 1 convened (ordinary): Budget, 2026-04-01 17:30 CEST." in result
    assert chat.say("Bo", "/agenda").startswith(
        "Sitting 1 (ordinary), 2026-04-01 17:30 CEST: Budget"
    )
