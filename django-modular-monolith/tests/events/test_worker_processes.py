"""The worker as real processes on PostgreSQL: killed mid-batch, two at once, woken by NOTIFY."""

import re
import signal
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from pytest_django.fixtures import Settings

from modular_monolith.events import publish
from modular_monolith.events.wakeup import CHANNEL
from modular_monolith.models import Delivery

from . import effect
from .processes import finish, start, wait_until
from .sample import SampleQueued

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WITH_EFFECT = ("--import", "tests.events.effect", "--")


def backlog(settings: Settings, size: int) -> None:
    """``size`` events whose deliveries to ``effect.create_group`` wait for the worker."""
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    with transaction.atomic():
        for number in range(1, size + 1):
            publish(SampleQueued(number=number))
    assert list(Delivery.objects.values_list("listener", flat=True)) == [effect.LISTENER] * size


def succeeded() -> int:
    return Delivery.objects.filter(status="succeeded").count()


def locked() -> int:
    """How many pending deliveries a worker holds locked right now."""
    with transaction.atomic():
        pending = Delivery.objects.filter(status="pending")
        return pending.count() - len(pending.select_for_update(skip_locked=True))


def test_a_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    settings: Settings,
) -> None:
    backlog(settings, 12)
    worker = start(*WITH_EFFECT, "process_events", SAMPLE_EFFECT_SECONDS="0.3")
    try:
        wait_until(lambda: succeeded() >= 3, what="the first deliveries")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate()  # reaps it and closes its pipes
    assert succeeded() < 12, "the worker finished before it could be killed"

    finish(start(*WITH_EFFECT, "process_events", "--once"))

    deliveries = Delivery.objects.all()
    assert [d.status for d in deliveries] == ["succeeded"] * 12
    assert {d.attempts for d in deliveries} == {1}  # the killed attempt left no trace
    assert effect.applied() == list(range(1, 13))  # each event's effect, exactly once


def test_two_workers_on_one_backlog_deliver_each_item_once(settings: Settings) -> None:
    backlog(settings, 40)

    workers = [
        start(*WITH_EFFECT, "process_events", "--once", SAMPLE_EFFECT_SECONDS="0.02")
        for _ in range(2)
    ]
    outputs = [finish(worker) for worker in workers]

    delivered = [int(re.search(r"Delivered (\d+)", output).group(1)) for output in outputs]  # type: ignore[union-attr]
    assert sum(delivered) == 40
    assert all(count > 0 for count in delivered), f"one worker did all the work: {delivered}"
    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert effect.applied() == list(range(1, 41))


def test_a_worker_killed_in_a_batch_of_several_deliveries_leaves_the_whole_batch_to_redo(
    settings: Settings, tmp_path: Path
) -> None:
    """Batches of 1, 2, 4, then 8: the fourth holds events 8 to 12 when event 10 hangs."""
    backlog(settings, 12)
    hanging = tmp_path / "hanging"
    worker = start(
        *WITH_EFFECT, "process_events", SAMPLE_HANG_AT="10", SAMPLE_HANG_FILE=str(hanging)
    )
    try:
        wait_until(hanging.exists, what="the listener of event 10 to hang")
        assert locked() == 5  # events 8 to 12, claimed together
        assert effect.applied() == list(range(1, 8))  # 8 and 9 ran, but uncommitted
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate()
    assert succeeded() == 7

    finish(start(*WITH_EFFECT, "process_events", "--once"))

    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert effect.applied() == list(range(1, 13))


def test_a_waiting_worker_wakes_up_when_a_commit_notifies_its_channel(settings: Settings) -> None:
    backlog(settings, 1)
    worker = start(*WITH_EFFECT, "process_events", "--interval", "60")
    try:
        wait_until(lambda: succeeded() == 1, what="the first delivery")
        time.sleep(0.5)  # the worker found nothing more, and waits (60 s, unless woken)
        with transaction.atomic():
            publish(SampleQueued(number=2))
            with connection.cursor() as cursor:
                cursor.execute(f"NOTIFY {CHANNEL}")  # what publishing does on PostgreSQL

        wait_until(lambda: succeeded() == 2, timeout=20, what="the notified delivery")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate()
    assert effect.applied() == [1, 2]
