"""A real Konsilo clock process, for the restart test to start, kill and start again.

    python -m tests.core.scheduling.clock_process URL [--until ISO] [--crash-in-close]

It runs ``core.scheduler.Scheduler`` on the real clock against the database at
URL, as the bot does, and stops by itself once a run leaves nothing due before
``--until`` (default: the moment it starts, i.e. after catching up), or after
``--timeout`` seconds (exit code 3), so it never outlives the test. It prints
``ready`` after start, ``closing motion N`` when a motion is being closed (inside
the closing transaction, before its commit), ``run N next ...`` after each run
and ``stopped`` at the end, one line each, flushed, for the test to follow.

``--crash-in-close`` kills the process with SIGKILL from inside the first
motion close, after the motion row, the audit entry and the result announcement
are written but before the commit: a genuine crash in the middle of closing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from datetime import datetime, timedelta

from core.app import Konsilo
from core.clock import Clock, utcnow
from core.context import Tx
from core.motions import effects
from core.motions.model import Motion
from core.scheduler import Scheduler
from core.store.db import Database
from tests.chat import SECRET

TIMEOUT = 50.0  # seconds; the test waits a little longer before it kills us
TIMED_OUT = 3
SLACK = timedelta(seconds=1)


def say(line: str) -> None:
    print(line, flush=True)


def closing(tx: Tx, motion: Motion) -> None:
    """Tell the test which motion is closing (the transaction is not committed yet)."""
    say(f"closing motion {motion.id}")


def crash(tx: Tx, motion: Motion) -> None:
    """Die at once, as a power cut would: no rollback, no cleanup, no commit."""
    say(f"crashing in close of motion {motion.id}")
    os.kill(os.getpid(), signal.SIGKILL)


async def serve(app: Konsilo, until: datetime, timeout: float) -> int:
    """Run the scheduler until a run leaves nothing due before ``until``."""
    idle = asyncio.Event()

    async def after_run() -> None:
        upcoming = scheduler.next_run
        say(f"run {scheduler.runs} next {upcoming.isoformat() if upcoming else '-'}")
        # The job is set a hair after the engine's due time (core.scheduler._wall).
        if upcoming is None or upcoming > until + SLACK:
            idle.set()

    scheduler = Scheduler(app, after_run)
    await scheduler.start()
    say("ready")
    try:
        await asyncio.wait_for(idle.wait(), timeout)
    except TimeoutError:
        say("timeout")
        return TIMED_OUT
    finally:
        scheduler.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A Konsilo clock process for the restart test.")
    parser.add_argument("url", help="database URL")
    parser.add_argument("--until", type=datetime.fromisoformat, default=None)
    parser.add_argument("--timeout", type=float, default=TIMEOUT)
    parser.add_argument("--crash-in-close", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    effects.on_closed(closing)
    if args.crash_in_close:
        effects.on_closed(crash)
    db = Database(args.url)
    try:
        code = asyncio.run(
            serve(Konsilo(db, SECRET, Clock()), args.until or utcnow(), args.timeout)
        )
    finally:
        db.close()
    say("stopped")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
