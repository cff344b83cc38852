"""Times as members read them: in their assembly's timezone, with its abbreviation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core import assemblies
from core.context import Tx


def zone_of(tx: Tx, assembly_id: int) -> str:
    """The assembly's timezone (statute ``timezone``)."""
    return str(assemblies.statute(tx, assembly_id)["timezone"])


def minute(at: datetime, tz: str) -> str:
    """``2026-03-10 18:00 CET``: local date and time, and which clock it is."""
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")
