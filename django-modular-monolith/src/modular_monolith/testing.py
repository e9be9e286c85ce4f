"""Helpers for a module's tests: see the events it publishes, and deliver them.

A test runs inside a transaction that never commits, so the events it publishes
are stored but never delivered: their listeners run after a commit. These helpers
stand in for the commit and for the worker::

    with capture_events() as published, deliver_on_commit():
        notes.write_note(text="hello")
    assert published == [NoteWritten(note_id=1)]

    run_pending_deliveries()  # what `manage.py process_events --once` would deliver

    with remote_binding("notes", live_server.url):  # notes.api calls go over HTTP
        notes.write_note(text="hello")

    with tracing_on() as spans:  # needs opentelemetry-sdk
        notes.write_note(text="hello")
    assert [span.name for span in spans.get_finished_spans()] == ["publish notes.NoteWritten", ...]

With pytest, the plugin ``modular_monolith.pytest_plugin`` (installed with the
library) offers them as the fixtures ``published``, ``deliver_events`` and ``traced``, and
turns the boundary guards on for the whole test session.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.test import TestCase

from . import tracing
from .boundaries import guards
from .events import event_published
from .events.delivery import deliver_due
from .remote import client as remote_client

# The type of the ``deliver_events`` fixture, for the annotations of the tests that use it.
DeliverEvents = Callable[[], AbstractContextManager[Any]]


@contextmanager
def capture_events() -> Iterator[list[object]]:
    """Collect the events whose publishing transaction commits inside the block, in order."""
    events: list[object] = []

    def record(sender: type, event: object, **kwargs: Any) -> None:
        events.append(event)

    uid = f"{__name__}.capture_events.{id(events)}"  # several captures may be open at once
    event_published.connect(record, weak=False, dispatch_uid=uid)
    try:
        yield events
    finally:
        event_published.disconnect(dispatch_uid=uid)


def deliver_on_commit(
    using: str = DEFAULT_DB_ALIAS,
) -> AbstractContextManager[list[Callable[[], Any]]]:
    """Run the on-commit callbacks of the block when it ends, as a commit would.

    Event delivery is such a callback: in ``immediate`` mode the listeners run then.
    Callbacks registered by the callbacks themselves (a listener that publishes) run too.
    """
    return TestCase.captureOnCommitCallbacks(using=using, execute=True)


def run_pending_deliveries() -> int:
    """Deliver everything that is due, as ``manage.py process_events --once`` does.

    For ``EVENTS_DELIVERY = "worker"``, and for deliveries a failure left pending.
    The broker relay is not run. Return how many deliveries were attempted.
    """
    return deliver_due()


def install_boundary_guards() -> None:
    """Turn the runtime boundary guards on, whatever ``MONOLITH_GUARDS`` says."""
    guards.install()


@contextmanager
def remote_binding(label: str, base_url: str) -> Iterator[None]:
    """Inside the block, the module ``label``'s api calls the process at ``base_url``.

    As ``MONOLITH_REMOTE_MODULES`` does at startup; the local functions are back
    after the block. Set ``MONOLITH_REMOTE_SECRET`` to the served process's secret.
    With Django's live server as the served process (the same process), the calls
    reach the local functions: what a process serves is fixed when it starts.
    """
    replaced = remote_client.bind(label, base_url)
    try:
        yield
    finally:
        remote_client.unbind(label, replaced)


_span_exporter: Any = None


def span_exporter() -> Any:
    """The in-memory exporter every finished span goes to (opentelemetry-sdk), made once.

    The first call sets the SDK's tracer provider, unless the project has set one: the
    global provider can be set once per process.
    """
    global _span_exporter
    if _span_exporter is None:
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        provider = trace.get_tracer_provider()
        if not isinstance(provider, TracerProvider):
            provider = TracerProvider()
            trace.set_tracer_provider(provider)
        _span_exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_span_exporter))
    return _span_exporter


@contextmanager
def tracing_on() -> Iterator[Any]:
    """Inside the block tracing is on; yield the in-memory exporter of the block's spans.

    As ``MONOLITH_TELEMETRY`` does at startup; after the block tracing is as it was.
    """
    exporter = span_exporter()
    exporter.clear()
    was_on = tracing.enabled()
    tracing.install()
    try:
        yield exporter
    finally:
        if not was_on:
            tracing.uninstall()
        exporter.clear()
