"""A group that becomes a supergroup (a new chat id) keeps its assembly."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from tests.telegram.client import Chat, User, group_chat
from tests.telegram.conftest import Telegram
from tests.telegram.test_assembly import ANA, BO

pytestmark = pytest.mark.telegram

OLD = group_chat(-4242, "Print shop workers")
NEW = group_chat(-1004242, "Print shop workers")
_ids = itertools.count(900)


async def service(tg: Telegram, chat: Chat, user: User, **fields: Any) -> None:
    """A service message in ``chat`` (what Telegram sends when the group is upgraded)."""
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat.to_json(),
        "from": user.to_json(),
        **fields,
    }
    await tg.client.send_update({"message": message})
    tg.sent += 1
    await tg.settle()


async def test_the_assembly_follows_its_group_into_the_supergroup(tg: Telegram) -> None:
    await tg.say(ANA, OLD, "/found Print shop")
    await tg.say(BO, OLD, "/join")
    await tg.read(OLD)

    await service(tg, OLD, ANA, migrate_to_chat_id=NEW.id)
    await service(tg, NEW, ANA, migrate_from_chat_id=OLD.id)  # the second notice: no harm

    await tg.say(ANA, NEW, "/motion Buy a second press")
    said = await tg.read(NEW)
    assert said[0] == "Motion 1 is open for voting."
    assert said[1].startswith("Motion 1 (decision): Buy a second press\n")
    await tg.say(BO, NEW, "/members")
    assert "Bo" in (await tg.read(NEW))[0]
    assert tg.pending() == 0


async def test_a_message_refused_as_migrated_follows_to_the_new_chat(tg: Telegram) -> None:
    await tg.say(ANA, OLD, "/found Print shop")
    await tg.say(BO, OLD, "/join")
    await tg.say(ANA, OLD, "/motion Buy a second press")
    for member in (ANA, BO):
        await tg.say(member, OLD, "/vote 1 yes")
    await tg.read(OLD)

    # Telegram refuses the close's announcement: the group is now a supergroup.
    await tg.client.inject_error(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=NEW.id,
    )
    await tg.pass_hours(49)
    [result] = await tg.client.wait_read(NEW, 1)
    assert result.text.startswith("Motion 1 passed: Buy a second press\n")
    assert await tg.read(OLD) == []
    calls = await tg.client.calls("sendMessage")
    to_old = [c["status"] for c in calls if str(c["chat_id"]) == str(OLD.id)]
    assert to_old[-1] == 400, "the announcement was first refused in the old chat"
    assert tg.pending() == 0
