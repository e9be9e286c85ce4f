"""Periodic jobs run in the event workers, each on its interval in one of them, and a failing
one stops nothing."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from modular_monolith import jobs
from modular_monolith.models import ScheduledJob

pytestmark = pytest.mark.django_db

runs: list[str] = []


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    """Two jobs of this test module, registered for the test only."""
    before = dict(jobs._jobs)
    runs.clear()
    jobs.every(timedelta(seconds=10))(tick)
    jobs.every(timedelta(minutes=1))(sometimes_broken)
    yield
    jobs._jobs.clear()
    jobs._jobs.update(before)


def tick() -> None:
    runs.append("tick")


broken = False


def sometimes_broken() -> None:
    runs.append("sometimes_broken")
    if broken:
        raise RuntimeError("the job is broken")


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_every_job_runs_when_first_scheduled_then_on_its_interval() -> None:
    clock = Clock()
    schedule = jobs.Schedule(clock)
    assert schedule.run_due() == 2
    assert schedule.run_due() == 0
    assert schedule.seconds_until_next() == 10.0

    clock.advance(10)
    assert schedule.run_due() == 1
    clock.advance(50)
    assert schedule.run_due() == 2
    assert runs == ["sometimes_broken", "tick", "tick", "sometimes_broken", "tick"]


def test_the_workers_share_the_schedule_so_each_run_happens_in_one() -> None:
    clock = Clock()
    first, second = jobs.Schedule(clock), jobs.Schedule(clock)

    assert first.run_due() == 2
    assert second.run_due() == 0  # both ran already, in the first
    assert second.seconds_until_next() == 10.0
    clock.advance(10)
    assert second.run_due() == 1
    assert first.run_due() == 0
    assert jobs.Schedule(clock).run_due() == 0  # a worker (re)started now runs nothing yet

    assert runs == ["sometimes_broken", "tick", "tick"]
    tick = ScheduledJob.objects.get(name="tests.test_jobs.tick")
    assert (tick.last_run_at, tick.next_run_at) == (clock.now, clock.now + timedelta(seconds=10))


def test_a_failing_job_is_logged_and_runs_again_at_its_next_time(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(globals(), "broken", True)
    clock = Clock()
    schedule = jobs.Schedule(clock)
    assert schedule.run_due() == 2  # the broken one did not keep the other from running
    assert "Periodic job tests.test_jobs.sometimes_broken failed" in caplog.text
    assert "RuntimeError: the job is broken" in caplog.text

    clock.advance(60)
    assert schedule.run_due() == 2
    assert runs.count("sometimes_broken") == 2


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive interval"):
        jobs.every(timedelta(0))


def test_the_worker_runs_the_jobs_that_are_due() -> None:
    call_command("process_events", "--once", stdout=StringIO())
    call_command("process_events", "--once", stdout=StringIO())  # none is due again yet
    assert sorted(runs) == ["sometimes_broken", "tick"]


def test_a_remote_modules_jobs_are_not_scheduled_here(settings: Any) -> None:
    def clean_up() -> None:
        runs.append("clean_up")

    settings.MONOLITH_REMOTE_MODULES = {"tally": "http://127.0.0.1:8001"}
    for module, runs_here in [("modules.tally.jobs", False), ("modules.notes.jobs", True)]:
        clean_up.__module__ = module
        jobs.every(timedelta(minutes=1))(clean_up)
        names = [job.name for job in jobs.periodic_jobs()]
        assert (f"{module}.{clean_up.__qualname__}" in names) is runs_here
