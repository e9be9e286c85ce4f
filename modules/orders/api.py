"""The public interface of the orders module.

Its errors are its own (``errors.py``), whatever module the refusal came from:
``OrderNotFound`` (404); ``InvalidOrder``, ``InvalidPayment`` (400);
``InsufficientStock``, ``OrderNotPayable``, ``OrderNotCancellable``,
``PaymentInProgress``, ``PaymentsUnavailable`` (409); all are ``OrdersError``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from . import paying, selectors, services
from .errors import (
    InsufficientStock,
    InvalidOrder,
    InvalidPayment,
    OrderNotCancellable,
    OrderNotFound,
    OrderNotPayable,
    OrdersError,
    PaymentInProgress,
    PaymentsUnavailable,
)
from .models import Order, OrderLine

__all__ = [
    "InsufficientStock",
    "InvalidOrder",
    "InvalidPayment",
    "OrderDTO",
    "OrderLineDTO",
    "OrderNotCancellable",
    "OrderNotFound",
    "OrderNotPayable",
    "OrdersError",
    "PaymentAttemptDTO",
    "PaymentInProgress",
    "PaymentsUnavailable",
    "RequestedLine",
    "cancel_order",
    "get_order",
    "list_orders",
    "pay_order",
    "place_order",
]


@dataclass(frozen=True, kw_only=True)
class RequestedLine:
    product_id: int
    quantity: int


@dataclass(frozen=True, kw_only=True)
class OrderLineDTO:
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True, kw_only=True)
class OrderDTO:
    id: int
    customer_id: int
    status: str  # "pending_payment", "payment_in_progress", "paid" or "cancelled"
    total: Decimal
    created_at: datetime
    lines: tuple[OrderLineDTO, ...]


@dataclass(frozen=True, kw_only=True)
class PaymentAttemptDTO:
    id: int
    status: str  # "succeeded" or "failed"
    failure_reason: str


def place_order(*, customer_id: int, lines: Iterable[RequestedLine]) -> OrderDTO:
    """Reserve stock and store a pending order; publish ``OrderPlaced``.

    Raises ``InvalidOrder`` (no lines, quantity below 1, unknown product) or
    ``InsufficientStock``, having reserved nothing.
    """
    order, order_lines = services.order_place(
        customer_id=customer_id, quantities=[(line.product_id, line.quantity) for line in lines]
    )
    return _to_dto(order, order_lines)


def get_order(order_id: int, *, customer_id: int) -> OrderDTO:
    """Return the customer's order, or raise ``OrderNotFound`` (also for another's order)."""
    return _to_dto(selectors.order_get(order_id=order_id, customer_id=customer_id))


def list_orders(*, customer_id: int) -> list[OrderDTO]:
    """Return the customer's orders, newest first."""
    return [_to_dto(order) for order in selectors.order_list(customer_id=customer_id)]


def pay_order(
    order_id: int, *, customer_id: int, payment_method: str, idempotency_key: str
) -> PaymentAttemptDTO:
    """Charge the order, and mark it paid if the payment succeeds.

    The order is ``payment_in_progress`` while the charge is under way (it cannot
    be cancelled then); no transaction or lock is held over the charge. The same
    ``idempotency_key`` never charges twice, even after a crash. Raises
    ``OrderNotFound``; ``InvalidOrder`` (a bad key); ``InvalidPayment`` (the
    payment method); ``OrderNotPayable`` (cancelled, or paid with another key);
    ``PaymentInProgress`` (another key's payment is under way);
    ``PaymentsUnavailable`` (the gateway did not answer: retry with the same key).
    """
    payment = paying.order_pay(
        order_id=order_id,
        customer_id=customer_id,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
    )
    return PaymentAttemptDTO(
        id=payment.id, status=payment.status, failure_reason=payment.failure_reason
    )


def cancel_order(order_id: int, *, customer_id: int) -> OrderDTO:
    """Cancel an order awaiting payment and release its stock; publish ``OrderCancelled``.

    Raises ``OrderNotFound``, or ``OrderNotCancellable`` for an order that is
    paid, cancelled, or has a payment under way.
    """
    return _to_dto(services.order_cancel(order_id=order_id, customer_id=customer_id))


def _to_dto(order: Order, lines: Iterable[OrderLine] | None = None) -> OrderDTO:
    """The order as a DTO; its lines are read (one query) unless given."""
    return OrderDTO(
        id=order.pk,
        customer_id=order.customer_id,
        status=order.status,
        total=order.total,
        created_at=order.created_at,
        lines=tuple(
            OrderLineDTO(
                product_id=line.product_id,
                name=line.name,
                unit_price=line.unit_price,
                quantity=line.quantity,
            )
            for line in (order.lines.all() if lines is None else lines)
        ),
    )
