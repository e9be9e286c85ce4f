"""Events published by the orders module."""

from dataclasses import dataclass
from decimal import Decimal

from modular_monolith.events import event


@event("orders.OrderPlaced", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class OrderPlaced:
    """A customer placed an order; its stock is reserved and it awaits payment."""

    order_id: int
    customer_id: int
    total: Decimal


@event("orders.OrderPaid", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class OrderPaid:
    """An order's payment succeeded."""

    order_id: int
    customer_id: int
    total: Decimal
    payment_id: int


@event("orders.OrderCancelled", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class OrderCancelled:
    """A customer cancelled an order that was awaiting payment; its stock is released."""

    order_id: int
    customer_id: int
