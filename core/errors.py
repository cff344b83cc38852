"""User-facing refusals: translated, short, and they change nothing.

Raising ``Refusal`` inside a unit of work rolls the transaction back, so a
refused command leaves the database exactly as it was.
"""

from __future__ import annotations

from typing import Any

from core.messages import Msg


class Refusal(Exception):
    """A command was refused; ``msg`` says why in the reader's language."""

    def __init__(self, msgid: str, /, **params: Any) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msg = Msg(msgid, params)
