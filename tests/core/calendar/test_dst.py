"""Daylight-saving changes in two timezones: sittings stay at their local hour,
notices and reminders keep to local quiet hours, on either side of the change.

The clocks change in New York on 1 November 2026 and 14 March 2027, in Madrid
on 25 October 2026 and 28 March 2027, each on a Sunday night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.store.tables import sittings
from tests.chat import Chat, Said, assembly

CHANGES = [
    ("America/New_York", date(2026, 11, 1)),
    ("America/New_York", date(2027, 3, 14)),
    ("Europe/Madrid", date(2026, 10, 25)),
    ("Europe/Madrid", date(2027, 3, 28)),
]
MEMBERS = ("Ana", "Bo", "Cy", "Di")


def go_to(chat: Chat, when: datetime) -> None:
    """Move the still clock to ``when`` (nothing is due yet in these tests)."""
    chat.advance((when - chat.app.clock.now()) / timedelta(hours=1))


def adopt(chat: Chat, zone: str, rule: str | None = None) -> list[Said]:
    """The assembly adopts its timezone and its sitting rule (48 h votes)."""
    changes = [f"timezone {zone}"] + ([f"sitting.rule {rule}"] if rule else [])
    for n, change in enumerate(changes, 1):
        assert chat.say("Ana", f"/rules set {change}") == (
            f"Rule change put to the vote as motion {n}."
        )
        for name in MEMBERS:
            chat.say(name, f"/vote {n} yes")
    chat.announcements()
    return chat.live(48)


def local(said: Said, zone: str) -> datetime:
    return said.at.astimezone(ZoneInfo(zone))


@pytest.mark.parametrize(("zone", "change"), CHANGES, ids=[f"{z}-{d}" for z, d in CHANGES])
def test_sittings_keep_their_local_hour_across_the_change(
    chat: Chat, zone: str, change: date
) -> None:
    assembly(chat, *MEMBERS[1:])
    go_to(chat, datetime.combine(change - timedelta(days=12), time(9), UTC))
    said = adopt(chat, zone, "every Wednesday at 17:30") + chat.live(24 * 21)
    starts = chat.app.db.transaction(
        lambda conn: list(conn.execute(select(sittings.c.starts_at).order_by(sittings.c.id)))
    )
    local_starts = [row.starts_at.astimezone(ZoneInfo(zone)) for row in starts]
    assert len(local_starts) >= 3
    assert {(s.weekday(), s.time()) for s in local_starts} == {(2, time(17, 30))}
    offsets = {s.utcoffset() for s in local_starts}
    assert len(offsets) == 2  # the same local hour is a different UTC hour after the change
    before = [local(s, zone) for s in said if "starts in 1 h" in s.text]
    day_before = [local(s, zone) for s in said if "starts in 24 h" in s.text]
    assert {t.time() for t in before} == {time(16, 30)}
    assert {(t.weekday(), t.time()) for t in day_before} == {(1, time(17, 30))}


@pytest.mark.parametrize(("zone", "change"), CHANGES, ids=[f"{z}-{d}" for z, d in CHANGES])
def test_a_reminder_in_the_night_of_the_change_comes_at_22_the_evening_before(
    chat: Chat, zone: str, change: date
) -> None:
    """The vote closes at 08:00 on the Sunday of the change; four hours before is
    04:00, in quiet hours, which began at 22:00 on Saturday, before the change."""
    assembly(chat, *MEMBERS[1:])
    go_to(chat, datetime.combine(change - timedelta(days=8), time(9), UTC))
    adopt(chat, zone)
    closes = datetime.combine(change, time(8), ZoneInfo(zone)).astimezone(UTC)
    go_to(chat, closes - timedelta(hours=48))
    chat.say("Ana", "/motion Night shift allowance")
    chat.say("Ana", "/vote 2 yes")
    said = chat.live(49)
    reminders = [s for s in said if s.text.startswith("Reminder: motion 2")]
    assert sorted(s.to for s in reminders) == ["dm:Bo", "dm:Cy", "dm:Di"]
    saturday_22 = datetime.combine(change - timedelta(days=1), time(22), ZoneInfo(zone))
    assert {s.at for s in reminders} == {saturday_22.astimezone(UTC)}
    closed = [s.at for s in said if "Motion 2 " in s.text and "Turnout" in s.text]
    assert closed == [closes]
