"""Bad input gets a clear answer and changes nothing.

"Nothing changed" is checked by counting the rows of every table (persons,
motions, votes, audit log, outbox, ...) before and after: a refusal rolls its
whole transaction back, so even a stranger's first message leaves no trace.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from core.context import Place
from core.i18n import render
from core.store.tables import motions, votes
from tests.chat import Chat, assembly, refused


@pytest.fixture
def with_motion(chat: Chat) -> Chat:
    """Ana, Bo and Cy; Ana's motion 1 is open."""
    assembly(chat, "Bo", "Cy")
    chat.say("Ana", "/motion Buy a second press")
    chat.announcements()
    return chat


def test_unknown_command(with_motion: Chat) -> None:
    assert refused(with_motion, "Bo", "/frobnicate now") == (
        "Unknown command /frobnicate. Send /help for the list."
    )


def test_a_strangers_unknown_command_leaves_no_trace(with_motion: Chat) -> None:
    people = with_motion.person_count()
    assert refused(with_motion, "Zed", "/frobnicate") == (
        "Unknown command /frobnicate. Send /help for the list."
    )
    assert with_motion.person_count() == people


def test_ordinary_chat_gets_no_answer(with_motion: Chat) -> None:
    assert with_motion.say("Bo", "Anyone for coffee? 5/3 is fine") == ""


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/vote", "Say what you vote: /vote <motion> <choice>."),
        ("/vote 1", "Say what you vote: /vote <motion> <choice>."),
        ("/vote 1 maybe", "Vote yes, no or abstain."),
        ("/motion", "Give the motion a title: /motion <title> | <option> | <option>"),
        ("/motion secret 24h", "Give the motion a title: /motion <title> | <option> | <option>"),
        ("/motion single Lunch | Pizza", "A choice needs from 2 to 20 options."),
        ("/vouch", "Expected a number, got -."),
        ("/sign", "Expected a number, got -."),
        ("/close", "Expected a number, got -."),
        ("/dissent 1", "Write your statement: /dissent <motion> <text>."),
        ("/remove 2", "A removal needs a reason: /remove <member number> <reason>."),
        ("/sitting", "Give the date and time as YYYY-MM-DD HH:MM."),
        ("/agenda add", "Say what to add: /agenda add <item>."),
        ("/language", "Choose one of: en, es."),
        ("/found", "Give the assembly a name: /found <name>."),
        (
            "/petition",
            "Petition for a sitting or to reopen: /petition sitting <why> | "
            "/petition reopen <motion> <why>",
        ),
    ],
)
def test_missing_or_wrong_arguments(with_motion: Chat, text: str, answer: str) -> None:
    assert refused(with_motion, "Bo", text) == answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/vote abc yes", "Expected a number, got abc."),
        ("/vote 0 yes", "Expected a number, got 0."),
        ("/vote -1 yes", "Expected a number, got -1."),
        ("/vote 1234567890123 yes", "Expected a number, got 1234567890123."),
        ("/vote 999 yes", "There is no motion 999."),
        ("/sign 77", "There is no petition 77."),
        ("/vouch 5", "There is no pending request 5."),
        ("/show 99", "There is no motion 99."),
        ("/close 99", "There is no motion 99."),
        ("/agenda 3", "There is no sitting 3."),
        ("/record x", "Expected a number, got x."),
        ("/remove two Lazy", "Expected a number, got two."),
    ],
)
def test_non_numeric_and_unknown_ids(with_motion: Chat, text: str, answer: str) -> None:
    assert refused(with_motion, "Bo", text) == answer


def test_a_motion_of_another_assembly_is_unknown_here(with_motion: Chat) -> None:
    with_motion.say("Zed", "/found Other shop", group="group-2")
    with_motion.announcements("group-2")
    assert with_motion.say("Zed", "/close 1", group="group-2") == "There is no motion 1."
    assert with_motion.say("Zed", "/vote 1 yes", group="group-2") == (
        "Only members of this assembly can vote on motion 1."
    )


def test_closing_early_is_refused(with_motion: Chat) -> None:
    assert refused(with_motion, "Bo", "/close 1") == ("Motion 1 stays open until its closing time.")


def test_a_vote_after_close_is_refused(with_motion: Chat) -> None:
    with_motion.say("Bo", "/vote 1 yes")
    with_motion.advance(49)
    with_motion.say("Ana", "/close 1")
    with_motion.announcements()
    assert refused(with_motion, "Cy", "/vote 1 no") == (
        "Motion 1 is closed; votes are no longer taken."
    )
    assert "Yes 1, no 0, abstain 0." in with_motion.say("Cy", "/show 1")


def test_the_same_vote_twice_is_a_change_not_a_second_ballot(with_motion: Chat) -> None:
    assert with_motion.say("Bo", "/vote 1 yes") == "Vote on motion 1 recorded: yes."
    assert with_motion.say("Bo", "/vote 1 yes") == "Vote on motion 1 changed to yes."
    assert (
        with_motion.app.db.transaction(
            lambda conn: conn.execute(select(func.count()).select_from(votes)).scalar_one()
        )
        == 1
    )
    with_motion.advance(49)
    with_motion.say("Ana", "/close 1")
    result = with_motion.announcements()
    assert "Turnout 1 of 3 (quorum 1)." in result
    assert "Yes 1, no 0, abstain 0." in result


def test_a_non_member_cannot_vote(with_motion: Chat) -> None:
    people = with_motion.person_count()
    assert refused(with_motion, "Zed", "/vote 1 yes") == (
        "Only members of this assembly can vote on motion 1."
    )
    assert with_motion.person_count() == people


def test_a_title_over_200_characters_is_refused(with_motion: Chat) -> None:
    assert refused(with_motion, "Bo", "/motion " + "x" * 201) == (
        "The title is too long: 201 characters, at most 200."
    )
    assert with_motion.say("Bo", "/motion " + "y" * 200) == "Motion 2 is open for voting."
    assert "y" * 200 in with_motion.announcements()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/motion Lunch | " + "p" * 101 + " | Soup", "The option is too long: 101 characters"),
        ("/petition sitting " + "r" * 2001, "The reason is too long: 2001 characters"),
        ("/remove 2 " + "r" * 2001, "The reason is too long: 2001 characters"),
    ],
)
def test_other_texts_over_their_limits(with_motion: Chat, text: str, answer: str) -> None:
    assert refused(with_motion, "Bo", text).startswith(answer)


def test_a_5000_character_command_is_refused(with_motion: Chat) -> None:
    text = "/motion " + "x" * 4992
    assert len(text) == 5000
    assert refused(with_motion, "Bo", text) == "That message is too long for a command."


def test_a_5000_character_chat_message_gets_no_answer(with_motion: Chat) -> None:
    assert with_motion.say("Bo", "Long story. " * 417) == ""


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/motion Pay \u202eesir", "The title contains hidden direction marks; please retype it."),
        ("/motion Pay \u2067rise\u2069", "The title contains hidden direction marks"),
        ("/motion Pay\x07rise", "The title contains a control character; please retype it."),
        ("/petition sitting Heat\x00wave", "The reason contains a control character"),
        ("/motion Lunch | Pizza\x1b | Soup", "The option contains a control character"),
    ],
)
def test_hidden_direction_marks_and_control_characters(
    with_motion: Chat, text: str, answer: str
) -> None:
    assert refused(with_motion, "Bo", text).startswith(answer)


def test_zero_width_joiners_in_names_and_titles_are_kept(chat: Chat) -> None:
    chat.say("Ana", "/found Press shop")
    worker = "Lu \U0001f469\u200d\U0001f527"  # woman mechanic: a ZWJ sequence
    persian = "Mehr\u200cnaz"  # zero-width non-joiner, as in Persian names
    assert chat.say(worker, "/join") == f"Welcome, {worker}: you are a member."
    assert chat.say(persian, "/join") == f"Welcome, {persian}: you are a member."
    assert chat.say("Ana", "/members") == f"3 members: Ana (1), {worker} (2), {persian} (3)"
    family = "Day out \U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert chat.say(persian, f"/motion {family}") == "Motion 1 is open for voting."
    assert f"Motion 1 (decision): {family}" in chat.announcements()


def test_direction_marks_are_dropped_from_display_names(chat: Chat) -> None:
    chat.say("Ana", "/found Press shop")
    assert chat.say("Eve\u202e", "/join") == "Welcome, Eve: you are a member."


def test_titles_are_stored_in_composed_form(chat: Chat) -> None:
    chat.say("Ana", "/found Press shop")
    chat.say("Ana", "/motion Cafe\u0301 for the break room")
    assert (
        chat.app.db.transaction(lambda conn: conn.execute(select(motions.c.title)).scalar_one())
        == "Caf\u00e9 for the break room"
    )


def test_markup_in_a_title_is_kept_literally_and_escaped_when_rendered(chat: Chat) -> None:
    chat.say("Ana", "/found Press shop")
    title = "<b>x</b> and <script>alert(1)</script>"
    assert chat.say("Ana", f"/motion {title}") == "Motion 1 is open for voting."
    assert f"Motion 1 (decision): {title}" in chat.announcements()
    assert (
        chat.app.db.transaction(lambda conn: conn.execute(select(motions.c.title)).scalar_one())
        == title
    )

    answer = chat.app.handle_now(chat.actor("Ana"), Place("test", "group-1"), "/show 1")
    first = answer.replies[0].lines[0]
    assert render(first, "en") == f"Motion 1 (decision): {title}"
    assert render(first, "en", escape=html.escape) == (
        "Motion 1 (decision): &lt;b&gt;x&lt;/b&gt; and &lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_markup_in_a_display_name_is_escaped_when_rendered(chat: Chat) -> None:
    chat.say("Ana", "/found Press shop")
    answer = chat.app.handle_now(chat.actor("<i>Mal</i>"), Place("test", "group-1"), "/join")
    assert render(answer.replies[0].lines[0], "en", escape=html.escape) == (
        "Welcome, &lt;i&gt;Mal&lt;/i&gt;: you are a member."
    )


def test_a_spanish_speaker_is_refused_in_spanish(with_motion: Chat) -> None:
    with_motion.language = "es"  # Eva's app is in Spanish; the assembly speaks English
    with_motion.say("Eva", "/join")
    with_motion.announcements()
    assert refused(with_motion, "Eva", "/vote abc si") == "Hace falta un número, no abc."
    assert refused(with_motion, "Eva", "/frobnicate") == (
        "No conozco el comando /frobnicate. Envía /help para ver la lista."
    )
    assert with_motion.say("Eva", "/vote 1 si") == "Voto en la propuesta 1 registrado: sí."


def test_language_es_switches_an_english_member_to_spanish(with_motion: Chat) -> None:
    assert with_motion.say("Bo", "/language es") == "Te escribiré en español."
    assert refused(with_motion, "Bo", "/vote 999 si") == "No existe la propuesta 999."
    assert refused(with_motion, "Bo", "/language fr") == "Elige una de estas opciones: en, es."
    assert with_motion.say("Cy", "/vote 999 yes") == "There is no motion 999."
