"""Checking what members type: length limits, odd Unicode, nothing hidden.

Members' words are stored as typed (after NFC normalisation) and escaped by
each transport when shown, so markup can never be injected. What is refused:
control characters, bidirectional overrides (they can make a text read
differently from what it says) and texts over the limits, which are set so a
message still fits a phone screen.
"""

from __future__ import annotations

import unicodedata

from core.errors import Refusal
from core.messages import N_, Msg

TITLE_LIMIT = 200
TEXT_LIMIT = 2000
NAME_LIMIT = 64
OPTION_LIMIT = 100
MAX_OPTIONS = 20

_BIDI_CONTROLS = {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
}


def clean(text: str, limit: int, what: str = N_("text")) -> str:
    """NFC-normalised, trimmed text, or a refusal saying what is wrong.

    ``what`` names the field in words (a msgid marked with ``N_``).
    """
    label = Msg(what)
    value = unicodedata.normalize("NFC", text).strip()
    if not value:
        raise Refusal("The {what} is empty.", what=label)
    if len(value) > limit:
        raise Refusal(
            "The {what} is too long: {length} characters, at most {limit}.",
            what=label,
            length=len(value),
            limit=limit,
        )
    for char in value:
        if char in _BIDI_CONTROLS:
            raise Refusal(
                "The {what} contains hidden direction marks; please retype it.", what=label
            )
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and char not in "\n\t":
            raise Refusal("The {what} contains a control character; please retype it.", what=label)
    return value


def clean_name(name: str) -> str:
    """A display name as platforms give it: never refused, only tidied."""
    value = "".join(
        c
        for c in unicodedata.normalize("NFC", name)
        if c not in _BIDI_CONTROLS and unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn")
    ).strip()
    return (value or "?")[:NAME_LIMIT]
