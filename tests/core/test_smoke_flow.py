"""A first walk through an assembly's life, as members read it."""

from tests.chat import Chat


def test_found_join_vote_close(chat: Chat) -> None:
    assert "founded" in chat.say("Ana", "/found Press shop")
    for name in ("Bo", "Cy", "Di"):
        assert "member" in chat.say(name, "/join")
    assert "Motion 1 is open" in chat.say("Ana", "/motion Buy a second press")
    assert "Buy a second press" in chat.announcements()
    chat.say("Bo", "/vote 1 yes")
    chat.say("Cy", "/vote 1 no")
    assert "changed to yes" in chat.say("Cy", "/vote 1 yes")
    chat.advance(49)
    chat.say("Di", "/close 1")
    result = chat.announcements()
    assert "Motion 1 passed" in result
    assert "Yes 2, no 0, abstain 0." in result
