"""orders.api runs a fixed number of SQL queries: placing an order, whatever its size; paying."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modular_monolith.events.registry import listeners_of

from modules.orders import api
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.payments.fakes import RecordingGateway
from tests.queries import publishing, summary

pytestmark = pytest.mark.django_db


def place_order_queries(*, listened: bool) -> list[str]:
    """What placing an order costs inside the test's transaction, whatever its size.

    In production the atomic block of order_place opens the transaction instead of a
    savepoint (BEGIN ... COMMIT), and the OrderPlaced listeners run after the COMMIT
    (or in the worker): tests/flows/test_query_budget.py counts the whole request.
    """
    return [
        "SAVEPOINT",  # orders.services.order_place: @transaction.atomic
        "SELECT products_product",  # products.reserve_stock: locked (FOR UPDATE), in id order
        "UPDATE products_product",  # every product's new stock, in one bulk_update
        "INSERT orders_order",  # the order, with its total
        "INSERT orders_orderline",  # every line, in one bulk_create
        *publishing(listened=listened),  # OrderPlaced, in the outbox
        "RELEASE SAVEPOINT",  # end of order_place; the reply is built from what was written
    ]


def pay_order_queries(*, listened: bool) -> list[str]:
    """Paying, inside the test's transaction: each atomic block of the services is a
    savepoint here, and its own short transaction in production. None is open over the
    gateway call. ``listened``: whether anyone listens to OrderPaid."""
    return [
        "SELECT orders_order",  # orders.paying.order_pay: the customer's order (no lock)
        "UPDATE orders_order",  # the claim: pending_payment -> payment_in_progress, one statement
        "SELECT payments_payment",  # payments: an earlier payment with this key? (none)
        "SAVEPOINT",  # payments: the pending payment, committed before the gateway is called
        "INSERT payments_payment",
        "RELEASE SAVEPOINT",
        # ... the gateway charges, with no transaction open ...
        "SAVEPOINT",  # payments: the outcome and its event
        "UPDATE payments_payment",  # pending -> succeeded, only if still pending
        *publishing(listened=True),  # PaymentSucceeded, to orders' listener
        "RELEASE SAVEPOINT",
        "SAVEPOINT",  # orders: the order paid, from the call's result
        "UPDATE orders_order",  # payment_in_progress -> paid, only if not paid yet
        "SELECT orders_order",  # the order's customer and total, for OrderPaid
        *publishing(listened=listened),  # OrderPaid
        "RELEASE SAVEPOINT",
    ]


def queries_to_place(customer: UserDTO, products: list[Product]) -> list[str]:
    lines = [api.RequestedLine(product_id=product.pk, quantity=2) for product in products]
    with CaptureQueriesContext(connection) as captured:
        order = api.place_order(customer_id=customer.id, lines=lines)
    assert len(order.lines) == len(products)
    return [query["sql"] for query in captured.captured_queries]


def expected_queries() -> list[str]:
    """With notifications not installed (``make test-module M=orders``), nobody listens."""
    return place_order_queries(listened=bool(listeners_of("orders.OrderPlaced")))


def expected_pay_queries() -> list[str]:
    return pay_order_queries(listened=bool(listeners_of("orders.OrderPaid")))


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
