"""The calendar's rules, set by vote: bad values are refused and change nothing;
changing a rule moves what was planned under the old one, losing nothing."""

from __future__ import annotations

import pytest

from tests.chat import Chat, assembly, refused, vote_and_close
from tests.core.delegates.test_reports import REPORT, delegate_bo

MEMBERS = ("Bo", "Cy", "Di")
EVERYONE = ("Ana", *MEMBERS)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        (
            "/rules set sitting.rule every second Tuesday at 9",
            "That could mean every 2 weeks or the 2nd Tuesday of each month: "
            "write the one you mean.",
        ),
        ("/rules set sitting.rule every Monday", "Add the time of day, as in “at 17:30”."),
        ("/rules set quiet.hours 25-7", "Quiet hours are none or a window like 22:00-07:00."),
        (
            "/rules set sitting.reminders 48,24,12,6,1",
            "Give none, or up to four numbers of hours from 1 to 720, like 24,1.",
        ),
        ("/rules set voting.reminders 9", "Give a whole number of reminders from 0 to 5."),
        ("/rules set voting.remind_hours 0", "Give a whole number of hours from 1 to 72."),
        (
            "/rules set voting.hours 12",
            "voting.hours (12 h) would be shorter than voting.min_hours (24 h).",
        ),
        (
            "/rules set voting.min_hours 72",
            "voting.hours (48 h) would be shorter than voting.min_hours (72 h).",
        ),
        (
            "/motion 2h Quick one",
            "Voting stays open at least 24 hours here, so every shift can vote "
            "(rule voting.min_hours).",
        ),
        (
            "/draft 12h Quick one",
            "Voting stays open at least 24 hours here, so every shift can vote "
            "(rule voting.min_hours).",
        ),
    ],
)
def test_bad_calendar_rules_are_refused_and_change_nothing(
    chat: Chat, text: str, answer: str
) -> None:
    assembly(chat, *MEMBERS)
    assert refused(chat, "Ana", text) == answer


def test_a_draft_cannot_be_opened_for_less_than_the_minimum(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    chat.say("Ana", "/draft Quick one")
    assert refused(chat, "Ana", "/open 1 3").startswith("Voting stays open at least 24 hours")
    assert chat.say("Ana", "/open 1 24") == "Motion 1 is open for voting."


def test_a_shorter_window_needs_the_assemblys_vote_first(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    chat.say("Ana", "/rules set voting.min_hours 2")
    assert "Rules version 2 is in force." in vote_and_close(chat, 1, EVERYONE)
    assert chat.say("Ana", "/motion 2h Quick one") == "Motion 2 is open for voting."


def ruled(chat: Chat, rule: str, motion: int) -> str:
    chat.say("Ana", f"/rules set sitting.rule {rule}")
    for name in EVERYONE:
        chat.say(name, f"/vote {motion} yes")
    return "\n".join(s.text for s in chat.live(48))


def test_a_new_rule_cancels_the_old_sittings_and_moves_their_agenda(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    told = ruled(chat, "every Monday at 18:00", 1)
    assert "Ordinary sittings: Every Monday at 18:00." in told
    assert "Sitting 1 convened (ordinary): Ordinary sitting, 2026-03-09 18:00 UTC." in told
    # Members read the decision before what it causes.
    assert told.index("Motion 1 passed") < told.index("Sitting 1 convened")
    chat.say("Cy", "/agenda add Lockers")
    told = ruled(chat, "first Friday of the month at 17:00", 2)
    assert "Sitting 1 is cancelled: the rule changed. Its agenda moves to sitting 2." in told
    assert "Sitting 2 convened (ordinary): Ordinary sitting, 2026-04-03 17:00 UTC." in told
    assert chat.say("Di", "/agenda").splitlines() == [
        "Sitting 2 (ordinary), 2026-04-03 17:00 UTC: Ordinary sitting",
        "1. Lockers",
    ]
    # The cancelled sitting's agenda went with its items, and it posts no notices.
    assert chat.say("Di", "/agenda 1").splitlines()[1] == (
        "The agenda is empty. Add an item: /agenda add <text>"
    )
    later = chat.live(24 * 30)
    assert not [s for s in later if "Sitting 1 starts" in s.text]
    assert [s.text.splitlines()[0] for s in later if "starts in" in s.text] == [
        "Sitting 2 starts in 24 h, at 2026-04-03 17:00 UTC.",
        "Sitting 2 starts in 1 h, at 2026-04-03 17:00 UTC.",
    ]


def test_rule_none_stops_the_sittings(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    ruled(chat, "every Monday at 18:00", 1)
    told = ruled(chat, "none", 2)
    assert "Ordinary sittings no longer recur by a rule." in told
    assert "Sitting 1 is cancelled: the rule changed." in told
    assert not [s for s in chat.live(24 * 14) if "convened" in s.text or "starts in" in s.text]


def reminders_of(chat: Chat, motion: int, hours: float) -> list[tuple[str, str]]:
    return [
        (s.at.strftime("%d %H:%M"), s.to)
        for s in chat.live(hours)
        if s.text.startswith(f"Reminder: motion {motion},")
    ]


def test_two_reminders_stop_for_those_who_voted_in_between(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    chat.say("Ana", "/rules set voting.reminders 2")
    vote_and_close(chat, 1, EVERYONE)
    chat.say("Ana", "/rules set quiet.hours none")
    vote_and_close(chat, 2, EVERYONE)  # the clock is now 2026-03-06 11:00 UTC
    chat.say("Ana", "/motion Lockers")  # closes 03-08 11:00: reminders at 03:00 and 07:00
    everyone = ("dm:Ana", "dm:Bo", "dm:Cy", "dm:Di")
    assert reminders_of(chat, 3, 43) == [("08 03:00", n) for n in everyone]
    chat.say("Bo", "/vote 3 no")
    assert reminders_of(chat, 3, 5) == [("08 07:00", n) for n in ("dm:Ana", "dm:Cy", "dm:Di")]


def test_no_reminders_when_the_statute_says_none(chat: Chat) -> None:
    assembly(chat, *MEMBERS)
    chat.say("Ana", "/rules set voting.reminders 0")
    vote_and_close(chat, 1, EVERYONE)
    chat.say("Ana", "/motion Lockers")
    assert reminders_of(chat, 2, 49) == []


def test_a_report_posted_in_time_stops_its_reminders(chat: Chat) -> None:
    delegate_bo(chat)  # due 2026-04-04 09:00 UTC: reminders on 04-01 and 04-03
    chat.say("Bo", REPORT)
    said = chat.live(24 * 31)
    assert not [s for s in said if s.text.startswith("Reminder: your report")]
    assert not [s for s in said if "overdue" in s.text]
