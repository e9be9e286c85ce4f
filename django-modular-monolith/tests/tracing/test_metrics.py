"""The outbox's metrics: backlog per listener, deliveries counted and timed."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from modular_monolith import metrics
from modular_monolith.models import Delivery
from modular_monolith.testing import run_pending_deliveries
from modules.notes import api as notes

pytestmark = pytest.mark.django_db

LISTENER = "modules.tally.listeners.on_note_written"
_reader: Any = None


@pytest.fixture
def reader(traced: Any, settings: Any) -> Any:
    """An in-memory metric reader on the global meter provider (set once per process)."""
    global _reader
    if _reader is None:
        from opentelemetry import metrics as otel_metrics
        from opentelemetry.sdk.metrics import Counter, Histogram, MeterProvider
        from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader

        delta = AggregationTemporality.DELTA  # each reading counts what happened since the last
        _reader = InMemoryMetricReader(preferred_temporality={Counter: delta, Histogram: delta})
        otel_metrics.set_meter_provider(MeterProvider(metric_readers=[_reader]))
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    metrics.install()
    _reader.get_metrics_data()  # forget what earlier tests counted
    return _reader


def points(reader: Any) -> dict[str, list[Any]]:
    data = reader.get_metrics_data()
    return {
        metric.name: list(metric.data.data_points)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    }


def by_listener(found: list[Any]) -> dict[str, Any]:
    return {point.attributes.get("monolith.listener"): point.value for point in found}


def test_the_backlog_gauges_read_the_outbox_per_listener(reader: Any) -> None:
    notes.write_note(text="one")
    notes.write_note(text="two")
    first, last = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    Delivery.objects.filter(pk=last.pk).update(status="failed")

    found = points(reader)

    assert by_listener(found["monolith.outbox.due"]) == {LISTENER: 1}
    assert by_listener(found["monolith.outbox.failed"]) == {LISTENER: 1}
    assert by_listener(found["monolith.outbox.oldest_due_age"])[LISTENER] >= 300
    assert [point.value for point in found["monolith.outbox.to_relay"]] == [0]


def test_each_listener_call_is_counted_and_timed_by_outcome(reader: Any) -> None:
    notes.write_note(text="one")
    run_pending_deliveries()

    found = points(reader)
    (counted,) = found["monolith.deliveries"]
    assert counted.value == 1
    assert dict(counted.attributes) == {"monolith.listener": LISTENER, "outcome": "succeeded"}
    (timed,) = found["monolith.delivery.duration"]
    assert timed.count == 1
