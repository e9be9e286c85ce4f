from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from .errors import InsufficientStock, InvalidStockLines, ProductsError
from .models import Product
from .selectors import products_by_id


def stock_reserve(*, quantities: Iterable[tuple[int, int]]) -> list[Product]:
    """Take units out of stock, all or nothing; return the reserved products.

    ``quantities`` holds (product id, units) pairs. The product rows are locked
    for the rest of the transaction, so concurrent reservations queue up
    instead of overselling. Two statements whatever the number of products:
    the locked read and one bulk update.
    """
    wanted = _sum_quantities(quantities)
    refusal: ProductsError | None = None
    # No savepoint inside the caller's transaction: a refusal comes before anything is
    # written, and is raised once out of the block, which leaves that transaction usable.
    with transaction.atomic(savepoint=False):
        try:
            products = products_by_id(wanted, lock=True)
            _check_stock(wanted, products)
        except ProductsError as error:
            refusal = error
        else:
            for product_id, units in wanted.items():
                products[product_id].stock -= units
            Product.objects.bulk_update(products.values(), ["stock"])
    if refusal is not None:
        raise refusal
    return list(products.values())


@transaction.atomic
def stock_release(*, quantities: Iterable[tuple[int, int]]) -> None:
    """Put units back in stock, e.g. when an order is cancelled."""
    wanted = _sum_quantities(quantities)
    products = products_by_id(wanted, lock=True)
    for product_id, units in wanted.items():
        products[product_id].stock += units
    Product.objects.bulk_update(products.values(), ["stock"])


def _check_stock(wanted: Counter[int], products: dict[int, Product]) -> None:
    short = [pid for pid, units in wanted.items() if products[pid].stock < units]
    if short:
        names = ", ".join(products[pid].name for pid in short)
        raise InsufficientStock(f"Not enough stock for: {names}.", details={"product_ids": short})


def _sum_quantities(quantities: Iterable[tuple[int, int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for product_id, units in quantities:
        if units < 1:
            raise InvalidStockLines("Quantities must be at least 1.")
        total[product_id] += units
    if not total:
        raise InvalidStockLines("Name at least one product.")
    return total
