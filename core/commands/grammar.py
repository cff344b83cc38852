"""Parsing what a member typed: ``/name args`` (``!name`` on Matrix).

One place for argument errors: each helper here refuses with a short,
translated message that says what to type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import Refusal
from core.statutes import METHODS

MAX_COMMAND = 4096
_HEAD = re.compile(r"^[/!]([A-Za-z_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+|$)")


@dataclass(frozen=True)
class Command:
    """A command name and the rest of the line, untouched."""

    name: str
    args: str


def parse(text: str) -> Command | None:
    """The command in ``text``, or None when it is ordinary chat."""
    match = _HEAD.match(text.strip())
    if not match:
        return None  # ordinary chat, however long, is none of our business
    if len(text) > MAX_COMMAND:
        raise Refusal("That message is too long for a command.")
    return Command(match.group(1).lower(), text.strip()[match.end() :].strip())


def number(text: str, what: str = "number") -> int:
    """A positive whole number (an id), or a refusal."""
    value = text.strip().lstrip("#")
    if not value.isdigit() or len(value) > 12 or int(value) == 0:
        raise Refusal("Expected a number, got {text}.", text=text[:40] or "-")
    return int(value)


def split_first(args: str) -> tuple[str, str]:
    """The first word and the rest."""
    parts = args.split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


@dataclass(frozen=True)
class MotionSpec:
    """``/motion [method] [secret] [48h] title | option | option``."""

    title: str
    method: str | None
    options: list[str]
    secret: bool
    hours: int | None


_HOURS = re.compile(r"^(\d{1,4})h$")


def motion_spec(args: str) -> MotionSpec:
    """Read the words before the title, then the title and options."""
    words = args.split()
    method, secret, hours = None, False, None
    while words:
        word = words[0].lower()
        if word in METHODS and method is None:
            method = word
        elif word == "secret" and not secret:
            secret = True
        elif (match := _HOURS.match(word)) and hours is None:
            hours = int(match.group(1))
        else:
            break
        words.pop(0)
    parts = [p.strip() for p in " ".join(words).split("|")]
    if not parts[0]:
        raise Refusal("Give the motion a title: /motion <title> | <option> | <option>")
    options = [p for p in parts[1:] if p]
    return MotionSpec(parts[0], method, options, secret, hours)
