"""orders.api runs a fixed number of SQL queries: placing an order, whatever its size; paying."""

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modular_monolith.events.registry import listeners_of

from modules.orders import api
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.payments.fakes import RecordingGateway

pytestmark = pytest.mark.django_db

# What placing an order costs inside the test's transaction. In production the outer
# atomic block (order_place) opens a transaction instead of a savepoint, so its pair
# becomes BEGIN / COMMIT (also 11), and the OrderPlaced listeners run after the COMMIT.
PLACE_ORDER_QUERIES = [
    "SAVEPOINT",  # orders.services.order_place: @transaction.atomic
    "SAVEPOINT",  # products.services.stock_reserve: @transaction.atomic
    "SELECT products_product",  # the products, locked (FOR UPDATE on PostgreSQL), in id order
    "UPDATE products_product",  # every product's new stock, in one bulk_update
    "RELEASE SAVEPOINT",  # end of stock_reserve
    "INSERT orders_order",  # the order, with its total
    "INSERT orders_orderline",  # every line, in one bulk_create
    "INSERT modular_monolith_storedevent",  # OrderPlaced, in the outbox
    "INSERT modular_monolith_delivery",  # one per listener, in one bulk_create (none: no query)
    "RELEASE SAVEPOINT",  # end of order_place
    "SELECT orders_orderline",  # api._to_dto reads the lines back for the OrderDTO
]


# Paying, inside the test's transaction: each atomic block of the services is a savepoint
# here, and its own short transaction in production. None is open over the gateway call.
PAY_ORDER_QUERIES = [
    "SELECT orders_order",  # orders.paying.order_pay: the customer's order (no lock)
    "UPDATE orders_order",  # the claim: pending_payment -> payment_in_progress, one statement
    "SELECT payments_payment",  # payments: an earlier payment with this key? (none)
    "SAVEPOINT",  # payments: the pending payment, committed before the gateway is called
    "INSERT payments_payment",
    "RELEASE SAVEPOINT",
    # ... the gateway charges, with no transaction open ...
    "SAVEPOINT",  # payments: the outcome and its event
    "UPDATE payments_payment",  # pending -> succeeded, only if still pending
    "INSERT modular_monolith_storedevent",  # PaymentSucceeded
    "INSERT modular_monolith_delivery",  # to orders' listener
    "RELEASE SAVEPOINT",
    "SAVEPOINT",  # orders: the order paid, from the call's result
    "UPDATE orders_order",  # payment_in_progress -> paid, only if not paid yet
    "SELECT orders_order",  # the order's customer and total, for OrderPaid
    "INSERT modular_monolith_storedevent",  # OrderPaid
    "INSERT modular_monolith_delivery",  # one per listener (none: no query)
    "RELEASE SAVEPOINT",
]


def summary(sql: str) -> str:
    """'SELECT "products_product"."id", ... FROM "products_product" ...' -> 'SELECT products_product'."""
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
        return sql.rsplit(" ", 1)[0]
    verb = sql.split(" ", 1)[0]
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def queries_to_place(customer: UserDTO, products: list[Product]) -> list[str]:
    lines = [api.RequestedLine(product_id=product.pk, quantity=2) for product in products]
    with CaptureQueriesContext(connection) as captured:
        order = api.place_order(customer_id=customer.id, lines=lines)
    assert len(order.lines) == len(products)
    return [query["sql"] for query in captured.captured_queries]


def expected_queries() -> list[str]:
    """With notifications not installed (``make test-module M=orders``), nobody listens."""
    if listeners_of("orders.OrderPlaced"):
        return PLACE_ORDER_QUERIES
    return [query for query in PLACE_ORDER_QUERIES if query != "INSERT modular_monolith_delivery"]


def expected_pay_queries() -> list[str]:
    """Without notifications, OrderPaid has no listener: no delivery row (the last one)."""
    if listeners_of("orders.OrderPaid"):
        return PAY_ORDER_QUERIES
    last_delivery = (
        len(PAY_ORDER_QUERIES)
        - 1
        - PAY_ORDER_QUERIES[::-1].index("INSERT modular_monolith_delivery")
    )
    return PAY_ORDER_QUERIES[:last_delivery] + PAY_ORDER_QUERIES[last_delivery + 1 :]


def test_placing_an_order_of_1_or_10_lines_runs_the_same_queries(
    make_product: Callable[..., Product], customer: UserDTO
) -> None:
    one_line = queries_to_place(customer, [make_product()])
    ten_lines = queries_to_place(customer, [make_product() for _ in range(10)])

    assert [summary(sql) for sql in one_line] == expected_queries()
    assert [summary(sql) for sql in ten_lines] == expected_queries()


@pytest.mark.postgres
def test_placing_an_order_locks_the_products_it_reserves(
    make_product: Callable[..., Product], customer: UserDTO
) -> None:
    queries = queries_to_place(customer, [make_product(), make_product()])

    (product_read,) = [sql for sql in queries if summary(sql) == "SELECT products_product"]
    assert product_read.endswith("FOR UPDATE")


def test_paying_an_order_runs_three_short_transactions_and_no_more(
    make_product: Callable[..., Product], customer: UserDTO, gateway: RecordingGateway
) -> None:
    order = api.place_order(
        customer_id=customer.id, lines=[api.RequestedLine(product_id=make_product().pk, quantity=1)]
    )

    with CaptureQueriesContext(connection) as captured:
        attempt = api.pay_order(
            order.id, customer_id=customer.id, payment_method="test_ok", idempotency_key="k"
        )

    assert attempt.status == "succeeded"
    assert [summary(query["sql"]) for query in captured.captured_queries] == expected_pay_queries()
