"""An order's life over HTTP: placed, paid or declined, cancelled; and what each step notifies."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.mail import EmailMessage
from modular_monolith.testing import DeliverEvents

from modules.products.models import Product
from tests.flows.conftest import Customer, RecordingGateway, Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyboard(make_product: Callable[..., Product]) -> Product:
    return make_product(name="Keyboard", price="40.00", stock=5)


@pytest.fixture
def mouse(make_product: Callable[..., Product]) -> Product:
    return make_product(name="Mouse", price="12.50", stock=3)


@pytest.fixture
def placed_order(
    store: Store,
    customer: Customer,
    keyboard: Product,
    mouse: Product,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> dict[str, Any]:
    """Two keyboards and a mouse (92.50), waiting for payment; its notification is delivered."""
    with deliver_events():
        response = store.place_order(customer, (keyboard, 2), (mouse, 1))
    assert response.status_code == 201, response.content
    mailoutbox.clear()
    return response.json()


def _kinds(store: Store, customer: Customer) -> list[str]:
    return [n["kind"] for n in store.notifications(customer)]


def _assert_json_error(response: Any, status: int) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_the_catalogue_lists_every_product_with_its_price_and_stock(
    store: Store, keyboard: Product, mouse: Product
) -> None:
    response = store.client.get("/api/products")

    assert response.status_code == 200
    assert [(p["id"], p["name"], Decimal(p["price"]), p["stock"]) for p in response.json()] == [
        (keyboard.pk, "Keyboard", Decimal("40.00"), 5),
        (mouse.pk, "Mouse", Decimal("12.50"), 3),
    ]


def test_placing_an_order_reserves_stock_and_tells_the_customer(
    store: Store,
    customer: Customer,
    keyboard: Product,
    mouse: Product,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> None:
    catalogue = {p["name"]: p["id"] for p in store.client.get("/api/products").json()}
    with deliver_events():
        response = store.post(
            "/api/orders",
            {
                "lines": [
                    {"product_id": catalogue["Keyboard"], "quantity": 2},
                    {"product_id": catalogue["Mouse"], "quantity": 1},
                ]
            },
            headers=customer.headers,
        )

    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "pending_payment"
    assert Decimal(order["total"]) == Decimal("92.50")
    assert [(line["name"], line["quantity"]) for line in order["lines"]] == [
        ("Keyboard", 2),
        ("Mouse", 1),
    ]
    assert store.order(customer, order["id"])["status"] == "pending_payment"
    assert (store.stock(keyboard), store.stock(mouse)) == (3, 2)

    assert [(n["kind"], n["subject"]) for n in store.notifications(customer)] == [
        ("order_placed", f"Order {order['id']} placed")
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([customer.email], f"Order {order['id']} placed")
    ]


def test_paying_with_a_working_card_marks_the_order_paid_and_tells_the_customer(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> None:
    with deliver_events():
        response = store.pay(customer, placed_order["id"], method="test_ok", key="pay-1")

    assert response.status_code == 200, response.content
    payment = response.json()
    assert payment["status"] == "succeeded"
    assert payment["failure_reason"] == ""
    assert gateway.charges == [{"amount": Decimal("92.50"), "payment_method": "test_ok"}]

    assert store.order(customer, placed_order["id"])["status"] == "paid"
    assert _kinds(store, customer) == ["order_paid", "order_placed"]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([customer.email], f"Order {placed_order['id']} paid")
    ]


def test_paying_again_with_the_same_idempotency_key_returns_the_first_payment_and_charges_nothing(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> None:
    with deliver_events():
        first = store.pay(customer, placed_order["id"], method="test_ok", key="pay-1")
    with deliver_events():
        again = store.pay(customer, placed_order["id"], method="test_ok", key="pay-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert len(gateway.charges) == 1
    assert store.order(customer, placed_order["id"])["status"] == "paid"
    assert _kinds(store, customer) == ["order_paid", "order_placed"]
    assert len(mailoutbox) == 1


def test_paying_a_paid_order_with_a_new_key_is_refused_without_charging(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        assert (
            store.pay(customer, placed_order["id"], method="test_ok", key="pay-1").status_code
            == 200
        )
    with deliver_events():
        response = store.pay(customer, placed_order["id"], method="test_ok", key="pay-2")

    _assert_json_error(response, 409)
    assert len(gateway.charges) == 1


def test_a_declined_card_leaves_the_order_payable_with_a_new_key(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> None:
    with deliver_events():
        declined = store.pay(customer, placed_order["id"], method="test_declined", key="try-1")

    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == "failed"
    assert declined.json()["failure_reason"] == "The card was declined."
    assert store.order(customer, placed_order["id"])["status"] == "pending_payment"
    assert _kinds(store, customer) == ["order_placed"]
    assert mailoutbox == []

    with deliver_events():
        accepted = store.pay(customer, placed_order["id"], method="test_ok", key="try-2")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "succeeded"
    assert accepted.json()["id"] != declined.json()["id"]
    assert [charge["payment_method"] for charge in gateway.charges] == ["test_declined", "test_ok"]
    assert store.order(customer, placed_order["id"])["status"] == "paid"
    assert _kinds(store, customer) == ["order_paid", "order_placed"]
    assert [m.subject for m in mailoutbox] == [f"Order {placed_order['id']} paid"]


def test_cancelling_a_pending_order_gives_the_stock_back_and_tells_the_customer(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    keyboard: Product,
    mouse: Product,
    deliver_events: DeliverEvents,
    mailoutbox: list[EmailMessage],
) -> None:
    assert (store.stock(keyboard), store.stock(mouse)) == (3, 2)

    with deliver_events():
        response = store.cancel(customer, placed_order["id"])

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert store.order(customer, placed_order["id"])["status"] == "cancelled"
    assert (store.stock(keyboard), store.stock(mouse)) == (5, 3)
    assert _kinds(store, customer) == ["order_cancelled", "order_placed"]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([customer.email], f"Order {placed_order['id']} cancelled")
    ]


def test_a_paid_order_cannot_be_cancelled(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    keyboard: Product,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        assert (
            store.pay(customer, placed_order["id"], method="test_ok", key="pay-1").status_code
            == 200
        )
    with deliver_events():
        response = store.cancel(customer, placed_order["id"])

    _assert_json_error(response, 409)
    assert store.order(customer, placed_order["id"])["status"] == "paid"
    assert store.stock(keyboard) == 3
    assert "order_cancelled" not in _kinds(store, customer)


def test_a_cancelled_order_cannot_be_paid(
    store: Store,
    customer: Customer,
    placed_order: dict[str, Any],
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        assert store.cancel(customer, placed_order["id"]).status_code == 200
    with deliver_events():
        response = store.pay(customer, placed_order["id"], method="test_ok", key="pay-1")

    _assert_json_error(response, 409)
    assert gateway.charges == []
    assert store.order(customer, placed_order["id"])["status"] == "cancelled"
