"""Getting messages through: redelivered updates, restarts, refused sends, files."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest

from core.clock import utcnow
from core.messages import Attachment, Msg, Reply
from tests.telegram.client import User, group_chat, private_chat
from tests.telegram.conftest import Telegram

pytestmark = pytest.mark.telegram

ANA = User(1001, "Ana")
BO = User(1002, "Bo")
SHOP = group_chat(-1001234, "Print shop workers")
# A 1x1 PNG: what a chart looks like to the transport.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


async def motion_with_votes(tg: Telegram, *titles: str) -> None:
    """Ana and Bo in an assembly; a motion per title, each with both votes yes."""
    await tg.say(ANA, SHOP, "/found Print shop")
    await tg.say(BO, SHOP, "/join")
    for number, title in enumerate(titles, start=1):
        await tg.say(ANA, SHOP, f"/motion {title}")
        await tg.say(ANA, SHOP, f"/vote {number} yes")
        await tg.say(BO, SHOP, f"/vote {number} yes")
    await tg.read(SHOP)


async def test_an_update_delivered_twice_changes_nothing(tg: Telegram) -> None:
    await tg.say(ANA, SHOP, "/found Print shop")
    await tg.say(BO, SHOP, "/join")
    await tg.say(BO, SHOP, "/motion Buy a second press")
    await tg.read(SHOP)
    [update] = [u for u in await tg.client.user_updates() if "/motion" in u["message"]["text"]]

    # Telegram sends an update again when the bot never confirmed it (it crashed while
    # handling it): the emulator queues the same update, same update_id, for the restarted bot.
    await tg.stop()
    await tg.client.send_update(update)
    await tg.start()
    tg.sent = 1
    await tg.settle()
    assert await tg.read(SHOP) == [], "a redelivered command is not answered again"

    await tg.say(ANA, SHOP, "/motions")
    [listing] = await tg.read(SHOP)
    assert listing.count("(decision): Buy a second press") == 1


async def test_a_motion_that_closed_while_the_bot_was_down_is_announced_at_start(
    tg: Telegram,
) -> None:
    await motion_with_votes(tg, "Buy a second press")
    set_for = tg.running.scheduler.next_run  # the clock waits for the motion's reminder or close
    assert set_for is not None
    assert timedelta(hours=1) < set_for - utcnow() <= timedelta(hours=48)

    await tg.stop()
    tg.konsilo.clock.advance(timedelta(hours=49))
    await tg.start()  # the clock's first run catches up at once, with nobody typing
    [result] = await tg.client.wait_read(SHOP, 1)
    assert result.text.startswith("Motion 1 passed: Buy a second press\nTurnout 2 of 2")


async def test_announcements_telegram_refused_arrive_later_in_order(tg: Telegram) -> None:
    await motion_with_votes(tg, "Buy a second press", "Paint the hall")
    await tg.client.inject_error("sendMessage", 502, "Bad Gateway")
    await tg.pass_hours(49)
    assert await tg.read(SHOP) == [], "the second result waits behind the first"
    assert tg.pending() == 2

    results = await tg.client.wait_read(SHOP, 2)  # tried again after the pause
    assert [m.text.split("\n")[0] for m in results] == [
        "Motion 1 passed: Buy a second press",
        "Motion 2 passed: Paint the hall",
    ]
    assert tg.pending() == 0
    statuses = [call["status"] for call in await tg.client.calls("sendMessage")]
    assert statuses[-3:] == [502, 200, 200]
    assert await tg.client.wait_read(SHOP, 1, timeout=0.5) == [], "each result comes once"


async def test_telegrams_too_many_requests_is_waited_out(tg: Telegram) -> None:
    await tg.client.inject_error(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
    )
    began = time.monotonic()
    await tg.say(ANA, SHOP, "/found Print shop")
    assert await tg.read(SHOP) == [
        "Assembly Print shop is founded; you are its first member. Others: /join"
    ]
    assert time.monotonic() - began >= 1
    assert [c["status"] for c in await tg.client.calls("sendMessage")] == [429, 200]


async def test_a_private_reply_to_a_group_command_goes_to_the_private_chat(
    tg: Telegram,
) -> None:
    await tg.say(ANA, SHOP, "/found Print shop")
    await tg.read(SHOP)
    await tg.say(ANA, SHOP, "/export")
    assert await tg.read(SHOP) == [], "the group sees nothing of Ana's data"

    text, document = await tg.messages(private_chat(ANA))
    assert text.text == "Here is everything Konsilo holds about you."
    assert document.kind == "document"
    upload = await tg.client.upload(str(document.file_id))
    data = json.loads(base64.b64decode(upload["data"]))
    assert upload["filename"].endswith(".json")
    assert "Ana" in json.dumps(data, ensure_ascii=False)


async def test_a_png_a_reply_carries_is_sent_as_a_photo(tg: Telegram) -> None:
    await tg.say(ANA, private_chat(ANA), "/help")  # Ana opens her private chat with the bot
    await tg.read(private_chat(ANA))
    chart = Reply((Msg("Chart"),), attachment=Attachment("plan.png", PNG, "image/png"))
    await tg.running.transport.send(ANA.id, chart, "en")

    text, photo = await tg.messages(private_chat(ANA))
    assert (text.text, photo.kind) == ("Chart", "photo")
    upload = await tg.client.upload(str(photo.file_id))
    assert base64.b64decode(upload["data"]) == PNG


async def test_an_edited_message_is_not_run_again(tg: Telegram) -> None:
    await motion_with_votes(tg, "Buy a second press")
    [vote] = [
        u["message"]
        for u in await tg.client.user_updates()
        if u["message"]["text"] == "/vote 1 yes" and u["message"]["from"]["id"] == BO.id
    ]
    edited = {**vote, "text": "/vote 1 no", "edit_date": vote["date"] + 5}
    await tg.client.send_update({"edited_message": edited})
    tg.sent += 1
    await tg.settle()
    assert await tg.read(SHOP) == []

    await tg.pass_hours(49)
    [result] = await tg.read(SHOP)
    assert "Yes 2, no 0, abstain 0." in result
