"""The bot added to a group, removed from it, and members leaving the chat."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from core.store.tables import assemblies, outbox
from tests.telegram.client import Chat, User, group_chat
from tests.telegram.conftest import Telegram
from tests.telegram.emulator import BOT_USERNAME
from tests.telegram.test_assembly import ANA, BO, CY, SHOP, ZOE, found

pytestmark = pytest.mark.telegram

BOT = {"id": 666, "is_bot": True, "first_name": "Konsilo", "username": BOT_USERNAME}
NEW_GROUP = group_chat(-1005555, "Warehouse")
ADMIN_RIGHTS = [
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
]


def bot_member(status: str) -> dict[str, Any]:
    """The bot as a ChatMember of ``status``, with the fields Telegram sends for it."""
    member: dict[str, Any] = {"status": status, "user": BOT}
    if status == "kicked":
        member["until_date"] = 0
    if status == "administrator":
        member |= dict.fromkeys(ADMIN_RIGHTS, False)
    return member


async def bot_status(tg: Telegram, by: User, chat: Chat, was: str, now: str) -> None:
    """Telegram tells the bot its status in ``chat`` changed (``by`` did it)."""
    change: dict[str, Any] = {
        "chat": chat.to_json(),
        "from": by.to_json(),
        "date": int(time.time()),
        "old_chat_member": bot_member(was),
        "new_chat_member": bot_member(now),
    }
    await tg.client.send_update({"my_chat_member": change})
    tg.sent += 1
    await tg.settle()


WELCOME_EN = (
    "Hello! I am Konsilo: I help this group decide together, as an assembly of equals.\n"
    "To found the assembly of this group, send /found <name>; others then /join."
)


async def test_added_to_a_new_group_the_bot_says_how_to_found(tg: Telegram) -> None:
    await bot_status(tg, ANA, NEW_GROUP, "left", "member")
    [welcome] = await tg.client.read(NEW_GROUP)
    assert welcome.text == WELCOME_EN  # Ana's Telegram is in English: once

    await bot_status(tg, ZOE, group_chat(-1006666, "Almacén"), "left", "administrator")
    [both] = await tg.client.read(group_chat(-1006666, "Almacén"))
    english, spanish = both.text.split("\n\n")
    assert english == WELCOME_EN
    assert spanish == (  # Zoe's language too
        "¡Hola! Soy Konsilo: ayudo a este grupo a decidir en común, como una asamblea de "
        "iguales.\nPara fundar la asamblea de este grupo, envía /found <nombre>; los demás, "
        "después, /join."
    )

    await tg.say(ANA, NEW_GROUP, "/found Warehouse")
    assert (await tg.client.read(NEW_GROUP))[0].text.startswith("Assembly Warehouse is founded")


async def test_added_to_an_assemblys_group_the_bot_says_nothing_new(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    await bot_status(tg, ANA, SHOP, "left", "member")
    assert await tg.read(SHOP) == []


def counts(tg: Telegram) -> tuple[int, int]:
    """Assemblies, and outbox rows for Telegram (sent or not)."""

    def read(conn: Any) -> tuple[int, int]:
        kept = select(func.count()).select_from(assemblies)
        rows = select(func.count()).where(outbox.c.platform == "telegram")
        return int(conn.execute(kept).scalar_one()), int(conn.execute(rows).scalar_one())

    return tg.konsilo.db.transaction(read)


async def test_removed_and_added_back_nothing_is_lost(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    await tg.say(ANA, SHOP, "/motion Buy a second press")
    await tg.read(SHOP)
    for member in (ANA, BO):
        await tg.say(member, SHOP, "/vote 1 yes")
    await tg.read(SHOP)

    await bot_status(tg, ANA, SHOP, "member", "kicked")
    await tg.client.inject_error(
        "sendMessage", 403, "Forbidden: bot was kicked from the group chat", count=3
    )
    before = counts(tg)
    await tg.pass_hours(49)  # the result cannot be said in the group now
    assert await tg.read(SHOP) == []
    assert tg.pending() == 1, "the result waits"
    assert counts(tg) == (before[0], before[1] + 1), "the assembly and every row stay"

    await bot_status(tg, ANA, SHOP, "left", "member")
    [result] = await tg.client.wait_read(SHOP, 1)
    assert result.text.startswith("Motion 1 passed: Buy a second press")
    assert tg.pending() == 0


async def test_a_member_who_leaves_the_chat_stays_a_member(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY)
    left = {
        "message_id": 9001,
        "date": int(time.time()),
        "chat": SHOP.to_json(),
        "from": BO.to_json(),
        "left_chat_member": BO.to_json(),
    }
    await tg.client.send_update({"message": left})
    tg.sent += 1
    await tg.settle()
    assert await tg.read(SHOP) == [], "the bot says nothing"
    await tg.say(ANA, SHOP, "/members")
    [roll] = await tg.read(SHOP)
    assert "Bo" in roll, "membership is the assembly's: only /leave ends it"


async def test_a_chat_admin_has_no_power_of_their_own(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    # Bo is an administrator of the Telegram group; his rule change is a motion like anyone's.
    await tg.say(BO, SHOP, "/rules set voting.min_hours 48")
    said = await tg.read(SHOP)
    assert any(line.startswith("Motion 1 (rules change)") for line in said), said
