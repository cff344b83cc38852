"""Running the Telegram bot: python-telegram-bot's Application, long polling, the clock.

``TelegramBot`` puts together PTB 22's ``Application`` (with its rate limiter),
the ``Transport`` and the engine's ``Scheduler``, whose runs are followed by an
outbox delivery so that a motion closing at night is announced at once.
``run`` is what ``konsilo run`` calls when ``KONSILO_TELEGRAM_TOKEN`` is set.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application

from bot.telegram.buttons import menu
from bot.telegram.transport import EDIT_PAUSE, FIRST_PAUSE, TelegramApp, Transport
from core.app import Konsilo
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from core.scheduler import Scheduler

POLL_TIMEOUT = 10  # seconds a long poll waits for an update
BOOTSTRAP_RETRIES = 3  # tries to reach Telegram at start before giving up
RATE_LIMIT_RETRIES = 3  # a "too many requests" answer is waited out this many times
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
log = logging.getLogger(__name__)


def api_root(base_url: str) -> str:
    """A Bot API server's address, with or without PTB's trailing ``/bot``."""
    return base_url.rstrip("/").removesuffix("/bot")


def build_application(
    token: str, base_url: str | None = None, rate_limiter: AIORateLimiter | None = None
) -> TelegramApp:
    """PTB's Application for ``token``, talking to ``base_url`` (default: Telegram's own
    servers) through a rate limiter that keeps within Telegram's flood limits."""
    builder = (
        Application.builder()
        .token(token)
        .job_queue(None)  # the engine's Scheduler is the only clock
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
    )
    if base_url:
        root = api_root(base_url)
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    return builder.build()


class TelegramBot:
    """The transport, its Application and the engine's clock, started and stopped together."""

    def __init__(
        self,
        konsilo: Konsilo,
        token: str,
        base_url: str | None = None,
        *,
        rate_limiter: AIORateLimiter | None = None,
        retry_pause: float = FIRST_PAUSE,
        edit_pause: float = EDIT_PAUSE,
        poll_timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.konsilo = konsilo
        self.app = build_application(token, base_url, rate_limiter)
        self.transport = Transport(konsilo, self.app.bot, retry_pause, edit_pause)
        self.transport.install(self.app)
        self.scheduler = Scheduler(konsilo, after_run=self.transport.deliver)
        self.poll_timeout = poll_timeout

    async def start(self) -> None:
        """Meet the Bot API (getMe), poll for updates, start the clock.

        The clock's first run happens at once: whatever fell due while the bot
        was down is done and announced, and the outbox left over is delivered.
        """
        await self.app.initialize()
        await self.set_commands()
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            timeout=self.poll_timeout,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER],
        )
        await self.scheduler.start()

    async def set_commands(self) -> None:
        """The command menu, from the engine's help: in English by default, and in
        each language Konsilo speaks for members whose Telegram is set to it.
        A refusal is logged: the bot works without a menu."""
        try:
            await self.app.bot.set_my_commands(menu(DEFAULT_LANGUAGE))
            for language in LANGUAGES:
                await self.app.bot.set_my_commands(menu(language), language_code=language)
        except TelegramError as error:
            log.warning("the command menu was not set: %s", error)

    async def stop(self) -> None:
        """Stop the clock, then polling (confirming what was fetched), then the Application."""
        self.scheduler.stop()
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.transport.close()
        await self.app.shutdown()

    async def run_due(self) -> None:
        """Do what has fallen due by the engine's clock and deliver what it said
        (what the scheduler does at its time; for a clock moved by hand)."""
        await self.konsilo.run_due_async()
        await self.transport.deliver()


async def run_telegram(
    konsilo: Konsilo, token: str, base_url: str | None = None, stop: asyncio.Event | None = None
) -> None:
    """Run the bot until ``stop`` is set (forever without one)."""
    bot = TelegramBot(konsilo, token, base_url)
    await bot.start()
    me = bot.app.bot
    log.info("Telegram bot @%s is running", me.username)
    print(f"Konsilo is running on Telegram as @{me.username}. Stop it with Ctrl-C.", flush=True)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await bot.stop()


def run(konsilo: Konsilo, token: str, base_url: str | None = None) -> int:
    """``konsilo run`` with a Telegram token: long polling until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for chatty in ("httpx", "apscheduler"):  # a line per poll, per clock run otherwise
        logging.getLogger(chatty).setLevel(logging.WARNING)

    async def until_signalled() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_telegram(konsilo, token, base_url, stop)

    try:
        asyncio.run(until_signalled())
    except InvalidToken:
        print("konsilo: Telegram refused the token in KONSILO_TELEGRAM_TOKEN", file=sys.stderr)
        return 1
    except NetworkError as error:
        print(f"konsilo: cannot reach the Telegram Bot API: {error}", file=sys.stderr)
        return 1
    return 0
