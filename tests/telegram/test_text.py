"""Cutting long texts for Telegram, and commands addressed to a bot by name."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.telegram.text import addressed, as_html, split, units
from core.messages import Msg

pytestmark = pytest.mark.telegram


def test_lines_stay_whole_and_every_part_fits() -> None:
    lines = [f"line {n} " + "x" * 90 for n in range(100)]
    parts = split("\n".join(lines), limit=1000)
    assert all(units(part) <= 1000 for part in parts)
    assert "\n".join(parts).split("\n") == lines
    for part, after in pairwise(parts):  # no more messages than needed
        assert units(part + "\n" + after.split("\n")[0]) > 1000


def test_a_line_longer_than_a_message_is_cut_between_words() -> None:
    words = [f"w{n:03d}" for n in range(400)]
    parts = split(" ".join(words), limit=100)
    assert all(units(part) <= 100 for part in parts)
    assert " ".join(parts).split(" ") == words


def test_a_word_longer_than_a_message_is_never_cut_inside_an_entity() -> None:
    word = "a&amp;" * 50
    parts = split(word, limit=64)
    assert "".join(parts) == word
    assert all(units(part) <= 64 and part.count("&") == part.count(";") for part in parts)


def test_characters_count_as_telegram_counts_them() -> None:
    assert units("ñ") == 1
    assert units("🗳") == 2  # outside the BMP: two UTF-16 units
    parts = split("🗳" * 3000)
    assert [units(part) for part in parts] == [4096, 1904]


def test_blank_lines_at_a_cut_leave_no_empty_message() -> None:
    assert split("a" * 10 + "\n\n\n" + "b" * 10, limit=12) == ["a" * 10, "b" * 10]
    assert split("") == []


def test_everything_is_escaped_once() -> None:
    msg = Msg("/vote <motion> <choice> — {title}", {"title": "<b>x</b> & y"})
    assert as_html((msg,), "en") == (
        "/vote &lt;motion&gt; &lt;choice&gt; — &lt;b&gt;x&lt;/b&gt; &amp; y"
    )


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("/vote@KonsiloBot 1 yes", "/vote 1 yes"),
        ("/help@konsilobot", "/help"),
        ("/vote@OtherBot 1 no", None),
        ("/vote 1 yes", "/vote 1 yes"),
        ("mail me at a@KonsiloBot", "mail me at a@KonsiloBot"),
    ],
)
def test_a_command_for_another_bot_is_not_ours(typed: str, seen: str | None) -> None:
    assert addressed(typed, "KonsiloBot") == seen
