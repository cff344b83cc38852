"""Commands for delegates: read the arguments, call one service, reply."""

from __future__ import annotations
