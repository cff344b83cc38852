"""Fixtures for the Telegram tests: an emulator per test module, a running bot per test.

The bot is the real transport (``bot.telegram.TelegramBot``) on python-telegram-bot's
own HTTP stack, long polling the emulator through ``base_url``, inside the
test's event loop. The engine has a still clock (``tests.chat.TestClock``): a
test lets time pass with ``Telegram.pass_hours``.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telegram.ext import AIORateLimiter

from bot.telegram import TelegramBot
from core.app import Konsilo
from core.store.tables import outbox
from tests.chat import make_app
from tests.telegram.client import AsyncClient, BotMessage, Chat, User
from tests.telegram.emulator import Emulator, EmulatorMissing

_tokens = itertools.count(1)
EDIT_PAUSE = 0.5  # seconds between tally edits (3 s in service): a test waits less


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """telegram-test-api (extended) on 127.0.0.1, for one test module."""
    try:
        emu = Emulator().start()
    except EmulatorMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield emu
    finally:
        emu.stop()
        print(f"\nTelegram emulator: start {emu.start_ms:.0f} ms, stop {emu.stop_ms:.0f} ms")


def fast_limiter() -> AIORateLimiter:
    """PTB's rate limiter stays in the path (a 429 is waited out) but without Telegram's
    flood pauses: 20 messages a minute per group would make a scenario take minutes."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2)


@dataclass
class Telegram:
    """A running bot, its engine, and the users' client; one bot token per test."""

    emulator: Emulator
    client: AsyncClient
    konsilo: Konsilo
    token: str
    bot: TelegramBot | None = None
    sent: int = 0  # updates sent since the bot started

    async def start(self) -> None:
        self.bot = TelegramBot(
            self.konsilo,
            self.token,
            base_url=self.emulator.api,
            rate_limiter=fast_limiter(),
            retry_pause=0.2,
            edit_pause=EDIT_PAUSE,
        )
        self.sent = 0
        await self.bot.start()

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None

    @property
    def running(self) -> TelegramBot:
        assert self.bot is not None, "the bot is not running"
        return self.bot

    async def say(self, user: User, chat: Chat, text: str) -> None:
        """``user`` sends ``text`` in ``chat``; returns once the bot has dealt with it."""
        await self.client.send(user, chat, text)
        self.sent += 1
        await self.settle()

    async def press(self, user: User, chat: Chat, message: BotMessage, data: str) -> str | None:
        """``user`` presses a button with ``data`` under ``message``; the toast they see
        (None: the press was answered without one)."""
        query = await self.client.press(user, chat, message, data)
        self.sent += 1
        await self.settle()
        return (await self.client.toasts())[query]

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until the bot has handled every update sent (replies and outbox sent)."""
        deadline = time.monotonic() + timeout
        while self.running.transport.processed < self.sent:
            assert time.monotonic() < deadline, "the bot did not handle the update in time"
            await asyncio.sleep(0.005)

    async def read(self, chat: Chat) -> list[str]:
        """What the bot said in ``chat`` since the last read, as the reader sees it."""
        return [m.text for m in await self.client.read(chat)]

    async def messages(self, chat: Chat) -> list[BotMessage]:
        return await self.client.read(chat)

    async def current(self, chat: Chat, message: BotMessage) -> BotMessage:
        """``message`` as the group reads it now (edits included)."""
        return await self.client.current(chat, message.message_id)

    async def pass_hours(self, hours: float) -> None:
        """Time passes: what falls due happens and is announced (the scheduler's work)."""
        self.konsilo.clock.advance(timedelta(hours=hours))
        await self.running.run_due()

    def pending(self) -> int:
        """Outbox messages for Telegram not yet sent."""
        query = select(func.count()).where(
            outbox.c.platform == "telegram", outbox.c.sent_at.is_(None)
        )
        return int(self.konsilo.db.transaction(lambda conn: conn.execute(query).scalar_one()))


@pytest.fixture
async def tg(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Telegram]:
    """A bot on a fresh SQLite database, polling the module's emulator."""
    number = next(_tokens)
    token = f"{number}00:konsilo-test-{number}"
    client = AsyncClient(emulator.api, token)
    konsilo = make_app(f"sqlite:///{tmp_path / 'konsilo.db'}")
    telegram = Telegram(emulator, client, konsilo, token)
    await telegram.start()
    try:
        yield telegram
    finally:
        await telegram.stop()
        await client.aclose()
        konsilo.db.close()
