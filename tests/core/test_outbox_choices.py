"""A motion's announcement carries its choices, so a transport can offer them as buttons."""

from __future__ import annotations

from sqlalchemy import Connection

from core.i18n import render
from core.messages import Msg
from core.outbox import Choices, pending
from tests.chat import Chat, assembly


def announced_choices(chat: Chat) -> list[Choices | None]:
    """The choices of every pending row of the group, in order."""

    def read(conn: Connection) -> list[Choices | None]:
        return [p.choices for p in pending(conn, chat.platform, 1000) if p.chat_id == chat.group]

    return chat.app.db.transaction(read)


def labels(choices: Choices, language: str) -> list[str]:
    return [
        render(c.label, language) if isinstance(c.label, Msg) else c.label for c in choices.options
    ]


def test_a_yes_no_motion_offers_yes_no_and_abstain(chat: Chat) -> None:
    assembly(chat, "Bo", "Cy", "Di")
    chat.say("Ana", "/motion Buy a second press")
    [offered] = announced_choices(chat)
    assert offered is not None
    assert (offered.motion, offered.method, offered.secret) == (1, "yesno", False)
    assert [c.command for c in offered.options] == ["yes", "no", "abstain"]
    assert labels(offered, "en") == ["yes", "no", "abstain"]
    assert labels(offered, "es") == ["sí", "no", "abstención"]
    for name, option in zip(("Bo", "Cy", "Di"), offered.options, strict=True):
        # each is exactly a vote the member could type
        assert "recorded" in chat.say(name, f"/vote 1 {option.command}")


def test_a_single_choice_offers_each_option_by_number(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion single secret Lunch | Pizza | Soup")
    [offered] = announced_choices(chat)
    assert offered is not None
    assert (offered.method, offered.secret) == ("single", True)
    assert [(c.label, c.command) for c in offered.options] == [("1. Pizza", "1"), ("2. Soup", "2")]


def test_a_ranked_vote_offers_no_single_press(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion schulze Holiday week | May | July | August")
    [offered] = announced_choices(chat)
    assert offered is not None and offered.method == "schulze" and offered.options == ()


def test_other_announcements_carry_no_choices(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Ana", "/motion Buy a second press")
    chat.announcements()
    chat.say("Bo", "/vote 1 yes")
    chat.advance(49)
    chat.say("Ana", "/close 1")
    assert announced_choices(chat) == [None]
