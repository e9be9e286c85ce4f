"""The public interface of the products module."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import selectors, services
from .errors import InsufficientStock, InvalidStockLines, ProductNotFound, ProductsError
from .models import Product

__all__ = [
    "InsufficientStock",
    "InvalidStockLines",
    "ProductDTO",
    "ProductNotFound",
    "ProductsError",
    "StockLine",
    "get_product",
    "get_products",
    "list_products",
    "release_stock",
    "reserve_stock",
]


@dataclass(frozen=True, kw_only=True)
class ProductDTO:
    id: int
    sku: str
    name: str
    price: Decimal
    stock: int


@dataclass(frozen=True, kw_only=True)
class StockLine:
    """A number of units of one product."""

    product_id: int
    quantity: int


def list_products() -> list[ProductDTO]:
    """Return the whole catalogue, in one query."""
    return [_to_dto(product) for product in selectors.product_list()]


def get_product(product_id: int) -> ProductDTO:
    """Return one product, or raise ``ProductNotFound``."""
    return _to_dto(selectors.product_get(product_id=product_id))


def get_products(ids: Iterable[int]) -> list[ProductDTO]:
    """Return the products with these ids (in id order, one query), or raise ``ProductNotFound``."""
    return [_to_dto(product) for product in selectors.products_by_id(ids).values()]


def reserve_stock(lines: Iterable[StockLine]) -> list[ProductDTO]:
    """Take the lines' units out of stock, all or nothing, and return the products reserved.

    Raises ``ProductNotFound``, ``InsufficientStock`` or ``InvalidStockLines``,
    having reserved nothing. Call it inside your own transaction to make the
    reservation part of it: a rollback gives the units back.
    """
    products = services.stock_reserve(quantities=_quantities(lines))
    return [_to_dto(product) for product in products]


def release_stock(lines: Iterable[StockLine]) -> None:
    """Put the lines' units back in stock."""
    services.stock_release(quantities=_quantities(lines))


def _quantities(lines: Iterable[StockLine]) -> list[tuple[int, int]]:
    return [(line.product_id, line.quantity) for line in lines]


def _to_dto(product: Product) -> ProductDTO:
    return ProductDTO(
        id=product.pk, sku=product.sku, name=product.name, price=product.price, stock=product.stock
    )
