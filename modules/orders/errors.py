from modular_monolith.errors import Conflict, DomainError, NotFound


class OrdersError(DomainError):
    """Base class for the errors of the orders module."""


class OrderNotFound(OrdersError, NotFound):
    """The order does not exist, or belongs to another customer."""


class InvalidOrder(OrdersError):
    """The order has no lines, a quantity below 1, or an unknown product."""


class OrderNotPayable(OrdersError, Conflict):
    """The order is cancelled."""


class OrderNotCancellable(OrdersError, Conflict):
    """Only an order that is waiting for payment can be cancelled."""
