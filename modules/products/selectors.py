from collections.abc import Iterable

from django.db.models import QuerySet

from .errors import ProductNotFound
from .models import Product

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField


def product_list() -> QuerySet[Product]:
    return Product.objects.order_by("id")


def product_get(*, product_id: int) -> Product:
    try:
        return Product.objects.get(pk=product_id)
    except Product.DoesNotExist:
        raise ProductNotFound(f"Product {product_id} does not exist.") from None


def products_by_id(ids: Iterable[int], *, lock: bool = False) -> dict[int, Product]:
    """Return the products with these ids in one query, or raise ``ProductNotFound``.

    With ``lock=True`` the rows stay locked (``SELECT ... FOR UPDATE``) until
    the transaction ends, always in id order so that two lockers cannot deadlock.
    """
    wanted = sorted(set(ids))
    # An id no column can hold names no product (and would overflow SQLite's driver).
    products = Product.objects.filter(pk__in=[i for i in wanted if 0 < i <= MAX_ID]).order_by("id")
    if lock:
        products = products.select_for_update()
    found = {product.pk: product for product in products}
    missing = [product_id for product_id in wanted if product_id not in found]
    if missing:
        raise ProductNotFound(
            f"Unknown product id(s): {', '.join(map(str, missing))}.",
            details={"product_ids": missing},
        )
    return found
