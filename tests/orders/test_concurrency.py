"""orders.api under concurrent requests: stock is never oversold (PostgreSQL only).

SQLite serialises writers on one database lock, so only PostgreSQL shows whether
the row locks taken by ``products.reserve_stock`` really queue racing orders.
``slow_reservation`` holds each reservation's locks 0.2 s longer, so that the
racing requests are sure to meet while the first one is still in flight. Paying
under concurrency is in ``test_payment_faults.py``.
"""

import time
from collections.abc import Callable, Iterable

import pytest

from modules.orders import api
from modules.orders.models import Order
from modules.products import api as products
from modules.products.models import Product
from modules.users.api import UserDTO
from tests.concurrency import Outcome, run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MakeProduct = Callable[..., Product]


@pytest.fixture
def slow_reservation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reserve stock as usual, then wait 0.2 s with the product rows still locked."""
    reserve_stock = products.reserve_stock

    def reserve_slowly(lines: Iterable[products.StockLine]) -> list[products.ProductDTO]:
        reserved = reserve_stock(lines)
        time.sleep(0.2)
        return reserved

    monkeypatch.setattr(products, "reserve_stock", reserve_slowly)


def order_one(product: Product, customer: UserDTO) -> Callable[[], api.OrderDTO]:
    return lambda: api.place_order(
        customer_id=customer.id, lines=[api.RequestedLine(product_id=product.pk, quantity=1)]
    )


def succeeded(outcomes: list[Outcome[api.OrderDTO]]) -> list[api.OrderDTO]:
    return [outcome.result for outcome in outcomes if outcome.result is not None]


def test_two_customers_racing_for_the_last_unit_get_one_order(
    make_product: MakeProduct, make_user: Callable[..., UserDTO], slow_reservation: None
) -> None:
    mug = make_product(stock=1)
    alice, bob = make_user(), make_user()

    outcomes = run_concurrently([order_one(mug, alice), order_one(mug, bob)])

    (winner,) = succeeded(outcomes)
    (refusal,) = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert isinstance(refusal, api.InsufficientStock)
    assert winner.customer_id in {alice.id, bob.id}
    assert list(Order.objects.values_list("pk", flat=True)) == [winner.id]
    assert Product.objects.get(pk=mug.pk).stock == 0


def test_ten_concurrent_orders_for_five_units_sell_exactly_five(
    make_product: MakeProduct, make_user: Callable[..., UserDTO], slow_reservation: None
) -> None:
    mug = make_product(stock=5)
    customers = [make_user() for _ in range(10)]

    outcomes = run_concurrently([order_one(mug, customer) for customer in customers])

    assert len(succeeded(outcomes)) == 5
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == 5
    assert all(isinstance(error, api.InsufficientStock) for error in errors)
    assert Order.objects.count() == 5
    assert Product.objects.get(pk=mug.pk).stock == 0
