"""One customer's orders and notifications are invisible and untouchable to another."""

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from modular_monolith.testing import DeliverEvents

from modules.products.models import Product
from tests.flows.conftest import Customer, RecordingGateway, Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer("alice@example.com")


@pytest.fixture
def bob(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer("bob@example.com")


@pytest.fixture
def product(make_product: Callable[..., Product]) -> Product:
    return make_product(stock=10)


@pytest.fixture
def alices_order(
    store: Store, alice: Customer, product: Product, deliver_events: DeliverEvents
) -> dict[str, Any]:
    with deliver_events():
        response = store.place_order(alice, (product, 2))
    assert response.status_code == 201, response.content
    return response.json()


ACTIONS: dict[str, Callable[[Store, Customer, int], HttpResponse]] = {
    "see": lambda store, who, order_id: store.client.get(
        f"/api/orders/{order_id}", headers=who.headers
    ),
    "pay": lambda store, who, order_id: store.pay(who, order_id, method="test_ok", key="bob-1"),
    "cancel": lambda store, who, order_id: store.cancel(who, order_id),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_customer_gets_a_json_404_for_another_customers_order(
    action: str,
    store: Store,
    alice: Customer,
    bob: Customer,
    alices_order: dict[str, Any],
    product: Product,
    gateway: RecordingGateway,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        response = ACTIONS[action](store, bob, alices_order["id"])

    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]
    # Refused, and nothing happened to Alice's order.
    assert gateway.charges == []
    assert store.order(alice, alices_order["id"])["status"] == "pending_payment"
    assert store.stock(product) == 8
    assert [n["kind"] for n in store.notifications(alice)] == ["order_placed"]


def test_another_customers_order_looks_exactly_like_one_that_does_not_exist(
    store: Store, bob: Customer, alices_order: dict[str, Any]
) -> None:
    theirs = store.client.get(f"/api/orders/{alices_order['id']}", headers=bob.headers)
    missing_id = alices_order["id"] + 1000
    missing = store.client.get(f"/api/orders/{missing_id}", headers=bob.headers)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["message"].replace(str(alices_order["id"]), "N") == missing.json()[
        "message"
    ].replace(str(missing_id), "N")


def test_each_customer_lists_only_their_own_orders(
    store: Store,
    alice: Customer,
    bob: Customer,
    alices_order: dict[str, Any],
    product: Product,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        bobs_order = store.place_order(bob, (product, 1)).json()

    assert [order["id"] for order in store.orders(bob)] == [bobs_order["id"]]
    assert [order["id"] for order in store.orders(alice)] == [alices_order["id"]]


def test_each_customer_lists_only_their_own_notifications(
    store: Store,
    alice: Customer,
    bob: Customer,
    alices_order: dict[str, Any],
    product: Product,
    deliver_events: DeliverEvents,
) -> None:
    with deliver_events():
        bobs_order = store.place_order(bob, (product, 1)).json()
    with deliver_events():
        assert store.cancel(alice, alices_order["id"]).status_code == 200

    assert [n["subject"] for n in store.notifications(bob)] == [f"Order {bobs_order['id']} placed"]
    assert [n["subject"] for n in store.notifications(alice)] == [
        f"Order {alices_order['id']} cancelled",
        f"Order {alices_order['id']} placed",
    ]
