"""Votes by button: open votes pressed in the group, secret ones in the private chat."""

from __future__ import annotations

import re

import pytest

from tests.telegram.client import BotMessage, User, private_chat
from tests.telegram.conftest import Telegram
from tests.telegram.test_assembly import ANA, BO, CY, DI, ED, SHOP, ZOE, found

pytestmark = pytest.mark.telegram

RECORDED = "Vote on motion 1 recorded: {}."


async def motion(tg: Telegram, text: str) -> BotMessage:
    """``text`` puts a motion; the announcement the group reads."""
    await tg.say(ANA, SHOP, text)
    said = await tg.messages(SHOP)
    assert said[0].text == "Motion 1 is open for voting."
    return said[1]


async def votes_and_outbox(tg: Telegram) -> tuple[str, int]:
    """What /show tells of motion 1 and how many messages are waiting, to compare."""
    await tg.say(ANA, SHOP, "/show 1")
    return "\n".join(await tg.read(SHOP)), tg.pending()


async def test_five_members_vote_by_button_and_the_close_counts_each_once(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY, DI, ED)
    announced = await motion(tg, "/motion Buy a second press")
    assert announced.text.startswith("Motion 1 (decision): Buy a second press\n")
    assert [[(b.text, b.data) for b in row] for row in announced.buttons] == [
        [("yes", "v:1:yes"), ("no", "v:1:no"), ("abstain", "v:1:abstain")]
    ]

    yes = announced.button("yes").data
    no = announced.button("no").data
    assert yes and no
    for member in (ANA, BO, DI):
        assert await tg.press(member, SHOP, announced, yes) == RECORDED.format("yes")
    assert await tg.press(CY, SHOP, announced, no) == "Voto en la propuesta 1 registrado: no."
    assert await tg.press(ED, SHOP, announced, yes) == RECORDED.format("yes")
    assert await tg.press(ED, SHOP, announced, no) == "Vote on motion 1 changed to no."
    assert await tg.read(SHOP) == [], "a press answers with a toast, never a group message"

    await tg.pass_hours(49)
    assert await tg.read(SHOP) == [
        "Motion 1 passed: Buy a second press\nTurnout 5 of 5 (quorum 2).\nYes 3, no 2, abstain 0."
    ]

    before = await votes_and_outbox(tg)
    closed = "Motion 1 is closed; votes are no longer taken."
    assert await tg.press(BO, SHOP, announced, no) == closed
    assert await votes_and_outbox(tg) == before


async def test_forged_presses_and_strangers_change_nothing(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    announced = await motion(tg, "/motion Buy a second press")
    assert await tg.press(BO, SHOP, announced, "v:1:yes") == RECORDED.format("yes")
    before = await votes_and_outbox(tg)

    assert await tg.press(BO, SHOP, announced, "v:99999:no") == "There is no motion 99999."
    for forged in ("x:1", "v:1:no;/leave", "v:1:9999", "v:01:no", "garbage", ""):
        assert await tg.press(BO, SHOP, announced, forged) is None, forged
    assert await tg.press(ZOE, SHOP, announced, "v:1:no") == (
        "Only members of this assembly can vote on motion 1."  # the assembly's language
    )
    assert await votes_and_outbox(tg) == before
    assert await tg.read(SHOP) == []


async def test_a_flood_of_presses_is_ignored_beyond_a_few(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    announced = await motion(tg, "/motion Buy a second press")
    toasts = [await tg.press(BO, SHOP, announced, "v:1:yes") for _ in range(8)]
    assert toasts[0] == RECORDED.format("yes")
    assert toasts[5:] == [None, None, None], "presses beyond five in ten seconds are ignored"
    await tg.pass_hours(49)
    [result] = await tg.read(SHOP)
    assert result.endswith("Yes 1, no 0, abstain 0."), result


async def test_a_single_choice_offers_each_option(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    announced = await motion(tg, "/motion single Lunch | Pizza | Soup")
    assert [[b.text for b in row] for row in announced.buttons] == [["1. Pizza"], ["2. Soup"]]
    data = announced.button("2. Soup").data
    assert data == "v:1:2"
    toast = await tg.press(BO, SHOP, announced, data)
    assert toast == "Vote on motion 1 recorded: 2. Soup."


async def test_a_secret_ballot_goes_through_the_private_chat(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY, DI, ED)
    announced = await motion(tg, "/motion secret Choose the new logo")
    [[button]] = announced.buttons
    assert (button.text, button.url) == ("Vote privately", "https://t.me/KonsiloBot?start=v1")

    bo = private_chat(BO)
    await tg.say(BO, bo, "/start v1")  # what Telegram sends when the link is followed
    [shown] = await tg.messages(bo)
    assert shown.text.startswith("Motion 1 (decision): Choose the new logo\n")
    assert shown.labels == ["yes", "no", "abstain"]

    assert await tg.press(BO, bo, shown, "v:1:yes") is None
    [receipt] = await tg.read(bo)
    found_receipt = re.fullmatch(
        r"Secret vote on motion 1 recorded: yes\.\n"
        r"Your receipt is ([A-Z0-9]{8})\. Keep it to check the count at close\.",
        receipt,
    )
    assert found_receipt, receipt
    assert await tg.read(SHOP) == [], "the group sees no ballot"

    cy = private_chat(CY)
    await tg.say(CY, cy, "/start v1")
    [shown_es] = await tg.messages(cy)
    assert shown_es.labels == ["sí", "no", "abstención"]
    assert await tg.press(CY, cy, shown_es, "v:1:no") is None
    assert (await tg.read(cy))[0].startswith("Voto secreto en la propuesta 1 registrado: no.")

    assert await tg.press(DI, SHOP, announced, "v:1:no") == (
        "Motion 1 is a secret ballot: send your vote to me in a private chat, not in the group."
    )
    await tg.pass_hours(49)
    [result] = await tg.read(SHOP)
    assert result.startswith("Motion 1 failed: Choose the new logo\nTurnout 2 of 5")
    assert f"{found_receipt.group(1)} yes" in result
    assert "Yes 1, no 1" in result


async def test_a_deep_link_for_a_stranger_or_a_closed_motion_shows_no_buttons(
    tg: Telegram,
) -> None:
    await found(tg, ANA, "Print shop", BO)
    await motion(tg, "/motion secret Choose the new logo")
    stranger = User(3001, "Sam")
    await tg.say(stranger, private_chat(stranger), "/start v1")
    [refused] = await tg.messages(private_chat(stranger))
    assert refused.buttons == ()
    await tg.pass_hours(49)
    await tg.say(BO, private_chat(BO), "/start v1")
    [closed] = await tg.messages(private_chat(BO))
    assert closed.text.startswith("Motion 1 ") and closed.buttons == ()


async def test_the_command_menu_is_set_in_english_and_spanish(tg: Telegram) -> None:
    calls = await tg.client.calls("setMyCommands")
    assert calls, "the bot set its command menu at start"
    menus = {language: await tg.client.my_commands(language) for language in (None, "en", "es")}
    english = dict(menus[None])
    assert menus["en"] == menus[None]
    assert english["vote"] == "<motion> <choice> — vote (again to change it)"
    assert english["help"] == "this list"
    spanish = dict(menus["es"])
    assert spanish["vote"] == "<propuesta> <voto> — votar (vota otra vez para cambiarlo)"
    assert spanish.keys() == english.keys()
    for name, description in menus[None] + menus["es"]:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        assert 3 <= len(description) <= 256


async def test_a_ranked_vote_is_typed_in_the_private_chat(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    announced = await motion(tg, "/motion schulze Holiday week | May | July | August")
    [[button]] = announced.buttons
    assert (button.text, button.url) == (
        "Vote in a private chat",
        "https://t.me/KonsiloBot?start=v1",
    )
    await tg.say(BO, private_chat(BO), "/start v1")
    [shown] = await tg.messages(private_chat(BO))
    assert "Rank the options, best first: /vote 1 3>1>2" in shown.text
    assert shown.buttons == (), "a ranking is typed, not pressed"
