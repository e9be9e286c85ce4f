"""`manage.py events` shows the outbox, resubmits failed deliveries and prunes old ones."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from modular_monolith.events import publish
from modular_monolith.models import Delivery, StoredEvent

from . import sample
from .sample import SampleHappened

pytestmark = pytest.mark.django_db

Deliver = Callable[[], AbstractContextManager[Any]]


def events_command(*args: str) -> str:
    out = StringIO()
    call_command("events", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def one_failed(deliver_events: Deliver) -> Delivery:
    sample.broken.add("first")
    with deliver_events():
        publish(SampleHappened(number=1))
    failed = Delivery.objects.get(listener__endswith="first_listener")
    failed.status = Delivery.Status.FAILED
    failed.save()
    return failed


def test_status_counts_deliveries_and_shows_the_failed_ones(one_failed: Delivery) -> None:
    output = events_command()
    assert "succeeded  1" in output
    assert "failed     1" in output
    assert f"Failed delivery {one_failed.pk}: tests.SampleHappened" in output
    assert "RuntimeError: first is broken" in output


def test_status_shows_the_listeners_that_are_behind(
    one_failed: Delivery, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    publish(SampleHappened(number=2))
    Delivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - timedelta(minutes=2)
    )

    lines = events_command().splitlines()

    header = lines.index("   due   waiting failed  listener")
    first, second = (line.split() for line in lines[header + 1 : header + 3])
    assert first[:1] + first[2:] == ["1", "s", "1", "tests.events.sample.first_listener"]
    assert second[:1] + second[2:] == ["1", "s", "0", "tests.events.sample.second_listener"]
    assert 120 <= int(first[1]) < 180 and 120 <= int(second[1]) < 180  # seconds waiting
    assert lines[header + 3] == ""  # no other listener is behind


def test_retry_makes_failed_deliveries_due_again(one_failed: Delivery) -> None:
    sample.broken.clear()
    assert "Resubmitted 1 failed deliveries." in events_command("retry")

    call_command("process_events", "--once", stdout=StringIO())

    one_failed.refresh_from_db()
    assert one_failed.status == "succeeded"
    assert ("first", 1) in sample.calls


def test_prune_deletes_old_completed_events_and_keeps_failed_ones(
    one_failed: Delivery, deliver_events: Deliver
) -> None:
    sample.broken.clear()
    for number in (2, 3):
        with deliver_events():
            publish(SampleHappened(number=number))
    old_and_completed = StoredEvent.objects.get(payload__number=2)
    long_ago = timezone.now() - timedelta(days=40)
    StoredEvent.objects.filter(pk__in=[old_and_completed.pk, one_failed.event_id]).update(
        occurred_at=long_ago
    )

    assert "Pruned 1 completed events." in events_command("prune", "--older-than", "30")

    assert not StoredEvent.objects.filter(pk=old_and_completed.pk).exists()
    assert Delivery.objects.filter(pk=one_failed.pk).exists()
    assert StoredEvent.objects.count() == 2


def test_the_worker_refuses_a_batch_size_below_one() -> None:
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        call_command("process_events", "--once", "--batch-size", "0", stdout=StringIO())


def test_the_worker_delivers_in_batches_of_the_size_it_is_given(
    deliver_events: Deliver, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    with deliver_events():
        for number in range(5):
            publish(SampleHappened(number=number))
    out = StringIO()

    with CaptureQueriesContext(connection) as captured:
        call_command("process_events", "--once", "--batch-size", "2", stdout=out)

    assert "Delivered 10, relayed 0." in out.getvalue()
    claims = [q for q in captured.captured_queries if "modular_monolith_delivery" in q["sql"]]
    # Batches of 1, 2, 2, 2, 2 and 1: the last, short of its size, took all there was, so
    # no claim is spent finding nothing.
    assert len([q for q in claims if q["sql"].startswith("SELECT")]) == 6
