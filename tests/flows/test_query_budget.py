"""Listing endpoints cost a fixed number of queries, however much there is to list."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from modules.products.models import Product
from tests.flows.conftest import Customer, Store

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
