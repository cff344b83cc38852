"""Showing engine output on a terminal: who sees a message, wrapped to fit.

Each message is tagged with its audience so one reader playing several
members can tell a reply (only the typist's chat) from an announcement the
whole group sees and from a private message to one member.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass

from core.i18n import render
from core.messages import Msg

BOT = "bot:"
PRIVATE = "bot (private):"
FILE = "file:"
INDENT = "  "
DEFAULT_WIDTH = 78
LIST_ITEM = 32  # items of a "; " list up to this long are never split (receipts)
_KEEP = "\0"


@dataclass(frozen=True)
class Shown:
    """One message as the terminal shows it: its audience tag and its lines."""

    tag: str
    lines: tuple[str, ...]


def group_tag(chat_id: str) -> str:
    """The tag of an announcement everyone in the group chat ``chat_id`` sees."""
    return f"[{chat_id}]"


def dm_tag(name: str) -> str:
    """The tag of a message sent privately to ``name``."""
    return f"[dm to {name}]"


def head(seq: int, digest: str) -> str:
    """An audit chain head as chats show it (``/record``) and ``--head`` accepts it."""
    return f"{seq}:{digest[:16]}"


def rendered(lines: tuple[Msg, ...], language: str) -> tuple[str, ...]:
    """Messages in the reader's language, one text line per line of output."""
    return tuple(part for msg in lines for part in render(msg, language).splitlines())


def terminal_width() -> int:
    """The width to wrap console output at (one column spare, never tiny)."""
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH + 1, 24)).columns - 1)


def format_shown(shown: Shown, width: int = DEFAULT_WIDTH) -> list[str]:
    """The tag on the first line, later lines aligned under the text.

    Long lines are wrapped at spaces only, so hashes and receipts stay whole
    and can be copied; a list of short items (the receipts of a secret vote)
    breaks between items, never inside one.
    """
    lead = f"{INDENT}{shown.tag} "
    pad = " " * len(lead)
    out: list[str] = []
    for number, line in enumerate(shown.lines):
        first = lead if number == 0 else pad
        wrapped = textwrap.wrap(
            _keep_items(line),
            width=max(width, len(pad) + 20),
            initial_indent=first,
            subsequent_indent=pad + INDENT,
            break_long_words=False,
            break_on_hyphens=False,
        )
        out += [part.replace(_KEEP, " ") for part in wrapped] or [first.rstrip()]
    return out


def _keep_items(line: str) -> str:
    """Bind the words of each item of a "; " list of short items together."""
    items = line.split("; ")
    if len(items) < 3 or any(len(item) > LIST_ITEM for item in items):
        return line
    return "; ".join(item.replace(" ", _KEEP) for item in items)
