"""The Telegram transport (python-telegram-bot 22). It holds no rules: see docs/telegram.md."""

from bot.telegram.app import TelegramBot, build_application, run, run_telegram
from bot.telegram.transport import PLATFORM, Transport

__all__ = ["PLATFORM", "TelegramBot", "Transport", "build_application", "run", "run_telegram"]
