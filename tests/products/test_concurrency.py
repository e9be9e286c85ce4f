"""Two customers racing for the last unit: the row lock of reserve_stock makes one of them wait."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from modules.products import api as products
from modules.products.models import Product

HOLD_SECONDS = 0.5


def in_thread(work: Callable[[], str], outcomes: dict[str, str], name: str) -> threading.Thread:
    """Start ``work`` on its own database connection; record what it returned or raised."""

    def run() -> None:
        try:
            outcomes[name] = work()
        except Exception as error:
            outcomes[name] = f"raised {type(error).__name__}"
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_customers_racing_for_the_last_unit_cannot_both_get_it(
    make_product: Callable[..., Product],
) -> None:
    product = make_product(stock=1)
    last_unit = [products.StockLine(product_id=product.pk, quantity=1)]
    first_has_reserved = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> str:
        with transaction.atomic():
            products.reserve_stock(last_unit)
            first_has_reserved.set()
            time.sleep(HOLD_SECONDS)  # commit late: the second customer must wait for the lock
        return "reserved"

    def second() -> str:
        assert first_has_reserved.wait(timeout=10)
        try:
            products.reserve_stock(last_unit)
        except products.InsufficientStock:
            return "refused"
        return "reserved"

    threads = [in_thread(first, outcomes, "first"), in_thread(second, outcomes, "second")]
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"first": "reserved", "second": "refused"}
    assert Product.objects.get(pk=product.pk).stock == 0
