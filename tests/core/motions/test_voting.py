"""Voting as members do it: each method, changing a vote, secret ballots, receipts."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.store.tables import secret_ballots, turnout, votes
from tests.chat import Chat, assembly


def test_changed_vote_counts_once(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Paint the hall")
    chat.say("Bo", "/vote 1 no")
    assert "changed to yes" in chat.say("Bo", "/vote 1 yes")
    chat.say("Cy", "/vote 1 sí")
    chat.advance(48)
    chat.say("Ana", "/close 1")
    result = chat.announcements()
    assert "Yes 2, no 0, abstain 0." in result
    assert "Turnout 2 of 3" in result


def test_single_choice_and_approval_pick_the_option_members_chose(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/motion Shift start | 6:00 | 7:00 | 8:00")
    for name, pick in (("Ana", "2"), ("Bo", "2"), ("Cy", "1"), ("Di", "3")):
        chat.say(name, f"/vote 1 {pick}")
    chat.say("Ana", "/motion approval Canteen dishes | Soup | Rice | Beans")
    for name, picks in (("Ana", "1,3"), ("Bo", "3"), ("Cy", "2, 3"), ("Di", "1")):
        chat.say(name, f"/vote 2 {picks}")
    chat.advance(48)
    chat.say("Ana", "/close 1")
    chat.say("Ana", "/close 2")
    result = chat.announcements()
    assert "Chosen: 7:00" in result
    assert "Chosen: Beans" in result


def test_schulze_follows_the_rankings(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di", "Ed")
    chat.say("Ana", "/motion schulze Holiday week | May | July | August")
    rankings = {"Ana": "1>2>3", "Bo": "1>3>2", "Cy": "2>1>3", "Di": "3>1>2", "Ed": "2>1>3"}
    for name, ranking in rankings.items():
        chat.say(name, f"/vote 1 {ranking}")
    chat.advance(48)
    chat.say("Ana", "/close 1")
    # May beats July 3:2 and August 4:1, so May is the Condorcet winner.
    assert "Chosen: May" in chat.announcements()


def test_consent_fails_on_one_reasoned_objection(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion consent Close on Fridays")
    chat.say("Ana", "/vote 1 consent")
    assert "reason" in chat.say("Bo", "/vote 1 object")
    chat.say("Bo", "/vote 1 object Friday is payday")
    chat.advance(48)
    chat.say("Cy", "/close 1")
    result = chat.announcements()
    assert "Motion 1 failed" in result
    assert "Objection: Friday is payday" in result


def test_secret_ballot_keeps_voter_and_choice_apart(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion secret Strike on Monday")
    assert "private chat" in chat.say("Bo", "/vote 1 yes")
    receipts = {}
    for name, choice in (("Ana", "yes"), ("Bo", "no"), ("Cy", "yes")):
        reply = chat.say(name, f"/vote 1 {choice}", private=True)
        match = re.search(r"receipt is ([A-Z0-9]{8})", reply)
        assert match, reply
        receipts[name] = match.group(1)
    again = chat.say("Bo", "/vote 1 yes", private=True)
    assert receipts["Bo"] in again and "replaced" in again

    def stored(conn: object) -> tuple[int, int, list[str | None]]:
        c = conn
        roll = c.execute(select(func.count()).select_from(turnout)).scalar_one()  # type: ignore[attr-defined]
        ballots = c.execute(select(func.count()).select_from(secret_ballots)).scalar_one()  # type: ignore[attr-defined]
        locators = list(c.execute(select(secret_ballots.c.locator)).scalars())  # type: ignore[attr-defined]
        return roll, ballots, locators

    roll, ballots, locators = chat.app.db.transaction(stored)
    assert (roll, ballots) == (3, 3)
    assert all(locators)  # the process can still find a ballot to change it
    assert "voter" not in {c.name for c in secret_ballots.c}
    chat.advance(48)
    chat.say("Ana", "/close 1")
    result = chat.announcements()
    assert "Yes 3, no 0, abstain 0." in result
    for receipt in receipts.values():
        assert f"{receipt} yes" in result  # each voter finds their ballot as cast
    _, _, locators = chat.app.db.transaction(stored)
    assert locators == [None, None, None]  # after close nobody can link a ballot


def test_redelivered_event_is_counted_once(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Tea break")
    assert "recorded" in chat.say("Bo", "/vote 1 yes", key="update-77")
    assert chat.say("Bo", "/vote 1 no", key="update-77") == ""

    def count(conn: object) -> list[object]:
        return list(conn.execute(select(votes.c.choice)).scalars())  # type: ignore[attr-defined]

    assert chat.app.db.transaction(count) == ["yes"]


def test_vote_after_closing_time_closes_and_is_refused(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion 24h Quick one")
    chat.say("Ana", "/vote 1 yes")
    chat.advance(25)
    assert "closed before your vote" in chat.say("Bo", "/vote 1 no")
    assert "closed" in chat.say("Bo", "/vote 1 no")
    assert "Yes 1, no 0" in chat.announcements()
