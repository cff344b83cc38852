"""Messages are keys plus parameters until a transport renders them.

A service never builds a user-facing string: it returns ``Msg`` objects whose
``key`` is an English gettext msgid with ``{named}`` placeholders. The
transport renders them in the reader's language (``core.i18n.render``).
Parameters may themselves be ``Msg`` objects (translated too) or plain values
(members' own words, shown as they wrote them and escaped by the transport).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(key: str) -> str:
    """Mark a msgid for extraction without translating it yet."""
    return key


@dataclass(frozen=True)
class Msg:
    """A message to render later: a msgid and its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, msgid: str, /, **params: Any) -> Msg:
        """Build a message; ``msgid`` must be marked with ``N_`` at the call site."""
        return cls(msgid, params)


@dataclass(frozen=True)
class Attachment:
    """A file a reply carries (an export, later a chart)."""

    filename: str
    content: bytes
    mime: str = "application/json"


@dataclass(frozen=True)
class Reply:
    """What the acting member (or their chat) sees at once after a command.

    ``private`` replies go to the member alone (a receipt, an export), never to
    the group.
    """

    lines: tuple[Msg, ...]
    private: bool = False
    attachment: Attachment | None = None
