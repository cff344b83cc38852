"""Quiet hours: which instants are inside the window, and where reminders move."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.calendar import quiet
from core.errors import Refusal

MADRID = "Europe/Madrid"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "stored"),
    [("22:00-07:00", "22:00-07:00"), ("22-7", "22:00-07:00"), (" 13:30 - 14:00 ", "13:30-14:00")],
)
def test_windows_members_write(text: str, stored: str) -> None:
    window = quiet.parse(text)
    assert window is not None and window.text == stored


@pytest.mark.parametrize("text", ["", "22", "25-7", "22:00-22:00", "22:61-07:00", "night"])
def test_windows_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(Refusal) as refusal:
        quiet.parse(text)
    assert refusal.value.msg.key == "Quiet hours are none or a window like 22:00-07:00."


def test_none_means_no_quiet_hours() -> None:
    assert quiet.parse("none") is None
    assert quiet.earlier(utc("2026-03-10 02:00"), "none", MADRID) == utc("2026-03-10 02:00")


def test_a_reminder_in_the_night_moves_to_the_evening_before() -> None:
    # 04:30 in Madrid (CET) is 03:30 UTC; the window began at 22:00 CET, 21:00 UTC.
    assert quiet.earlier(utc("2026-03-10 03:30"), "22:00-07:00", MADRID) == utc("2026-03-09 21:00")
    # 23:30 CET: the window began the same evening.
    assert quiet.earlier(utc("2026-03-10 22:30"), "22:00-07:00", MADRID) == utc("2026-03-10 21:00")


def test_the_edges_of_the_window_are_not_quiet() -> None:
    for edge in ("2026-03-10 21:00", "2026-03-11 06:00"):  # 22:00 and 07:00 CET
        assert quiet.earlier(utc(edge), "22:00-07:00", MADRID) == utc(edge)


def test_a_late_reminder_waits_for_the_end_of_the_window() -> None:
    assert quiet.later(utc("2026-03-10 03:30"), "22:00-07:00", MADRID) == utc("2026-03-10 06:00")
    assert quiet.later(utc("2026-03-10 22:30"), "22:00-07:00", MADRID) == utc("2026-03-11 06:00")
    assert quiet.later(utc("2026-03-10 12:00"), "22:00-07:00", MADRID) == utc("2026-03-10 12:00")


def test_a_daytime_window() -> None:
    # A lunch break, 13:00-14:00 in Madrid summer time (UTC+2).
    assert quiet.earlier(utc("2026-06-10 11:30"), "13:00-14:00", MADRID) == utc("2026-06-10 11:00")
    assert quiet.later(utc("2026-06-10 11:30"), "13:00-14:00", MADRID) == utc("2026-06-10 12:00")
