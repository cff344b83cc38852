"""Quiet hours: a nightly window, in the assembly's local time, with no reminders.

Reminders exist so every shift can vote and come to sittings; waking people
up does not help that. A reminder that would fall inside the window is sent
at its start instead (earlier, so it still comes before the deadline); one
that is late (the process was down) waits for the window's end, if the
deadline has not passed by then. Results and announcements of decisions are
never held back: information reaches everyone at the same time.

The window is open at both ends: with ``22:00-07:00`` a reminder may go at
22:00 or at 07:00, never at 23:15 or 06:59.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import Refusal

_WINDOW = re.compile(r"^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Quiet:
    """From ``start`` to ``end`` local time (across midnight when ``end`` < ``start``)."""

    start: time
    end: time

    @property
    def text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, at: datetime, zone: ZoneInfo) -> bool:
        """Whether ``at`` falls strictly inside the window."""
        local = at.astimezone(zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start < local < self.end
        return local > self.start or local < self.end

    def start_before(self, at: datetime, zone: ZoneInfo) -> datetime:
        """The start of the window holding ``at`` (``at`` must be inside it)."""
        local = at.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) < self.end:
            day -= timedelta(days=1)  # after midnight: the window began the evening before
        return _instant(datetime.combine(day, self.start), zone)

    def end_after(self, at: datetime, zone: ZoneInfo) -> datetime:
        """The end of the window holding ``at`` (``at`` must be inside it)."""
        local = at.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) > self.start:
            day += timedelta(days=1)  # before midnight: the window ends the next morning
        return _instant(datetime.combine(day, self.end), zone)


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """A local wall time as UTC (a time skipped by a clock change reads as the one before)."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


def parse(text: str) -> Quiet | None:
    """``none``, or a window such as ``22:00-07:00`` or ``22-7``."""
    value = text.strip().lower().replace(" ", "")
    if value in ("none", "ninguna", "no"):
        return None
    match = _WINDOW.match(value)
    if match:
        h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) != (h2, m2):
            return Quiet(time(h1, m1), time(h2, m2))
    raise Refusal("Quiet hours are none or a window like 22:00-07:00.")


def earlier(at: datetime, setting: str, tz: str) -> datetime:
    """``at``, or the start of the quiet window it falls in (for planning reminders)."""
    window, zone = parse(setting), ZoneInfo(tz)
    if window is None or not window.contains(at, zone):
        return at
    return window.start_before(at, zone)


def later(at: datetime, setting: str, tz: str) -> datetime:
    """``at``, or the end of the quiet window it falls in (for a reminder sent late)."""
    window, zone = parse(setting), ZoneInfo(tz)
    if window is None or not window.contains(at, zone):
        return at
    return window.end_after(at, zone)
