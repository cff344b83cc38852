"""Commands for reports: read the arguments, call one service, reply."""

from __future__ import annotations
