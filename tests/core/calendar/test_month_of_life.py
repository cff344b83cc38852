"""Six weeks of an assembly's life on a controlled clock, everything at its time.

The Press shop (Madrid time) elects a delegate, sets its ordinary sittings to
"2nd and 4th Tuesday at 17:30" and votes on lockers; then nobody touches
anything. The bot must post each agenda a day and an hour before, remind only
those who have not voted (once, never in the night), close each vote at its
time, remind the delegate before the report is due and flag it when it is
missing, putting "recall?" on the next sitting's agenda. Clocks go forward in
Madrid on 29 March, in the middle of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.chat import Chat, Said, assembly

MADRID = ZoneInfo("Europe/Madrid")
MEMBERS = ("Ana", "Bo", "Cy", "Di", "Ed")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def at(said: list[Said], text: str) -> list[datetime]:
    """When messages containing ``text`` were said (any chat)."""
    return [s.at for s in said if text in s.text]


@pytest.fixture
def life(chat: Chat) -> list[Said]:
    """The first two days by hand, then six weeks left to the clock."""
    assembly(chat, *MEMBERS[1:])
    chat.say("Ana", "/elect")  # motion 1: nominations for 48 h
    chat.say("Bo", "/nominate 1")
    for n, rule in (
        (2, "timezone Europe/Madrid"),
        (3, "sitting.rule 2nd and 4th Tuesday at 17:30"),
    ):
        assert (
            chat.say("Ana", f"/rules set {rule}") == f"Rule change put to the vote as motion {n}."
        )
        for name in MEMBERS:
            chat.say(name, f"/vote {n} yes")
    chat.announcements()
    said = chat.live(48)  # to Wednesday 4 March, 09:00 UTC: the rules pass, the ballot opens
    assert chat.say("Ana", "/motion New lockers") == "Motion 4 is open for voting."
    for name in ("Ana", "Bo"):
        chat.say(name, "/vote 4 yes")
    for name in ("Ana", "Bo", "Cy"):
        chat.say(name, "/vote 1 1", private=True)
    return said + chat.live(24 * 42)


def test_rules_pass_and_the_first_sitting_is_convened(life: list[Said]) -> None:
    assert at(life, "Rules version 3 is in force.") == [utc("2026-03-04 09:00")]
    assert at(life, "Ordinary sittings: The 2nd and 4th Tuesday of each month at 17:30.") == [
        utc("2026-03-04 09:00")
    ]
    # 17:30 in Madrid is 16:30 UTC in winter and 15:30 UTC in summer time.
    convened = [s for s in life if "convened (ordinary)" in s.text]
    assert [(s.at, s.text.split(":", 1)[1].split(".")[0]) for s in convened] == [
        (utc("2026-03-04 09:00"), " Ordinary sitting, 2026-03-10 17:30 CET"),
        (utc("2026-03-10 16:30"), " Ordinary sitting, 2026-03-24 17:30 CET"),
        (utc("2026-03-24 16:30"), " Ordinary sitting, 2026-04-14 17:30 CEST"),
        (utc("2026-04-14 15:30"), " Ordinary sitting, 2026-04-28 17:30 CEST"),
    ]


def test_each_agenda_is_posted_a_day_and_an_hour_before(life: list[Said]) -> None:
    posts = [(s.at, s.text.splitlines()[0]) for s in life if "starts in" in s.text]
    assert posts == [
        (utc("2026-03-09 16:30"), "Sitting 1 starts in 24 h, at 2026-03-10 17:30 CET."),
        (utc("2026-03-10 15:30"), "Sitting 1 starts in 1 h, at 2026-03-10 17:30 CET."),
        (utc("2026-03-23 16:30"), "Sitting 2 starts in 24 h, at 2026-03-24 17:30 CET."),
        (utc("2026-03-24 15:30"), "Sitting 2 starts in 1 h, at 2026-03-24 17:30 CET."),
        (utc("2026-04-13 15:30"), "Sitting 3 starts in 24 h, at 2026-04-14 17:30 CEST."),
        (utc("2026-04-14 14:30"), "Sitting 3 starts in 1 h, at 2026-04-14 17:30 CEST."),
    ]
    assert all(s.to == "group-1" for s in life if "starts in" in s.text)


def test_only_those_who_did_not_vote_are_reminded_once_and_not_at_night(
    life: list[Said],
) -> None:
    lockers = [s for s in life if s.text.startswith("Reminder: motion 4,")]
    assert sorted(s.to for s in lockers) == ["dm:Cy", "dm:Di", "dm:Ed"]
    # Four hours before the 10:00 (Madrid) close is 06:00, in quiet hours: 22:00 the evening before.
    assert {s.at for s in lockers} == {utc("2026-03-05 21:00")}
    assert lockers[0].text.splitlines() == [
        "Reminder: motion 4, New lockers, closes 2026-03-06 10:00 CET. You have not voted yet.",
        "Vote: /vote 4 yes | no | abstain",
    ]
    ballot = [s for s in life if s.text.startswith("Reminder: motion 1,")]
    assert sorted(s.to for s in ballot) == ["dm:Di", "dm:Ed"]  # a secret ballot's turnout
    for reminder in (s for s in life if s.text.startswith("Reminder:")):
        local = reminder.at.astimezone(MADRID).time()
        assert local.hour >= 7 and (local.hour, local.minute) <= (22, 0)


def test_votes_close_by_themselves_at_their_time(life: list[Said]) -> None:
    assert at(life, "Motion 4 passed: New lockers") == [utc("2026-03-06 09:00")]
    assert at(life, "Bo is delegate 1") == [utc("2026-03-06 09:00")]


def test_the_delegate_is_reminded_and_the_missing_report_flagged(
    chat: Chat, life: list[Said]
) -> None:
    reminders = [s for s in life if s.text.startswith("Reminder: your report")]
    assert [(s.at, s.to) for s in reminders] == [
        (utc("2026-04-03 09:00"), "dm:Bo"),
        (utc("2026-04-05 09:00"), "dm:Bo"),
    ]
    assert reminders[0].text == (
        "Reminder: your report as delegate 1 is due 2026-04-06 11:00 CEST. Post it: /report 1"
    )
    flagged = [s for s in life if "is overdue" in s.text]
    assert [(s.at, s.to) for s in flagged] == [(utc("2026-04-06 09:00"), "group-1")]
    assert "On the agenda of sitting 3: report missing, recall?" in flagged[0].text
    assert "Report missing: recall Bo? (/recall 1)" in chat.say("Cy", "/agenda 3")


def test_nothing_is_said_twice(life: list[Said]) -> None:
    keys = [(s.at, s.to, s.text) for s in life]
    assert len(keys) == len(set(keys))


def test_a_restart_mid_life_changes_nothing(chat: Chat, life: list[Said]) -> None:
    """Running what is due again, at once, does and says nothing more."""
    chat.tick()
    chat.tick()
    assert chat.live(0) == []
