"""Events published by the payments module."""

from dataclasses import dataclass
from decimal import Decimal

from modular_monolith.events import event


@event("payments.PaymentSucceeded", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class PaymentSucceeded:
    """The gateway took the money for ``reference``."""

    payment_id: int
    reference: str
    amount: Decimal


@event("payments.PaymentFailed", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class PaymentFailed:
    """The gateway declined the payment for ``reference``; it may be tried again."""

    payment_id: int
    reference: str
    amount: Decimal
    reason: str
