"""Periodic jobs: work a module wants done on a schedule, run by the event worker.

A module registers a job where it registers its listeners (imported from its
``AppConfig.ready()``), so a module that is not installed schedules nothing, nor
does a module served by another process (``MONOLITH_REMOTE_MODULES``) in this
one: its jobs work on its tables, and its own worker runs them::

    @every(timedelta(minutes=1))
    def settle_stale_payments() -> None:
        ...

Every ``manage.py process_events`` runs the jobs that are due between two batches
of deliveries, on its own clock, starting with all of them when it starts. So a
job must be idempotent: several workers may run it at the same time, and a
crash may cut it off anywhere. One that raises is logged and runs again at its
next time; it never stops the worker.
"""

import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from .remote.local import remote_module_of

logger = logging.getLogger(__name__)

Job = Callable[[], object]


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    name: str  # the dotted path of the function, as in log lines
    interval: timedelta
    run: Job


_jobs: dict[str, PeriodicJob] = {}


def every(interval: timedelta) -> Callable[[Job], Job]:
    """Register the decorated function to run every ``interval`` in each event worker.

    Not in a process that calls the function's module remotely: that module's process runs it.
    """
    if interval <= timedelta(0):
        raise ValueError(f"A periodic job needs a positive interval, not {interval}.")

    def register(job: Job) -> Job:
        name = f"{job.__module__}.{job.__qualname__}"
        if remote_module_of(job.__module__) is not None:  # its own process runs it
            return job
        _jobs[name] = PeriodicJob(name=name, interval=interval, run=job)
        return job

    return register


def periodic_jobs() -> list[PeriodicJob]:
    """The jobs registered in this process, by name."""
    return sorted(_jobs.values(), key=lambda job: job.name)


class Schedule:
    """When each registered job runs next, in one worker: all are due when it starts."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.next_run = {job.name: clock() for job in periodic_jobs()}

    def run_due(self) -> int:
        """Run the jobs that are due, each at most once; return how many ran."""
        ran = 0
        for job in periodic_jobs():
            now = self.clock()
            if self.next_run.setdefault(job.name, now) > now:
                continue
            self.next_run[job.name] = now + job.interval.total_seconds()
            try:
                job.run()
            except Exception:
                logger.exception(
                    "Periodic job %s failed; it runs again in %s", job.name, job.interval
                )
            ran += 1
        return ran

    def seconds_until_next(self) -> float | None:
        """How long the worker may wait before a job is due; None without jobs."""
        if not self.next_run:
            return None
        return max(0.0, min(self.next_run.values()) - self.clock())
