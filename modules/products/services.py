from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from .errors import InsufficientStock, InvalidStockLines
from .models import Product
from .selectors import products_by_id


# No savepoint inside the caller's transaction: a refusal comes before anything is
# written, and the caller's own transaction makes the reservation all or nothing.
@transaction.atomic(savepoint=False)
def stock_reserve(*, quantities: Iterable[tuple[int, int]]) -> list[Product]:
    """Take units out of stock, all or nothing; return the reserved products.

    ``quantities`` holds (product id, units) pairs. The product rows are locked
    for the rest of the transaction, so concurrent reservations queue up
    instead of overselling. Two statements whatever the number of products:
    the locked read and one bulk update. Called inside a transaction, a refusal
    leaves that transaction to be rolled back.
    """
    wanted = _sum_quantities(quantities)
    products = products_by_id(wanted, lock=True)
    short = [pid for pid, units in wanted.items() if products[pid].stock < units]
    if short:
        names = ", ".join(products[pid].name for pid in short)
        raise InsufficientStock(f"Not enough stock for: {names}.", details={"product_ids": short})
    for product_id, units in wanted.items():
        products[product_id].stock -= units
    Product.objects.bulk_update(products.values(), ["stock"])
    return list(products.values())


@transaction.atomic(savepoint=False)
def stock_release(*, quantities: Iterable[tuple[int, int]]) -> None:
    """Put units back in stock, e.g. when an order is cancelled."""
    wanted = _sum_quantities(quantities)
    products = products_by_id(wanted, lock=True)
    for product_id, units in wanted.items():
        products[product_id].stock += units
    Product.objects.bulk_update(products.values(), ["stock"])


def _sum_quantities(quantities: Iterable[tuple[int, int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for product_id, units in quantities:
        if units < 1:
            raise InvalidStockLines("Quantities must be at least 1.")
        total[product_id] += units
    if not total:
        raise InvalidStockLines("Name at least one product.")
    return total
