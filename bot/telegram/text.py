"""Engine messages as Telegram HTML, cut to Telegram's length limit.

The engine's texts are plain text: their templates contain angle brackets of
their own (``/vote <motion> <choice>``) and members' words may contain anything.
So the whole rendered text is escaped once, templates and members' words
alike, and Telegram shows exactly what the console would. Escaping only the
parameters (``render(..., escape=html.escape)``) would leave ``<motion>`` in a
template to be read as a tag, and Telegram refuses such a message outright.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from core.i18n import render
from core.messages import Msg

# Telegram's limit for one message's text, in UTF-16 code units after entity parsing.
# We count the HTML source, which is never shorter than the text it shows.
LIMIT = 4096
TOAST_LIMIT = 200  # characters of a callback answer (answerCallbackQuery's text)
_ADDRESSED = re.compile(r"^(/[A-Za-z0-9_]{1,32})@([A-Za-z0-9_]{1,64})(?=\s|$)")
_ENTITY = re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);")


def as_html(lines: tuple[Msg, ...], language: str) -> str:
    """Messages in the reader's language, one per line, escaped for parse_mode HTML."""
    return "\n".join(html.escape(render(msg, language), quote=False) for msg in lines)


def as_toast(lines: tuple[Msg, ...], language: str, limit: int = TOAST_LIMIT) -> str:
    """Messages as a callback answer: plain text (a toast shows no HTML), cut to fit."""
    text = "\n".join(render(msg, language) for msg in lines)
    if units(text) <= limit:
        return text
    cut = limit - 1
    while units(text[:cut]) > limit - 1:
        cut -= 1
    return text[:cut].rstrip() + "…"


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` in messages of at most ``limit`` units, cut at line breaks.

    A line longer than a whole message is cut at spaces, and a word longer than
    that at any character outside an HTML entity. The text holds no tags (see
    the module's docstring), so no cut can leave a tag open.
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _pieces(line, limit):
            joined = f"{current}\n{piece}" if current else piece
            if units(joined) <= limit:
                current = joined
            else:
                parts.append(current)
                current = piece
    parts.append(current)
    return [part.strip("\n") for part in parts if part.strip()]


def _pieces(line: str, limit: int) -> Iterator[str]:
    """A line in pieces that each fit ``limit``: whole words where possible."""
    if units(line) <= limit:
        yield line
        return
    current = ""
    for word in line.split(" "):
        joined = f"{current} {word}" if current else word
        if units(joined) <= limit:
            current = joined
            continue
        if current:
            yield current
        while units(word) > limit:
            cut = _cut(word, limit)
            yield word[:cut]
            word = word[cut:]
        current = word
    if current:
        yield current


def _cut(word: str, limit: int) -> int:
    """Where to cut ``word`` so its head fits ``limit``, never inside an entity."""
    cut = min(len(word), limit)  # a character is at least one unit
    while units(word[:cut]) > limit:
        cut -= 1
    amp = word.rfind("&", 0, cut)
    entity = _ENTITY.match(word, amp) if amp > 0 else None
    if entity is not None and entity.end() > cut:
        cut = amp
    return cut


def addressed(text: str, username: str | None) -> str | None:
    """The command without its ``@Username`` suffix; None if it names another bot.

    In a group with several bots, Telegram users write ``/help@ThatBot``: a
    command for another bot is not ours to answer.
    """
    match = _ADDRESSED.match(text)
    if match is None:
        return text
    if username is not None and match.group(2).lower() != username.lower():
        return None
    return match.group(1) + text[match.end() :]
