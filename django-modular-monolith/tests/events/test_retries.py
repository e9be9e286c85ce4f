"""A failing listener never breaks the publisher; it is retried, then marked failed."""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pytest_django.fixtures import Settings

from modular_monolith.events import listener_name, listens_to, publish, stop_listening
from modular_monolith.events.delivery import deliver_due, retry_delay
from modular_monolith.models import Delivery

from . import sample
from .sample import SampleHappened

pytestmark = pytest.mark.django_db

Deliver = Callable[[], AbstractContextManager[Any]]
FIRST = "tests.events.sample.first_listener"


def make_due() -> None:
    """Move every pending retry into the past, as if its backoff had elapsed."""
    Delivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_failing_listener_is_recorded_and_the_others_still_run(
    deliver_events: Deliver, caplog: pytest.LogCaptureFixture
) -> None:
    sample.broken.add("first")
    with caplog.at_level(logging.ERROR), deliver_events():
        publish(SampleHappened(number=1))

    assert sample.calls == [("second", 1)]
    failed = Delivery.objects.get(listener=FIRST)
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "RuntimeError: first is broken" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    record = next(r for r in caplog.records if FIRST in r.getMessage())
    assert str(failed.event_id) in record.getMessage()
    assert record.exc_info is not None  # the traceback is logged


def test_the_worker_retries_once_the_listener_is_fixed(deliver_events: Deliver) -> None:
    sample.broken.add("first")
    with deliver_events():
        publish(SampleHappened(number=2))
    assert deliver_due() == 0  # not due yet: the backoff has not elapsed

    sample.broken.clear()
    make_due()
    assert deliver_due() == 1

    assert sorted(sample.calls) == [("first", 2), ("second", 2)]
    delivery = Delivery.objects.get(listener=FIRST)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("succeeded", 2, "")


def test_a_delivery_is_failed_after_the_last_attempt(
    deliver_events: Deliver, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_MAX_ATTEMPTS = 3
    sample.broken.add("first")
    with deliver_events():
        publish(SampleHappened(number=3))
    for _ in range(5):
        make_due()
        deliver_due()

    delivery = Delivery.objects.get(listener=FIRST)
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.completed_at is not None


def test_the_backoff_doubles_and_is_capped(settings: Settings) -> None:
    settings.MONOLITH_EVENTS_RETRY_DELAY = 2.0
    settings.MONOLITH_EVENTS_RETRY_MAX_DELAY = 60.0
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 6, 10)] == [2, 4, 8, 16, 60, 60]


def test_a_failed_listener_rolls_back_its_own_writes(deliver_events: Deliver) -> None:
    """Work a listener did before raising is undone, so a retry starts clean."""

    def half_done(event: SampleHappened) -> None:
        Group.objects.create(name="written before the failure")
        raise RuntimeError("fails after writing")

    name = listener_name(half_done)
    listens_to(SampleHappened)(half_done)
    try:
        with deliver_events():
            publish(SampleHappened(number=4))
    finally:
        stop_listening(SampleHappened, half_done)

    assert not Group.objects.filter(name="written before the failure").exists()
    assert Delivery.objects.get(listener=name).status == "pending"
