"""Payments served by another process: the public API when it answers, and when it is down.

The payments service is Django's live server (this process's payments, served at
``/internal/modules/``); "down" is a port nothing listens on. The public API does
not change: paying answers 503 with the project's JSON error while payments is
down, charges nothing, and works again when it is back.
"""

import contextlib
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from modular_monolith.testing import remote_binding

from modules.payments.models import Payment
from modules.products.models import Product
from tests.flows.conftest import Customer, RecordingGateway, Store

SECRET = "shared by the monolith and its payments service"


@pytest.fixture(autouse=True)
def shared_secret(settings: Any) -> None:
    settings.MONOLITH_REMOTE_SECRET = SECRET
    settings.MONOLITH_REMOTE_RETRY_DELAY = 0.0


@pytest.fixture
def payments_down() -> str:
    """The base URL of a payments service that is not running."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def keyboard(make_product: Callable[..., Product]) -> Product:
    return make_product(name="Keyboard", price="40.00", stock=5)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.content
    assert response.json() == {
        "message": "The payments module is unavailable; try again later.",
        "details": {"module": "payments"},
    }


@pytest.mark.django_db
def test_with_payments_down_orders_are_placed_listed_and_cancelled(
    store: Store, customer: Customer, keyboard: Product, payments_down: str
) -> None:
    with remote_binding("payments", payments_down):
        placed = store.place_order(customer, (keyboard, 2))
        assert placed.status_code == 201, placed.content
        order_id = placed.json()["id"]
        assert [order["id"] for order in store.orders(customer)] == [order_id]
        assert store.cancel(customer, order_id).status_code == 200
        assert store.stock(keyboard) == 5


@pytest.mark.django_db
def test_paying_while_payments_is_down_answers_503_and_charges_nothing(
    store: Store,
    customer: Customer,
    keyboard: Product,
    gateway: RecordingGateway,
    payments_down: str,
) -> None:
    order_id = store.place_order(customer, (keyboard, 1)).json()["id"]

    with remote_binding("payments", payments_down):
        response = store.pay(customer, order_id, method="test_ok", key="pay-1")

    _assert_unavailable(response)
    assert gateway.charges == []
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_pay_that_never_reached_payments_leaves_the_order_cancellable_at_once(
    store: Store, customer: Customer, keyboard: Product, payments_down: str
) -> None:
    order_id = store.place_order(customer, (keyboard, 1)).json()["id"]

    with remote_binding("payments", payments_down):
        _assert_unavailable(store.pay(customer, order_id, method="test_ok", key="pay-1"))
        assert store.order(customer, order_id)["status"] == "pending_payment"
        assert store.cancel(customer, order_id).status_code == 200


@pytest.mark.django_db
def test_a_pay_that_may_have_reached_payments_keeps_the_order_claimed(
    store: Store, customer: Customer, keyboard: Product, settings: Any
) -> None:
    """A timeout may have charged: cancelling waits for the outcome (event, retry, timeout)."""
    settings.MONOLITH_REMOTE_TIMEOUT = 0.2
    order_id = store.place_order(customer, (keyboard, 1)).json()["id"]

    with _silent_service() as url, remote_binding("payments", url):
        _assert_unavailable(store.pay(customer, order_id, method="test_ok", key="pay-1"))

    assert store.order(customer, order_id)["status"] == "payment_in_progress"
    assert store.cancel(customer, order_id).status_code == 409


@contextlib.contextmanager
def _silent_service() -> Iterator[str]:
    """The base URL of a service that accepts connections and never answers (a hung process)."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(16)
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"


@pytest.mark.django_db(transaction=True)  # the served payments commit on their own
def test_paying_through_the_payments_service_works_and_again_once_it_is_back(
    store: Store,
    customer: Customer,
    keyboard: Product,
    gateway: RecordingGateway,
    payments_down: str,
    live_server: Any,
) -> None:
    order_id = store.place_order(customer, (keyboard, 2)).json()["id"]
    with remote_binding("payments", payments_down):
        _assert_unavailable(store.pay(customer, order_id, method="test_ok", key="pay-1"))

    with remote_binding("payments", live_server.url):
        response = store.pay(customer, order_id, method="test_ok", key="pay-1")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "succeeded"
    assert store.order(customer, order_id)["status"] == "paid"
    assert len(gateway.charges) == 1
    assert Payment.objects.get().pk == response.json()["id"]


@pytest.mark.django_db
def test_the_internal_endpoint_refuses_unsigned_calls_and_is_not_under_the_public_api(
    client: Any, gateway: RecordingGateway
) -> None:
    call = {
        "arguments": {
            "reference": "order-1",
            "amount": "10.00",
            "idempotency_key": "k",
            "payment_method": "test_ok",
        }
    }
    body = json.dumps(call)

    unsigned = client.post(
        "/internal/modules/payments/charge", body, content_type="application/json"
    )
    public = client.post(
        "/api/internal/modules/payments/charge", body, content_type="application/json"
    )

    assert unsigned.status_code == 401
    assert public.status_code == 404
    assert gateway.charges == []
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)  # the served payments commit on their own
def test_a_payment_through_the_payments_service_stays_in_the_requests_trace(
    store: Store,
    customer: Customer,
    keyboard: Product,
    gateway: RecordingGateway,
    live_server: Any,
    traced: Any,
) -> None:
    from opentelemetry.trace import SpanKind

    order_id = store.place_order(customer, (keyboard, 1)).json()["id"]
    with remote_binding("payments", live_server.url):
        traced.clear()
        assert store.pay(customer, order_id, method="test_ok", key="pay-1").status_code == 200

    spans = {span.name: span for span in traced.get_finished_spans()}
    paying, served = spans["orders.pay_order"], spans["payments.charge"]
    assert served.kind is SpanKind.SERVER  # in the served process, continuing the caller's trace
    assert served.context.trace_id == paying.context.trace_id
    assert served.parent.span_id == paying.context.span_id
    assert spans["publish payments.PaymentSucceeded"].parent.span_id == served.context.span_id
