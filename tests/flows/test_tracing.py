"""One trace follows an order from the HTTP request, through the modules, into the worker."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from modular_monolith import tracing
from modular_monolith.testing import span_exporter
from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.trace import SpanKind

from modules.orders import api as orders
from modules.products.models import Product
from tests.flows.conftest import Customer, Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_delivers(settings: Any) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "worker"  # as in production: the request delivers nothing


@pytest.fixture
def http_spans(traced: Any) -> Iterator[None]:
    """A server span per request, as shop/telemetry.py sets up with OTEL_TRACES_EXPORTER."""
    DjangoInstrumentor().instrument()
    try:
        yield
    finally:
        DjangoInstrumentor().uninstrument()


@pytest.fixture
def keyboard(make_product: Callable[..., Product]) -> Product:
    return make_product(name="Keyboard", price="40.00", stock=5)


def test_one_trace_runs_from_the_request_through_the_modules_to_the_workers_delivery(
    traced: Any,
    http_spans: None,
    worker_delivers: None,
    store: Store,
    customer: Customer,
    keyboard: Product,
) -> None:
    call_command("process_events", "--once")  # the customer's welcome
    traced.clear()  # the fixtures' own calls (creating the customer) are other traces

    response = store.place_order(customer, (keyboard, 2))
    assert response.status_code == 201, response.content
    call_command("process_events", "--once")  # the worker, after the request

    spans = traced.get_finished_spans()
    (request,) = [span for span in spans if span.parent is None]
    assert request.kind is SpanKind.SERVER
    assert {span.context.trace_id for span in spans} == {request.context.trace_id}
    names = {span.name for span in spans}
    assert {
        "orders.place_order",
        "publish orders.OrderPlaced",
        "deliver orders.OrderPlaced",
    } <= names
    assert any(name.startswith("products.") for name in names)
    modules = {span.attributes.get("monolith.module") for span in spans}
    assert {"orders", "products", "notifications"} <= modules
    (delivered,) = [span for span in spans if span.name == "deliver orders.OrderPlaced"]
    (published,) = [span for span in spans if span.name == "publish orders.OrderPlaced"]
    assert delivered.parent.span_id == published.context.span_id
    assert delivered.attributes["monolith.module"] == "notifications"


def test_with_tracing_off_no_function_is_wrapped_and_no_span_recorded(
    worker_delivers: None, store: Store, customer: Customer, keyboard: Product
) -> None:
    exporter = span_exporter()  # the SDK is there; MONOLITH_TELEMETRY is off in the tests
    exporter.clear()

    assert not tracing.enabled()
    assert not getattr(orders.place_order, "_monolith_traced", False)
    assert store.place_order(customer, (keyboard, 1)).status_code == 201
    call_command("process_events", "--once")

    assert exporter.get_finished_spans() == ()
