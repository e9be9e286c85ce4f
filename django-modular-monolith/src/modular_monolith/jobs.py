"""Periodic jobs: work a module wants done on a schedule, run by the event worker.

A module registers a job where it registers its listeners (imported from its
``AppConfig.ready()``), so a module that is not installed schedules nothing, nor
does a module served by another process (``MONOLITH_REMOTE_MODULES``) in this
one: its jobs work on its tables, and its own worker runs them::

    @every(timedelta(minutes=1))
    def settle_stale_payments() -> None:
        ...

``manage.py process_events`` runs the jobs that are due between two batches of
deliveries. The schedule is shared through the database (``ScheduledJob``): a job
never run is due at once, then every ``interval`` after its last start, and each
run is claimed by one worker however many there are (a conditional ``UPDATE``,
committed before the job starts: no transaction is held while it runs). A crash
may still cut a job off anywhere, so it must be idempotent. One that raises is
logged and runs again at its next time; it never stops the worker.
"""

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from .models import ScheduledJob
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
    """Register the decorated function to run every ``interval``, in one of the event workers.

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
    """The periodic jobs as one worker sees them: it runs those it claims when they are due.

    Between claims it keeps, for each job, when the job is next due, so that looking
    costs no query until then.
    """

    def __init__(self, clock: Callable[[], datetime] = timezone.now) -> None:
        self.clock = clock
        now = clock()
        self.next_look = {job.name: now for job in periodic_jobs()}
        # A job never run anywhere is due now; the others keep their time.
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=name, next_run_at=now) for name in self.next_look],
            ignore_conflicts=True,
        )

    def run_due(self) -> int:
        """Run the due jobs that this worker claims, each at most once; return how many ran."""
        ran = 0
        for job in periodic_jobs():
            now = self.clock()
            if self.next_look.setdefault(job.name, now) > now:
                continue
            if not self._claim(job, now):
                continue
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
        if not self.next_look:
            return None
        return max(0.0, (min(self.next_look.values()) - self.clock()).total_seconds())

    def _claim(self, job: PeriodicJob, now: datetime) -> bool:
        """Move the job's next run on by its interval if it is due; True if this worker did."""
        next_run_at = now + job.interval
        claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=next_run_at, last_run_at=now
        )
        if claimed:
            self.next_look[job.name] = next_run_at
            return True
        # Another worker ran it: look again when it is due next (a job without a row yet,
        # registered after this worker started, is due at once).
        scheduled, _ = ScheduledJob.objects.get_or_create(
            name=job.name, defaults={"next_run_at": now}
        )
        self.next_look[job.name] = scheduled.next_run_at
        return False
