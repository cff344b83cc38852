"""One place that tells the time, so tests and the demo can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    """The real time, aware and in UTC."""
    return datetime.now(UTC)


class Clock:
    """A clock that can be frozen and advanced (the demo and tests do)."""

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self._source = source
        self._offset = timedelta()

    def now(self) -> datetime:
        """The current time, aware and in UTC."""
        return self._source() + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move time forward by ``delta`` (never backwards)."""
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self._offset += delta


class FixedClock(Clock):
    """A clock standing at a given instant until advanced."""

    def __init__(self, start: datetime) -> None:
        super().__init__(lambda: start)
