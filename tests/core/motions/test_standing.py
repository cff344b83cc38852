"""The standing of an open vote, as a chat shows it while ballots come in."""

from __future__ import annotations

from sqlalchemy import Connection

from core.context import Tx
from core.i18n import render
from core.motions.standing import standing
from tests.chat import SECRET, Chat, assembly


def shown(chat: Chat, motion: int, language: str = "en") -> str:
    def read(conn: Connection) -> str:
        tx = Tx(conn, chat.app.clock.now(), SECRET)
        return "\n".join(render(m, language) for m in standing(tx, motion))

    return chat.app.db.transaction(read)


def test_an_open_yes_no_vote_shows_turnout_and_counts(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/motion Buy a second press")
    assert shown(chat, 1) == "Turnout 0 of 4: yes 0, no 0, abstain 0."
    chat.say("Bo", "/vote 1 yes")
    chat.say("Cy", "/vote 1 no")
    chat.say("Di", "/vote 1 abstain")
    chat.say("Cy", "/vote 1 yes")  # a changed vote counts once, as changed
    assert shown(chat, 1) == "Turnout 3 of 4: yes 2, no 0, abstain 1."


def test_a_member_who_left_is_not_counted(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Buy a second press")
    chat.say("Bo", "/vote 1 no")
    chat.say("Bo", "/leave")
    assert shown(chat, 1) == "Turnout 0 of 2: yes 0, no 0, abstain 0."


def test_a_single_choice_shows_each_option(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion single Lunch | Pizza | Soup")
    chat.say("Bo", "/vote 1 2")
    chat.say("Cy", "/vote 1 2")
    assert shown(chat, 1) == "Turnout 2 of 3: Pizza 0, Soup 2."


def test_a_secret_ballot_shows_turnout_only(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/motion secret Strike on Monday")
    chat.say("Bo", "/vote 1 yes", private=True)
    chat.say("Cy", "/vote 1 no", private=True)
    assert shown(chat, 1) == "Turnout 2 of 4."


def test_the_standing_is_translated(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Buy a second press")
    chat.say("Bo", "/vote 1 yes")
    assert shown(chat, 1, "es") == "Participación: 1 de 2: sí 1, no 0, abstención 0."
