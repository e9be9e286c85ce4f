"""Listing endpoints cost a fixed number of queries, however much there is to list."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from modular_monolith.events.registry import listeners_of

from modules.products.models import Product
from tests.flows.conftest import Customer, Store
from tests.queries import publishing, summary

pytestmark = pytest.mark.django_db

AssertNumQueries = Callable[..., Any]


@pytest.mark.parametrize("product_count", [2, 20])
def test_listing_the_catalogue_takes_one_query_for_2_or_20_products(
    product_count: int,
    client: Client,
    make_product: Callable[..., Product],
    django_assert_num_queries: AssertNumQueries,
) -> None:
    for _ in range(product_count):
        make_product()

    with django_assert_num_queries(1):
        response = client.get("/api/products")

    assert response.status_code == 200
    assert len(response.json()) == product_count


@pytest.mark.parametrize("order_count", [2, 20])
def test_listing_orders_takes_three_queries_for_2_or_20_orders(
    order_count: int,
    store: Store,
    customer: Customer,
    make_product: Callable[..., Product],
    django_assert_num_queries: AssertNumQueries,
) -> None:
    keyboard, mouse = make_product(stock=100), make_product(stock=100)
    for _ in range(order_count):
        assert store.place_order(customer, (keyboard, 1), (mouse, 2)).status_code == 201

    # The token's user, the orders, and their lines.
    with django_assert_num_queries(3):
        response = store.client.get("/api/orders", headers=customer.headers)

    assert response.status_code == 200
    assert len(response.json()) == order_count
    assert all(len(order["lines"]) == 2 for order in response.json())


def place_order_request(*, listened: bool) -> list[str]:
    """Every statement of POST /api/orders up to its commit, whatever the number of lines.

    A single-app Django version of the same request (direct ORM, the notification written in
    it) runs the same statements with a notification INSERT where the event is.
    (``CONN_HEALTH_CHECKS`` adds a ``SELECT 1`` when a request reuses a connection; Django
    does not log it, and it is the same for any Django app with the same settings.)
    """
    return [
        "SELECT users_user",  # the bearer token's user (shop.auth -> users.api)
        "BEGIN",  # orders.services.order_place
        "SELECT products_product",  # the products, locked (FOR UPDATE), in id order
        "UPDATE products_product",  # their new stock, in one statement (CASE ... WHEN)
        "INSERT orders_order",
        "INSERT orders_orderline",  # every line, in one statement
        *publishing(listened=listened),  # OrderPlaced and its deliveries (PostgreSQL: one)
        "COMMIT",  # on PostgreSQL, the commit also wakes the worker (NOTIFY)
    ]


# What immediate mode adds after the commit: the OrderPlaced delivery to notifications, run
# by modular_monolith.events.delivery.deliver_event in the request's process.
IMMEDIATE_DELIVERY = [
    "BEGIN",  # the event's deliveries, claimed and run in one transaction
    "SELECT modular_monolith_delivery",  # the claim: FOR UPDATE SKIP LOCKED, with the event
    "INSERT notifications_notification",  # once per fact; the address from notifications' copy
    "UPDATE modular_monolith_delivery",  # marked succeeded
    "COMMIT",
]


@pytest.mark.django_db(transaction=True)  # real transactions: commits, and what follows them
@pytest.mark.parametrize("line_count", [1, 10])
@pytest.mark.parametrize("mode", ["worker", "immediate"])
def test_placing_an_order_of_1_or_10_lines_runs_a_fixed_list_of_statements(
    mode: str,
    line_count: int,
    settings: Any,
    store: Store,
    customer: Customer,
    make_product: Callable[..., Product],
) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = mode
    lines = [(make_product(stock=10), 2) for _ in range(line_count)]
    listened = bool(listeners_of("orders.OrderPlaced"))

    with CaptureQueriesContext(connection) as captured:
        response = store.place_order(customer, *lines)

    assert response.status_code == 201
    assert len(response.json()["lines"]) == line_count
    after_commit = IMMEDIATE_DELIVERY if mode == "immediate" and listened else []
    assert [summary(query["sql"]) for query in captured.captured_queries] == [
        *place_order_request(listened=listened),
        *after_commit,
    ]
    # On PostgreSQL, worker mode: 8 statements (the single-app version runs 8 too);
    # immediate mode: 8 + 5. On SQLite the event and its delivery are two INSERTs: 9.
