"""OpenTelemetry's SDK, set up from the standard ``OTEL_*`` environment variables.

Nothing is exported unless asked for (here ``none`` is the default, not the SDK's ``otlp``):

    OTEL_TRACES_EXPORTER=console|otlp|none     spans: printed, or sent to a collector
    OTEL_METRICS_EXPORTER=console|otlp|none    the outbox's metrics, every OTEL_METRIC_EXPORT_INTERVAL ms
    OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318   where otlp sends (HTTP/protobuf)
    OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER...  as the SDK reads them

``configure()`` runs in each process that serves or works (``manage.py``, ``wsgi.py``, before
Django loads its middleware): under gunicorn in each worker, after the fork, as the SDK's
export threads must. The settings turn
the library's spans on (``MONOLITH_TELEMETRY``) when either exporter is set.
"""

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.sdk.resources import Resource

EXPORTERS = ("console", "otlp", "none")
_PROJECT = __name__.partition(".")[0]


def exporter(signal: str) -> str:
    """The exporter chosen for ``signal`` (``traces``, ``metrics``): console, otlp or none."""
    chosen = os.environ.get(f"OTEL_{signal.upper()}_EXPORTER", "none").strip().lower() or "none"
    if chosen not in EXPORTERS:
        raise ValueError(
            f"OTEL_{signal.upper()}_EXPORTER is {chosen!r}: use console, otlp or none."
        )
    return chosen


def configure() -> None:
    """Install the SDK's tracer and meter providers, if an exporter is chosen (once per process)."""
    traces, metrics = exporter("traces"), exporter("metrics")
    if traces == metrics == "none":
        return
    from opentelemetry.sdk.resources import Resource

    # The project package's name, unless OTEL_SERVICE_NAME says otherwise.
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", _PROJECT)})
    if traces != "none":
        _configure_traces(traces, resource)
    if metrics != "none":
        _configure_metrics(metrics, resource)


def _configure_traces(chosen: str, resource: "Resource") -> None:
    from opentelemetry import trace
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    if chosen == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter: SpanExporter = OTLPSpanExporter()
    else:
        span_exporter = ConsoleSpanExporter()
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(span_exporter))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument()  # a server span per HTTP request, the trace's root


def _configure_metrics(chosen: str, resource: "Resource") -> None:
    from opentelemetry import metrics
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import (
        ConsoleMetricExporter,
        MetricExporter,
        PeriodicExportingMetricReader,
    )

    if chosen == "otlp":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        metric_exporter: MetricExporter = OTLPMetricExporter()
    else:
        metric_exporter = ConsoleMetricExporter()
    reader = PeriodicExportingMetricReader(metric_exporter)
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[reader]))
