"""The outbox's metrics, through the OpenTelemetry metrics API (with ``MONOLITH_TELEMETRY``).

Gauges, read from the database each time the SDK's reader collects (every process that
turns telemetry on reports them: take the maximum, not the sum):

    monolith.outbox.due              deliveries due, per listener (``monolith.listener``)
    monolith.outbox.oldest_due_age   seconds the longest-waiting due delivery has waited, per listener
    monolith.outbox.failed           deliveries out of attempts, per listener
    monolith.outbox.to_relay         external events waiting to be sent to the broker

Counted by the process that runs the listeners:

    monolith.deliveries              listener calls' deliveries, per listener and ``outcome``
                                     (``succeeded``, ``failed``: an attempt that raised)
    monolith.delivery.duration       seconds per listener call, per listener and outcome
"""

import threading
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.utils import timezone

try:
    from opentelemetry import metrics
except ImportError:  # the `tracing` extra is not installed
    metrics = None  # type: ignore[assignment]

METER = "modular_monolith"

_instruments: dict[str, Any] = {}


def install() -> None:
    """Create the instruments (once); without ``opentelemetry-api`` do nothing."""
    if metrics is None or _instruments:
        return
    meter = metrics.get_meter(METER)
    for name, unit, description, reading in [
        ("monolith.outbox.due", "{delivery}", "Deliveries due, per listener", _due),
        ("monolith.outbox.oldest_due_age", "s", "Age of the oldest due delivery", _oldest_age),
        ("monolith.outbox.failed", "{delivery}", "Deliveries out of attempts", _failed),
        ("monolith.outbox.to_relay", "{event}", "Events waiting for the broker", _to_relay),
    ]:
        _instruments[name] = meter.create_observable_gauge(
            name, callbacks=[_from_database(reading)], unit=unit, description=description
        )
    _instruments["deliveries"] = meter.create_counter(
        "monolith.deliveries", unit="{delivery}", description="Deliveries attempted"
    )
    _instruments["duration"] = meter.create_histogram(
        "monolith.delivery.duration", unit="s", description="Duration of a listener call"
    )


def record_delivery(listener: str, *, deliveries: int, succeeded: bool, seconds: float) -> None:
    """Count one listener call of ``deliveries`` deliveries, and its duration."""
    if not _instruments:
        return
    attributes = {"monolith.listener": listener, "outcome": "succeeded" if succeeded else "failed"}
    _instruments["deliveries"].add(deliveries, attributes)
    _instruments["duration"].record(seconds, attributes)


def _from_database(reading: Any) -> Any:
    def callback(options: Any) -> Iterable[Any]:
        try:
            return list(reading())
        finally:
            # The SDK's reader collects in a thread of its own: leave no connection open there.
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()

    return callback


# The backlog's queries import the models: only once a reader collects, never at import
# (the logging configuration imports this module's neighbour, tracing, before the apps).


def _due() -> Iterable[Any]:
    from .events.backlog import listener_backlog

    for row in listener_backlog():
        yield metrics.Observation(row.due, {"monolith.listener": row.listener})


def _oldest_age() -> Iterable[Any]:
    from .events.backlog import listener_backlog

    now = timezone.now()
    for row in listener_backlog():
        age = (now - row.oldest_due_at).total_seconds() if row.oldest_due_at else 0.0
        yield metrics.Observation(age, {"monolith.listener": row.listener})


def _failed() -> Iterable[Any]:
    from .events.backlog import listener_backlog

    for row in listener_backlog():
        yield metrics.Observation(row.failed, {"monolith.listener": row.listener})


def _to_relay() -> Iterable[Any]:
    from .events.backlog import outbox_backlog

    yield metrics.Observation(outbox_backlog().to_relay)
