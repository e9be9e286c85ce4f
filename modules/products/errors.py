from modular_monolith.errors import Conflict, DomainError, NotFound


class ProductsError(DomainError):
    """Base class for the errors of the products module."""


class ProductNotFound(ProductsError, NotFound):
    """One or more product ids do not exist."""


class InsufficientStock(ProductsError, Conflict):
    """A product has fewer units in stock than asked for."""


class InvalidStockLines(ProductsError):
    """A stock request is empty or asks for less than one unit."""
