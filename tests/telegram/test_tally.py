"""One tally per motion: its announcement in the group is edited as ballots come in."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.telegram.transport import EDIT_SHARE, GROUP_LIMIT, GROUP_WINDOW
from tests.telegram.client import BotMessage, User, private_chat
from tests.telegram.conftest import EDIT_PAUSE, Telegram
from tests.telegram.test_assembly import ANA, BO, CY, DI, ED, SHOP, found

pytestmark = pytest.mark.telegram


async def motion(tg: Telegram, text: str) -> BotMessage:
    """``text`` puts a motion; its announcement as the group reads it."""
    await tg.say(ANA, SHOP, text)
    said = await tg.messages(SHOP)
    return said[-1]


async def shows(tg: Telegram, message: BotMessage, ending: str, timeout: float = 5.0) -> BotMessage:
    """``message`` once its text ends with ``ending`` (failing after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while True:
        now = await tg.current(SHOP, message)
        if now.text.endswith(ending):
            return now
        assert time.monotonic() < deadline, f"the tally reads {now.text!r}"
        await asyncio.sleep(0.05)


async def group_calls(tg: Telegram) -> list[dict[str, object]]:
    return [c for c in await tg.client.calls() if str(c.get("chat_id")) == str(SHOP.id)]


def busiest_minute(calls: list[dict[str, object]]) -> int:
    """The most calls to the group within any GROUP_WINDOW."""
    times = sorted(float(str(c["t_ms"])) / 1000 for c in calls)
    return max((sum(1 for u in times if t <= u < t + GROUP_WINDOW) for t in times), default=0)


async def test_a_burst_of_presses_becomes_a_few_edits_the_last_one_right(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY, DI, ED)
    announced = await motion(tg, "/motion Buy a second press")
    assert announced.labels == ["yes", "no", "abstain"]

    # Every member presses four times in a burst, ending with their real choice
    # (the members at once; each one's presses in order).
    final = {ANA: "yes", BO: "yes", CY: "no", DI: "yes", ED: "no"}
    presses = [(m, c) for m, last in final.items() for c in ("no", "abstain", "yes", last)]

    async def press_in_turn(member: User) -> None:
        for who, choice in presses:
            if who == member:
                await tg.client.press(member, SHOP, announced, f"v:1:{choice}")

    await asyncio.gather(*(press_in_turn(member) for member in final))
    tg.sent += len(presses)
    await tg.settle()

    tally = await shows(tg, announced, "Turnout 5 of 5: yes 3, no 2, abstain 0.")
    assert tally.text.startswith("Motion 1 (decision): Buy a second press\n")
    assert tally.labels == ["yes", "no", "abstain"], "the buttons stay while it is open"
    assert await tg.read(SHOP) == [], "the group gets no new message, only the one edited"
    await asyncio.sleep(3 * EDIT_PAUSE)  # nothing is left to edit
    edits = await tg.client.calls("editMessageText")
    assert {str(c["message_id"]) for c in edits} == {str(announced.message_id)}
    assert 1 <= len(edits) <= len(presses) // 4, f"{len(presses)} presses, {len(edits)} edits"
    times = [float(str(c["t_ms"])) / 1000 for c in edits]
    assert all(b - a >= 0.8 * EDIT_PAUSE for a, b in itertools.pairwise(times)), "one per pause"

    await tg.say(BO, SHOP, "/vote 1 no")  # a typed vote shows too
    await tg.read(SHOP)
    await shows(tg, announced, "Turnout 5 of 5: yes 2, no 3, abstain 0.")

    await tg.pass_hours(49)
    [result] = await tg.read(SHOP)
    assert result.startswith("Motion 1 failed: Buy a second press")
    closed = await tg.current(SHOP, announced)
    deadline = time.monotonic() + 5
    while closed.buttons:
        assert time.monotonic() < deadline, "the buttons stayed after the close"
        await asyncio.sleep(0.05)
        closed = await tg.current(SHOP, announced)
    assert closed.text.endswith("Turnout 5 of 5: yes 2, no 3, abstain 0.")
    assert busiest_minute(await group_calls(tg)) <= GROUP_LIMIT


async def test_a_secret_ballot_shows_turnout_only(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY)
    announced = await motion(tg, "/motion secret Strike on Monday")
    assert announced.labels == ["Vote privately"]
    for member, choice in ((BO, "yes"), (CY, "no")):
        await tg.say(member, private_chat(member), f"/vote 1 {choice}")
    tally = await shows(tg, announced, "Turnout 2 of 3.")
    assert tally.text.split("\n")[-1] == "Turnout 2 of 3.", "how they voted stays secret"
    assert tally.labels == ["Vote privately"]

    await tg.pass_hours(49)
    await tg.read(SHOP)
    deadline = time.monotonic() + 5
    while (await tg.current(SHOP, announced)).buttons:
        assert time.monotonic() < deadline, "the button stayed after the close"
        await asyncio.sleep(0.05)


async def test_edits_wait_while_the_group_is_near_its_limit(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)  # 3 messages
    titles = [f"Item {n}" for n in range(1, 7)]
    for title in titles:  # 2 messages each: the group has had 15 this minute
        announced = await motion(tg, f"/motion {title}")
    assert len(await group_calls(tg)) >= EDIT_SHARE

    assert await tg.press(BO, SHOP, announced, "v:6:yes") == "Vote on motion 6 recorded: yes."
    await asyncio.sleep(4 * EDIT_PAUSE)
    assert await tg.client.calls("editMessageText") == [], "the edit waits for room"
    assert busiest_minute(await group_calls(tg)) <= GROUP_LIMIT
