"""The real clock: APScheduler runs what falls due, on time, and catches up on start.

These tests use the wall clock (a few seconds each): the virtual-time tests in
``tests/core/calendar`` check what happens when; these check that APScheduler
actually wakes Konsilo at those times.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from core.app import Konsilo
from core.clock import Clock, utcnow
from core.context import Actor, Place
from core.scheduler import Scheduler
from core.store.tables import motions
from tests.chat import Chat, assembly, make_app


def app_at(db_url: str, lag: timedelta) -> Konsilo:
    """A Konsilo whose clock runs ``lag`` behind the wall clock."""
    app = make_app(db_url)
    app.clock = Clock(lambda: utcnow() - lag)
    return app


def motion_rows(app: Konsilo) -> list[tuple[int, str, datetime | None]]:
    return app.db.transaction(
        lambda conn: [
            (r.id, r.status, r.closed_at)
            for r in conn.execute(select(motions).order_by(motions.c.id))
        ]
    )


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


def put_motion(app: Konsilo) -> None:
    chat = Chat(app)
    assembly(chat, "Bo", "Cy")
    assert chat.say("Ana", "/motion Lockers") == "Motion 1 is open for voting."
    chat.say("Bo", "/vote 1 yes")


async def test_what_fell_due_while_down_happens_at_start(db_url: str) -> None:
    earlier = app_at(db_url, timedelta(hours=50))  # the motion closed two hours ago
    put_motion(earlier)
    earlier.db.close()
    app = app_at(db_url, timedelta())
    scheduler = Scheduler(app)
    try:
        await scheduler.start()
        await until(lambda: scheduler.runs >= 1)
        [(_, status, closed_at)] = motion_rows(app)
        assert status == "passed"
        assert closed_at is not None and abs(closed_at - utcnow()) < timedelta(seconds=5)
    finally:
        scheduler.stop()
        app.db.close()


async def test_a_motion_closes_at_its_time(db_url: str) -> None:
    early = app_at(db_url, timedelta(hours=48) - timedelta(seconds=2))  # closes in 2 s
    put_motion(early)
    closes = early.db.transaction(
        lambda conn: conn.execute(select(motions.c.closes_at)).scalar_one()
    )
    early.db.close()
    app = app_at(db_url, timedelta())
    ran: list[datetime] = []

    async def after_run() -> None:
        ran.append(utcnow())

    scheduler = Scheduler(app, after_run)
    try:
        await scheduler.start()
        await until(lambda: scheduler.runs >= 1)
        assert motion_rows(app)[0][1] == "open"  # nothing due at start
        assert scheduler.next_run is not None
        assert abs(scheduler.next_run - closes) < timedelta(seconds=1)
        await until(lambda: motion_rows(app)[0][1] == "passed")
        closed_at = motion_rows(app)[0][2]
        assert closed_at is not None and timedelta() <= closed_at - closes < timedelta(seconds=1)
        await until(lambda: len(ran) >= 2)  # the catch-up at start, then the close
        await asyncio.sleep(0.2)
        assert len(ran) == 2  # and nothing more
    finally:
        scheduler.stop()
        app.db.close()


async def test_a_command_moves_the_clock_forward(db_url: str) -> None:
    app = app_at(db_url, timedelta())
    scheduler = Scheduler(app)
    try:
        await scheduler.start()
        await until(lambda: scheduler.runs >= 1)
        assert scheduler.next_run is None  # nothing at all is due
        group = Place("test", "group-1")
        await app.handle(Actor("test", "ana", "Ana"), group, "/found Press shop")
        answer = await app.handle(Actor("test", "ana", "Ana"), group, "/motion Lockers")
        assert answer.replies
        await until(lambda: scheduler.next_run is not None)
        closes = app.db.transaction(
            lambda conn: conn.execute(select(motions.c.closes_at)).scalar_one()
        )
        # Its reminder comes first (four hours before the close, or at quiet hours' start).
        assert scheduler.next_run is not None and scheduler.next_run < closes
        assert closes - scheduler.next_run >= timedelta(hours=4) - timedelta(seconds=1)
    finally:
        scheduler.stop()
        app.db.close()
