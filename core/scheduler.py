"""The clock: APScheduler wakes Konsilo when the next thing falls due.

How jobs survive restarts: they are rebuilt from the database, which stays
the only truth. APScheduler holds one job in memory, a ``DateTrigger`` set
for the earliest time anything falls due (``core.due.next_at``: a motion's
close, a reminder timer, a report's due date, a term's end...). When it fires,
``Konsilo.run_due_async`` does everything due in one transaction and returns
the next time, and the job is set again. A command that makes something fall
due earlier (a motion opening) hands that time over through ``Konsilo.on_due``
and the job moves forward. On start the job is set for now, so whatever fell
due while the process was down happens at once, exactly once: each act is
marked done in the transaction that does it (a closed motion is no longer
open, a fired timer has ``done_at``), so a crash before the commit leaves it
to the next start, and a commit means it is never done again.

Why not a persistent APScheduler job store: it would be a second record of
what is due, to keep in step with the database in every transaction, and one
job per motion or reminder would make start-up grow with the number of
assemblies. Rebuilding from the database needs one query per kind of thing
(``bench/scheduler.py`` measures start-up with 10,000 assemblies).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from core.app import Konsilo
from core.clock import utcnow

JOB_ID = "konsilo-due"
RETRY = timedelta(seconds=30)
log = logging.getLogger(__name__)


class Scheduler:
    """Runs what falls due at its time, on the running event loop.

    ``after_run`` is awaited after each run (the transports drain the outbox).
    Times in the database follow ``app.clock``; APScheduler follows the wall
    clock, so a clock moved forward (the demo) is translated.
    """

    def __init__(
        self, app: Konsilo, after_run: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self.app = app
        self.after_run = after_run
        self.aps = AsyncIOScheduler(
            timezone="UTC",
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.runs = 0
        self._set_for: datetime | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Start APScheduler and run at once whatever fell due while we were down."""
        self._loop = asyncio.get_running_loop()
        self.app.on_due = self._due_from_thread
        self.aps.start()
        self._set(utcnow())

    def stop(self) -> None:
        self.app.on_due = None
        if self.aps.running:
            self.aps.shutdown(wait=False)

    @property
    def next_run(self) -> datetime | None:
        """When the job is set for (wall clock), if it is set."""
        job = self.aps.get_job(JOB_ID)
        return None if job is None else job.next_run_time

    def _wall(self, at: datetime) -> datetime:
        """A time of ``app.clock`` as a wall-clock time (read the engine's clock first,
        so the job never fires a hair before the engine sees the time as come)."""
        ahead = at - self.app.clock.now()
        return utcnow() + ahead

    def _set(self, wall: datetime) -> None:
        """Set the job for ``wall`` unless it is already set for earlier."""
        if self._set_for is not None and self._set_for <= wall:
            return
        self._set_for = wall
        self.aps.add_job(self._run, DateTrigger(wall), id=JOB_ID, replace_existing=True)

    def _due_from_thread(self, at: datetime) -> None:
        """``Konsilo.on_due``: called on the database thread during a command."""
        if self._loop is not None:
            wall = self._wall(at)
            self._loop.call_soon_threadsafe(self._set, wall)

    async def _run(self) -> None:
        self._set_for = None
        try:
            at = await self.app.run_due_async()
        except Exception:  # e.g. the database is away: nothing was done, try again soon
            log.exception("running what fell due failed; retrying in %s", RETRY)
            at = self.app.clock.now() + RETRY
        self.runs += 1
        # Set the job again even if a wake-up came during the run (and was skipped
        # as a second instance): the database says what is still due.
        self._set_for = None
        if at is not None:
            self._set(self._wall(at))
        if self.after_run is not None:
            await self.after_run()
