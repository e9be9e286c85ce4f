"""The trace context crosses the remote module binding and the broker."""

import uuid
from typing import Any

import pytest
from kombu import Connection, Queue

from modular_monolith.events import publish
from modular_monolith.events.broker import exchange, receive, relay_pending
from modular_monolith.models import StoredEvent
from modular_monolith.testing import remote_binding
from modules.notes import api as notes

from ..events.sample import SampleAnnounced
from ..events.test_broker import ANNOUNCED, broker  # noqa: F401 (a fixture)


@pytest.mark.django_db(transaction=True)
def test_a_remote_call_continues_the_callers_trace_in_the_served_process(
    traced: Any, live_server: Any, settings: Any
) -> None:
    from opentelemetry import trace

    settings.MONOLITH_REMOTE_SECRET = "shared by both processes"
    with (
        remote_binding("notes", live_server.url),
        trace.get_tracer("test").start_as_current_span("caller") as caller,
    ):
        notes.write_note(text="over HTTP")

    spans = {span.name: span for span in traced.get_finished_spans()}
    served = spans["notes.write_note"]
    assert served.kind is trace.SpanKind.SERVER
    assert served.context.trace_id == caller.get_span_context().trace_id
    assert served.parent.span_id == caller.get_span_context().span_id
    assert spans["publish notes.NoteWritten"].parent.span_id == served.context.span_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_relayed_envelope_carries_the_context_and_the_receiver_stores_it(
    traced: Any,
    broker: str,  # noqa: F811
) -> None:
    queue = Queue(f"test-{uuid.uuid4()}", exchange=exchange(), routing_key=ANNOUNCED)
    with Connection(broker) as connection:
        bound = queue(connection.default_channel)
        bound.declare()
        try:
            publish(SampleAnnounced(number=7))
            relay_pending(connection)
            message = bound.get(no_ack=True)
        finally:
            bound.delete()
    document = message.decode()
    stored = StoredEvent.objects.get(type=ANNOUNCED)

    assert stored.trace_context is not None
    assert document["traceparent"] == stored.trace_context["traceparent"]
    # Another process receives it (here under another id, as this database has it already).
    document["id"] = str(uuid.uuid4())
    receive(document)
    assert StoredEvent.objects.get(pk=document["id"]).trace_context == stored.trace_context
