"""Traces with OpenTelemetry: a span per public API call, per event publication, per delivery.

(And the outbox's metrics, ``modular_monolith.metrics``, turned on with them.)

Off unless ``MONOLITH_TELEMETRY`` is true and ``opentelemetry-api`` is installed (the
``tracing`` extra). It is decided once, at startup (``install``, from the library's
``AppConfig.ready``): with tracing off no function is wrapped, and publishing and
delivering pay one test of a module global each.

With tracing on:

* every function of each module's ``api.__all__`` runs in a span ``<module>.<function>``
  (attributes ``monolith.module``, ``monolith.function``), remote stand-ins included;
* ``publish()`` opens a producer span ``publish <event type>`` and stores its context
  (W3C ``traceparent``/``tracestate``) with the event; the CloudEvents envelope and the
  AMQP headers carry it to other processes, which store it with the events they receive;
* each listener call opens a consumer span ``deliver <event type>``, the child of the
  publication (a batch listener's call links to every publication of its batch), that
  records the listener's exception;
* a call to a remote module sends the context in its headers, and the served side
  continues the trace in a server span ``<module>.<function>``.

Exporting is the OpenTelemetry SDK's business: the project configures it (the
template reads ``OTEL_*`` environment variables). Without an SDK every span is a no-op.
"""

import contextlib
import functools
import importlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from . import metrics
from .conf import setting
from .logs import module_of
from .modules import installed_modules

try:
    from opentelemetry import propagate, trace
except ImportError:  # the `tracing` extra is not installed: tracing stays off
    trace = None  # type: ignore[assignment]

TRACER = "modular_monolith"
MESSAGING_SYSTEM = "modular_monolith"

_on = False
_NOTHING: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()


def available() -> bool:
    """Whether ``opentelemetry-api`` is installed."""
    return trace is not None


def enabled() -> bool:
    """Whether tracing is on in this process."""
    return _on


def install() -> bool:
    """Turn tracing on, if ``opentelemetry-api`` is installed; return whether it is on.

    Wraps each public API function in a span; calling it again wraps only what is new
    (a module bound to a remote process since).
    """
    global _on
    if not available():
        return False
    _on = True
    metrics.install()
    for label, api in _public_apis():
        for name in getattr(api, "__all__", ()):
            function = getattr(api, name)
            if callable(function) and not isinstance(function, type) and not _is_traced(function):
                setattr(api, name, _traced(function, label, name))
    return True


def install_from_settings() -> None:
    """``install()`` if ``MONOLITH_TELEMETRY`` is true (at startup)."""
    if setting("TELEMETRY"):
        install()


def uninstall() -> None:
    """Turn tracing off and unwrap the public API functions (for tests and benchmarks)."""
    global _on
    _on = False
    for _label, api in _public_apis():
        for name in getattr(api, "__all__", ()):
            function = getattr(api, name)
            if _is_traced(function):
                setattr(api, name, function.__wrapped__)


def _public_apis() -> Iterator[tuple[str, Any]]:
    for config in installed_modules():
        try:
            yield config.label, importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue


def _is_traced(function: Callable[..., Any]) -> bool:
    return getattr(function, "_monolith_traced", False)


def _traced(function: Callable[..., Any], module: str, name: str) -> Callable[..., Any]:
    tracer = trace.get_tracer(TRACER)
    span_name = f"{module}.{name}"
    attributes = {"monolith.module": module, "monolith.function": name}

    @functools.wraps(function)
    def traced(*args: Any, **kwargs: Any) -> Any:
        with tracer.start_as_current_span(span_name, attributes=attributes):
            return function(*args, **kwargs)

    traced._monolith_traced = True  # type: ignore[attr-defined]
    return traced


# Events ---------------------------------------------------------------------------------------


def carried_fields() -> frozenset[str]:
    """The names the trace context travels under (``traceparent``, ``tracestate``...)."""
    if trace is None:
        return frozenset()
    return frozenset(propagate.get_global_textmap().fields)


@contextlib.contextmanager
def _publishing(event_type: str) -> Iterator[dict[str, str]]:
    module = event_type.partition(".")[0]
    with trace.get_tracer(TRACER).start_as_current_span(
        f"publish {event_type}",
        kind=trace.SpanKind.PRODUCER,
        attributes={
            "monolith.module": module,
            "messaging.system": MESSAGING_SYSTEM,
            "messaging.operation.type": "send",
            "messaging.destination.name": event_type,
        },
    ):
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        yield carrier


def publishing(event_type: str) -> contextlib.AbstractContextManager[dict[str, str] | None]:
    """A producer span for publishing ``event_type``; it yields the context to store, or None."""
    return _publishing(event_type) if _on else _NOTHING


@contextlib.contextmanager
def _delivering(
    event_type: str, listener: str, contexts: Sequence[Mapping[str, str] | None]
) -> Iterator[None]:
    parents = [propagate.extract(carrier) for carrier in contexts if carrier]
    links = [
        trace.Link(span_context)
        for parent in parents
        if (span_context := trace.get_current_span(parent).get_span_context()).is_valid
    ]
    # One publication: its child. A batch of several: a new trace that links to each.
    parent = parents[0] if len(contexts) == 1 and parents else None
    with trace.get_tracer(TRACER).start_as_current_span(
        f"deliver {event_type}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        links=links if parent is None else None,
        attributes={
            "monolith.module": module_of(listener),
            "monolith.listener": listener,
            "messaging.system": MESSAGING_SYSTEM,
            "messaging.operation.type": "process",
            "messaging.destination.name": event_type,
            "messaging.batch.message_count": len(contexts),
        },
    ):
        started = time.perf_counter()
        succeeded = False
        try:
            yield
            succeeded = True
        finally:
            metrics.record_delivery(
                listener,
                deliveries=len(contexts),
                succeeded=succeeded,
                seconds=time.perf_counter() - started,
            )


def delivering(
    event_type: str, listener: str, contexts: Sequence[Mapping[str, str] | None]
) -> contextlib.AbstractContextManager[None]:
    """A consumer span for one listener call, continuing the publications' trace contexts."""
    return _delivering(event_type, listener, contexts) if _on else _NOTHING


# Remote calls ---------------------------------------------------------------------------------


def outgoing_headers() -> dict[str, str]:
    """The current trace context as HTTP headers, for a call to another process; {} if off."""
    if not _on:
        return {}
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextlib.contextmanager
def _serving(module: str, function: str, headers: Mapping[str, str]) -> Iterator[None]:
    carrier = {name: headers[name] for name in carried_fields() if name in headers}
    with trace.get_tracer(TRACER).start_as_current_span(
        f"{module}.{function}",
        context=propagate.extract(carrier),
        kind=trace.SpanKind.SERVER,
        attributes={"monolith.module": module, "monolith.function": function},
    ):
        yield


def serving(
    module: str, function: str, headers: Mapping[str, str]
) -> contextlib.AbstractContextManager[None]:
    """A server span for a remote call, continuing the caller's trace from its headers."""
    return _serving(module, function, headers) if _on else _NOTHING


# Logs -----------------------------------------------------------------------------------------


class TraceFilter(logging.Filter):
    """Set ``record.trace_id`` and ``record.span_id`` (hex) from the active span, else ``""``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.trace_id = record.span_id = ""
        if _on:
            span_context = trace.get_current_span().get_span_context()
            if span_context.is_valid:
                record.trace_id = trace.format_trace_id(span_context.trace_id)
                record.span_id = trace.format_span_id(span_context.span_id)
        return True
