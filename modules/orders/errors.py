"""The errors of the orders module: the only ones its API raises.

Errors of the modules orders calls (products, payments) are translated into
these, so a caller of orders never needs another module's error classes.

    OrdersError
    ├── OrderNotFound           (404)
    ├── InvalidOrder            (400)
    ├── InvalidPayment          (400)
    ├── InsufficientStock       (409)
    ├── OrderNotPayable         (409)
    ├── OrderNotCancellable     (409)
    ├── PaymentInProgress       (409)
    └── PaymentsUnavailable     (409)
"""

from modular_monolith.errors import Conflict, DomainError, NotFound


class OrdersError(DomainError):
    """Base class for the errors of the orders module."""


class OrderNotFound(OrdersError, NotFound):
    """The order does not exist, or belongs to another customer."""


class InvalidOrder(OrdersError):
    """The order has no lines, a quantity below 1, or an unknown product."""


class InvalidPayment(OrdersError):
    """The payment method is not accepted."""


class InsufficientStock(OrdersError, Conflict):
    """A product has fewer units in stock than the order asks for; nothing was reserved."""


class OrderNotPayable(OrdersError, Conflict):
    """The order is cancelled, or paid already with another idempotency key."""


class OrderNotCancellable(OrdersError, Conflict):
    """The order is paid, cancelled, or has a payment under way."""


class PaymentInProgress(OrdersError, Conflict):
    """Another payment of the order is under way; its outcome decides."""


class PaymentsUnavailable(OrdersError, Conflict):
    """The payment gateway did not answer; retry with the same idempotency key."""
