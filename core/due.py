"""What falls due with time: registered by the module that owns it, run together.

Closing motions at their time, opening elections after nominations, flagging
overdue reports, opening an election at a term's end: each owning module
registers one function with ``@when_due``. ``run`` calls them all in one
transaction. Issue 3/6 puts ``run`` on APScheduler; until then the console's
``:wait``, the demo and the tests call ``Konsilo.run_due``. Every job must be
idempotent: running it twice at the same time changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from core.context import Tx

Job = Callable[[Tx], None]
_JOBS: list[Job] = []


def when_due(job: Job) -> Job:
    """Register ``job(tx)``: do whatever has fallen due by ``tx.now``."""
    _JOBS.append(job)
    return job


def run(tx: Tx) -> None:
    """Run every registered job, in registration order."""
    for job in _JOBS:
        job(tx)
