"""Start and stop the telegram-test-api emulator (``emulator/start_emulator.js``).

    with Emulator() as emu:   # 127.0.0.1, a port the OS chooses
        bot = TelegramBot(konsilo, token, base_url=emu.api)

The child is tied to this process by its stdin: when the test process ends,
however it ends, the pipe closes and the emulator stops itself. ``stop()``
closes stdin, then sends SIGTERM, then SIGKILL as a last resort.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent / "emulator"
BOT_USERNAME = "KonsiloBot"
INSTALL_HINT = (
    "run `bash scripts/test.sh` once (it runs `npm ci` in tests/telegram/emulator), "
    "or `npm ci` there yourself"
)


class EmulatorMissing(RuntimeError):
    """Node.js or the emulator's npm packages are not installed."""


class Emulator:
    """One emulator process, with the fixes and routes of ``extend_emulator.js``."""

    def __init__(
        self, bot_username: str = BOT_USERNAME, store_timeout: int = 3600, extend: bool = True
    ) -> None:
        node = shutil.which("node")
        if node is None:
            raise EmulatorMissing(f"Node.js (`node`) is not on PATH; {INSTALL_HINT}")
        if not (HERE / "node_modules" / "telegram-test-api").is_dir():
            raise EmulatorMissing(f"the emulator's packages are not installed; {INSTALL_HINT}")
        self.cmd = [node, str(HERE / "start_emulator.js"), "--host", "127.0.0.1", "--port", "0"]
        self.cmd += ["--store-timeout", str(store_timeout)]
        if extend:
            self.cmd.append("--extend")
        self.env = {**os.environ, "NODE_ENV": "test", "TG_EMU_BOT_USERNAME": bot_username}
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.start_ms = 0.0
        self.stop_ms = 0.0

    @property
    def api(self) -> str:
        """The Bot API root (the bot appends ``/bot<token>/<method>``) and the client's."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> Emulator:
        began = time.monotonic()
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the Telegram emulator did not start: {line!r}")
        self.port = int(json.loads(line.removeprefix("READY "))["port"])
        self.start_ms = (time.monotonic() - began) * 1000
        return self

    def stop(self, timeout: float = 5.0) -> int | None:
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        began = time.monotonic()
        try:
            if proc.stdin:
                proc.stdin.close()  # start_emulator.js stops on end of input
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                return proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                return proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()
            self.stop_ms = (time.monotonic() - began) * 1000

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
