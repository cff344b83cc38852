"""``konsilo run`` with a Telegram token: the real command, as an operator starts it."""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.telegram.client import AsyncClient, User, group_chat
from tests.telegram.emulator import Emulator

pytestmark = pytest.mark.telegram

ANA = User(1001, "Ana")
SHOP = group_chat(-1001234, "Print shop workers")
LIFETIME = 60  # seconds: `timeout` ends the bot if this test never does


def started(proc: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The bot's stdout up to the line that says it runs (empty if it never says it)."""
    assert proc.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while "is running on Telegram" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            seen += line
    return seen


async def found_by_telegram(emulator: Emulator, token: str) -> list[str]:
    client = AsyncClient(emulator.api, token)
    try:
        await client.send(ANA, SHOP, "/found Print shop")
        return [m.text for m in await client.wait_read(SHOP, 1)]
    finally:
        await client.aclose()


def test_konsilo_run_with_a_token_runs_the_bot_until_stopped(
    emulator: Emulator, tmp_path: Path
) -> None:
    token = "4242:konsilo-run"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONSILO_")}
    env |= {
        "KONSILO_DATA": str(tmp_path / "data"),
        "KONSILO_TELEGRAM_TOKEN": token,
        "KONSILO_TELEGRAM_BASE_URL": emulator.api,
    }
    timeout = shutil.which("timeout")
    assert timeout is not None, "coreutils' timeout keeps the bot from outliving the test"
    with subprocess.Popen(
        [timeout, str(LIFETIME), sys.executable, "-m", "bot.cli", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            out = started(proc)
            assert "Konsilo is running on Telegram as @KonsiloBot" in out, out
            assert asyncio.run(found_by_telegram(emulator, token)) == [
                "Assembly Print shop is founded; you are its first member. Others: /join"
            ]
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert (tmp_path / "data" / "konsilo.db").exists()
