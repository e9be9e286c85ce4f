"""Tracing: spans per public API call, publication and delivery, one trace across them."""

import logging
import uuid
from typing import Any

import pytest
from django.utils import timezone
from opentelemetry.trace import SpanKind, StatusCode

from modular_monolith import tracing
from modular_monolith.events.envelope import envelope, read_envelope
from modular_monolith.events.registry import event_type_named
from modular_monolith.models import StoredEvent
from modular_monolith.testing import run_pending_deliveries, span_exporter
from modules.notes import api as notes
from modules.tally import api as tally

pytestmark = pytest.mark.django_db

LISTENER = "modules.tally.listeners.on_note_written"


@pytest.fixture(autouse=True)
def worker_delivery(settings: Any) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"


def spans_named(exporter: Any) -> dict[str, Any]:
    return {span.name: span for span in exporter.get_finished_spans()}


def test_with_tracing_off_no_function_is_wrapped_and_nothing_is_recorded() -> None:
    exporter = span_exporter()  # the SDK is there: only the library's switch is off
    exporter.clear()

    assert not tracing.enabled()
    assert not hasattr(notes.write_note, "_monolith_traced")
    notes.write_note(text="untraced")
    run_pending_deliveries()

    assert exporter.get_finished_spans() == ()
    assert StoredEvent.objects.get().trace_context is None


def test_a_public_api_call_is_a_span_named_for_its_module_and_function(traced: Any) -> None:
    tally.count(name="calls")

    (span,) = traced.get_finished_spans()
    assert span.name == "tally.count"
    assert dict(span.attributes) == {"monolith.module": "tally", "monolith.function": "count"}


def test_one_trace_runs_from_the_call_through_the_publication_to_the_delivery(
    traced: Any,
) -> None:
    notes.write_note(text="traced")
    stored = StoredEvent.objects.get()
    run_pending_deliveries()  # as the worker would, later, in another transaction

    spans = spans_named(traced)
    call, published, delivered = (
        spans["notes.write_note"],
        spans["publish notes.NoteWritten"],
        spans["deliver notes.NoteWritten"],
    )
    assert {span.context.trace_id for span in spans.values()} == {call.context.trace_id}
    assert published.parent.span_id == call.context.span_id
    assert published.kind is SpanKind.PRODUCER
    assert delivered.parent.span_id == published.context.span_id
    assert delivered.kind is SpanKind.CONSUMER
    assert delivered.attributes["monolith.listener"] == LISTENER
    assert delivered.attributes["monolith.module"] == "tally"
    assert stored.trace_context is not None
    assert stored.trace_context["traceparent"].split("-")[2] == f"{published.context.span_id:016x}"


def test_a_failing_listener_records_its_exception_on_the_delivery_span(
    traced: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("tally is down")

    monkeypatch.setattr("modules.tally.models.Count.objects.get_or_create", broken)
    notes.write_note(text="traced")
    run_pending_deliveries()

    delivered = spans_named(traced)["deliver notes.NoteWritten"]
    assert delivered.status.status_code is StatusCode.ERROR
    assert [event.name for event in delivered.events] == ["exception"]
    assert "tally is down" in delivered.events[0].attributes["exception.message"]


def test_uninstalling_unwraps_every_function(traced: Any) -> None:
    assert notes.write_note._monolith_traced  # type: ignore[attr-defined]
    tracing.uninstall()
    assert not hasattr(notes.write_note, "_monolith_traced")
    tracing.install()  # the fixture turns it off at the end


def test_the_envelope_carries_the_trace_context_both_ways() -> None:
    context = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    document = envelope(
        event_id=uuid.uuid4(),
        event_type=event_type_named("notes.NoteWritten"),
        occurred_at=timezone.now(),
        data={"note_id": 1},
        trace_context=context,
    )

    assert document["traceparent"] == context["traceparent"]
    assert read_envelope(document).trace_context == context
    del document["traceparent"]
    assert read_envelope(document).trace_context is None


def test_log_records_carry_the_active_spans_ids(traced: Any) -> None:
    from opentelemetry import trace

    record = logging.LogRecord("modules.notes", logging.INFO, __file__, 1, "hello", (), None)
    with trace.get_tracer("test").start_as_current_span("active") as span:
        tracing.TraceFilter().filter(record)

    context = span.get_span_context()
    assert getattr(record, "trace_id") == f"{context.trace_id:032x}"  # noqa: B009 (set by the filter)
    assert getattr(record, "span_id") == f"{context.span_id:016x}"  # noqa: B009
    outside = logging.LogRecord("modules.notes", logging.INFO, __file__, 1, "hello", (), None)
    tracing.TraceFilter().filter(outside)
    assert (getattr(outside, "trace_id"), getattr(outside, "span_id")) == ("", "")  # noqa: B009
